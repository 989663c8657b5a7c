import QuoMock

/// What listings of the demo workspace cost beyond the tree's own levels: a call's
/// content, and the names of users and contacts.
enum RequestBudget {
    /// Demo calls whose listing is never final, so a remount lists them again:
    /// `ACdemoA2` (its summary is being made), `ACdemoB1` (a segment in progress),
    /// `ACdemoL1` (a segment still processing).
    static let nonFinalDemoCalls = ["ACdemoA2", "ACdemoB1", "ACdemoL1"]

    /// Requests one listing of an answered call costs: its recordings and transcripts,
    /// and its summary with v1 — or, with 2026-03-30, the call itself while the summary
    /// it was listed with is still being made.
    static func callListing(_ call: MockCall, version: String) -> Int {
        let summaryPending = call.summary?.status == .inProgress
        return 2 + (version == "v1" || summaryPending ? 1 : 0)
    }

    /// Requests for names, once per mount without a catalog: `/v1/contacts` in pages of
    /// 50, and `/users` with 2026-03-30 (v1's come with its phone numbers).
    static func people(_ workspace: MockWorkspace, version: String) -> Int {
        (workspace.contacts.count + 49) / 50 + (version == "v1" ? 0 : (workspace.users.count + 49) / 50)
    }

    /// What a remount after a full walk costs at most: the key check, two requests per
    /// number, and another listing of each call in `calls`.
    static func remount(_ workspace: MockWorkspace, version: String, calls: [String] = nonFinalDemoCalls) -> Int {
        1 + 2 * workspace.phoneNumbers.count
            + calls.compactMap { id in workspace.calls.first { $0.id == id } }.map { callListing($0, version: version) }.reduce(0, +)
    }
}
