/// A user of the mock workspace, as listed in a phone number's `users`.
public struct MockUser: Sendable, Equatable {
    /// User id (`US…`).
    public var id: String
    /// Email address.
    public var email: String
    /// First name.
    public var firstName: String
    /// Last name.
    public var lastName: String
    /// Workspace role, e.g. `owner`, `admin`, `member`.
    public var role: String

    /// Creates a user.
    public init(id: String, email: String, firstName: String, lastName: String, role: String) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.role = role
    }
}

/// A phone number of the mock workspace (`GET /v1/phone-numbers`).
public struct MockPhoneNumber: Sendable, Equatable {
    /// Phone number id (`PN…`).
    public var id: String
    /// The number in E.164, e.g. `+15550100001`.
    public var number: String
    /// The number formatted for people, e.g. `(555) 010-0001`.
    public var formattedNumber: String
    /// The number's display name, e.g. `Sales`.
    public var name: String
    /// ISO 8601 creation time.
    public var createdAt: String
    /// ISO 8601 last update time.
    public var updatedAt: String
    /// The users who share this number.
    public var users: [MockUser]

    /// Creates a phone number.
    public init(
        id: String,
        number: String,
        formattedNumber: String,
        name: String,
        createdAt: String,
        updatedAt: String,
        users: [MockUser]
    ) {
        self.id = id
        self.number = number
        self.formattedNumber = formattedNumber
        self.name = name
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.users = users
    }
}

/// A conversation of the mock workspace (`GET /v1/conversations`).
public struct MockConversation: Sendable, Equatable {
    /// Conversation id (`CN…`).
    public var id: String
    /// The workspace number the conversation belongs to (`PN…`).
    public var phoneNumberId: String
    /// The other parties, E.164; more than one makes a group conversation.
    public var participants: [String]
    /// The conversation's name, if it has one.
    public var name: String?
    /// ISO 8601 creation time.
    public var createdAt: String
    /// ISO 8601 last update time.
    public var updatedAt: String
    /// ISO 8601 time of the latest activity; the list is sorted on it, newest first.
    public var lastActivityAt: String

    /// Creates a conversation.
    public init(
        id: String,
        phoneNumberId: String,
        participants: [String],
        name: String? = nil,
        createdAt: String,
        updatedAt: String,
        lastActivityAt: String
    ) {
        self.id = id
        self.phoneNumberId = phoneNumberId
        self.participants = participants
        self.name = name
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastActivityAt = lastActivityAt
    }
}

/// One recording segment of a call (`GET /v1/call-recordings/{callId}`).
public struct MockRecording: Sendable, Equatable {
    /// Recording id (`CR…`).
    public var id: String
    /// Length in seconds, or nil (written as JSON `null`).
    public var duration: Int?
    /// ISO 8601 start time, or nil.
    public var startTime: String?
    /// Status (`completed`, `in-progress`, `deleted`, …), or nil.
    public var status: String?
    /// MIME type (`audio/mpeg`, …), or nil.
    public var type: String?
    /// The bytes served at the recording's URL; nil makes `"url": null`.
    public var content: RecordingContent?
    /// Suffix of the URL's last path segment: `.mp3`, `.wav` or `""`.
    /// The URL is `"\(baseURL)/media/\(id)\(urlExtension)"`.
    public var urlExtension: String
    /// What was said in the segment, times from the segment's start; nil: the segment has
    /// no transcript. Served as the call's ``MockCall/transcriptStatus`` says.
    public var transcript: [MockTranscriptEntry]?

    /// Creates a recording.
    public init(
        id: String,
        duration: Int? = nil,
        startTime: String? = nil,
        status: String? = nil,
        type: String? = nil,
        content: RecordingContent? = nil,
        urlExtension: String = ".mp3",
        transcript: [MockTranscriptEntry]? = nil
    ) {
        self.id = id
        self.duration = duration
        self.startTime = startTime
        self.status = status
        self.type = type
        self.content = content
        self.urlExtension = urlExtension
        self.transcript = transcript
    }

    /// The last path segment of the recording's URL under `/media/`.
    var mediaFileName: String { id + urlExtension }

    /// The recording's name in the HTML index under `/files/`: like ``mediaFileName``,
    /// with `.bin` when the URL has no extension (so every listed name has one).
    var indexFileName: String { id + (urlExtension.isEmpty ? ".bin" : urlExtension) }
}

