import Foundation
import QuoAPI
import Testing
@testable import QuoFS

@Suite("Rendering a call directory's text files")
struct CallContentRenderingTests {
    let people = PeopleDirectory(
        users: [
            User(id: "US1", email: "ann@example.com", firstName: "Ann", lastName: "Lee"),
            User(id: "US2", email: " bob@example.com ", firstName: " ", lastName: nil),
            User(id: "US3"),
            User(id: "US1", firstName: "Shadowed"),
        ],
        contacts: [
            Contact(id: "C1", firstName: "Zoë", lastName: "Kraus", company: "Ignored", phoneNumbers: ["+15550109001"]),
            Contact(id: "C2", company: "Acme", phoneNumbers: ["+15550109002", "+15550109001"]),
            Contact(id: "C3", phoneNumbers: ["+15550109003"]),
            Contact(id: "C4", lastName: "Later", phoneNumbers: ["+15550109003"]),
        ])

    static let t0 = "2025-01-13T15:00:00Z"

    func timestamp(_ text: String) -> QuoTimestamp { QuoTimestamp(iso8601: text)! }

    func entry(_ start: Double, _ end: Double, _ content: String, number: String? = nil, actor: String? = nil)
        -> Transcript.DialogueEntry {
        Transcript.DialogueEntry(content: content, start: start, end: end, identifier: number, actorId: actor)
    }

    // MARK: People

    @Test("people: user and contact names, first in list order wins, exact number match")
    func names() {
        #expect(people.userName(id: "US1") == "Ann Lee")
        #expect(people.userName(id: "US2") == "bob@example.com")
        #expect(people.userName(id: "US3") == nil)
        #expect(people.userName(id: "US9") == nil)
        #expect(people.contactName(number: "+15550109001") == "Zoë Kraus")
        #expect(people.contactName(number: "+15550109002") == "Acme")
        // A nameless contact claims none of its numbers.
        #expect(people.contactName(number: "+15550109003") == "Later")
        #expect(people.contactName(number: "15550109001") == nil)
        #expect(PeopleDirectory().contactName(number: "+15550109001") == nil)
    }

    @Test("speaker: user, else contact, else the number, else unknown")
    func speakerOrder() {
        #expect(people.speaker(identifier: "+15550109002", actorId: "US1") == "Ann Lee")
        #expect(people.speaker(identifier: "+15550109002", actorId: "US9") == "Acme")
        #expect(people.speaker(identifier: "+15550109002", actorId: nil) == "Acme")
        #expect(people.speaker(identifier: "+15550109999", actorId: "US3") == "+15550109999")
        #expect(people.speaker(identifier: nil, actorId: "US9") == "Unknown speaker")
        #expect(people.speaker(identifier: " ", actorId: nil) == "Unknown speaker")
    }

