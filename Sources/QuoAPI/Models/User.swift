/// A workspace member (`GET /users`, or a v1 phone number's `users`).
public struct User: Codable, Sendable, Equatable {
    /// `US…`
    public var id: String
    public var email: String?
    /// Null for some phone-number members: fall back to ``email``.
    public var firstName: String?
    public var lastName: String?
    /// `owner`, `admin`, `member` (kept as text).
    public var role: String?

    public init(id: String, email: String? = nil, firstName: String? = nil, lastName: String? = nil, role: String? = nil) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.role = role
    }
}

extension User {
    /// The users of v1's phone numbers (each lists its own), each once, in order of first
    /// appearance.
    static func distinct(in numbers: [PhoneNumber]) -> [User] {
        var seen: Set<String> = []
        return numbers.flatMap { $0.users ?? [] }.filter { seen.insert($0.id).inserted }
    }
}
