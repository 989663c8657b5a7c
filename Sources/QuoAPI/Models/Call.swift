/// A call, as either API version describes it (`GET /v1/calls`, `GET /calls`).
///
/// v1 sends `participants` as E.164 strings (the other parties) and `userId`;
/// 2026-03-30 sends `participants` as `{phoneNumber, actorId}` objects for every party
/// (the workspace's own number and users included) and `actorId`. Both decode into the
/// same fields: a v1 participant becomes a party with no `actorId`.
public struct Call: Codable, Sendable, Equatable {
    /// `AC…`
    public var id: String
    /// `PN…`; null in 2026-03-30 for calls not on a workspace number (never null in v1).
    public var phoneNumberId: String?
    /// The workspace user (`US…`) or system actor (`SYU…`) of the call (v1 `userId`).
    public var actorId: String?
    /// `incoming` or `outgoing` (kept as text: unknown values must not break decoding).
    public var direction: String?
    /// `completed`, `missed`, `in-progress`, … (kept as text, see ``direction``).
    public var status: String?
    /// The call's parties as listed (see the type's comment).
    public var participants: [CallParticipant]
    /// Seconds.
    public var duration: Int?
    public var createdAt: String?
    public var answeredAt: String?
    public var completedAt: String?
    public var updatedAt: String?
    /// The voicemail left on the call, when the listing included voicemails (see
    /// ``voicemailIncluded``).
    public var voicemail: Voicemail?
    /// Whether ``voicemail`` is the listing's answer (2026-03-30 with
    /// `include=voicemail`: nil then means "none left"), or unknown (v1: ask
    /// `voicemail(callID:)` for calls that ``canHaveVoicemail``).
    public var voicemailIncluded: Bool
    /// The call's summary, when the listing included summaries (see ``summaryIncluded``).
    public var summary: CallSummary?
    /// Whether ``summary`` is the listing's answer (2026-03-30 with `include=summary`:
    /// nil then means "none"), or unknown (v1: ask `summary(callID:)`).
    public var summaryIncluded: Bool

    public init(id: String, phoneNumberId: String? = nil, actorId: String? = nil, direction: String? = nil,
                status: String? = nil, participants: [CallParticipant] = [], duration: Int? = nil,
                createdAt: String? = nil, answeredAt: String? = nil, completedAt: String? = nil,
                updatedAt: String? = nil, voicemail: Voicemail? = nil, voicemailIncluded: Bool = false,
                summary: CallSummary? = nil, summaryIncluded: Bool = false) {
        self.id = id
        self.phoneNumberId = phoneNumberId
        self.actorId = actorId
        self.direction = direction
        self.status = status
        self.participants = participants
        self.duration = duration
        self.createdAt = createdAt
        self.answeredAt = answeredAt
        self.completedAt = completedAt
        self.updatedAt = updatedAt
        self.voicemail = voicemail
        self.voicemailIncluded = voicemailIncluded
        self.summary = summary
        self.summaryIncluded = summaryIncluded
    }

