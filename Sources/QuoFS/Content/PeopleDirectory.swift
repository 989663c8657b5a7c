import QuoAPI

/// Display names for the people a call's files mention: workspace users by id, contacts
/// by phone number.
///
/// Only the resolved names are kept (not the `User`/`Contact` records), so the directory
/// is small enough to store in the catalog as JSON and compare cheaply. Its JSON form is
/// stable: entries are written sorted by key (byte order), whatever the encoder's
/// options, so the same people always encode to the same bytes.
struct PeopleDirectory: Codable, Sendable, Equatable {
    /// User id (`US…`/`SYU…`) → name.
    private var users: [String: String]
    /// E.164 number → contact name.
    private var contacts: [String: String]

    /// The speaker shown when nothing at all identifies who spoke.
    static let unknownSpeaker = "Unknown speaker"

    /// An empty directory: every speaker is shown by number (or as unknown).
    init() {
        users = [:]
        contacts = [:]
    }

    /// Names from the workspace's users and contacts.
    ///
    /// A user is named "First Last" (whichever parts are set), else by email; a user with
    /// neither is left out. A contact is named "First Last", else by company; a contact
    /// with neither is left out and claims none of its numbers. Numbers are matched
    /// exactly as sent (E.164), not normalized. When several users share an id or several
    /// named contacts share a number, the first in list order wins, so the result does
    /// not depend on anything but the lists' order.
    init(users: [User], contacts: [Contact]) {
        self.init()
        for user in users {
            guard self.users[user.id] == nil, let name = Self.userDisplayName(user) else { continue }
            self.users[user.id] = name
        }
        for contact in contacts {
            guard let name = Self.contactDisplayName(contact) else { continue }
            for number in contact.phoneNumbers where !number.isEmpty && self.contacts[number] == nil {
                self.contacts[number] = name
            }
        }
    }

    /// The user's name, or nil for an unknown (or nameless) user.
    func userName(id: String) -> String? {
        users[id]
    }

    /// The name of the contact with this exact number, or nil.
    func contactName(number: String) -> String? {
        contacts[number]
    }

    /// Who spoke a transcript line, in this order: the workspace user's name (`actorId`),
    /// the contact's name for the number (`identifier`), the number itself as sent, else
    /// "Unknown speaker". Never empty.
    func speaker(identifier: String?, actorId: String?) -> String {
        if let actorId, let name = userName(id: actorId) { return name }
        if let number = ContentText.nonEmpty(identifier) {
            return contactName(number: number) ?? number
        }
        return Self.unknownSpeaker
    }

    static func userDisplayName(_ user: User) -> String? {
        personName(first: user.firstName, last: user.lastName) ?? ContentText.nonEmpty(user.email)
    }

    static func contactDisplayName(_ contact: Contact) -> String? {
        personName(first: contact.firstName, last: contact.lastName) ?? ContentText.nonEmpty(contact.company)
    }

    /// "First Last" from whichever parts are non-blank, on one line; nil if neither is.
    private static func personName(first: String?, last: String?) -> String? {
        let parts = [first, last].compactMap { ContentText.nonEmpty($0.map(ContentText.singleLine)) }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    // MARK: Codable
    //
    // A flat array of `[kind, key, name]` string triples: users (`"user"`, id) first,
    // then contacts (`"contact"`, number), each sorted by key in byte order. No keyed
    // container with more than one key is used, because JSONEncoder writes those in an
    // unspecified order unless `.sortedKeys` is set (the catalog's encoder does not);
    // this way the same directory always encodes to the same bytes. Triples of an
    // unknown kind are skipped when decoding.

    private static let userKind = "user"
    private static let contactKind = "contact"

    init(from decoder: any Decoder) throws {
        self.init()
        var container = try decoder.unkeyedContainer()
        while !container.isAtEnd {
            let triple = try container.decode([String].self)
            guard triple.count >= 3 else { continue }
            switch triple[0] {
            case Self.userKind where users[triple[1]] == nil: users[triple[1]] = triple[2]
            case Self.contactKind where contacts[triple[1]] == nil: contacts[triple[1]] = triple[2]
            default: continue
            }
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for (key, name) in Self.sorted(users) { try container.encode([Self.userKind, key, name]) }
        for (key, name) in Self.sorted(contacts) { try container.encode([Self.contactKind, key, name]) }
    }

    private static func sorted(_ names: [String: String]) -> [(key: String, value: String)] {
        names.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
    }
}
