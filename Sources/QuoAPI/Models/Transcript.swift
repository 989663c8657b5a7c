/// A call's transcript: v1 sends one per call (`GET /v1/call-transcripts/{id}`, offsets
/// from the call's start); 2026-03-30 one per recording segment (`GET
/// /calls/{id}/transcripts`, `recordingId` set, offsets from that segment's start).
public struct Transcript: Decodable, Sendable, Equatable {
    /// The segment (`CR…`) this transcript covers; nil for v1's per-call transcript.
    public var recordingId: String?
    public var callId: String?
    /// `absent`, `in-progress`, `completed`, `failed` (kept as text).
    public var status: String?
    /// Null unless completed (handled as empty).
    public var dialogue: [DialogueEntry]
    /// Seconds.
    public var duration: Double?
    public var startTime: String?
    public var createdAt: String?

    public init(recordingId: String? = nil, callId: String? = nil, status: String? = nil, dialogue: [DialogueEntry] = [],
                duration: Double? = nil, startTime: String? = nil, createdAt: String? = nil) {
        self.recordingId = recordingId
        self.callId = callId
        self.status = status
        self.dialogue = dialogue
        self.duration = duration
        self.startTime = startTime
        self.createdAt = createdAt
    }

    private enum CodingKeys: String, CodingKey { case recordingId, callId, status, dialogue, duration, startTime, createdAt }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        recordingId = try container.decodeIfPresent(String.self, forKey: .recordingId)
        callId = try container.decodeIfPresent(String.self, forKey: .callId)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        dialogue = try container.decodeIfPresent([DialogueEntry].self, forKey: .dialogue) ?? []
        duration = try container.decodeIfPresent(Double.self, forKey: .duration)
        startTime = try container.decodeIfPresent(String.self, forKey: .startTime)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt)
    }

    /// One line of a transcript.
    public struct DialogueEntry: Decodable, Sendable, Equatable {
        public var content: String
        /// Seconds from the start of the call (v1) or of the segment (2026-03-30).
        public var start: Double
        public var end: Double
        /// The speaker's number, when known.
        public var identifier: String?
        /// The speaking workspace user (v1 `userId`, 2026-03-30 `actorId`).
        public var actorId: String?

        public init(content: String, start: Double, end: Double, identifier: String? = nil, actorId: String? = nil) {
            self.content = content
            self.start = start
            self.end = end
            self.identifier = identifier
            self.actorId = actorId
        }

        private enum CodingKeys: String, CodingKey { case content, start, end, identifier, actorId, userId }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            content = try container.decodeIfPresent(String.self, forKey: .content) ?? ""
            start = try container.decodeIfPresent(Double.self, forKey: .start) ?? 0
            end = try container.decodeIfPresent(Double.self, forKey: .end) ?? start
            identifier = try container.decodeIfPresent(String.self, forKey: .identifier)
            actorId = try container.decodeIfPresent(String.self, forKey: .actorId)
                ?? container.decodeIfPresent(String.self, forKey: .userId)
        }
    }
}
