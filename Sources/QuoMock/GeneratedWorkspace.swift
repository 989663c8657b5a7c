extension MockWorkspace {
    /// A deterministic synthetic workspace for walk benchmarks (`quofs demo-server
    /// --workspace walk`): the same `calls`, `numbers` and `seed` always give an equal
    /// workspace.
    ///
    /// - `numbers` numbers `+1555020000N` (ids `PNgen0001`…, names `Line N`), each with
    ///   its own user `USgen0001`… (the first an owner, the others members);
    /// - about `calls / 3` external participants `+15553000001`…, participant `i` on
    ///   number `i % numbers`; the first calls go to each participant once, later ones to
    ///   random participants;
    /// - `calls` calls `ACgen000001`… over 2025, with distinct, increasing `createdAt`:
    ///   about 75% answered, completed 1:1 calls with one small completed MP3 recording
    ///   `CRgen…` each (the ``DemoAudio/mp3`` bytes, shared, not copied); about 5% group
    ///   calls (two external participants on the first one's number), answered and
    ///   recorded the same way; about 20% never answered (no recording): incoming ones
    ///   `missed` or `no-answer`, about half of them with a completed MP3 voicemail
    ///   `VMgen…` (``DemoAudio/voicemails``; every other one with its transcript),
    ///   outgoing ones `no-answer`;
    /// - every answered call's recording has a completed transcript of one line, what its
    ///   MP3 says (``DemoAudio/transcripts``), spoken by the call's user on its number;
    ///   every other answered call (the 1st, 3rd, … in call order) has a completed
    ///   summary, alternately `human` (a point and a next step) and `agent` (a title and
    ///   a job with a string, an integer and a boolean);
    /// - one conversation `CNgen…` per (number, participant set) that has calls (so a
    ///   v1 walk finds every 1:1 pair), created at its first call, last active at its last;
    /// - a contact `ctgen…` ("Contact N") for every other external participant.
    ///
    /// The exact counts (answered, group, unanswered incoming, with voicemail, per
    /// number, conversations, with transcript or summary) are in ``summary``.
    public static func generated(calls: Int, numbers: Int = 4, seed: UInt64 = 1) -> MockWorkspace {
        GeneratedWorkspace.make(calls: calls, numbers: numbers, seed: seed)
    }
}

/// Builds ``MockWorkspace/generated(calls:numbers:seed:)``.
enum GeneratedWorkspace {
    /// 2025-01-01T00:00:00Z, in seconds since 1970.
    static let start: Int64 = 1_735_689_600
    /// Seconds in 2025.
    static let year: Int64 = 365 * 86_400

