import Foundation
import QuoMock
import Testing

/// Calls' transcripts and summaries on both surfaces: v1's `GET /v1/call-transcripts/{id}`
/// and `GET /v1/call-summaries/{id}`, 2026-03-30's `GET /calls/{id}/transcripts` and
/// `include=summary`, the plan gate, and the demo's and generated workspace's contents.
@Suite("Transcripts and summaries")
struct TranscriptSummaryTests {
    /// The raw body as text.
    static func text(_ response: Fetched) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    /// `data` of a v1 response, as an object.
    static func data(_ response: Fetched) throws -> [String: Any] {
        try #require(try response.object["data"] as? [String: Any])
    }

    /// Every item of a call's 2026-03-30 transcript list, paging with `limit`, and the page sizes.
    static func walkTranscripts(_ server: QuoMockServer, _ callId: String, limit: Int) async throws
        -> (items: [[String: Any]], pages: [Int])
    {
        var items: [[String: Any]] = []
        var pages: [Int] = []
        var cursor: String?
        repeat {
            let after = cursor.map { "&after=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" } ?? ""
            let response = try await dated(server, "/calls/\(callId)/transcripts?limit=\(limit)\(after)")
            #expect(response.status == 200)
            let body = try response.object
            #expect(Set(body.keys) == ["data", "nextCursor"])
            let page = try response.dataArray
            pages.append(page.count)
            items += page
            cursor = isNull(body["nextCursor"]) ? nil : try #require(body["nextCursor"] as? String)
        } while cursor != nil && pages.count < 20
        return (items, pages)
    }

    // MARK: Transcripts