/// A voicemail left on a call: served inline by the 2026-03-30 surface
/// (`include=voicemail`) and by `GET /v1/call-voicemails/{callId}`. Its audio is
/// served by the recording host like a recording's.
public struct MockVoicemail: Sendable, Equatable {
    /// Voicemail id (`VM…`).
    public var id: String
    /// `completed` or `in-progress`.
    public var status: String
    /// Length in seconds, or nil (written as JSON `null`).
    public var duration: Int?
    /// What the caller said, or nil (transcription off or not done yet).
    public var transcript: String?
    /// The bytes served at the voicemail's URL; nil makes `"recordingUrl": null`.
    public var content: RecordingContent?
    /// Suffix of the URL's last path segment, e.g. `.mp3`.
    /// The URL is `"\(baseURL)/media/\(id)\(urlExtension)"`, expired like recordings' URLs.
    public var urlExtension: String

    /// Creates a voicemail.
    public init(
        id: String,
        status: String = "completed",
        duration: Int? = nil,
        transcript: String? = nil,
        content: RecordingContent? = nil,
        urlExtension: String = ".mp3"
    ) {
        self.id = id
        self.status = status
        self.duration = duration
        self.transcript = transcript
        self.content = content
        self.urlExtension = urlExtension
    }

    /// The last path segment of the voicemail's URL under `/media/`.
    var mediaFileName: String { id + urlExtension }
}

/// A call of the mock workspace (`GET /v1/calls`, `GET /calls`, `GET /…/calls/{id}`).
public struct MockCall: Sendable, Equatable {
    /// Call id (`AC…`).
    public var id: String
    /// The workspace number of the call (`PN…`), or nil (written as JSON `null` on the
    /// 2026-03-30 surface; the v1 surface never lists such a call).
    public var phoneNumberId: String?
    /// The workspace user who handled the call (`US…`); `actorId` on the 2026-03-30 surface.
    public var userId: String
    /// `incoming` or `outgoing`.
    public var direction: String
    /// Call status (`completed`, `missed`, `no-answer`, …).
    public var status: String
    /// The external parties: E.164, or not (`anonymous`, a short code). More than one
    /// makes a group call, which the v1 surface never lists.
    public var participants: [String]
    /// Call length in seconds.
    public var duration: Int
    /// ISO 8601 creation time; lists are sorted on it, newest first.
    public var createdAt: String
    /// ISO 8601 answer time, if answered.
    public var answeredAt: String?
    /// ISO 8601 completion time, if completed.
    public var completedAt: String?
    /// Recording segments, oldest first.
    public var recordings: [MockRecording]
    /// The voicemail left on the call, if any.
    public var voicemail: MockVoicemail?
    /// The E.164 number the workspace side used, listed first in the 2026-03-30
    /// `participants` with the call's user as `actorId`. nil: the number of
    /// ``phoneNumberId`` (and no workspace entry when that is nil too). Set it for a call
    /// on a number that is no longer the workspace's (``phoneNumberId`` nil).
    public var workspaceSideNumber: String?
    /// Where the call's transcript stands; nil: ``MockArtifactStatus/completed`` when a
    /// segment has a ``MockRecording/transcript``, else ``MockArtifactStatus/absent`` (see
    /// ``resolvedTranscriptStatus``). Only a completed transcript has dialogue (v1 writes
    /// `"dialogue": null` otherwise); `GET /calls/{id}/transcripts` lists one item per
    /// segment with a transcript (none when absent), each with this status;
    /// ``MockArtifactStatus/planGated`` answers 403 on both surfaces.
    public var transcriptStatus: MockArtifactStatus?
    /// The call's summary; nil: none (v1 `GET /v1/call-summaries/{id}` answers status
    /// `absent` with null fields, as does the inline 2026-03-30 `summary`).
    public var summary: MockSummary?

    /// Creates a call.
    public init(
        id: String,
        phoneNumberId: String?,
        userId: String,
        direction: String,
        status: String,
        participants: [String],
        duration: Int,
        createdAt: String,
        answeredAt: String? = nil,
        completedAt: String? = nil,
        recordings: [MockRecording] = [],
        voicemail: MockVoicemail? = nil,
        workspaceSideNumber: String? = nil,
        transcriptStatus: MockArtifactStatus? = nil,
        summary: MockSummary? = nil
    ) {
        self.id = id
        self.phoneNumberId = phoneNumberId
        self.userId = userId
        self.direction = direction
        self.status = status
        self.participants = participants
        self.duration = duration
        self.createdAt = createdAt
        self.answeredAt = answeredAt
        self.completedAt = completedAt
        self.recordings = recordings
        self.voicemail = voicemail
        self.workspaceSideNumber = workspaceSideNumber
        self.transcriptStatus = transcriptStatus
        self.summary = summary
    }