    static func make(calls callCount: Int, numbers numberCount: Int, seed: UInt64) -> MockWorkspace {
        let callCount = max(0, callCount)
        let numberCount = max(1, min(9999, numberCount))
        var random = SplitMix64(seed: seed)
        func draw(_ bound: Int) -> Int { Int(random.next() % UInt64(max(1, bound))) }

        var users: [MockUser] = []
        var phoneNumbers: [MockPhoneNumber] = []
        for n in 1...numberCount {
            let user = MockUser(
                id: "USgen\(pad(n, 4))", email: "user\(n)@example.com", firstName: "User", lastName: "Number\(n)",
                role: n == 1 ? "owner" : "member"
            )
            users.append(user)
            phoneNumbers.append(
                MockPhoneNumber(
                    id: "PNgen\(pad(n, 4))", number: "+1555020\(pad(n, 4))", formattedNumber: "(555) 020-\(pad(n, 4))",
                    name: "Line \(n)", createdAt: "2024-12-01T00:00:00Z", updatedAt: "2024-12-01T00:00:00Z", users: [user]
                )
            )
        }
        let participantCount = max(1, callCount / 3)
        func participant(_ i: Int) -> String { "+15553\(pad(i + 1, 6))" }

        let step = max(1, year / Int64(max(1, callCount)))
        var calls: [MockCall] = []
        calls.reserveCapacity(callCount)
        var unansweredIncoming = 0
        var answeredCount = 0
        for k in 0..<callCount {
            let created = start + Int64(k) * step + Int64(draw(Int(max(1, step / 2))))
            let first = k < participantCount ? k : draw(participantCount)
            let numberIndex = first % numberCount
            let number = phoneNumbers[numberIndex]
            let userId = users[numberIndex].id
            let id = pad(k + 1, 6)
            let kind = draw(100)
            let direction = draw(10) < 6 ? "incoming" : "outgoing"
            if kind < 80 {
                // Answered and recorded; 75 of these 80 are 1:1, 5 are group calls.
                var participants = [participant(first)]
                if kind >= 75, participantCount > 1 {
                    participants.append(participant((first + 1 + draw(participantCount - 1)) % participantCount))
                }
                let fixture = k % DemoAudio.mp3.count
                let answered = created + 1 + Int64(draw(5))
                let duration = DemoAudio.durations[fixture] + 1 + draw(300)
                let line = MockTranscriptEntry(
                    content: DemoAudio.transcripts[fixture], start: 0.3, end: Double(DemoAudio.durations[fixture]) - 0.3,
                    identifier: number.number, userId: userId
                )
                let summary = summary(answeredIndex: answeredCount, participant: participants[0], minutes: duration / 60)
                answeredCount += 1
                calls.append(
                    MockCall(
                        id: "ACgen\(id)", phoneNumberId: number.id, userId: userId, direction: direction, status: "completed",
                        participants: participants, duration: duration, createdAt: iso(created),
                        answeredAt: iso(answered), completedAt: iso(answered + Int64(duration)),
                        recordings: [
                            MockRecording(
                                id: "CRgen\(id)", duration: DemoAudio.durations[fixture], startTime: iso(answered + 1),
                                status: "completed", type: "audio/mpeg", content: .bytes(DemoAudio.mp3[fixture]),
                                transcript: [line]
                            )
                        ],
                        summary: summary
                    )
                )
            } else {
                var voicemail: MockVoicemail?
                var status = "no-answer"
                if direction == "incoming" {
                    status = draw(2) == 0 ? "missed" : "no-answer"
                    if draw(2) == 0 {
                        let fixture = unansweredIncoming % DemoAudio.voicemails.count
                        voicemail = MockVoicemail(
                            id: "VMgen\(id)", status: "completed", duration: DemoAudio.voicemailDurations[fixture],
                            transcript: unansweredIncoming % 2 == 0 ? DemoAudio.voicemailTranscripts[fixture] : nil,
                            content: .bytes(DemoAudio.voicemails[fixture])
                        )
                    }
                    unansweredIncoming += 1
                }
                calls.append(
                    MockCall(
                        id: "ACgen\(id)", phoneNumberId: number.id, userId: userId, direction: direction, status: status,
                        participants: [participant(first)], duration: 0, createdAt: iso(created),
                        answeredAt: nil, completedAt: iso(created + 20 + Int64(draw(21))), voicemail: voicemail
                    )
                )
            }
        }

        // One conversation per (number, participant set), in order of first call.
        var conversationIndex: [String: Int] = [:]
        var conversations: [MockConversation] = []
        for call in calls {
            guard let phoneNumberId = call.phoneNumberId else { continue }
            let key = WorkspaceIndex.pairKey(phoneNumberId, call.participants)
            if let index = conversationIndex[key] {
                conversations[index].lastActivityAt = call.createdAt
                conversations[index].updatedAt = call.completedAt ?? call.createdAt
            } else {
                conversationIndex[key] = conversations.count
                conversations.append(
                    MockConversation(
                        id: "CNgen\(pad(conversations.count + 1, 6))", phoneNumberId: phoneNumberId, participants: call.participants,
                        name: nil, createdAt: call.createdAt, updatedAt: call.completedAt ?? call.createdAt,
                        lastActivityAt: call.createdAt
                    )
                )
            }
        }
        // A contact for every other external participant (the 1st, 3rd, …), named after it.
        let contacts = stride(from: 0, to: participantCount, by: 2).map { i in
            MockContact(id: "ctgen\(pad(i + 1, 6))", firstName: "Contact", lastName: "\(i + 1)",
                        phoneNumbers: [participant(i)], createdAt: "2024-12-01T00:00:00Z", updatedAt: "2024-12-01T00:00:00Z")
        }
        var workspace = MockWorkspace(phoneNumbers: phoneNumbers, conversations: conversations, calls: calls, users: users)
        workspace.contacts = contacts
        return workspace
    }

    /// The summary of the `answeredIndex`-th answered call (from 0): none for odd ones,
    /// else alternately human and agent.
    static func summary(answeredIndex: Int, participant: String, minutes: Int) -> MockSummary? {
        switch answeredIndex % 4 {
        case 0:
            return .human(["Talked with \(participant)."], nextSteps: ["Call \(participant) back next week."])
        case 2:
            return .agent(
                title: "Call with \(participant)",
                jobs: [
                    MockSummaryJob(
                        name: "Follow-up",
                        results: [
                            MockSummaryField(name: "Caller", value: .string(participant)),
                            MockSummaryField(name: "Minutes", value: .int(minutes)),
                            MockSummaryField(name: "Resolved", value: .bool(answeredIndex % 8 == 2)),
                        ]
                    )
                ]
            )
        default:
            return nil
        }
    }

    /// `value` in decimal, zero-padded to `width` digits.
    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` of `seconds` since 1970.
    static func iso(_ seconds: Int64) -> String {
        let days = seconds / 86_400
        let second = seconds % 86_400
        let (year, month, day) = Timestamp.civilFromDays(days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60))Z"
    }
}
