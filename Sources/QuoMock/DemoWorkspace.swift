import Foundation

extension MockWorkspace {
    /// The deterministic demo workspace served by `quofs mount --demo` and used by tests.
    ///
    /// Two numbers (Sales, Support), two users (Dana, Sam), five conversations (one a
    /// group), two contacts (Alice `ctdemo1`, Bob `ctdemo2`) and thirteen calls.
    /// Its recordings cover the cases a client must handle: several segments per
    /// call (two starting in the same second, one with no start time), segments
    /// that are in progress, deleted, failed or still processing (the last with a
    /// URL), a null `type`, a URL without extension, and two large pattern WAV
    /// files (64 MiB and 8 MiB) whose every byte can be checked.
    ///
    /// Calls only the 2026-03-30 surface lists (v1 lists 1:1 calls on a number only):
    /// the group call `ACdemoG1` (Sales, Alice and Bob, recording `CRdemoG1`),
    /// `ACdemoX1` whose `phoneNumberId` is null (a number no longer the workspace's,
    /// `+15550100009`; recording `CRdemoX1`), and the anonymous missed call `ACdemoN1`
    /// (Support, no conversation). Voicemails (real MP3s of ``DemoAudio/voicemails``):
    /// `VMdemoA3` on the missed call `ACdemoA3`, transcribed, and `VMdemoC2` without
    /// transcript on `ACdemoC2` (Support / Carol, unanswered, which v1 lists too).
    ///
    /// Transcripts (``MockRecording/transcript``): every completed MP3 segment of an
    /// answered call (so not `CRdemoL1c`, still processing on the plan-gated `ACdemoL1`)
    /// has a completed transcript whose lines, joined with spaces, are exactly what its audio says
    /// (``DemoAudio/transcripts``); recording two in three lines, the others in two. Lines
    /// alternate between the workspace side (`identifier` the number the call was taken
    /// on, `userId` the call's user) and the external party (`identifier` its E.164,
    /// `userId` nil), the workspace side first: `ACdemoA1` (`CRdemoA1`), `ACdemoA2` (three
    /// segments: `CRdemoA2a`, `CRdemoA2b` starting 0.6 s later, `CRdemoA2c` without start
    /// time, placed after `CRdemoA2b`), `ACdemoA4`, `ACdemoA5` (Dana on `+15550100001`
    /// and Alice), `ACdemoB1` (two transcribed segments `CRdemoB1c` and `CRdemoB1d`,
    /// 114 s and 294 s after the first segment `CRdemoB1a`; Dana and Bob), the group call
    /// `ACdemoG1` (three lines: Dana, Alice, Bob) and `ACdemoX1` (Dana on the former
    /// number `+15550100009`, and `+15550109005`, who is no contact). `ACdemoB2` (the
    /// 64 MiB WAV) is the answered, recorded call without transcript (status `absent`).
    /// `ACdemoL1` (Support / London) is plan-gated: its transcript and summary routes
    /// answer 403, its inline summary is `absent`.
    ///
    /// Summaries (``MockCall/summary``): `ACdemoA1` a human one (two points, one next
    /// step), `ACdemoA5` an agent one (title, one job with a string, an integer, a
    /// fractional number and a boolean), `ACdemoA2` one in progress; every other call
    /// none (status `absent`).
    public static let demo: MockWorkspace = DemoWorkspace.make()
}

/// Builds ``MockWorkspace/demo``.
enum DemoWorkspace {
    static let salesId = "PNdemoSales1"
    static let supportId = "PNdemoSupp02"
    static let alice = "+15550109001"
    static let bob = "+15550109002"
    static let carol = "+15550109003"
    static let london = "+442079460958"
    /// The external party of the call without a workspace number.
    static let dave = "+15550109005"
    /// The number, no longer the workspace's, that call was taken on.
    static let formerNumber = "+15550100009"

    static let dana = MockUser(id: "USdemoDana01", email: "dana@example.com", firstName: "Dana", lastName: "Demo", role: "owner")
    static let sam = MockUser(id: "USdemoSam002", email: "sam@example.com", firstName: "Sam", lastName: "Support", role: "member")
    /// Sales' E.164 number.
    static let salesNumber = "+15550100001"