    @Test func v1TranscriptIsPerCallWithCallRelativeTimes() async throws {
        try await withServer { server in
            let response = try await api(server, "/v1/call-transcripts/ACdemoB1")
            #expect(response.status == 200)
            let raw = Self.text(response)
            #expect(raw.hasPrefix(
                #"{"data":{"callId":"ACdemoB1","createdAt":"2025-02-01T08:06:00Z","dialogue":[{"content":"This is recording two.","start":114.3,"end":115.61,"identifier":"+15550100001","userId":"USdemoDana01"},{"content":"Thanks for calling,","start":115.81,"end":116.95,"identifier":"+15550109002","userId":null},"#
            ))
            #expect(raw.hasSuffix(
                #"{"content":"Goodbye, and have a nice day.","start":295.95,"end":297.7,"identifier":"+15550109002","userId":null}],"duration":360,"status":"completed"}}"#
            ))
            let data = try Self.data(response)
            #expect(Set(data.keys) == ["callId", "createdAt", "dialogue", "duration", "status"])
            let dialogue = try #require(data["dialogue"] as? [[String: Any]])
            #expect(dialogue.count == 5)

            // The same lines as 2026-03-30's two segment transcripts, shifted by each
            // segment's start after the first segment (CRdemoB1a, 08:00:06): 114 s and 294 s.
            let segments = try await dated(server, "/calls/ACdemoB1/transcripts").dataArray
            #expect(segments.map { $0["recordingId"] as? String } == ["CRdemoB1c", "CRdemoB1d"])
            let call = try #require(server.workspace.call(id: "ACdemoB1"))
            #expect(call.segmentOffsets == [0, 54, 114, 294])
            var shifted: [(String, Double, Double, String?, String?)] = []
            for (segment, offset) in zip(segments, [114.0, 294.0]) {
                for line in try #require(segment["dialogue"] as? [[String: Any]]) {
                    let start = try #require(line["start"] as? Double)
                    let end = try #require(line["end"] as? Double)
                    shifted.append((
                        line["content"] as? String ?? "", start + offset, end + offset,
                        line["identifier"] as? String, line["actorId"] as? String
                    ))
                }
            }
            #expect(shifted.count == dialogue.count)
            for (v1, expected) in zip(dialogue, shifted) {
                #expect(v1["content"] as? String == expected.0)
                #expect(abs((v1["start"] as? Double ?? -1) - expected.1) < 1e-9)
                #expect(abs((v1["end"] as? Double ?? -1) - expected.2) < 1e-9)
                #expect(v1["identifier"] as? String == expected.3)
                #expect(v1["userId"] as? String == expected.4)
                #expect(v1["actorId"] == nil)
            }
        }
    }

    @Test func v1TranscriptMergesOverlappingAndUntimedSegments() async throws {
        try await withServer { server in
            // CRdemoA2b starts 0.6 s after CRdemoA2a; CRdemoA2c has no start time, so it
            // follows CRdemoA2b (0.6 s + 4 s).
            let call = try #require(server.workspace.call(id: "ACdemoA2"))
            #expect(call.segmentOffsets == [0, 0.6, 4.6])
            let dialogue = try #require(try Self.data(try await api(server, "/v1/call-transcripts/ACdemoA2"))["dialogue"] as? [[String: Any]])
            let starts = dialogue.compactMap { $0["start"] as? Double }
            #expect(starts.count == 7)
            #expect(starts == starts.sorted())
            #expect(starts.first == 0.3 && starts.contains(0.9) && starts.contains(4.9))
            let segments = try await dated(server, "/calls/ACdemoA2/transcripts").dataArray
            let segmentLines = segments.flatMap { ($0["dialogue"] as? [[String: Any]]) ?? [] }.compactMap { $0["content"] as? String }
            #expect(dialogue.compactMap { $0["content"] as? String }.sorted() == segmentLines.sorted())
        }
    }

    @Test func datedTranscriptsArePerSegmentAndPaginated() async throws {
        try await withServer { server in
            let response = try await dated(server, "/calls/ACdemoB1/transcripts")
            #expect(response.status == 200)
            let raw = Self.text(response)
            #expect(raw.hasPrefix(
                #"{"data":[{"recordingId":"CRdemoB1c","status":"completed","startTime":"2025-02-01T08:02:00Z","createdAt":"2025-02-01T08:06:00Z","duration":5.0,"dialogue":[{"content":"This is recording two.","start":0.3,"end":1.61,"identifier":"+15550100001","actorId":"USdemoDana01"},{"content":"Thanks for calling,","start":1.81,"end":2.95,"identifier":"+15550109002","actorId":null},"#
            ))
            #expect(raw.hasSuffix(
                #"{"recordingId":"CRdemoB1d","status":"completed","startTime":"2025-02-01T08:05:00Z","createdAt":"2025-02-01T08:06:00Z","duration":4.0,"dialogue":[{"content":"This is recording three.","start":0.3,"end":1.75,"identifier":"+15550100001","actorId":"USdemoDana01"},{"content":"Goodbye, and have a nice day.","start":1.95,"end":3.7,"identifier":"+15550109002","actorId":null}]}],"nextCursor":null}"#
            ))
            let items = try response.dataArray
            for item in items {
                #expect(Set(item.keys) == ["recordingId", "status", "startTime", "createdAt", "duration", "dialogue"])
                for line in try #require(item["dialogue"] as? [[String: Any]]) {
                    #expect(Set(line.keys) == ["content", "start", "end", "identifier", "actorId"])
                }
            }

            let (paged, pages) = try await Self.walkTranscripts(server, "ACdemoB1", limit: 1)
            #expect(paged.map { $0["recordingId"] as? String } == ["CRdemoB1c", "CRdemoB1d"])
            #expect(pages == [1, 1])
            let (three, threePages) = try await Self.walkTranscripts(server, "ACdemoA2", limit: 2)
            #expect(three.map { $0["recordingId"] as? String } == ["CRdemoA2a", "CRdemoA2b", "CRdemoA2c"])
            #expect(threePages == [2, 1])
            #expect(isNull(three[2]["startTime"]))
            // A cursor of another call's list is refused.
            let cursor = try #require(try await dated(server, "/calls/ACdemoB1/transcripts?limit=1").object["nextCursor"] as? String)
            #expect(try await dated(server, "/calls/ACdemoA2/transcripts?limit=1&after=\(cursor)").status == 400)
            #expect(try await dated(server, "/calls/ACdemoB1/transcripts?limit=51").status == 400)
        }
    }

    @Test func absentInProgressAndFailedTranscripts() async throws {
        try await withServer { server in
            // Recorded but never transcribed, and a call without recordings.
            let b2 = try await api(server, "/v1/call-transcripts/ACdemoB2")
            #expect(Self.text(b2) == #"{"data":{"callId":"ACdemoB2","createdAt":"2025-02-02T13:49:51Z","dialogue":null,"duration":8391,"status":"absent"}}"#)
            #expect(Self.text(try await dated(server, "/calls/ACdemoB2/transcripts")) == #"{"data":[],"nextCursor":null}"#)
            let missed = try Self.data(try await api(server, "/v1/call-transcripts/ACdemoA3"))
            #expect(missed["status"] as? String == "absent" && isNull(missed["dialogue"]))

            var workspace = MockWorkspace.demo
            let index = try #require(workspace.calls.firstIndex { $0.id == "ACdemoA4" })
            workspace.calls[index].transcriptStatus = .inProgress
            let failed = try #require(workspace.calls.firstIndex { $0.id == "ACdemoA5" })
            workspace.calls[failed].transcriptStatus = .failed
            server.replaceWorkspace(workspace)
            let a4 = try await api(server, "/v1/call-transcripts/ACdemoA4")
            #expect(Self.text(a4) == #"{"data":{"callId":"ACdemoA4","createdAt":"2025-01-20T16:45:12Z","dialogue":null,"duration":12,"status":"in-progress"}}"#)
            #expect(Self.text(try await dated(server, "/calls/ACdemoA4/transcripts")) == #"""
                {"data":[{"recordingId":"CRdemoA4","status":"in-progress","startTime":"2025-01-20T16:45:04Z","createdAt":"2025-01-20T16:45:12Z","duration":5.0,"dialogue":null}],"nextCursor":null}
                """#)
            #expect(try Self.data(try await api(server, "/v1/call-transcripts/ACdemoA5"))["status"] as? String == "failed")
            let a5 = try await dated(server, "/calls/ACdemoA5/transcripts").dataArray
            #expect(a5.count == 1 && a5[0]["status"] as? String == "failed" && isNull(a5[0]["dialogue"]))
        }
    }

    // MARK: Summaries

    @Test func v1Summaries() async throws {
        try await withServer { server in
            let human = try await api(server, "/v1/call-summaries/ACdemoA1")
            #expect(human.status == 200)
            #expect(Self.text(human) == #"""
                {"data":{"callId":"ACdemoA1","status":"completed","summary":["Alice called the sales line.","Dana introduced the quofs demo."],"nextSteps":["Send Alice the price list."],"jobs":null}}
                """#)
            let agent = try await api(server, "/v1/call-summaries/ACdemoA5")
            #expect(Self.text(agent) == #"""
                {"data":{"callId":"ACdemoA5","status":"completed","summary":["Dana confirmed Alice's order."],"nextSteps":null,"jobs":[{"icon":"📦","name":"Order check","result":{"data":[{"name":"Order number","value":"A-1042"},{"name":"Items","value":3},{"name":"Total","value":129.5},{"name":"Paid","value":true}]}}]}}
                """#)
            #expect(try Self.data(agent)["type"] == nil && Self.data(agent)["title"] == nil)
            #expect(Self.text(try await api(server, "/v1/call-summaries/ACdemoA2")) == #"""
                {"data":{"callId":"ACdemoA2","status":"in-progress","summary":null,"nextSteps":null,"jobs":null}}
                """#)
            #expect(Self.text(try await api(server, "/v1/call-summaries/ACdemoB2")) == #"""
                {"data":{"callId":"ACdemoB2","status":"absent","summary":null,"nextSteps":null,"jobs":null}}
                """#)
        }
    }

    @Test func includeSummaryInline() async throws {
        try await withServer { server in
            let plain = try await dated(server, "/calls/ACdemoA1")
            #expect(try Self.data(plain)["summary"] == nil)
            #expect(try Self.data(try await dated(server, "/calls/ACdemoA1?include=voicemail"))["summary"] == nil)

            let human = Self.text(try await dated(server, "/calls/ACdemoA1?include=summary"))
            #expect(human.hasSuffix(
                #","aiHandled":null,"summary":{"status":"completed","type":"human","summary":["Alice called the sales line.","Dana introduced the quofs demo."],"nextSteps":["Send Alice the price list."],"jobs":null,"title":null}}}"#
            ))
            let agent = Self.text(try await dated(server, "/calls/ACdemoA5?include=summary"))
            #expect(agent.hasSuffix(
                #""summary":{"status":"completed","type":"agent","summary":["Dana confirmed Alice's order."],"nextSteps":null,"jobs":[{"icon":"📦","name":"Order check","result":{"data":[{"name":"Order number","value":"A-1042"},{"name":"Items","value":3},{"name":"Total","value":129.5},{"name":"Paid","value":true}]}}],"title":"Order follow-up"}}}"#
            ))

            let listed = try await dated(server, "/calls?limit=50&include=summary").dataArray
            #expect(listed.count == 13)
            var statuses: [String: String] = [:]
            for call in listed {
                let summary = try #require(call["summary"] as? [String: Any])
                #expect(Set(summary.keys) == ["status", "type", "summary", "nextSteps", "jobs", "title"])
                statuses[call["id"] as? String ?? ""] = summary["status"] as? String
            }
            #expect(statuses.filter { $0.value != "absent" } == ["ACdemoA1": "completed", "ACdemoA5": "completed", "ACdemoA2": "in-progress"])
            let a5 = try #require(listed.first { $0["id"] as? String == "ACdemoA5" }?["summary"] as? [String: Any])
            let jobs = try #require(a5["jobs"] as? [[String: Any]])
            let fields = try #require((jobs.first?["result"] as? [String: Any])?["data"] as? [[String: Any]])
            #expect(fields.map { $0["name"] as? String } == ["Order number", "Items", "Total", "Paid"])
            #expect(fields[0]["value"] as? String == "A-1042")
            #expect(fields[3]["value"] as? Bool == true)
            #expect(try await dated(server, "/calls?limit=50").dataArray.allSatisfy { $0["summary"] == nil })
        }
    }

    // MARK: Plan gate, unknown calls, stats

    @Test func planGateAnswers403OnBothSurfaces() async throws {
        try await withServer { server in
            let transcript = try await api(server, "/v1/call-transcripts/ACdemoL1")
            #expect(transcript.status == 403)
            #expect(Self.text(transcript) == #"""
                {"message":"Transcripts require Business or Scale","code":"0600403","status":403,"docs":"https://openphone.com/docs","title":"Forbidden"}
                """#)
            let summary = try await api(server, "/v1/call-summaries/ACdemoL1")
            #expect(summary.status == 403)
            #expect(Self.text(summary) == #"""
                {"message":"Call summaries require Business or Scale","code":"0600403","status":403,"docs":"https://openphone.com/docs","title":"Forbidden"}
                """#)
            let dated403 = try await dated(server, "/calls/ACdemoL1/transcripts")
            try DatedAPITests.expectEnvelope(dated403, status: 403, title: "Forbidden", message: "Transcripts require Business or Scale")
            #expect(try dated403.object["errors"] == nil)
            // Inline, a gated summary is absent; the call and its recordings are served.
            #expect(Self.text(try await dated(server, "/calls/ACdemoL1?include=summary")).hasSuffix(
                #""summary":{"status":"absent","type":null,"summary":null,"nextSteps":null,"jobs":null,"title":null}}}"#
            ))
            #expect(try await dated(server, "/calls/ACdemoL1/recordings").status == 200)
            #expect(try await api(server, "/v1/call-recordings/ACdemoL1").status == 200)
        }
    }

    @Test func unknownAndMalformedCalls() async throws {
        try await withServer { server in
            for route in ["call-transcripts", "call-summaries"] {
                let unknown = try await api(server, "/v1/\(route)/ACnope")
                #expect(unknown.status == 404)
                #expect(Self.text(unknown) == #"{"message":"Call ACnope not found","code":"0900404","status":404,"docs":"https://openphone.com/docs","title":"Not Found"}"#)
                let bad = try await api(server, "/v1/\(route)/CRdemoA1")
                #expect(bad.status == 400)
                #expect(try bad.object["code"] as? String == "0900400")
            }
            try DatedAPITests.expectEnvelope(try await dated(server, "/calls/ACnope/transcripts"), status: 404, title: "Not Found", message: "Call not found")
            try DatedAPITests.expectEnvelope(try await dated(server, "/calls/ACnope?include=summary"), status: 404, title: "Not Found", message: "Call not found")
            #expect(try await dated(server, "/calls/CRdemoA1/transcripts").status == 400)
            // Auth applies as on every route.
            #expect(try await fetch(server.baseURL + "/v1/call-transcripts/ACdemoA1").status == 401)
            #expect(try await fetch(server.baseURL + "/calls/ACdemoA1/transcripts", headers: ["Quo-Api-Version": "2026-03-30"]).status == 401)
        }
    }

    @Test func requestsAreCountedPerSurface() async throws {
        try await withServer { server in
            server.resetStats()
            _ = try await api(server, "/v1/call-transcripts/ACdemoA1")
            _ = try await api(server, "/v1/call-summaries/ACdemoL1")
            _ = try await dated(server, "/calls/ACdemoA1/transcripts?limit=1")
            let stats = server.stats()
            #expect(stats.apiRequests == 3)
            #expect(stats.apiRequestsV1 == 2)
            #expect(stats.apiRequestsDated == 1)
            #expect(stats.apiRequestLog == [
                "GET /v1/call-transcripts/ACdemoA1", "GET /v1/call-summaries/ACdemoL1", "GET /calls/ACdemoA1/transcripts?limit=1",
            ])
        }
    }

    // MARK: Workspaces

    @Test func demoTranscriptsSayWhatTheAudioSays() async throws {
        let demo = MockWorkspace.demo
        let contactNumbers = Set(demo.contacts.filter { $0.firstName != nil }.flatMap(\.phoneNumbers))
        var transcribed: [String] = []
        for call in demo.calls {
            let workspaceNumber = call.workspaceSideNumber ?? demo.phoneNumbers.first { $0.id == call.phoneNumberId }?.number
            // The workspace side, then each external party, in turn.
            let speakers: [(identifier: String?, userId: String?)] = [(workspaceNumber, call.userId)] + call.participants.map { ($0, nil) }
            for recording in call.recordings {
                guard let transcript = recording.transcript else { continue }
                transcribed.append(recording.id)
                let fixture = try #require(DemoAudio.mp3.indices.first { recording.content == .bytes(DemoAudio.mp3[$0]) })
                #expect(transcript.map(\.content).joined(separator: " ") == DemoAudio.transcripts[fixture], "\(recording.id)")
                #expect((2...3).contains(transcript.count))
                let duration = Double(try #require(recording.duration))
                #expect(duration == Double(DemoAudio.durations[fixture]))
                var previousEnd = 0.0
                for (index, line) in transcript.enumerated() {
                    #expect(line.start >= previousEnd && line.start < line.end && line.end <= duration, "\(recording.id) \(index)")
                    previousEnd = line.end
                    let speaker = speakers[index % speakers.count]
                    #expect(line.identifier == speaker.identifier && line.userId == speaker.userId, "\(recording.id) \(index)")
                }
            }
            // Every external speaker but the former number's caller is a named contact.
            let externals = call.recordings.flatMap { $0.transcript ?? [] }.filter { $0.userId == nil }.compactMap(\.identifier)
            if call.id != "ACdemoX1" {
                #expect(externals.allSatisfy(contactNumbers.contains), "\(call.id)")
            }
        }
        #expect(transcribed == [
            "CRdemoA1", "CRdemoA2a", "CRdemoA2b", "CRdemoA2c", "CRdemoA4", "CRdemoA5", "CRdemoB1c", "CRdemoB1d", "CRdemoG1", "CRdemoX1",
        ])
        let g1 = try #require(demo.call(id: "ACdemoG1")?.recordings.first?.transcript)
        #expect(g1.map(\.identifier) == ["+15550100001", "+15550109001", "+15550109002"])

        // Exactly one answered call with recordings lacks a transcript; one is gated.
        let recorded = demo.calls.filter { $0.answeredAt != nil && !$0.recordings.isEmpty }
        #expect(recorded.filter { $0.resolvedTranscriptStatus == .absent }.map(\.id) == ["ACdemoB2"])
        #expect(demo.calls.filter { $0.resolvedTranscriptStatus == .planGated }.map(\.id) == ["ACdemoL1"])
        #expect(demo.calls.filter { $0.summary?.status == .planGated }.map(\.id) == ["ACdemoL1"])

        let summary = demo.summary
        #expect(summary.callsWithTranscript == 7)
        #expect(summary.recordingsWithTranscript == 10)
        #expect(summary.callsWithSummary == 2)
        #expect(summary.planGatedCalls == 1)

        // The served text is the same on both surfaces.
        try await withServer { server in
            let segments = try await dated(server, "/calls/ACdemoA1/transcripts").dataArray
            let served = (segments.first?["dialogue"] as? [[String: Any]])?.compactMap { $0["content"] as? String }
            #expect(served?.joined(separator: " ") == DemoAudio.transcripts[0])
            let v1 = try Self.data(try await api(server, "/v1/call-transcripts/ACdemoA1"))["dialogue"] as? [[String: Any]]
            #expect(v1?.compactMap { $0["content"] as? String }.joined(separator: " ") == DemoAudio.transcripts[0])
        }
    }

    @Test func generatedWorkspaceHasTranscriptsAndSummaries() async throws {
        let workspace = MockWorkspace.generated(calls: 200, numbers: 3, seed: 7)
        #expect(workspace == MockWorkspace.generated(calls: 200, numbers: 3, seed: 7))
        let answered = workspace.calls.filter { $0.answeredAt != nil }
        for call in answered {
            let recording = try #require(call.recordings.first)
            let line = try #require(recording.transcript?.first)
            #expect(recording.transcript?.count == 1)
            #expect(DemoAudio.transcripts.contains(line.content))
            #expect(line.userId == call.userId && line.start < line.end && line.end <= Double(recording.duration ?? 0))
            #expect(line.identifier == workspace.phoneNumbers.first { $0.id == call.phoneNumberId }?.number)
        }
        let summarized = answered.enumerated().filter { $0.offset % 2 == 0 }.map(\.element.id)
        #expect(workspace.calls.filter { $0.summary != nil }.map(\.id) == summarized)
        #expect(answered.enumerated().allSatisfy { ($0.offset % 4 == 2) == ($0.element.summary?.type == "agent") })
        #expect(workspace.calls.filter { $0.answeredAt == nil }.allSatisfy { $0.resolvedTranscriptStatus == .absent && $0.summary == nil })
        let summary = workspace.summary
        #expect(summary.callsWithTranscript == summary.answeredCalls)
        #expect(summary.recordingsWithTranscript == summary.answeredCalls)
        #expect(summary.callsWithSummary == (summary.answeredCalls + 1) / 2)
        #expect(summary.planGatedCalls == 0)

        try await withServer { server in
            server.replaceWorkspace(workspace)
            let id = try #require(answered.first?.id)
            let v1 = try Self.data(try await api(server, "/v1/call-transcripts/\(id)"))
            #expect(v1["status"] as? String == "completed" && (v1["dialogue"] as? [Any])?.count == 1)
            let inline = try await dated(server, "/calls/\(id)?include=summary")
            #expect(((try Self.data(inline)["summary"]) as? [String: Any])?["type"] as? String == "human")
            let json = try await api(server, "/_mock/summary").object
            #expect(json["callsWithTranscript"] as? Int == summary.callsWithTranscript)
            #expect(json["callsWithSummary"] as? Int == summary.callsWithSummary)
        }
    }
}