    @Test("people: JSON round trip, the same bytes whatever the input order")
    func peopleCodable() throws {
        let encoder = JSONEncoder()
        let data = try encoder.encode(people)
        #expect(try JSONDecoder().decode(PeopleDirectory.self, from: data) == people)
        let reordered = PeopleDirectory(
            users: [User(id: "US2", email: "bob@example.com"), User(id: "US1", firstName: "Ann", lastName: "Lee")],
            contacts: [Contact(id: "C4", lastName: "Later", phoneNumbers: ["+15550109003"]),
                       Contact(id: "C2", company: "Acme", phoneNumbers: ["+15550109002"]),
                       Contact(id: "C1", firstName: "Zoë", lastName: "Kraus", phoneNumbers: ["+15550109001"])])
        #expect(reordered == people)
        #expect(try encoder.encode(reordered) == data)
        #expect(String(decoding: data, as: UTF8.self) == #"[["user","US1","Ann Lee"],["user","US2","bob@example.com"],"#
            + #"["contact","+15550109001","Zoë Kraus"],["contact","+15550109002","Acme"],["contact","+15550109003","Later"]]"#)
        // Unknown kinds and short triples are skipped; the first of duplicates wins.
        let odd = Data(#"[["user","US1","A"],["user","US1","B"],["group","G1","x"],["contact","+1"]]"#.utf8)
        let decoded = try JSONDecoder().decode(PeopleDirectory.self, from: odd)
        #expect(decoded.userName(id: "US1") == "A")
        #expect(decoded == PeopleDirectory(users: [User(id: "US1", firstName: "A")], contacts: []))
    }

    // MARK: WebVTT and text

    /// One 60 s segment, a 2026-03-30 transcript of odd entries.
    func oddTimeline() -> CallTimeline {
        let transcript = Transcript(recordingId: "CR1", status: "completed", dialogue: [
            entry(5.1234, 7.5, "Hello & welcome", number: "+15550109001"),
            entry(1.0, 2.0, "a <b> c --> d", number: "+15550109002", actor: "US1"),
            entry(1.5, 2.9996, "line1\nline2\r\nline3\rline4\u{2028}line5 \n\n six", number: "+15550109002"),
            entry(3.0, 2.0, "end before start"),
            entry(4.0, 4.5, "  \n "),
            entry(70.0, 75.0, "é 中文 🙂 past the end", number: "+15550109001"),
        ], startTime: Self.t0)
        return CallTimeline(segments: [.init(id: "CR1", start: timestamp(Self.t0), duration: 60)],
                            transcripts: [transcript], people: people)
    }

    @Test("WebVTT: escaping, one line per cue, overlaps, zero length, past the segment's end, UTF-8")
    func webVTTOddCases() {
        let timeline = oddTimeline()
        let vtt = WebVTT.render(cues: timeline.cues(forRecordingId: "CR1"))
        #expect(vtt == """
            WEBVTT

            00:00:01.000 --> 00:00:02.000
            <v Ann Lee>a &lt;b&gt; c --&gt; d

            00:00:01.500 --> 00:00:03.000
            <v Acme>line1 line2 line3 line4 line5 six

            00:00:03.000 --> 00:00:03.001
            <v Unknown speaker>end before start

            00:00:05.123 --> 00:00:07.500
            <v Zoë Kraus>Hello &amp; welcome

            00:01:10.000 --> 00:01:15.000
            <v Zoë Kraus>é 中文 🙂 past the end


            """)
        #expect(vtt.map { Array($0.utf8).contains(Array("中文".utf8)) } == true)
        #expect(WebVTT.render(cues: timeline.cues(forRecordingId: "CR1")) == vtt)
        // A speaker cannot break out of its annotation either.
        #expect(WebVTT.render(cues: [TranscriptCue(start: 0, end: 1, speaker: "A&B <x>\r\nY", text: "t")])
            == "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v A&amp;B &lt;x&gt; Y>t\n\n")
    }

    @Test("transcript.txt: one line per entry, truncated seconds, unescaped")
    func textOddCases() {
        let text = TranscriptText.render(lines: oddTimeline().lines)
        #expect(text == """
            [00:00:01] Ann Lee: a <b> c --> d
            [00:00:01] Acme: line1 line2 line3 line4 line5 six
            [00:00:03] Unknown speaker: end before start
            [00:00:05] Zoë Kraus: Hello & welcome
            [00:01:10] Zoë Kraus: é 中文 🙂 past the end

            """)
        #expect(TranscriptText.render(lines: oddTimeline().lines) == text)
    }

    @Test("no dialogue, blank dialogue, or unfinished transcripts: no files")
    func nothingToShow() {
        let segment = CallTimeline.Segment(id: "CR1", start: timestamp(Self.t0), duration: 60)
        let cases: [[Transcript]] = [
            [],
            [Transcript(recordingId: "CR1", status: "completed", dialogue: [])],
            [Transcript(recordingId: "CR1", status: "completed", dialogue: [entry(1, 2, " "), entry(2, 3, "\n\r\n")])],
            [Transcript(recordingId: "CR1", status: "in-progress", dialogue: [entry(1, 2, "partial")])],
            [Transcript(status: "absent", dialogue: [entry(1, 2, "x")]), Transcript(status: "failed", dialogue: [entry(1, 2, "x")])],
        ]
        for transcripts in cases {
            let timeline = CallTimeline(segments: [segment], transcripts: transcripts, people: people)
            #expect(WebVTT.render(cues: timeline.cues(forRecordingId: "CR1")) == nil)
            #expect(TranscriptText.render(lines: timeline.lines) == nil)
        }
        #expect(WebVTT.render(cues: []) == nil)
        #expect(TranscriptText.render(lines: []) == nil)
    }

    @Test("calls of 100 hours and more: wider hours, rounding carries into them")
    func longCall() {
        let cues = [
            TranscriptCue(start: 359_999.9996, end: 360_000.25, speaker: "S", text: "almost"),
            TranscriptCue(start: 360_000.25, end: 3_600_000, speaker: "S", text: "later"),
        ]
        #expect(WebVTT.render(cues: cues) == """
            WEBVTT

            100:00:00.000 --> 100:00:00.250
            <v S>almost

            100:00:00.250 --> 1000:00:00.000
            <v S>later


            """)
        #expect(TranscriptText.render(lines: cues) == "[99:59:59] S: almost\n[100:00:00] S: later\n")
    }

    @Test("equal starts keep their input order")
    func stableTies() {
        let transcript = Transcript(dialogue: [entry(2, 3, "c"), entry(1, 2, "a"), entry(1, 1.5, "b"), entry(1, 9, "b2")])
        let timeline = CallTimeline(segments: [.init(id: "CR1")], transcripts: [transcript], people: PeopleDirectory())
        #expect(timeline.lines.map(\.text) == ["a", "b", "b2", "c"])
        #expect(timeline.segmentCues[0].map(\.text) == ["a", "b", "b2", "c"])
        #expect(CallTimeline(segments: [.init(id: "CR1")], transcripts: [transcript], people: PeopleDirectory()) == timeline)
    }

    // MARK: Timeline

    @Test("v1: a per-call transcript is split onto two segments with a gap")
    func v1PerCallMapping() {
        let recordings = [
            CallRecording(id: "CR1", duration: 60, startTime: "2025-01-13T15:00:00Z", status: "completed", url: "u"),
            CallRecording(id: "CR2", duration: 60, startTime: "2025-01-13T15:02:00.000Z", status: "completed", url: "u"),
        ]
        let transcript = Transcript(callId: "AC1", status: "completed", dialogue: [
            entry(-1.5, 0.5, "before the first"),
            entry(10, 12, "in the first", actor: "US1"),
            entry(70, 75, "in the gap"),
            entry(119, 121, "across the boundary"),
            entry(120, 125, "in the second", number: "+15550109001"),
            entry(200, 210, "past the second's end"),
        ], duration: 210)
        let timeline = CallTimeline(segments: recordings.map(CallTimeline.Segment.init(recording:)),
                                    transcripts: [transcript], people: people)
        #expect(timeline.segmentOffsets == [0, 120])
        let unknown = "Unknown speaker"
        #expect(timeline.segmentCues == [
            [TranscriptCue(start: 0, end: 0.5, speaker: unknown, text: "before the first"),
             TranscriptCue(start: 10, end: 12, speaker: "Ann Lee", text: "in the first"),
             TranscriptCue(start: 70, end: 75, speaker: unknown, text: "in the gap"),
             TranscriptCue(start: 119, end: 121, speaker: unknown, text: "across the boundary")],
            [TranscriptCue(start: 0, end: 5, speaker: "Zoë Kraus", text: "in the second"),
             TranscriptCue(start: 80, end: 90, speaker: unknown, text: "past the second's end")],
        ])
        #expect(WebVTT.render(cues: timeline.cues(forRecordingId: "CR2")) == """
            WEBVTT

            00:00:00.000 --> 00:00:05.000
            <v Zoë Kraus>in the second

            00:01:20.000 --> 00:01:30.000
            <v Unknown speaker>past the second's end


            """)
        #expect(TranscriptText.render(lines: timeline.lines) == """
            [00:00:00] Unknown speaker: before the first
            [00:00:10] Ann Lee: in the first
            [00:01:10] Unknown speaker: in the gap
            [00:01:59] Unknown speaker: across the boundary
            [00:02:00] Zoë Kraus: in the second
            [00:03:20] Unknown speaker: past the second's end

            """)
    }

    @Test("segments without start times follow the previous one")
    func missingStartTimes() {
        let timeline = CallTimeline(segments: [
            .init(id: "A", start: nil, duration: 30),
            .init(id: "B", start: timestamp("2025-01-13T15:10:00Z"), duration: nil),
            .init(id: "C", start: nil, duration: 40),
            .init(id: "D"),
        ], transcripts: [Transcript(dialogue: [entry(31, 32, "in B")])], people: people)
        #expect(timeline.segmentOffsets == [0, 30, 30, 70])
        // B and C both start at 30: the last one wins.
        #expect(timeline.cues(forRecordingId: "C").map(\.start) == [1])
        let timed = CallTimeline(segments: [
            .init(id: "A", start: timestamp("2025-01-13T15:00:00Z"), duration: 30),
            .init(id: "B", start: nil, duration: 20),
            .init(id: "C", start: timestamp("2025-01-13T15:01:40.5Z"), duration: 5),
        ], transcripts: [], people: people)
        #expect(timed.segmentOffsets == [0, 30, 100.5])
    }

    @Test("2026-03-30: per-segment transcripts, one for an unknown segment placed by its start time, one appended")
    func perSegmentWithUnknownRecording() {
        let segments: [CallTimeline.Segment] = [
            .init(id: "CR1", start: timestamp("2025-01-13T15:00:00Z"), duration: 60),
            .init(id: "CR2", start: timestamp("2025-01-13T15:02:00Z"), duration: 60),
        ]
        let transcripts = [
            Transcript(recordingId: "CR2", status: "completed", dialogue: [entry(1, 2, "second segment", actor: "US1")],
                       startTime: "2025-01-13T15:02:00Z"),
            Transcript(recordingId: "CR1", status: nil, dialogue: [entry(3, 4, "first segment", number: "+15550109002")],
                       startTime: "2025-01-13T15:00:00Z"),
            Transcript(recordingId: "CRx", status: "completed", dialogue: [entry(0, 1, "orphan placed")],
                       startTime: "2025-01-13T15:01:30Z"),
            Transcript(recordingId: "CRy", status: "completed",
                       dialogue: [entry(0, 2, "orphan appended"), entry(5, 6, "orphan later")], duration: 10,
                       startTime: "not a time"),
            Transcript(recordingId: "CRz", status: "completed", dialogue: [entry(0, 1, "after the appended one")]),
            Transcript(recordingId: "CR1", status: "failed", dialogue: [entry(0, 1, "failed")]),
        ]
        let timeline = CallTimeline(segments: segments, transcripts: transcripts, people: people)
        #expect(timeline.cues(forRecordingId: "CR1") == [TranscriptCue(start: 3, end: 4, speaker: "Acme", text: "first segment")])
        #expect(timeline.cues(forRecordingId: "CR2") == [TranscriptCue(start: 1, end: 2, speaker: "Ann Lee", text: "second segment")])
        #expect(timeline.cues(forRecordingId: "CRx").isEmpty)
        #expect(WebVTT.render(cues: timeline.cues(forRecordingId: "CR1")) == """
            WEBVTT

            00:00:03.000 --> 00:00:04.000
            <v Acme>first segment


            """)
        #expect(TranscriptText.render(lines: timeline.lines) == """
            [00:00:03] Acme: first segment
            [00:01:30] Unknown speaker: orphan placed
            [00:02:01] Ann Lee: second segment
            [00:03:00] Unknown speaker: orphan appended
            [00:03:05] Unknown speaker: orphan later
            [00:03:10] Unknown speaker: after the appended one

            """)
    }

    @Test("no segments: v1 lines as sent, 2026 transcripts placed relative to the earliest")
    func noSegments() {
        let timeline = CallTimeline(segments: [], transcripts: [
            Transcript(dialogue: [entry(4, 5, "v1")]),
            Transcript(recordingId: "CR2", dialogue: [entry(1, 2, "later")], startTime: "2025-01-13T15:01:00Z"),
            Transcript(recordingId: "CR1", dialogue: [entry(1, 2, "earlier")], startTime: "2025-01-13T15:00:00Z"),
        ], people: people)
        #expect(timeline.segmentCues.isEmpty)
        #expect(timeline.lines.map(\.text) == ["earlier", "v1", "later"])
        #expect(timeline.lines.map(\.start) == [1, 4, 61])
    }

    // MARK: Summary

    @Test("summary.md: human summary")
    func humanSummary() {
        let summary = CallSummary(status: "completed", type: "human",
                                  summary: ["You talked\nabout the weather.", "  "], nextSteps: ["Bring an umbrella."])
        #expect(SummaryMarkdown.render(summary) == """
            ## Summary

            - You talked about the weather.

            ## Next steps

            - Bring an umbrella.

            """)
        // v1 sends no status for some: rendered all the same.
        #expect(SummaryMarkdown.render(CallSummary(summary: ["Point."])) == "## Summary\n\n- Point.\n")
    }

    @Test("summary.md: agent summary with title and jobs")
    func agentSummary() {
        let summary = CallSummary(status: "completed", type: "agent", title: "Pricing\nenquiry", summary: ["Asked about plans."], jobs: [
            .init(icon: "💼", name: "Lead qualification", results: [
                .init(name: "Budget", value: "5000"), .init(name: "Timeline", value: "Q3\r\nnext year"),
                .init(name: "", value: "unnamed value"), .init(name: "Empty", value: " "),
            ]),
            .init(name: nil, results: [.init(name: "Score", value: "9")]),
            .init(name: "No results"),
        ])
        #expect(SummaryMarkdown.render(summary) == """
            # Pricing enquiry

            ## Summary

            - Asked about plans.

            ## Lead qualification

            - **Budget**: 5000
            - **Timeline**: Q3 next year
            - unnamed value

            ## Job

            - **Score**: 9

            """)
    }

    @Test("summary.md: absent, pending, failed or empty summaries have no file")
    func absentSummary() {
        #expect(SummaryMarkdown.render(CallSummary(status: "absent")) == nil)
        #expect(SummaryMarkdown.render(CallSummary(status: "in-progress", summary: ["draft"])) == nil)
        #expect(SummaryMarkdown.render(CallSummary(status: "failed", summary: ["x"])) == nil)
        #expect(SummaryMarkdown.render(CallSummary(status: "completed", type: "human", summary: [" "], nextSteps: [])) == nil)
        #expect(SummaryMarkdown.render(CallSummary(status: "completed", jobs: [.init(name: "Job")])) == nil)
    }

    // MARK: call.json

    @Test("call.json: sorted keys, explicit nulls, resolved names, no URL, final newline")
    func callJSON() throws {
        let call = Call(
            id: "AC1", phoneNumberId: "PN1", actorId: "US1", direction: "incoming", status: "completed",
            participants: [
                CallParticipant(phoneNumber: "+15550100001", actorId: "US1"),
                CallParticipant(phoneNumber: "+15550100001", actorId: "US2"),
                CallParticipant(phoneNumber: "+15550109001"),
                CallParticipant(phoneNumber: "+15550100002"),
                CallParticipant(phoneNumber: "anonymous"),
            ],
            duration: 235, createdAt: "2025-01-13T14:59:58Z", answeredAt: "2025-01-13T15:00:05Z",
            completedAt: "2025-01-13T15:04:00Z", updatedAt: nil,
            voicemail: Voicemail(id: "VMinline", recordingUrl: "https://storage.example.com/inline.mp3"),
            summary: CallSummary(status: "completed", type: "human", summary: ["x"]), summaryIncluded: true)
        let recordings = [
            CallRecording(id: "CR1", duration: 60, startTime: "2025-01-13T15:00:05Z", status: "completed",
                          type: "audio/mpeg", url: "https://storage.example.com/cr1.mp3?sig=abc"),
            CallRecording(id: "CR2", duration: nil, startTime: nil, status: nil, type: nil,
                          url: "http://storage.example.com/cr2"),
        ]
        let voicemail = Voicemail(id: "VM1", status: "completed", duration: 20,
                                  recordingUrl: "https://storage.example.com/vm.mp3", transcript: "Call me 24/7, é 中文")
        let bytes = CallMetadata.render(call: call, recordings: recordings, voicemail: voicemail, transcriptStatus: "completed",
                                        summaryStatus: nil, people: people,
                                        ownNumbers: ["+15550100001", "+15550100002"])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == """
            {
              "answeredAt" : "2025-01-13T15:00:05Z",
              "completedAt" : "2025-01-13T15:04:00Z",
              "createdAt" : "2025-01-13T14:59:58Z",
              "direction" : "incoming",
              "duration" : 235,
              "id" : "AC1",
              "participants" : [
                {
                  "name" : "Zoë Kraus",
                  "number" : "+15550109001"
                },
                {
                  "name" : null,
                  "number" : "anonymous"
                }
              ],
              "phoneNumberId" : "PN1",
              "recordings" : [
                {
                  "duration" : 60,
                  "id" : "CR1",
                  "startTime" : "2025-01-13T15:00:05Z",
                  "status" : "completed",
                  "type" : "audio/mpeg"
                },
                {
                  "duration" : null,
                  "id" : "CR2",
                  "startTime" : null,
                  "status" : null,
                  "type" : null
                }
              ],
              "status" : "completed",
              "summary" : {
                "status" : "completed"
              },
              "transcript" : {
                "status" : "completed"
              },
              "updatedAt" : null,
              "user" : {
                "id" : "US1",
                "name" : "Ann Lee"
              },
              "voicemail" : {
                "duration" : 20,
                "id" : "VM1",
                "status" : "completed",
                "transcript" : "Call me 24/7, é 中文"
              }
            }

            """)
        #expect(bytes.last == 0x0A)
        #expect(!text.contains("http"))
        #expect(!text.contains("storage.example.com"))
        #expect(CallMetadata.render(call: call, recordings: recordings, voicemail: voicemail, transcriptStatus: "completed",
                                    summaryStatus: nil, people: people,
                                    ownNumbers: ["+15550100001", "+15550100002"]) == bytes)
    }

    @Test("call.json: a bare call has the same top-level keys, nulls for what is unknown")
    func bareCallJSON() throws {
        let bytes = CallMetadata.render(call: Call(id: "AC2", voicemail: Voicemail(recordingUrl: "https://s.example.com/v.mp3")),
                                        recordings: [], voicemail: nil, transcriptStatus: nil, summaryStatus: nil,
                                        people: PeopleDirectory(), ownNumbers: [])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(bytes.last == 0x0A)
        #expect(!text.contains("http"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object.keys.sorted() == [
            "answeredAt", "completedAt", "createdAt", "direction", "duration", "id", "participants", "phoneNumberId",
            "recordings", "status", "summary", "transcript", "updatedAt", "user", "voicemail",
        ])
        #expect(object["user"] is NSNull)
        #expect(object["summary"] is NSNull)
        #expect(object["transcript"] is NSNull)
        #expect(object["updatedAt"] is NSNull)
        let voicemail = try #require(object["voicemail"] as? [String: Any])
        #expect(voicemail.keys.sorted() == ["duration", "id", "status", "transcript"])
        // Top-level keys appear in sorted order in the text.
        let keys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }
            .map { String($0.dropFirst(3).prefix { $0 != "\"" }) }
        #expect(keys == keys.sorted())
        #expect(keys.count == 15)
        #expect(try JSONDecoder().decode(CallMetadata.Document.self, from: Data(bytes)).id == "AC2")
    }
}
