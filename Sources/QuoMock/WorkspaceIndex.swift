/// A ``MockWorkspace`` prepared for serving: lists sorted as the API returns
/// them, lookups by id, and the media files by URL path segment.
struct WorkspaceIndex: Sendable {
    let workspace: MockWorkspace
    /// Conversations, newest `lastActivityAt` first.
    let conversationsByActivity: [MockConversation]
    /// Calls, newest `createdAt` first.
    let callsByCreation: [MockCall]
    /// Calls by id.
    let callsById: [String: MockCall]
    /// Servable recordings and voicemails by the last path segment of their URL
    /// (`CRx.mp3`, `VMx.mp3`); a voicemail appears as a recording with its id, status,
    /// duration and content, the MIME type of its extension and the call's completion
    /// (else creation) time as start time.
    let mediaByFileName: [String: MockRecording]
    /// Calls whose voicemail has content, by voicemail id.
    let voicemailCalls: [String: MockCall]
    /// `lastActivityId` of each conversation.
    let lastActivityIds: [String: String]
    /// Servable recordings by their name in the HTML index (`CRx.wav`, `CRy.bin`).
    let filesByName: [String: MockRecording]
    /// The names of ``filesByName``, in workspace order (calls, then segments).
    let fileNames: [String]

    init(_ workspace: MockWorkspace) {
        self.workspace = workspace
        func millis(_ text: String) -> Int64 { Timestamp.milliseconds(iso: text) ?? 0 }
        conversationsByActivity = workspace.conversations.sorted {
            let (a, b) = (millis($0.lastActivityAt), millis($1.lastActivityAt))
            return a != b ? a > b : $0.id > $1.id
        }
        let calls = workspace.calls.sorted {
            let (a, b) = (millis($0.createdAt), millis($1.createdAt))
            return a != b ? a > b : $0.id > $1.id
        }
        callsByCreation = calls
        callsById = Dictionary(workspace.calls.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var media: [String: MockRecording] = [:]
        for call in workspace.calls {
            for recording in call.recordings where recording.content != nil {
                media[recording.mediaFileName] = media[recording.mediaFileName] ?? recording
            }
        }
        var voicemailCalls: [String: MockCall] = [:]
        for call in workspace.calls {
            guard let voicemail = call.voicemail, voicemail.content != nil, media[voicemail.mediaFileName] == nil else { continue }
            media[voicemail.mediaFileName] = Self.mediaRecording(voicemail, of: call)
            voicemailCalls[voicemail.id] = call
        }
        mediaByFileName = media
        self.voicemailCalls = voicemailCalls
        var files: [String: MockRecording] = [:]
        var names: [String] = []
        for call in workspace.calls {
            for recording in call.recordings where recording.content != nil && files[recording.indexFileName] == nil {
                files[recording.indexFileName] = recording
                names.append(recording.indexFileName)
            }
        }
        filesByName = files
        fileNames = names
        // The newest call of each (number, participant set): calls are sorted newest first.
        var newestCall: [String: String] = [:]
        for call in calls {
            guard let phoneNumberId = call.phoneNumberId else { continue }
            let key = Self.pairKey(phoneNumberId, call.participants)
            if newestCall[key] == nil { newestCall[key] = call.id }
        }
        var lastActivity: [String: String] = [:]
        for conversation in workspace.conversations {
            let newest = newestCall[Self.pairKey(conversation.phoneNumberId, conversation.participants)]
            // Without a call, the last activity was (say) a message.
            lastActivity[conversation.id] = newest ?? "MS" + conversation.id.dropFirst(2)
        }
        lastActivityIds = lastActivity
    }

    /// A key identifying a number and a set of participants.
    static func pairKey(_ phoneNumberId: String, _ participants: [String]) -> String {
        phoneNumberId + "|" + Set(participants).sorted().joined(separator: ",")
    }

    /// How the recording host serves `voicemail`'s audio.
    static func mediaRecording(_ voicemail: MockVoicemail, of call: MockCall) -> MockRecording {
        let type: String = switch voicemail.urlExtension.lowercased() {
        case ".mp3": "audio/mpeg"
        case ".wav": "audio/wav"
        case ".ogg": "audio/ogg"
        case ".m4a": "audio/mp4"
        default: "application/octet-stream"
        }
        return MockRecording(
            id: voicemail.id, duration: voicemail.duration, startTime: call.completedAt ?? call.createdAt,
            status: voicemail.status, type: type, content: voicemail.content, urlExtension: voicemail.urlExtension
        )
    }

    /// The URL of `voicemail`'s audio, or nil without content.
    func url(of voicemail: MockVoicemail, baseURL: String, urlSuffix: String) -> String? {
        voicemail.content == nil ? nil : "\(baseURL)/media/\(voicemail.mediaFileName)\(urlSuffix)"
    }

    /// The workspace number whose id or E.164 number is `idOrNumber`.
    func phoneNumber(_ idOrNumber: String) -> MockPhoneNumber? {
        workspace.phoneNumbers.first { $0.id == idOrNumber || $0.number == idOrNumber }
    }

    // MARK: Wire format

    func json(_ phoneNumber: MockPhoneNumber) -> JSON {
        [
            "id": .string(phoneNumber.id),
            "groupId": nil,
            "portRequestId": nil,
            "formattedNumber": .string(phoneNumber.formattedNumber),
            "forward": nil,
            "name": .string(phoneNumber.name),
            "number": .string(phoneNumber.number),
            "portingStatus": nil,
            "symbol": nil,
            "users": .array(
                phoneNumber.users.map { user in
                    [
                        "id": .string(user.id),
                        "email": .string(user.email),
                        "firstName": .string(user.firstName),
                        "lastName": .string(user.lastName),
                        "role": .string(user.role),
                    ]
                }
            ),
            "createdAt": .string(phoneNumber.createdAt),
            "updatedAt": .string(phoneNumber.updatedAt),
            "restrictions": [
                "messaging": ["CA": "unrestricted", "Intl": "restricted", "US": "unrestricted"],
                "calling": ["CA": "unrestricted", "Intl": "unrestricted", "US": "unrestricted"],
            ],
        ]
    }

    func json(_ conversation: MockConversation) -> JSON {
        [
            "id": .string(conversation.id),
            "assignedTo": nil,
            "createdAt": .string(conversation.createdAt),
            "deletedAt": nil,
            "lastActivityAt": .string(conversation.lastActivityAt),
            "lastActivityId": JSON(lastActivityIds[conversation.id]),
            "mutedUntil": nil,
            "name": JSON(conversation.name),
            "participants": JSON(conversation.participants),
            "phoneNumberId": .string(conversation.phoneNumberId),
            "snoozedUntil": nil,
            "updatedAt": .string(conversation.updatedAt),
        ]
    }

    func json(_ call: MockCall) -> JSON {
        [
            "id": .string(call.id),
            "answeredAt": JSON(call.answeredAt),
            "answeredBy": nil,
            "completedAt": JSON(call.completedAt),
            "createdAt": .string(call.createdAt),
            "direction": .string(call.direction),
            "duration": .int(call.duration),
            "forwardedFrom": nil,
            "forwardedTo": nil,
            "initiatedBy": nil,
            "participants": JSON(call.participants),
            "phoneNumberId": JSON(call.phoneNumberId),
            "status": .string(call.status),
            "updatedAt": .string(call.completedAt ?? call.createdAt),
            "userId": .string(call.userId),
        ]
    }

    func json(_ recording: MockRecording, baseURL: String, urlSuffix: String = "") -> JSON {
        [
            "duration": JSON(recording.duration),
            "id": .string(recording.id),
            "startTime": JSON(recording.startTime),
            "status": JSON(recording.status),
            "type": JSON(recording.type),
            "url": recording.content == nil ? .null : .string("\(baseURL)/media/\(recording.mediaFileName)\(urlSuffix)"),
        ]
    }

    /// `GET /v1/call-voicemails/{callId}`'s `data`.
    func json(_ voicemail: MockVoicemail, baseURL: String, urlSuffix: String) -> JSON {
        [
            "duration": JSON(voicemail.duration),
            "id": .string(voicemail.id),
            "transcript": JSON(voicemail.transcript),
            "recordingUrl": JSON(url(of: voicemail, baseURL: baseURL, urlSuffix: urlSuffix)),
            "status": .string(voicemail.status),
        ]
    }

    /// A contact as `GET /v1/contacts` lists it (phone numbers inline).
    func json(_ contact: MockContact) -> JSON {
        [
            "id": .string(contact.id),
            "externalId": nil,
            "source": nil,
            "sourceUrl": nil,
            "defaultFields": [
                "company": JSON(contact.company),
                "emails": [],
                "firstName": JSON(contact.firstName),
                "lastName": JSON(contact.lastName),
                "phoneNumbers": .array(
                    contact.phoneNumbers.enumerated().map { index, number in
                        ["name": .string(index == 0 ? "primary" : "other"), "value": .string(number)]
                    }
                ),
                "role": nil,
            ],
            "customFields": [],
            "createdAt": .string(contact.createdAt),
            "updatedAt": .string(contact.updatedAt),
            "createdByUserId": nil,
        ]
    }
}
