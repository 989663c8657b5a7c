/// Calls of one workspace number (or of none) sharing the same external parties: one
/// directory of the tree, whichever API version found them.
public struct CallGroup: Codable, Sendable, Equatable {
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
    /// When the group last had activity: its conversation's `lastActivityAt` (v1), or
    /// its newest call's creation (2026-03-30). A group whose activity is no newer than
    /// what an earlier listing of its calls saw has no new calls.
    public var lastActivityAt: String?

    public init(phoneNumberID: String?, parties: [String], createdAt: String?, calls: [Call]?, lastActivityAt: String? = nil) {
        self.phoneNumberID = phoneNumberID
        self.parties = parties
        self.createdAt = createdAt
        self.calls = calls
        self.lastActivityAt = lastActivityAt ?? calls?.first?.createdAt
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
            return Self.groups(of: try await client.conversations(phoneNumberID: number.id), number: number, ownNumbers: ownNumbers)
        case .dated20260330:
            let calls = try await client.calls(phoneNumberID: number.id, participant: nil)
            return Self.group(calls, ownNumbers: ownNumbers) { _ in number.id }
        }
    }

    /// A number's groups again, given those of an earlier listing (`known`) and its
    /// high-water mark (``highWater(of:)``): only what may have changed is asked for.
    /// 2026-03-30 lists the calls created at or after the mark (one request unless more
    /// than 50 are new) and merges them into the known ones; v1 lists the number's
    /// conversations again (their `lastActivityAt` tells which groups have new calls).
    public func callGroups(of number: PhoneNumber, ownNumbers: Set<String>, known: [CallGroup], highWater: String) async throws -> [CallGroup] {
        switch client.version {
        case .v1:
            // Conversations newest activity first, up to the first one with no activity
            // since the mark; the known groups stand for the rest.
            let recent = try await client.conversations(phoneNumberID: number.id, activeAfter: highWater)
            let knownByParties = Dictionary(known.map { ($0.parties, $0) }, uniquingKeysWith: { first, _ in first })
            var groups = Self.groups(of: recent, number: number, ownNumbers: ownNumbers).map { group in
                var group = group
                // An older conversation with the same participant may be among the known.
                group.createdAt = earliest(group.createdAt, knownByParties[group.parties]?.createdAt)
                return group
            }
            let seen = Set(groups.map(\.parties))
            groups += known.filter { !seen.contains($0.parties) }
            return groups
        case .dated20260330:
            let new = try await client.calls(phoneNumberID: number.id, participant: nil, createdAfter: highWater)
            let merged = Self.merge(known: known.flatMap { $0.calls ?? [] }, new: new)
            return Self.group(merged, ownNumbers: ownNumbers) { _ in number.id }
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

    /// v1's groups of a number: its 1:1 conversations, one group per participant (a
    /// participant may have several conversations: the earliest gives the time, the
    /// latest activity the activity).
    static func groups(of conversations: [Conversation], number: PhoneNumber, ownNumbers: Set<String>) -> [CallGroup] {
        // Only 1:1 conversations: v1 lists calls for exactly one participant. A
        // participant may have several conversations; the earliest gives the time.
        var groups: [String: CallGroup] = [:]
        var order: [String] = []
        for conversation in conversations {
            let parties = conversation.participants.filter { !ownNumbers.contains($0) }
            guard parties.count == 1, conversation.participants.count == 1 else { continue }
            let party = parties[0]
            if var known = groups[party] {
                known.createdAt = earliest(known.createdAt, conversation.createdAt)
                known.lastActivityAt = latest(known.lastActivityAt, conversation.lastActivityAt)
                groups[party] = known
            } else {
                groups[party] = CallGroup(
                    phoneNumberID: number.id, parties: [party], createdAt: conversation.createdAt, calls: nil,
                    lastActivityAt: conversation.lastActivityAt)
                order.append(party)
            }
        }
        return order.map { groups[$0]! }
    }

    /// Every group of the whole workspace again, given those of an earlier walk
    /// (`known`, with its ``highWater(of:)``): only calls created since are asked for.
    public func allCallGroups(ownNumbers: Set<String>, numberIDs: Set<String>, known: [CallGroup], highWater: String) async throws -> [CallGroup] {
        guard listsWholeWorkspace else { return [] }
        let new = try await client.calls(phoneNumberID: nil, participant: nil, createdAfter: highWater)
        let merged = Self.merge(known: known.flatMap { $0.calls ?? [] }, new: new)
        return Self.group(merged, ownNumbers: ownNumbers) { call in
            call.phoneNumberId.flatMap { numberIDs.contains($0) ? $0 : nil }
        }
    }

    /// A group's calls again, given those of an earlier listing (`known`, with its
    /// ``highWater(of:)``). A group whose activity is no newer than the mark costs no
    /// request; otherwise only calls created since are asked for.
    public func calls(of group: CallGroup, ownNumbers: Set<String>, numberIDs: Set<String>, known: [Call], highWater: String) async throws -> [Call] {
        if let activity = group.lastActivityAt.flatMap(QuoTimestamp.init(iso8601:)),
           let mark = QuoTimestamp(iso8601: highWater), activity <= mark {
            return known
        }
        switch client.version {
        case .v1:
            guard let phoneNumberID = group.phoneNumberID, group.parties.count == 1 else { return known }
            let new = try await client.calls(phoneNumberID: phoneNumberID, participant: group.parties[0], createdAfter: highWater)
            return Self.merge(known: known, new: new)
        case .dated20260330:
            return try await calls(of: group, ownNumbers: ownNumbers, numberIDs: numberIDs)
        }
    }

    /// The mark a later listing asks after: the creation time of the oldest call that
    /// may still change (not finished), so it is listed again, else of the newest call.
    /// Nil when there are no calls (then everything is asked for).
    public static func highWater(of calls: [Call]) -> String? {
        let unfinished = calls.filter { !$0.isFinished }.compactMap(\.createdAt)
        if let oldest = unfinished.min(by: { before($0, $1) }) { return oldest }
        return calls.compactMap(\.createdAt).max(by: { before($0, $1) })
    }

    /// The mark of a number's listing: its calls' (``highWater(of:)``)
    /// where the listing has them (2026-03-30), else its groups' latest activity (v1).
    public static func highWater(ofGroups groups: [CallGroup]) -> String? {
        if groups.contains(where: { $0.calls != nil }) {
            return highWater(of: groups.flatMap { $0.calls ?? [] })
        }
        return groups.compactMap(\.lastActivityAt).max(by: { before($0, $1) })
    }

    /// Known calls updated with newly listed ones (a call listed again replaces its old
    /// record), newest first.
    static func merge(known: [Call], new: [Call]) -> [Call] {
        var byID: [String: Call] = [:]
        for call in known { byID[call.id] = call }
        for call in new { byID[call.id] = call }
        return byID.values.sorted { a, b in
            let (ta, tb) = (a.createdAt.flatMap(QuoTimestamp.init(iso8601:)), b.createdAt.flatMap(QuoTimestamp.init(iso8601:)))
            if ta != tb, let ta, let tb { return ta > tb }
            return a.id > b.id
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

    /// The call's transcripts (``ArtifactAnswer``): 2026-03-30's one per segment (each
    /// with its `recordingId`, offsets from that segment's start), or v1's one per call
    /// (no `recordingId`, offsets from the call's beginning). One request either way
    /// (2026-03-30 pages by 50 segments).
    public func transcripts(of call: Call) async throws -> ArtifactAnswer<[Transcript]> {
        do {
            return .value(try await client.transcripts(callID: call.id))
        } catch let error as QuoAPIError {
            return try ArtifactAnswer.unavailable(error)
        }
    }

    /// The call's summary (``ArtifactAnswer``): the one the listing came with where it
    /// included summaries (2026-03-30; `listed` false asks again), else one request.
    public func summary(of call: Call, listed: Bool = true) async throws -> ArtifactAnswer<CallSummary> {
        if call.summaryIncluded, listed {
            return call.summary.map { .value($0) } ?? .absent
        }
        do {
            return try await client.summary(callID: call.id).map { .value($0) } ?? .absent
        } catch let error as QuoAPIError {
            return try ArtifactAnswer.unavailable(error)
        }
    }

    /// The workspace's members: v1's come with its phone numbers (`numbers`, as listed:
    /// no request); 2026-03-30's cost ⌈users/50⌉ requests.
    public func users(numbers: [PhoneNumber]) async throws -> [User] {
        switch client.version {
        case .v1:
            return User.distinct(in: numbers)
        case .dated20260330:
            return try await client.users()
        }
    }

    /// The workspace's contacts with their numbers (``QuoClient/contactsWithNumbers()``):
    /// ⌈contacts/50⌉ requests.
    public func contacts() async throws -> [Contact] {
        try await client.contactsWithNumbers()
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
                known.lastActivityAt = latest(known.lastActivityAt, call.createdAt)
                groups[key] = known
            } else {
                groups[key] = CallGroup(phoneNumberID: key.number, parties: key.parties, createdAt: call.createdAt, calls: [call])
                order.append(key)
            }
        }
        return order.map { groups[$0]! }
    }
}

/// What the API said of a call's transcript or summary.
public enum ArtifactAnswer<Value: Sendable>: Sendable {
    /// As sent (its own `status` says whether it is complete).
    case value(Value)
    /// The call has none (a 404, or no summary included).
    case absent
    /// The workspace's plan does not include it (a 403: Quo offers transcripts and
    /// summaries on Business and Scale plans only).
    case notOnPlan

    /// A 404 or 403 as an answer; any other failure is rethrown.
    static func unavailable(_ error: QuoAPIError) throws -> ArtifactAnswer {
        switch error.kind {
        case .notFound: .absent
        case .forbidden: .notOnPlan
        default: throw error
        }
    }
}

/// Whether ISO 8601 time `a` is before `b` (unreadable times sort first).
private func before(_ a: String, _ b: String) -> Bool {
    (QuoTimestamp(iso8601: a) ?? QuoTimestamp(seconds: .min)) < (QuoTimestamp(iso8601: b) ?? QuoTimestamp(seconds: .min))
}

/// The later of two ISO 8601 times (a missing or unreadable one loses).
private func latest(_ a: String?, _ b: String?) -> String? {
    guard let a, let ta = QuoTimestamp(iso8601: a) else { return b }
    guard let b, let tb = QuoTimestamp(iso8601: b) else { return a }
    return tb > ta ? b : a
}

/// The earlier of two ISO 8601 times (a missing or unreadable one loses).
private func earliest(_ a: String?, _ b: String?) -> String? {
    guard let a, let ta = QuoTimestamp(iso8601: a) else { return b }
    guard let b, let tb = QuoTimestamp(iso8601: b) else { return a }
    return tb < ta ? b : a
}
