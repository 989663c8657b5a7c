/// Counts of a ``MockWorkspace``'s contents, for computing request budgets (e.g. of a
/// full walk of ``MockWorkspace/generated(calls:numbers:seed:)``) and checking them.
public struct MockWorkspaceSummary: Sendable, Equatable, Codable {
    /// Phone numbers.
    public var phoneNumbers: Int
    /// Conversations (of every kind).
    public var conversations: Int
    /// Conversations with exactly one participant: those a v1 walk lists calls of.
    public var oneToOneConversations: Int
    /// Calls.
    public var calls: Int
    /// Calls with an answer time.
    public var answeredCalls: Int
    /// Calls with more than one external participant (never listed by v1).
    public var groupCalls: Int
    /// Calls without an answer time.
    public var unansweredCalls: Int
    /// Incoming calls without an answer time.
    public var unansweredIncomingCalls: Int
    /// Calls with a voicemail.
    public var callsWithVoicemail: Int
    /// Voicemails with a transcript.
    public var voicemailsWithTranscript: Int
    /// Calls whose `phoneNumberId` is null (never listed by v1).
    public var callsWithoutPhoneNumber: Int
    /// 1:1 calls on a workspace number: those v1's `GET /v1/calls` can list.
    public var oneToOneCallsOnNumbers: Int
    /// Distinct (number, participant) pairs of ``oneToOneCallsOnNumbers``.
    public var oneToOnePairs: Int
    /// Answered calls among ``oneToOneCallsOnNumbers`` (those a v1 walk asks recordings of).
    public var oneToOneAnsweredCalls: Int
    /// Incoming unanswered calls among ``oneToOneCallsOnNumbers`` (those a v1 walk asks
    /// a voicemail of).
    public var oneToOneUnansweredIncomingCalls: Int
    /// Conversations per phone number id (v1 lists them in pages of 100 per number).
    public var conversationsByPhoneNumber: [String: Int]
    /// Recording segments, of every status.
    public var recordings: Int
    /// Calls per phone number id (calls without one are not counted here).
    public var callsByPhoneNumber: [String: Int]
    /// Calls whose transcript is completed (``MockCall/resolvedTranscriptStatus``).
    public var callsWithTranscript: Int
    /// Recording segments with a transcript on calls whose transcript is neither absent
    /// nor plan-gated: the items the 2026-03-30 transcript lists hold.
    public var recordingsWithTranscript: Int
    /// Calls with a completed summary.
    public var callsWithSummary: Int
    /// Calls whose transcript or summary the workspace's plan does not include (403).
    public var planGatedCalls: Int
    /// Calls whose summary is still being made.
    public var callsWithSummaryInProgress: Int
    /// Members (`GET /users`).
    public var users: Int
    /// Contacts (`GET /v1/contacts`, `GET /contacts`).
    public var contacts: Int

    /// Counts `workspace`.
    public init(_ workspace: MockWorkspace) {
        let calls = workspace.calls
        phoneNumbers = workspace.phoneNumbers.count
        conversations = workspace.conversations.count
        oneToOneConversations = workspace.conversations.filter { $0.participants.count == 1 }.count
        self.calls = calls.count
        answeredCalls = calls.filter { $0.answeredAt != nil }.count
        groupCalls = calls.filter { $0.participants.count > 1 }.count
        unansweredCalls = calls.filter { $0.answeredAt == nil }.count
        unansweredIncomingCalls = calls.filter { $0.answeredAt == nil && $0.direction == "incoming" }.count
        callsWithVoicemail = calls.filter { $0.voicemail != nil }.count
        voicemailsWithTranscript = calls.filter { $0.voicemail?.transcript != nil }.count
        callsWithoutPhoneNumber = calls.filter { $0.phoneNumberId == nil }.count
        let oneToOne = calls.filter { $0.phoneNumberId != nil && $0.participants.count == 1 }
        oneToOneCallsOnNumbers = oneToOne.count
        oneToOneAnsweredCalls = oneToOne.filter { $0.answeredAt != nil }.count
        oneToOneUnansweredIncomingCalls = oneToOne.filter { $0.answeredAt == nil && $0.direction == "incoming" }.count
        var conversationCounts: [String: Int] = [:]
        for conversation in workspace.conversations {
            conversationCounts[conversation.phoneNumberId, default: 0] += 1
        }
        conversationsByPhoneNumber = conversationCounts
        oneToOnePairs = Set(oneToOne.map { "\($0.phoneNumberId ?? "")|\($0.participants[0])" }).count
        recordings = calls.reduce(0) { $0 + $1.recordings.count }
        var byNumber: [String: Int] = [:]
        for call in calls {
            if let id = call.phoneNumberId { byNumber[id, default: 0] += 1 }
        }
        callsByPhoneNumber = byNumber
        callsWithTranscript = calls.filter { $0.resolvedTranscriptStatus == .completed }.count
        recordingsWithTranscript = calls.reduce(0) { count, call in
            switch call.resolvedTranscriptStatus {
            case .absent, .planGated: count
            case .completed, .inProgress, .failed: count + call.recordings.filter { $0.transcript != nil }.count
            }
        }
        callsWithSummary = calls.filter { $0.summary?.status == .completed }.count
        planGatedCalls = calls.filter { $0.resolvedTranscriptStatus == .planGated || $0.summary?.status == .planGated }.count
        callsWithSummaryInProgress = calls.filter { $0.summary?.status == .inProgress }.count
        users = workspace.users.count
        contacts = workspace.contacts.count
    }
}

extension MockWorkspace {
    /// The workspace's counts (computed on each use).
    public var summary: MockWorkspaceSummary { MockWorkspaceSummary(self) }
}