    /// A voice in a demo transcript.
    struct Speaker {
        /// `identifier`: the speaker's number.
        var identifier: String
        /// `userId`: the workspace user, nil for an external party.
        var userId: String?
    }

    /// The speakers of a call: the workspace side (`number`, `user`), then the external parties.
    static func speakers(_ number: String, _ user: MockUser, _ externals: String...) -> [Speaker] {
        [Speaker(identifier: number, userId: user.id)] + externals.map { Speaker(identifier: $0, userId: nil) }
    }

    /// What demo fixture `fixture` (1, 2 or 3) says, as transcript lines: recording two
    /// in three lines, the others in two, or one line per speaker when there are more;
    /// spoken by `speakers` in turn, spread over the fixture's duration (0.3 s margins,
    /// 0.2 s pauses, each line's length proportional to its text).
    static func dialogue(fixture: Int, speakers: [Speaker]) -> [MockTranscriptEntry] {
        let lines = lines(of: DemoAudio.transcripts[fixture - 1], count: max(speakers.count, fixture == 2 ? 3 : 2))
        let duration = Double(DemoAudio.durations[fixture - 1])
        let (margin, pause) = (0.3, 0.2)
        let speaking = duration - 2 * margin - pause * Double(lines.count - 1)
        let total = Double(lines.reduce(0) { $0 + $1.count })
        func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }
        var said = 0
        return lines.enumerated().map { index, line in
            let start = margin + speaking * Double(said) / total + pause * Double(index)
            said += line.count
            let end = start + speaking * Double(line.count) / total
            let speaker = speakers[index % speakers.count]
            return MockTranscriptEntry(
                content: line, start: round(start), end: round(end), identifier: speaker.identifier, userId: speaker.userId
            )
        }
    }

    /// `text` cut into at least `count` lines (if it can be) that joined with spaces give it
    /// back: its sentences, then the longest line with a comma cut after its first comma.
    static func lines(of text: String, count: Int) -> [String] {
        let sentences = text.components(separatedBy: ". ")
        var lines = sentences.enumerated().map { $0.offset < sentences.count - 1 ? $0.element + "." : $0.element }
        while lines.count < count {
            let cuttable = lines.indices.filter { lines[$0].contains(", ") }
            guard let longest = cuttable.max(by: { lines[$0].count < lines[$1].count }),
                let comma = lines[longest].range(of: ", ")
            else { break }
            let line = lines[longest]
            lines.replaceSubrange(longest...longest, with: [String(line[..<comma.lowerBound]) + ",", String(line[comma.upperBound...])])
        }
        return lines
    }

    /// A completed MP3 segment using demo fixture `fixture` (1, 2 or 3), transcribed
    /// (``dialogue(fixture:speakers:)``) when `speakers` are given.
    static func mp3(
        _ id: String, start: String?, fixture: Int, status: String? = "completed", type: String? = "audio/mpeg",
        urlExtension: String = ".mp3", speakers: [Speaker]? = nil
    ) -> MockRecording {
        MockRecording(
            id: id,
            duration: DemoAudio.durations[fixture - 1],
            startTime: start,
            status: status,
            type: type,
            content: .bytes(DemoAudio.mp3[fixture - 1]),
            urlExtension: urlExtension,
            transcript: speakers.map { dialogue(fixture: fixture, speakers: $0) }
        )
    }

    /// A completed MP3 voicemail using voicemail fixture `fixture` (1 or 2), with its
    /// spoken text as transcript when `transcribed`.
    static func voicemail(_ id: String, fixture: Int, transcribed: Bool) -> MockVoicemail {
        MockVoicemail(
            id: id,
            status: "completed",
            duration: DemoAudio.voicemailDurations[fixture - 1],
            transcript: transcribed ? DemoAudio.voicemailTranscripts[fixture - 1] : nil,
            content: .bytes(DemoAudio.voicemails[fixture - 1])
        )
    }

    /// A completed pattern WAV segment of exactly `fileSize` bytes.
    static func wav(_ id: String, start: String, type: String, seed: UInt64, fileSize: Int) -> MockRecording {
        let dataSize = fileSize - RecordingContent.wavHeaderSize
        return MockRecording(
            id: id,
            duration: dataSize / RecordingContent.wavSampleRate,
            startTime: start,
            status: "completed",
            type: type,
            content: .wavPattern(seed: seed, dataSize: dataSize),
            urlExtension: ".wav"
        )
    }

    static func make() -> MockWorkspace {
        let danaAlice = speakers(salesNumber, dana, alice)
        let danaBob = speakers(salesNumber, dana, bob)
        let danaAliceBob = speakers(salesNumber, dana, alice, bob)
        let phoneNumbers = [
            MockPhoneNumber(
                id: salesId, number: salesNumber, formattedNumber: "(555) 010-0001", name: "Sales",
                createdAt: "2024-03-01T12:00:00Z", updatedAt: "2024-03-01T12:00:00Z", users: [dana]
            ),
            MockPhoneNumber(
                id: supportId, number: "+15550100002", formattedNumber: "(555) 010-0002", name: "Support",
                createdAt: "2024-04-15T08:30:00.000Z", updatedAt: "2024-06-01T10:00:00.000Z", users: [sam]
            ),
        ]

        let conversations = [
            MockConversation(
                id: "CNdemo001", phoneNumberId: salesId, participants: [alice], name: "Alice",
                createdAt: "2025-01-12T09:14:33Z", updatedAt: "2025-01-21T11:20:00.000Z", lastActivityAt: "2025-01-21T11:20:00.000Z"
            ),
            MockConversation(
                id: "CNdemo002", phoneNumberId: salesId, participants: [bob], name: nil,
                createdAt: "2025-02-01T08:00:00Z", updatedAt: "2025-02-02T11:30:00Z", lastActivityAt: "2025-02-02T11:30:00Z"
            ),
            MockConversation(
                id: "CNdemo003", phoneNumberId: salesId, participants: [alice, bob], name: "Team",
                createdAt: "2025-01-05T10:00:00Z", updatedAt: "2025-01-25T14:00:00Z", lastActivityAt: "2025-01-25T14:00:00Z"
            ),
            MockConversation(
                id: "CNdemo004", phoneNumberId: supportId, participants: [london], name: "London office",
                createdAt: "2025-03-03T17:45:00Z", updatedAt: "2025-03-03T18:02:50Z", lastActivityAt: "2025-03-03T17:45:00Z"
            ),
            MockConversation(
                id: "CNdemo005", phoneNumberId: supportId, participants: [carol], name: "Carol",
                createdAt: "2025-03-05T09:00:00Z", updatedAt: "2025-03-06T16:20:40Z", lastActivityAt: "2025-03-06T16:20:00Z"
            ),
        ]

        let calls = [
            // Sales / Alice: five calls.
            MockCall(
                id: "ACdemoA1", phoneNumberId: salesId, userId: dana.id, direction: "incoming", status: "completed",
                participants: [alice], duration: 8, createdAt: "2025-01-12T09:14:33Z",
                answeredAt: "2025-01-12T09:14:34Z", completedAt: "2025-01-12T09:14:41Z",
                recordings: [mp3("CRdemoA1", start: "2025-01-12T09:14:35Z", fixture: 1, speakers: danaAlice)],
                summary: .human(
                    ["Alice called the sales line.", "Dana introduced the quofs demo."],
                    nextSteps: ["Send Alice the price list."]
                )
            ),
            MockCall(
                id: "ACdemoA2", phoneNumberId: salesId, userId: dana.id, direction: "outgoing", status: "completed",
                participants: [alice], duration: 15, createdAt: "2025-01-13T15:02:10.000Z",
                answeredAt: "2025-01-13T15:02:11.000Z", completedAt: "2025-01-13T15:02:25.000Z",
                recordings: [
                    mp3("CRdemoA2a", start: "2025-01-13T15:02:12Z", fixture: 2, speakers: danaAlice),
                    mp3("CRdemoA2b", start: "2025-01-13T15:02:12.600Z", fixture: 3, speakers: danaAlice),
                    mp3("CRdemoA2c", start: nil, fixture: 1, urlExtension: "", speakers: danaAlice),
                ],
                summary: MockSummary(status: .inProgress)
            ),
            MockCall(
                id: "ACdemoA3", phoneNumberId: salesId, userId: dana.id, direction: "incoming", status: "missed",
                participants: [alice], duration: 0, createdAt: "2025-01-14T10:00:00Z",
                answeredAt: nil, completedAt: "2025-01-14T10:00:25Z",
                voicemail: voicemail("VMdemoA3", fixture: 1, transcribed: true)
            ),
            MockCall(
                id: "ACdemoA4", phoneNumberId: salesId, userId: dana.id, direction: "incoming", status: "completed",
                participants: [alice], duration: 12, createdAt: "2025-01-20T16:45:00Z",
                answeredAt: "2025-01-20T16:45:03Z", completedAt: "2025-01-20T16:45:12Z",
                recordings: [mp3("CRdemoA4", start: "2025-01-20T16:45:04Z", fixture: 2, speakers: danaAlice)]
            ),
            MockCall(
                id: "ACdemoA5", phoneNumberId: salesId, userId: dana.id, direction: "outgoing", status: "completed",
                participants: [alice], duration: 13, createdAt: "2025-01-21T11:20:00.000Z",
                answeredAt: "2025-01-21T11:20:04.000Z", completedAt: "2025-01-21T11:20:13.000Z",
                recordings: [mp3("CRdemoA5", start: "2025-01-21T11:20:05.000Z", fixture: 3, speakers: danaAlice)],
                summary: .agent(
                    title: "Order follow-up",
                    summary: ["Dana confirmed Alice's order."],
                    jobs: [
                        MockSummaryJob(
                            icon: "📦", name: "Order check",
                            results: [
                                MockSummaryField(name: "Order number", value: "A-1042"),
                                MockSummaryField(name: "Items", value: 3),
                                MockSummaryField(name: "Total", value: 129.5),
                                MockSummaryField(name: "Paid", value: true),
                            ]
                        )
                    ]
                )
            ),
            // Sales / +15550109002: every recording state, and a 64 MiB file.
            MockCall(
                id: "ACdemoB1", phoneNumberId: salesId, userId: dana.id, direction: "incoming", status: "completed",
                participants: [bob], duration: 360, createdAt: "2025-02-01T08:00:00Z",
                answeredAt: "2025-02-01T08:00:05Z", completedAt: "2025-02-01T08:06:00Z",
                recordings: [
                    MockRecording(id: "CRdemoB1a", duration: nil, startTime: "2025-02-01T08:00:06Z", status: "in-progress", type: "audio/mpeg"),
                    MockRecording(id: "CRdemoB1b", duration: nil, startTime: "2025-02-01T08:01:00Z", status: "deleted", type: "audio/mpeg"),
                    mp3("CRdemoB1c", start: "2025-02-01T08:02:00Z", fixture: 2, type: nil, urlExtension: ".mp3", speakers: danaBob),
                    mp3("CRdemoB1d", start: "2025-02-01T08:05:00Z", fixture: 3, status: nil, speakers: danaBob),
                ]
            ),
            MockCall(
                id: "ACdemoB2", phoneNumberId: salesId, userId: dana.id, direction: "outgoing", status: "completed",
                participants: [bob], duration: 8391, createdAt: "2025-02-02T11:30:00Z",
                answeredAt: "2025-02-02T11:30:01Z", completedAt: "2025-02-02T13:49:51Z",
                recordings: [wav("CRdemoBig", start: "2025-02-02T11:30:02Z", type: "audio/wav", seed: 1, fileSize: 64 << 20)],
                transcriptStatus: .absent
            ),
            // Support / London.
            MockCall(
                id: "ACdemoL1", phoneNumberId: supportId, userId: sam.id, direction: "incoming", status: "completed",
                participants: [london], duration: 1070, createdAt: "2025-03-03T17:45:00Z",
                answeredAt: "2025-03-03T17:45:01Z", completedAt: "2025-03-03T18:02:50Z",
                recordings: [
                    wav("CRdemoL1a", start: "2025-03-03T17:45:01Z", type: "audio/x-wav", seed: 2, fileSize: 8 << 20),
                    MockRecording(id: "CRdemoL1b", duration: nil, startTime: "2025-03-03T18:02:30Z", status: "failed", type: "audio/mpeg"),
                    // Has a URL but is not final: quofs must hide it.
                    MockRecording(
                        id: "CRdemoL1c", duration: nil, startTime: "2025-03-03T18:02:40Z", status: "processing", type: "audio/mpeg",
                        content: .bytes(DemoAudio.mp3[0]), urlExtension: ".mp3"
                    ),
                ],
                // The workspace's plan has no transcripts or summaries for it: 403.
                transcriptStatus: .planGated,
                summary: .planGated
            ),
            // Support / Carol: unanswered, nothing recorded.
            MockCall(
                id: "ACdemoC1", phoneNumberId: supportId, userId: sam.id, direction: "outgoing", status: "no-answer",
                participants: [carol], duration: 0, createdAt: "2025-03-05T09:00:00Z",
                answeredAt: nil, completedAt: "2025-03-05T09:00:30Z"
            ),
            // Sales / Alice and Bob: a group call (2026-03-30 only).
            MockCall(
                id: "ACdemoG1", phoneNumberId: salesId, userId: dana.id, direction: "incoming", status: "completed",
                participants: [alice, bob], duration: 5, createdAt: "2025-01-25T14:00:00Z",
                answeredAt: "2025-01-25T14:00:02Z", completedAt: "2025-01-25T14:00:09Z",
                recordings: [mp3("CRdemoG1", start: "2025-01-25T14:00:03Z", fixture: 1, speakers: danaAliceBob)]
            ),
            // Support / Carol: unanswered, a voicemail without transcript.
            MockCall(
                id: "ACdemoC2", phoneNumberId: supportId, userId: sam.id, direction: "incoming", status: "no-answer",
                participants: [carol], duration: 0, createdAt: "2025-03-06T16:20:00Z",
                answeredAt: nil, completedAt: "2025-03-06T16:20:40Z",
                voicemail: voicemail("VMdemoC2", fixture: 2, transcribed: false)
            ),
            // No workspace number any more (2026-03-30 only): Dana took it on a former number.
            MockCall(
                id: "ACdemoX1", phoneNumberId: nil, userId: dana.id, direction: "incoming", status: "completed",
                participants: [dave], duration: 7, createdAt: "2025-04-01T09:00:00Z",
                answeredAt: "2025-04-01T09:00:02Z", completedAt: "2025-04-01T09:00:09Z",
                recordings: [mp3("CRdemoX1", start: "2025-04-01T09:00:03Z", fixture: 1, speakers: speakers(formerNumber, dana, dave))],
                workspaceSideNumber: formerNumber
            ),
            // Support / anonymous: missed, nothing left, no conversation.
            MockCall(
                id: "ACdemoN1", phoneNumberId: supportId, userId: sam.id, direction: "incoming", status: "missed",
                participants: ["anonymous"], duration: 0, createdAt: "2025-03-07T08:00:00Z",
                answeredAt: nil, completedAt: "2025-03-07T08:00:20Z"
            ),
        ]

        let contacts = [
            MockContact(
                id: "ctdemo1", firstName: "Alice", lastName: "Archer", company: "Acme", phoneNumbers: [alice],
                createdAt: "2025-01-05T09:00:00Z", updatedAt: "2025-01-12T09:20:00Z"
            ),
            MockContact(
                id: "ctdemo2", firstName: "Bob", lastName: "Baker", company: nil, phoneNumbers: [bob],
                createdAt: "2025-01-05T09:05:00Z", updatedAt: "2025-01-05T09:05:00Z"
            ),
        ]

        return MockWorkspace(phoneNumbers: phoneNumbers, conversations: conversations, calls: calls, contacts: contacts)
    }
}
