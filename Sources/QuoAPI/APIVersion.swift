/// Which surface of the Quo API a client speaks.
///
/// - `v1`: path-versioned (`/v1/...`), no version header. Lists calls per workspace
///   number and exactly one participant, so group calls cannot be listed.
/// - `2026-03-30`: unprefixed paths (`/calls`, ...) with the header
///   `Quo-Api-Version: 2026-03-30` on every request; lists every call of the workspace,
///   group calls included, with voicemails (and summaries) inline.
///
/// Only ``QuoClient`` and ``QuoWorkspace`` branch on it; everything else sees the same
/// models whichever version answered.
public enum APIVersion: String, Sendable, CaseIterable, Equatable {
    case v1 = "v1"
    case dated20260330 = "2026-03-30"

    /// The default: the version that lists the whole workspace.
    public static let `default`: APIVersion = .dated20260330

    /// The value of the `Quo-Api-Version` header, or nil for v1 (which sends none).
    var headerValue: String? {
        self == .v1 ? nil : rawValue
    }
}
