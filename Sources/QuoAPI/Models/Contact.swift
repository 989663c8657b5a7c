/// A contact of the workspace (`GET /v1/contacts`, `GET /contacts`).
///
/// v1 nests the names under `defaultFields` with the phone numbers inline; 2026-03-30
/// sends the names flat and no phone numbers (they cost a request per contact there, so
/// quofs builds its number → name map from v1's list). Both decode into these fields.
public struct Contact: Decodable, Sendable, Equatable {
    /// No prefix.
    public var id: String
    public var firstName: String?
    public var lastName: String?
    public var company: String?
    /// E.164 numbers (v1 only; empty from 2026-03-30).
    public var phoneNumbers: [String]

    public init(id: String, firstName: String? = nil, lastName: String? = nil, company: String? = nil, phoneNumbers: [String] = []) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.company = company
        self.phoneNumbers = phoneNumbers
    }

    private enum CodingKeys: String, CodingKey { case id, firstName, lastName, company, defaultFields }
    private enum DefaultFieldKeys: String, CodingKey { case firstName, lastName, company, phoneNumbers }
    private struct Field: Decodable { var value: String? }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        if container.contains(.defaultFields), try !container.decodeNil(forKey: .defaultFields) {
            let fields = try container.nestedContainer(keyedBy: DefaultFieldKeys.self, forKey: .defaultFields)
            firstName = try fields.decodeIfPresent(String.self, forKey: .firstName)
            lastName = try fields.decodeIfPresent(String.self, forKey: .lastName)
            company = try fields.decodeIfPresent(String.self, forKey: .company)
            phoneNumbers = try (fields.decodeIfPresent([Field].self, forKey: .phoneNumbers) ?? []).compactMap(\.value)
        } else {
            firstName = try container.decodeIfPresent(String.self, forKey: .firstName)
            lastName = try container.decodeIfPresent(String.self, forKey: .lastName)
            company = try container.decodeIfPresent(String.self, forKey: .company)
            phoneNumbers = []
        }
    }
}
