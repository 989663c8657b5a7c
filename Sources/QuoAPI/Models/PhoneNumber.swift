/// A phone number of the workspace (`GET /v1/phone-numbers`).
public struct PhoneNumber: Decodable, Sendable, Equatable {
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

    /// A workspace user attached to a phone number.
    public struct User: Decodable, Sendable, Equatable {
        public var id: String
        public var email: String?
        public var firstName: String?
        public var lastName: String?
        public var role: String?
    }
}
