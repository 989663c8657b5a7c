/// Content of a call besides audio that costs requests, each of which a mount can skip
/// (`--no-transcripts`, `--no-summaries`).
public enum CallContentKind: String, Sendable, CaseIterable, Hashable {
    /// `<segment>.vtt` and `transcript.txt`: one request per answered call.
    case transcripts
    /// `summary.md`: inline with 2026-03-30, one request per answered call with v1.
    case summaries
}
