/// A voicemail left on a call (`GET /v1/call-voicemails/{callId}`, or inline on a
/// 2026-03-30 call with `include=voicemail`). Both versions send the same fields.
public struct Voicemail: Codable, Sendable, Equatable {
    /// `VM…` (v1 may leave it null while processing).
    public var id: String?
    /// `completed` or `in-progress` (kept as text).
    public var status: String?
    /// Seconds.
    public var duration: Int?
    /// The audio, on a storage host; null until completed. May be short-lived (signed).
    public var recordingUrl: String?
    /// Null when transcription is off for the number.
    public var transcript: String?

    public init(id: String? = nil, status: String? = nil, duration: Int? = nil,
                recordingUrl: String? = nil, transcript: String? = nil) {
        self.id = id
        self.status = status
        self.duration = duration
        self.recordingUrl = recordingUrl
        self.transcript = transcript
    }

    /// Whether there is audio to serve: completed (or null status) with a URL.
    public var isAvailable: Bool {
        guard let recordingUrl, !recordingUrl.isEmpty else { return false }
        return status == nil || status == "completed"
    }

    /// Whether it may still change (audio or transcript still processing).
    public var isPending: Bool {
        status == "in-progress"
    }
}
