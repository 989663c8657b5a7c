/// Where a call's transcript or summary stands, as the mock serves it.
///
/// The first four are the API's `status` values; ``planGated`` is the workspace's plan
/// not including the artifact (Business and Scale plans only): the v1 routes and
/// `GET /calls/{id}/transcripts` answer 403, and an inline 2026-03-30 summary is written
/// as `absent`.
public enum MockArtifactStatus: Sendable, Equatable, CaseIterable {
    /// Generated: `completed`.
    case completed
    /// Still being generated: `in-progress`.
    case inProgress
    /// Never generated (transcription off, nothing said): `absent`.
    case absent
    /// Generation failed: `failed`.
    case failed
    /// Not on the workspace's plan: 403 where the API has a route of its own.
    case planGated

    /// The `status` written on the wire (`absent` for ``planGated``, where a status is
    /// written at all).
    public var wireValue: String {
        switch self {
        case .completed: "completed"
        case .inProgress: "in-progress"
        case .absent, .planGated: "absent"
        case .failed: "failed"
        }
    }
}
