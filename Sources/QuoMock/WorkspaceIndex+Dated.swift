/// The 2026-03-30 surface's wire format: the objects of `GET /phone-numbers`,
/// `/calls`, `/calls/{id}/recordings`, `/users`, `/conversations` and `/contacts`, keys in
/// the order of the reference's examples, documented nulls written as `null`.
extension WorkspaceIndex {
    /// The sections `include=` adds to a call object.
    struct CallIncludes: Sendable, Equatable {
        /// `include=summary`: the call's summary (status `absent` when it has none).
        var summary = false
        /// `include=voicemail`: the voicemail, when the call has one.
        var voicemail = false
    }

    /// A phone number of `GET /phone-numbers` (users not inline).
    func datedJSON(_ phoneNumber: MockPhoneNumber) -> JSON {
        [
            "id": .string(phoneNumber.id),
            "groupId": nil,
            "name": .string(phoneNumber.name),
            "phoneNumber": .string(phoneNumber.number),
            "formattedNumber": .string(phoneNumber.formattedNumber),
            "forward": nil,
            "portRequestId": nil,
            "portingStatus": nil,
            "symbol": nil,
            "createdAt": .string(phoneNumber.createdAt),
            "updatedAt": .string(phoneNumber.updatedAt),
            "restrictions": [
                "calling": ["CA": "unrestricted", "Intl": "unrestricted", "US": "unrestricted"],
                "messaging": ["CA": "unrestricted", "Intl": "restricted", "US": "unrestricted"],
            ],
        ]
    }

    /// The E.164 number of the workspace side of `call`: ``MockCall/workspaceSideNumber``,
    /// else the number of its ``MockCall/phoneNumberId``.
    func workspaceSideNumber(_ call: MockCall) -> String? {
        call.workspaceSideNumber ?? call.phoneNumberId.flatMap { phoneNumber($0)?.number }
    }

    /// A call of `GET /calls` and `GET /calls/{id}`.
    func datedJSON(_ call: MockCall, includes: CallIncludes, baseURL: String, urlSuffix: String) -> JSON {
        var participants: [JSON] = []
        if let number = workspaceSideNumber(call) {
            participants.append(["phoneNumber": .string(number), "actorId": .string(call.userId)])
        }
        for external in call.participants {
            participants.append(["phoneNumber": .string(external), "actorId": nil])
        }
        var members: [(String, JSON)] = [
            ("id", .string(call.id)),
            ("phoneNumberId", JSON(call.phoneNumberId)),
            ("actorId", .string(call.userId)),
            ("direction", .string(call.direction)),
            ("status", .string(call.status)),
            ("participants", .array(participants)),
            ("answeredAt", JSON(call.answeredAt)),
            ("answeredBy", call.answeredAt == nil ? .null : .string(call.userId)),
            ("initiatedBy", call.direction == "outgoing" ? .string(call.userId) : .null),
            ("completedAt", JSON(call.completedAt)),
            ("createdAt", .string(call.createdAt)),
            ("updatedAt", .string(call.completedAt ?? call.createdAt)),
            ("callRoute", call.direction == "incoming" ? "phone-number" : .null),
            ("duration", .int(call.duration)),
            ("forwardedFrom", nil),
            ("forwardedTo", nil),
            ("aiHandled", nil),
        ]
        if includes.summary {
            members.append(("summary", datedSummaryJSON(call.summary)))
        }
        if includes.voicemail, let voicemail = call.voicemail {
            members.append(
                (
                    "voicemail",
                    [
                        "id": .string(voicemail.id),
                        "status": .string(voicemail.status),
                        "duration": JSON(voicemail.duration),
                        "recordingUrl": JSON(url(of: voicemail, baseURL: baseURL, urlSuffix: urlSuffix)),
                        "transcript": JSON(voicemail.transcript),
                    ]
                )
            )
        }
        return .object(members)
    }

    /// A recording of `GET /calls/{id}/recordings`.
    func datedJSON(_ recording: MockRecording, baseURL: String, urlSuffix: String) -> JSON {
        [
            "id": .string(recording.id),
            "status": JSON(recording.status),
            "startTime": JSON(recording.startTime),
            "duration": JSON(recording.duration),
            "url": recording.content == nil ? .null : .string("\(baseURL)/media/\(recording.mediaFileName)\(urlSuffix)"),
            "type": JSON(recording.type),
        ]
    }

    /// A member of `GET /users`; its times are those of the earliest number it is on
    /// (else of the workspace's earliest number).
    func datedJSON(_ user: MockUser) -> JSON {
        func millis(_ number: MockPhoneNumber) -> Int64 { Timestamp.milliseconds(iso: number.createdAt) ?? 0 }
        let numbers = workspace.phoneNumbers
        let own = numbers.filter { $0.users.contains { $0.id == user.id } }
        let earliest = (own.isEmpty ? numbers : own).min { millis($0) < millis($1) }
        let time = earliest?.createdAt ?? "2024-01-01T00:00:00Z"
        return [
            "id": .string(user.id),
            "email": .string(user.email),
            "firstName": .string(user.firstName),
            "lastName": .string(user.lastName),
            "pictureUrl": nil,
            "role": .string(user.role),
            "createdAt": .string(time),
            "updatedAt": .string(time),
        ]
    }

    /// A conversation of `GET /conversations`.
    func datedJSON(_ conversation: MockConversation) -> JSON {
        [
            "id": .string(conversation.id),
            "phoneNumberId": .string(conversation.phoneNumberId),
            "participants": JSON(conversation.participants),
            "name": JSON(conversation.name),
            "lastActivityAt": .string(conversation.lastActivityAt),
            "lastActivityId": JSON(lastActivityIds[conversation.id]),
            "mutedUntil": nil,
            "snoozedUntil": nil,
            "createdAt": .string(conversation.createdAt),
            "updatedAt": .string(conversation.updatedAt),
            "deletedAt": nil,
        ]
    }

    /// A contact of `GET /contacts` (flat: no phone numbers on this surface).
    func datedJSON(_ contact: MockContact) -> JSON {
        [
            "id": .string(contact.id),
            "externalId": nil,
            "source": nil,
            "sourceUrl": nil,
            "firstName": JSON(contact.firstName),
            "lastName": JSON(contact.lastName),
            "company": JSON(contact.company),
            "role": nil,
            "createdAt": .string(contact.createdAt),
            "updatedAt": .string(contact.updatedAt),
            "actorId": nil,
        ]
    }
}