    /// ``transcriptStatus``, or what its nil means: completed when a segment has a
    /// transcript, else absent.
    public var resolvedTranscriptStatus: MockArtifactStatus {
        transcriptStatus ?? (recordings.contains { $0.transcript != nil } ? .completed : .absent)
    }

    /// Seconds from the call's beginning to the start of each of ``recordings``, in order:
    /// the beginning is the first segment's `startTime` (else the first one given); a
    /// segment without `startTime` starts where the one before ends (its start plus its
    /// duration), the first at 0. v1's per-call transcript adds these to its lines' times.
    public var segmentOffsets: [Double] {
        let starts = recordings.map { $0.startTime.flatMap { Timestamp.milliseconds(iso: $0) } }
        let origin = starts.compactMap { $0 }.first ?? 0
        var offsets: [Double] = []
        var next = 0.0
        for (recording, start) in zip(recordings, starts) {
            let offset = start.map { Double($0 - origin) / 1000 } ?? next
            offsets.append(offset)
            next = offset + Double(recording.duration ?? 0)
        }
        return offsets
    }
}

/// A contact of the mock workspace (`GET /v1/contacts`, `GET /contacts`).
public struct MockContact: Sendable, Equatable {
    /// Contact id, without prefix (e.g. `ctdemo1`).
    public var id: String
    /// First name, or nil.
    public var firstName: String?
    /// Last name, or nil.
    public var lastName: String?
    /// Company, or nil.
    public var company: String?
    /// Phone numbers, E.164 (listed inline by v1 only; the first is `primary`).
    public var phoneNumbers: [String]
    /// ISO 8601 creation time.
    public var createdAt: String
    /// ISO 8601 last update time.
    public var updatedAt: String

    /// Creates a contact.
    public init(
        id: String,
        firstName: String? = nil,
        lastName: String? = nil,
        company: String? = nil,
        phoneNumbers: [String] = [],
        createdAt: String,
        updatedAt: String
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.company = company
        self.phoneNumbers = phoneNumbers
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Everything a ``QuoMockServer`` serves: numbers, users, conversations, contacts,
/// calls with their recordings and voicemails.
public struct MockWorkspace: Sendable, Equatable {
    /// The workspace's phone numbers.
    public var phoneNumbers: [MockPhoneNumber]
    /// The workspace's conversations.
    public var conversations: [MockConversation]
    /// The workspace's calls, with their recordings.
    public var calls: [MockCall]
    /// The workspace's contacts.
    public var contacts: [MockContact]
    /// Members set explicitly; nil derives ``users`` from the phone numbers.
    private var explicitUsers: [MockUser]?

    /// The workspace's members (`GET /users`): as set, else the users of
    /// ``phoneNumbers`` in order of first appearance, deduplicated by id.
    public var users: [MockUser] {
        get { explicitUsers ?? Self.users(of: phoneNumbers) }
        set { explicitUsers = newValue }
    }

    /// Creates a workspace; `users` nil derives them from `phoneNumbers` (see ``users``).
    public init(
        phoneNumbers: [MockPhoneNumber] = [],
        conversations: [MockConversation] = [],
        calls: [MockCall] = [],
        users: [MockUser]? = nil,
        contacts: [MockContact] = []
    ) {
        self.phoneNumbers = phoneNumbers
        self.conversations = conversations
        self.calls = calls
        self.explicitUsers = users
        self.contacts = contacts
    }

    /// The users of `phoneNumbers`, in order of first appearance, deduplicated by id.
    public static func users(of phoneNumbers: [MockPhoneNumber]) -> [MockUser] {
        var seen: Set<String> = []
        var users: [MockUser] = []
        for user in phoneNumbers.flatMap(\.users) where seen.insert(user.id).inserted {
            users.append(user)
        }
        return users
    }

    /// The recording with this id, searched across all calls.
    public func recording(id: String) -> MockRecording? {
        for call in calls {
            if let recording = call.recordings.first(where: { $0.id == id }) {
                return recording
            }
        }
        return nil
    }

    /// The voicemail with this id (`VM…`), searched across all calls.
    public func voicemail(id: String) -> MockVoicemail? {
        calls.lazy.compactMap(\.voicemail).first { $0.id == id }
    }

    /// The call with this id.
    public func call(id: String) -> MockCall? {
        calls.first { $0.id == id }
    }
}
