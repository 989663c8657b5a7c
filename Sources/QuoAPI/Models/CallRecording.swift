/// One recording segment of a call (`GET /v1/call-recordings/{callId}`).
///
/// The API always sends every field, but any of them except `id` may be null.
public struct CallRecording: Codable, Sendable, Equatable {
    /// `CR…`
    public var id: String
    /// Seconds; null until completed.
    public var duration: Int?
    /// ISO 8601; null if the recording has not started or the time is unknown.
    public var startTime: String?
    /// `completed`, `in-progress`, `deleted`, … or null (kept as text: an unknown value
    /// must not break decoding a whole listing).
    public var status: String?
    /// MIME type, e.g. `audio/mpeg`, or null.
    public var type: String?
    /// Absolute URL of the audio on a storage host (not the API host), or null when not
    /// available. May be short-lived (signed).
    public var url: String?

    public init(id: String, duration: Int? = nil, startTime: String? = nil, status: String? = nil,
                type: String? = nil, url: String? = nil) {
        self.id = id
        self.duration = duration
        self.startTime = startTime
        self.status = status
        self.type = type
        self.url = url
    }

    /// Whether the recording is in a final state with audio to serve: status `completed`
    /// or null (the API leaves it null for some finished recordings) and a URL present.
    /// In-progress, processing, paused and stopping segments appear once they complete;
    /// absent, deleted and failed ones never.
    public var isAvailable: Bool {
        guard let url, !url.isEmpty else { return false }
        return status == nil || status == "completed"
    }

    /// Whether the recording can still change (a segment still being recorded or
    /// processed), so a listing containing it must not be cached for good.
    public var isPending: Bool {
        guard let status else { return false }
        return ["in-progress", "processing", "paused", "stopped", "stopping"].contains(status)
    }
}
