/// Calls of one workspace number (or of none) sharing the same external parties: one
/// directory of the tree, whichever API version found them.
public struct CallGroup: Sendable, Equatable {
    /// The workspace number (`PN…`) the calls are on; nil for calls on no workspace
    /// number (2026-03-30 only: a null `phoneNumberId`, or a number no longer the
    /// workspace's).
    public var phoneNumberID: String?
    /// The external parties, sorted (see ``Call/externalParties(ownNumbers:)``); empty
    /// for calls among workspace members only.
    public var parties: [String]
    /// When the group began: its earliest conversation's creation (v1), or its earliest
    /// call's (2026-03-30).
    public var createdAt: String?
    /// The group's calls, newest first, when the listing that found the group listed
    /// them too (2026-03-30); nil when they cost a request of their own (v1).
    public var calls: [Call]?

    public init(phoneNumberID: String?, parties: [String], createdAt: String?, calls: [Call]?) {
        self.phoneNumberID = phoneNumberID
        self.parties = parties
        self.createdAt = createdAt
        self.calls = calls
    }
}

/// A workspace's calls as the levels of a tree — numbers, groups of calls by their
/// external parties, calls, recordings, voicemails — over whichever API version the
/// client speaks, with the listing that costs fewest requests for each level:
///
/// | level | v1 | 2026-03-30 |
/// | --- | --- | --- |
/// | numbers | `GET /v1/phone-numbers` | `GET /phone-numbers` |
/// | a number's groups | its conversations (1:1 only) | its calls (`/calls?phoneNumberId=`), which give the groups' calls too |
/// | a group's calls | `/v1/calls?phoneNumberId&participants[]` | (from the number's listing) |
/// | calls on no workspace number | — (v1 cannot list them) | the whole workspace's calls |
/// | a call's voicemail | `/v1/call-voicemails/{id}` | inline (`include=voicemail`) |
///
/// Nothing outside QuoAPI needs to know which version answered.
public struct QuoWorkspace: Sendable {
    public let client: QuoClient

    public init(client: QuoClient) {
        self.client = client
    }

    /// The surface being spoken (for logs and status only).
    public var version: APIVersion { client.version }

    /// Whether calls on no workspace number can be listed (2026-03-30 only).
    public var listsCallsOutsideNumbers: Bool { client.version != .v1 }

    /// Whether a number's listing (``callGroups(of:ownNumbers:)``) can also be derived
    /// from one walk of the whole workspace (``allCallGroups(ownNumbers:numberIDs:)``).
    public var listsWholeWorkspace: Bool { client.version != .v1 }

    /// The workspace's numbers. Also the key check at mount time: a refused API version
    /// (a 400 naming `Quo-Api-Version`, or a 404 for the unprefixed path) is reported as
    /// ``QuoAPIError/Kind/versionRefused``.
    public func phoneNumbers(maxRetries: Int? = nil) async throws -> [PhoneNumber] {
        do {
            return try await client.phoneNumbers(maxRetries: maxRetries)
        } catch var error as QuoAPIError where client.version != .v1 && error.kind == .notFound {
            error.kind = .versionRefused
            throw error
        }
    }

    /// The groups of calls of one workspace number.
    public func callGroups(of number: PhoneNumber, ownNumbers: Set<String>) async throws -> [CallGroup] {
        switch client.version {
        case .v1:
            // Only 1:1 conversations: v1 lists calls for exactly one participant. A
            // participant may have several conversations; the earliest gives the time.
            var groups: [String: CallGroup] = [:]
            var order: [String] = []
            for conversation in try await client.conversations(phoneNumberID: number.id) {
                let parties = conversation.participants.filter { !ownNumbers.contains($0) }
                guard parties.count == 1, conversation.participants.count == 1 else { continue }
                let party = parties[0]
                if var known = groups[party] {
                    known.createdAt = earliest(known.createdAt, conversation.createdAt)
                    groups[party] = known
                } else {
                    groups[party] = CallGroup(phoneNumberID: number.id, parties: [party], createdAt: conversation.createdAt, calls: nil)
                    order.append(party)
                }
            }
            return order.map { groups[$0]! }
        case .dated20260330:
            let calls = try await client.calls(phoneNumberID: number.id, participant: nil)
            return Self.group(calls, ownNumbers: ownNumbers) { _ in number.id }
        }
    }

    /// Every group of the whole workspace, calls on no workspace number included (as
    /// groups with a nil ``CallGroup/phoneNumberID``), from one walk of `GET /calls`.
    /// v1 cannot list the workspace at once: there it lists nothing.
    public func allCallGroups(ownNumbers: Set<String>, numberIDs: Set<String>) async throws -> [CallGroup] {
        guard listsWholeWorkspace else { return [] }
        let calls = try await client.calls(phoneNumberID: nil, participant: nil)
        return Self.group(calls, ownNumbers: ownNumbers) { call in
            call.phoneNumberId.flatMap { numberIDs.contains($0) ? $0 : nil }
        }
    }

    /// A group's calls, newest first. With 2026-03-30 this lists the group's number again
    /// (its groups' calls come together); callers use ``CallGroup/calls`` when present.
    public func calls(of group: CallGroup, ownNumbers: Set<String>, numberIDs: Set<String>) async throws -> [Call] {
        switch client.version {
        case .v1:
            guard let phoneNumberID = group.phoneNumberID, group.parties.count == 1 else { return [] }
            return try await client.calls(phoneNumberID: phoneNumberID, participant: group.parties[0])
        case .dated20260330:
            let groups: [CallGroup]
            if let phoneNumberID = group.phoneNumberID {
                let calls = try await client.calls(phoneNumberID: phoneNumberID, participant: nil)
                groups = Self.group(calls, ownNumbers: ownNumbers) { _ in phoneNumberID }
            } else {
                groups = try await allCallGroups(ownNumbers: ownNumbers, numberIDs: numberIDs)
            }
            return groups.first { $0.phoneNumberID == group.phoneNumberID && $0.parties == group.parties }?.calls ?? []
        }
    }

    /// The call's recording segments, oldest first. One request in both versions.
    public func recordings(of call: Call) async throws -> [CallRecording] {
        try await client.recordings(callID: call.id)
    }

    /// The voicemail on the call (with a fresh URL), or nil if none.
    public func voicemail(of call: Call) async throws -> Voicemail? {
        try await client.voicemail(callID: call.id)
    }

    // MARK: Grouping

    /// Groups calls (newest first, as listed) by their number and external parties,
    /// keeping the listing's order of first appearance.
    static func group(_ calls: [Call], ownNumbers: Set<String>, number: (Call) -> String?) -> [CallGroup] {
        struct Key: Hashable { var number: String?; var parties: [String] }
        var groups: [Key: CallGroup] = [:]
        var order: [Key] = []
        for call in calls {
            let key = Key(number: number(call), parties: call.externalParties(ownNumbers: ownNumbers))
            if var known = groups[key] {
                known.calls!.append(call)
                known.createdAt = earliest(known.createdAt, call.createdAt)
                groups[key] = known
            } else {
                groups[key] = CallGroup(phoneNumberID: key.number, parties: key.parties, createdAt: call.createdAt, calls: [call])
                order.append(key)
            }
        }
        return order.map { groups[$0]! }
    }
}

/// The earlier of two ISO 8601 times (a missing or unreadable one loses).
private func earliest(_ a: String?, _ b: String?) -> String? {
    guard let a, let ta = QuoTimestamp(iso8601: a) else { return b }
    guard let b, let tb = QuoTimestamp(iso8601: b) else { return a }
    return tb < ta ? b : a
}