    private enum CodingKeys: String, CodingKey {
        case id, phoneNumberId, actorId, userId, direction, status, participants, duration
        case createdAt, answeredAt, completedAt, updatedAt, voicemail, voicemailIncluded, summary, summaryIncluded
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        phoneNumberId = try container.decodeIfPresent(String.self, forKey: .phoneNumberId)
        actorId = try container.decodeIfPresent(String.self, forKey: .actorId)
            ?? container.decodeIfPresent(String.self, forKey: .userId)
        direction = try container.decodeIfPresent(String.self, forKey: .direction)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        participants = try container.decodeIfPresent([CallParticipant].self, forKey: .participants) ?? []
        duration = try container.decodeIfPresent(Int.self, forKey: .duration)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt)
        answeredAt = try container.decodeIfPresent(String.self, forKey: .answeredAt)
        completedAt = try container.decodeIfPresent(String.self, forKey: .completedAt)
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt)
        voicemail = try container.decodeIfPresent(Voicemail.self, forKey: .voicemail)
        // Set by the client from the request it made (`include=…`), not the API's
        // body: an absent `voicemail` key then means "none". (Read back from what
        // ``encode(to:)`` wrote, e.g. for the catalog.)
        voicemailIncluded = try container.decodeIfPresent(Bool.self, forKey: .voicemailIncluded) ?? false
        summary = try container.decodeIfPresent(CallSummary.self, forKey: .summary)
        summaryIncluded = try container.decodeIfPresent(Bool.self, forKey: .summaryIncluded) ?? false
    }

    /// Writes the fields in the shape ``init(from:)`` reads (2026-03-30's, plus
    /// `voicemailIncluded`), so a stored call reads back equal.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(phoneNumberId, forKey: .phoneNumberId)
        try container.encodeIfPresent(actorId, forKey: .actorId)
        try container.encodeIfPresent(direction, forKey: .direction)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encode(participants, forKey: .participants)
        try container.encodeIfPresent(duration, forKey: .duration)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(answeredAt, forKey: .answeredAt)
        try container.encodeIfPresent(completedAt, forKey: .completedAt)
        try container.encodeIfPresent(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(voicemail, forKey: .voicemail)
        try container.encode(voicemailIncluded, forKey: .voicemailIncluded)
        try container.encodeIfPresent(summary, forKey: .summary)
        try container.encode(summaryIncluded, forKey: .summaryIncluded)
    }

    /// Statuses after which a call never changes again.
    public static let finalStatuses: Set<String> = [
        "completed", "busy", "failed", "no-answer", "canceled", "missed", "answered", "forwarded", "abandoned",
    ]

    /// Statuses of a call that rang out without anyone picking up.
    public static let unansweredStatuses: Set<String> = ["missed", "no-answer", "busy", "canceled", "failed"]

    /// Whether the call is over (its recordings will not gain new segments).
    public var isFinished: Bool {
        status.map(Self.finalStatuses.contains) ?? false
    }

    /// A call that was never answered holds no recordings: no `answeredAt`, and a final
    /// status saying nobody picked up (missed, no-answer, busy, canceled, failed). Both
    /// must hold, so a call whose answer time is merely missing is still asked for its
    /// recordings.
    public var wasNeverAnswered: Bool {
        answeredAt == nil && status.map(Self.unansweredStatuses.contains) == true
    }

    /// Whether a voicemail may have been left: an incoming call nobody answered.
    public var canHaveVoicemail: Bool {
        direction == "incoming" && answeredAt == nil
    }

    /// The call's external parties — every party that is neither one of the workspace's
    /// own numbers (`ownNumbers`, E.164) nor a workspace user (a party with an
    /// `actorId`) — as sent (E.164, `anonymous`, short codes…), deduplicated and sorted.
    public func externalParties(ownNumbers: Set<String>) -> [String] {
        var parties: Set<String> = []
        for participant in participants where participant.actorId == nil {
            guard let number = participant.phoneNumber, !number.isEmpty, !ownNumbers.contains(number) else { continue }
            parties.insert(number)
        }
        return parties.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}

/// A party of a call: its number (E.164, or `anonymous`, a short code…) and, for a
/// workspace user, the user's id.
public struct CallParticipant: Codable, Sendable, Equatable, Hashable {
    public var phoneNumber: String?
    /// `US…` / `SYU…` for workspace users, nil for external parties.
    public var actorId: String?

    public init(phoneNumber: String?, actorId: String? = nil) {
        self.phoneNumber = phoneNumber
        self.actorId = actorId
    }

    private enum CodingKeys: String, CodingKey { case phoneNumber, actorId }

    /// A v1 participant is a plain string; a 2026-03-30 one an object.
    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self.init(phoneNumber: text)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(phoneNumber: try container.decodeIfPresent(String.self, forKey: .phoneNumber),
                  actorId: try container.decodeIfPresent(String.self, forKey: .actorId))
    }

    /// Always the object shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(phoneNumber, forKey: .phoneNumber)
        try container.encodeIfPresent(actorId, forKey: .actorId)
    }
}
