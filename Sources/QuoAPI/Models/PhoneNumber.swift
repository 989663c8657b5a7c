/// A phone number of the workspace (`GET /v1/phone-numbers`, `GET /phone-numbers`).
///
/// v1 names the E.164 number `number` and embeds `users`; 2026-03-30 names it
/// `phoneNumber` and leaves users out. Both decode into the same fields.
public struct PhoneNumber: Codable, Sendable, Equatable {
    /// `PN…`
    public var id: String
    /// E.164, e.g. `+15550100001`.
    public var number: String
    public var formattedNumber: String?
    /// The line's display name, e.g. "Sales".
    public var name: String?
    public var createdAt: String?
    public var updatedAt: String?
    public var users: [User]?

    public init(id: String, number: String, formattedNumber: String? = nil, name: String? = nil,
                createdAt: String? = nil, updatedAt: String? = nil, users: [User]? = nil) {
        self.id = id
        self.number = number
        self.formattedNumber = formattedNumber
        self.name = name
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.users = users
    }

    public typealias User = QuoAPI.User

    private enum CodingKeys: String, CodingKey {
        case id, number, phoneNumber, formattedNumber, name, createdAt, updatedAt, users
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        guard let number = try container.decodeIfPresent(String.self, forKey: .number)
            ?? container.decodeIfPresent(String.self, forKey: .phoneNumber) else {
            throw DecodingError.keyNotFound(CodingKeys.number, .init(
                codingPath: container.codingPath, debugDescription: "a phone number needs `number` or `phoneNumber`"))
        }
        self.number = number
        formattedNumber = try container.decodeIfPresent(String.self, forKey: .formattedNumber)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt)
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt)
        users = try container.decodeIfPresent([User].self, forKey: .users)
    }

    /// Writes the v1 shape (`number`), which ``init(from:)`` reads back equal.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(number, forKey: .number)
        try container.encodeIfPresent(formattedNumber, forKey: .formattedNumber)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(users, forKey: .users)
    }
}
