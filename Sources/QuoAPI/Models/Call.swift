/// A call (`GET /v1/calls`, `GET /v1/calls/{id}`).
public struct Call: Decodable, Sendable, Equatable {
    /// `AC…`
    public var id: String
    public var phoneNumberId: String?
    public var userId: String?
    /// `incoming` or `outgoing` (kept as text: unknown values must not break decoding).
    public var direction: String?
    /// `completed`, `missed`, `in-progress`, … (kept as text, see ``direction``).
    public var status: String?
    public var participants: [String]?
    /// Seconds.
    public var duration: Int?
    public var createdAt: String?
    public var answeredAt: String?
    public var completedAt: String?
    public var updatedAt: String?

    public init(id: String, phoneNumberId: String? = nil, userId: String? = nil, direction: String? = nil,
                status: String? = nil, participants: [String]? = nil, duration: Int? = nil,
                createdAt: String? = nil, answeredAt: String? = nil, completedAt: String? = nil,
                updatedAt: String? = nil) {
        self.id = id
        self.phoneNumberId = phoneNumberId
        self.userId = userId
        self.direction = direction
        self.status = status
        self.participants = participants
        self.duration = duration
        self.createdAt = createdAt
        self.answeredAt = answeredAt
        self.completedAt = completedAt
        self.updatedAt = updatedAt
    }

    /// Statuses after which a call never changes again.
    public static let finalStatuses: Set<String> = [
        "completed", "busy", "failed", "no-answer", "canceled", "missed", "answered", "forwarded", "abandoned",
    ]

    /// Whether the call is over (its recordings will not gain new segments).
    public var isFinished: Bool {
        status.map(Self.finalStatuses.contains) ?? false
    }
}
