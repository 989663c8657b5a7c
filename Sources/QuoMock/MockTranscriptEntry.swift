/// One line of a recording segment's transcript (``MockRecording/transcript``).
///
/// Its times are seconds from the start of the segment it belongs to, as the
/// 2026-03-30 surface serves them; the v1 surface shifts them to the call's timeline
/// (see ``MockCall/segmentOffsets``).
public struct MockTranscriptEntry: Sendable, Equatable {
    /// What was said.
    public var content: String
    /// Seconds from the start of the segment to the start of the line.
    public var start: Double
    /// Seconds from the start of the segment to the end of the line.
    public var end: Double
    /// The speaker's number (E.164), or nil when unknown.
    public var identifier: String?
    /// The speaking workspace user (`US…`): v1 `userId`, 2026-03-30 `actorId`; nil for an
    /// external or unknown speaker.
    public var userId: String?

    /// Creates a line.
    public init(content: String, start: Double, end: Double, identifier: String? = nil, userId: String? = nil) {
        self.content = content
        self.start = start
        self.end = end
        self.identifier = identifier
        self.userId = userId
    }
}
