/// A conversation of a workspace phone number with one participant (1:1) or several
/// (group) (`GET /v1/conversations`).
public struct Conversation: Decodable, Sendable, Equatable {
    /// `CN…`
    public var id: String
    public var phoneNumberId: String?
    /// E.164 numbers; more than one means a group conversation.
    public var participants: [String]
    public var name: String?
    public var createdAt: String?
    public var updatedAt: String?
    public var lastActivityAt: String?
    public var deletedAt: String?

    public init(id: String, phoneNumberId: String? = nil, participants: [String], name: String? = nil,
                createdAt: String? = nil, updatedAt: String? = nil, lastActivityAt: String? = nil,
                deletedAt: String? = nil) {
        self.id = id
        self.phoneNumberId = phoneNumberId
        self.participants = participants
        self.name = name
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastActivityAt = lastActivityAt
        self.deletedAt = deletedAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, phoneNumberId, participants, name, createdAt, updatedAt, lastActivityAt, deletedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        phoneNumberId = try container.decodeIfPresent(String.self, forKey: .phoneNumberId)
        // A missing or null participant list is treated as empty: the conversation is
        // then simply not a 1:1 conversation quofs can list calls for.
        participants = try container.decodeIfPresent([String].self, forKey: .participants) ?? []
        name = try container.decodeIfPresent(String.self, forKey: .name)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt)
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt)
        lastActivityAt = try container.decodeIfPresent(String.self, forKey: .lastActivityAt)
        deletedAt = try container.decodeIfPresent(String.self, forKey: .deletedAt)
    }
}
