import Foundation
import QuoMock
import Testing

/// The 2026-03-30 surface (unprefixed paths, `Quo-Api-Version`, cursor pagination).
@Suite("Quo API 2026-03-30")
struct DatedAPITests {
    /// The demo's calls, newest first.
    static let allCalls = [
        "ACdemoX1", "ACdemoN1", "ACdemoC2", "ACdemoC1", "ACdemoL1", "ACdemoB2", "ACdemoB1", "ACdemoG1",
        "ACdemoA5", "ACdemoA4", "ACdemoA3", "ACdemoA2", "ACdemoA1",
    ]

    static let versionMessage = "Unsupported or missing Quo-Api-Version header. Supported versions: 2026-03-30"

    /// The raw body as text.
    static func text(_ response: Fetched) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    /// Checks the 2026-03-30 error envelope: no `code`, no `status`.
    static func expectEnvelope(_ response: Fetched, status: Int, title: String, message: String? = nil) throws {
        #expect(response.status == status)
        #expect(response.header("Content-Type") == "application/json")
        let body = try response.object
        #expect(body["code"] == nil)
        #expect(body["status"] == nil)
        #expect(body["title"] as? String == title)
        #expect(body["docs"] as? String == "https://quo.com/docs")
        #expect(body["trace"] is String)
        if let message { #expect(body["message"] as? String == message) }
        #expect(Set(body.keys).isSubset(of: ["title", "message", "docs", "trace", "errors"]))
    }

    /// All ids of a cursor-paginated list, and the page sizes.
    static func walk(_ server: QuoMockServer, _ path: String) async throws -> (ids: [String], pages: [Int]) {
        var ids: [String] = []
        var pages: [Int] = []
        var cursor: String?
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let url = path + (cursor.map { "\(separator)after=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" } ?? "")
            let response = try await dated(server, url)
            #expect(response.status == 200, "\(url)")
            let body = try response.object
            #expect(Set(body.keys) == ["data", "nextCursor"])
            let page = try response.dataArray
            pages.append(page.count)
            ids += page.compactMap { $0["id"] as? String }
            cursor = isNull(body["nextCursor"]) ? nil : try #require(body["nextCursor"] as? String)
        } while cursor != nil && pages.count < 100
        return (ids, pages)
    }

    @Test func versionHeaderIsRequiredBeforeTheKey() async throws {
        try await withServer { server in
            for version in [nil, "2025-01-01", "v1", ""] as [String?] {
                let response = try await dated(server, "/calls", version: version)
                try Self.expectEnvelope(response, status: 400, title: "Bad Request", message: Self.versionMessage)
            }
            // Neither header nor key: 400, not 401.
            let bare = try await fetch(server.baseURL + "/calls")
            try Self.expectEnvelope(bare, status: 400, title: "Bad Request", message: Self.versionMessage)
            // A version but no or a wrong key: 401 in this surface's envelope.
            for key in [nil, "nope", "Bearer demo-key"] as [String?] {
                var headers = ["Quo-Api-Version": "2026-03-30"]
                if let key { headers["Authorization"] = key }
                let response = try await fetch(server.baseURL + "/phone-numbers", headers: headers)
                try Self.expectEnvelope(response, status: 401, title: "Unauthorized", message: "Unauthorized")
            }
            #expect(try await dated(server, "/calls").status == 200)
            // v1 needs no header, and ignores one.
            #expect(try await api(server, "/v1/phone-numbers").status == 200)
        }
        try await withServer(options: MockOptions(requestsPerSecond: nil, supportedVersions: ["2026-03-30", "2027-01-01"])) { server in
            #expect(try await dated(server, "/users", version: "2027-01-01").status == 200)
            let old = try await dated(server, "/users", version: "2025-01-01")
            #expect(try old.object["message"] as? String == "Unsupported or missing Quo-Api-Version header. Supported versions: 2026-03-30, 2027-01-01")
        }
    }

    @Test func datedPathsCanBeTurnedOff() async throws {
        try await withServer(options: MockOptions(requestsPerSecond: nil, servesDatedVersion: false)) { server in
            for path in ["/calls", "/calls/ACdemoA1", "/phone-numbers", "/users", "/conversations", "/contacts"] {
                let response = try await dated(server, path)
                #expect(response.status == 404, "\(path)")
                #expect(try response.object["code"] as? String == "0900404")
            }
            #expect(try await api(server, "/v1/calls/ACdemoA1").status == 200)
            #expect(server.stats().apiRequestsDated == 6)
        }
    }

    @Test func callsPaginateWithCursors() async throws {
        try await withServer { server in
            let (ids, pages) = try await Self.walk(server, "/calls?limit=5")
            #expect(ids == Self.allCalls)
            #expect(pages == [5, 5, 3])
            // Default limit 10.
            #expect(try await dated(server, "/calls").dataArray.count == 10)
            let single = try await dated(server, "/calls?limit=50")
            #expect(try single.dataArray.count == 13)
            #expect(isNull(try single.object["nextCursor"]))
        }
        // maxPageSize caps this surface too.
        try await withServer(options: MockOptions(requestsPerSecond: nil, maxPageSize: 4)) { server in
            let (ids, pages) = try await Self.walk(server, "/calls?limit=50")
            #expect(ids == Self.allCalls)
            #expect(pages == [4, 4, 4, 1])
        }
    }

    @Test func badLimitAndCursor() async throws {
        try await withServer { server in
            for (query, message) in [("limit=51", "must be <= 50"), ("limit=0", "must be >= 1"), ("limit=ten", "must be integer")] {
                let response = try await dated(server, "/calls?\(query)")
                try Self.expectEnvelope(response, status: 400, title: "Bad Request")
                let errors = try #require(try response.object["errors"] as? [[String: Any]])
                #expect(errors.count == 1)
                #expect(errors[0]["path"] as? String == "/query/limit")
                #expect(errors[0]["message"] as? String == message)
                #expect((errors[0]["schema"] as? [String: Any])?["type"] as? String == "integer")
            }
            let big = try await dated(server, "/calls?limit=200")
            #expect(Self.text(big).contains(#"{"path":"/query/limit","message":"must be <= 50","value":200,"schema":{"type":"integer"}}"#))
            for path in ["/calls?after=garbage", "/users?after=garbage", "/calls/ACdemoA2/recordings?after=garbage"] {
                let response = try await dated(server, path)
                try Self.expectEnvelope(response, status: 400, title: "Bad Request")
                let errors = try #require(try response.object["errors"] as? [[String: Any]])
                #expect(errors.first?["path"] as? String == "/query/after", "\(path)")
            }
            // A cursor of another list is refused.
            let cursor = try #require(try await dated(server, "/calls?limit=2").object["nextCursor"] as? String)
            #expect(try await dated(server, "/calls?limit=2&direction=incoming&after=\(cursor)").status == 400)
        }
    }

    @Test func includeVoicemailAndSummary() async throws {
        try await withServer { server in
            let plain = try await dated(server, "/calls?limit=50").dataArray
            #expect(plain.allSatisfy { $0["voicemail"] == nil && $0["summary"] == nil })

            let withVoicemail = try await dated(server, "/calls?limit=50&include=voicemail").dataArray
            #expect(withVoicemail.filter { $0["voicemail"] != nil }.compactMap { $0["id"] as? String } == ["ACdemoC2", "ACdemoA3"])
            #expect(withVoicemail.allSatisfy { $0["summary"] == nil })
            let a3 = try #require(withVoicemail.first { $0["id"] as? String == "ACdemoA3" }?["voicemail"] as? [String: Any])
            #expect(a3["id"] as? String == "VMdemoA3")
            #expect(a3["status"] as? String == "completed")
            #expect(a3["duration"] as? Int == DemoAudio.voicemailDurations[0])
            #expect(a3["transcript"] as? String == "Hi, this is Alice. Please call me back about my order.")
            let url = try #require(a3["recordingUrl"] as? String)
            #expect(url == server.baseURL + "/media/VMdemoA3.mp3")
            let audio = try await fetch(url)
            #expect(audio.status == 200)
            #expect(audio.header("Content-Type") == "audio/mpeg")
            #expect(audio.body == DemoAudio.voicemails[0])
            #expect(MockWorkspace.demo.voicemail(id: "VMdemoA3")?.content == .bytes(DemoAudio.voicemails[0]))
            let c2 = try #require(withVoicemail.first { $0["id"] as? String == "ACdemoC2" }?["voicemail"] as? [String: Any])
            #expect(isNull(c2["transcript"]))
            #expect(try await fetch(try #require(c2["recordingUrl"] as? String), headers: ["Range": "bytes=0-9"]).body
                == Array(DemoAudio.voicemails[1][0..<10]))
            let rawA3 = Self.text(try await dated(server, "/calls/ACdemoA3?include=voicemail"))
            #expect(rawA3.hasSuffix(
                #","aiHandled":null,"voicemail":{"id":"VMdemoA3","status":"completed","duration":5,"recordingUrl":"\#(server.baseURL)/media/VMdemoA3.mp3","transcript":"Hi, this is Alice. Please call me back about my order."}}}"#
            ))

            let withSummary = try await dated(server, "/calls/ACdemoB2?include=summary")  // a call without summary
            let data = try #require(try withSummary.object["data"] as? [String: Any])
            #expect(data["voicemail"] == nil)
            #expect(Self.text(withSummary).hasSuffix(
                #""summary":{"status":"absent","type":null,"summary":null,"nextSteps":null,"jobs":null,"title":null}}}"#
            ))
            let both = try await dated(server, "/calls?limit=50&include=summary%2Cvoicemail").dataArray
            #expect(both.allSatisfy { $0["summary"] != nil })
            #expect(both.filter { $0["voicemail"] != nil }.count == 2)

            for bad in ["include=transcript", "include=summary,summary", "include=summary,voicemail,summary", "include="] {
                let response = try await dated(server, "/calls?\(bad)")
                try Self.expectEnvelope(response, status: 400, title: "Bad Request")
                let errors = try #require(try response.object["errors"] as? [[String: Any]])
                #expect(errors.first?["path"] as? String == "/query/include", "\(bad)")
            }
            #expect(try await dated(server, "/calls/ACdemoA1?include=nope").status == 400)

            // Voicemail URLs expire like recordings'.
            server.expireRecordingURLs()
            #expect(try await fetch(url).status == 403)
            let fresh = try await dated(server, "/calls/ACdemoA3?include=voicemail").object
            let freshURL = try #require(((fresh["data"] as? [String: Any])?["voicemail"] as? [String: Any])?["recordingUrl"] as? String)
            #expect(freshURL == url + "?sig=1")
            #expect(try await fetch(freshURL).status == 200)
            #expect(try await fetch(freshURL, method: "HEAD").header("Content-Length") == String(DemoAudio.voicemails[0].count))
        }
    }

    @Test func callObjects() async throws {
        try await withServer { server in
            let x1 = try await dated(server, "/calls/ACdemoX1")
            #expect(x1.status == 200)
            #expect(Self.text(x1) == #"""
                {"data":{"id":"ACdemoX1","phoneNumberId":null,"actorId":"USdemoDana01","direction":"incoming","status":"completed","participants":[{"phoneNumber":"+15550100009","actorId":"USdemoDana01"},{"phoneNumber":"+15550109005","actorId":null}],"answeredAt":"2025-04-01T09:00:02Z","answeredBy":"USdemoDana01","initiatedBy":null,"completedAt":"2025-04-01T09:00:09Z","createdAt":"2025-04-01T09:00:00Z","updatedAt":"2025-04-01T09:00:09Z","callRoute":"phone-number","duration":7,"forwardedFrom":null,"forwardedTo":null,"aiHandled":null}}
                """#)

            let group = try #require(try await dated(server, "/calls/ACdemoG1").object["data"] as? [String: Any])
            let participants = try #require(group["participants"] as? [[String: Any]])
            #expect(participants.map { $0["phoneNumber"] as? String } == ["+15550100001", "+15550109001", "+15550109002"])
            #expect(participants[0]["actorId"] as? String == "USdemoDana01")
            #expect(isNull(participants[1]["actorId"]) && isNull(participants[2]["actorId"]))
            #expect(group["phoneNumberId"] as? String == "PNdemoSales1")

            let outgoing = try #require(try await dated(server, "/calls/ACdemoA2").object["data"] as? [String: Any])
            #expect(outgoing["initiatedBy"] as? String == "USdemoDana01")
            #expect(isNull(outgoing["callRoute"]))
            let missed = try #require(try await dated(server, "/calls/ACdemoN1").object["data"] as? [String: Any])
            #expect(isNull(missed["answeredBy"]) && isNull(missed["answeredAt"]))
            #expect((missed["participants"] as? [[String: Any]])?.last?["phoneNumber"] as? String == "anonymous")

            let badId = try await dated(server, "/calls/abc123")
            try Self.expectEnvelope(badId, status: 400, title: "Bad Request")
            #expect(Self.text(badId).contains(
                #""errors":[{"path":"/callId","message":"Expected string to match '^AC(.*)$'","value":"abc123","schema":{"type":"TemplateLiteral","pattern":"^AC(.*)$"}}]"#
            ))
            for path in ["/calls/ACnope", "/calls/ACnope/recordings", "/calls/ACnope/transcripts"] {
                try Self.expectEnvelope(try await dated(server, path), status: 404, title: "Not Found", message: "Call not found")
            }
            try Self.expectEnvelope(try await dated(server, "/calls/ACdemoA1/nothing"), status: 404, title: "Not Found")
            #expect(try await dated(server, "/calls/abc/recordings").status == 400)
        }
    }

    @Test func callFilters() async throws {
        try await withServer { server in
            func ids(_ query: String) async throws -> [String] {
                try await dated(server, "/calls?limit=50&\(query)").dataArray.compactMap { $0["id"] as? String }
            }
            #expect(try await ids("createdAt%5Bgte%5D=2025-03-05T09:00:00Z&createdAt%5Blte%5D=2025-03-07T08:00:00Z")
                == ["ACdemoN1", "ACdemoC2", "ACdemoC1"])
            #expect(try await ids("createdAt[gte]=2025-03-05T09:00:00.001Z&createdAt[lte]=2025-03-07T07:59:59Z") == ["ACdemoC2"])
            #expect(try await ids("phoneNumberId=PNdemoSupp02") == ["ACdemoN1", "ACdemoC2", "ACdemoC1", "ACdemoL1"])
            #expect(try await ids("participant=%2B15550109002") == ["ACdemoB2", "ACdemoB1", "ACdemoG1"])
            #expect(try await ids("participant=anonymous") == ["ACdemoN1"])
            #expect(try await ids("participant=%2B15550109005&phoneNumberId=PNdemoSales1").isEmpty)
            #expect(try await ids("direction=outgoing") == ["ACdemoC1", "ACdemoB2", "ACdemoA5", "ACdemoA2"])
            #expect(try await ids("status=no-answer") == ["ACdemoC2", "ACdemoC1"])
            #expect(try await ids("actorId=USdemoSam002&status=missed") == ["ACdemoN1"])
            let bad = try await dated(server, "/calls?createdAt%5Bgte%5D=yesterday")
            try Self.expectEnvelope(bad, status: 400, title: "Bad Request")
            #expect((try bad.object["errors"] as? [[String: Any]])?.first?["path"] as? String == "/query/createdAt[gte]")
            // Pagination keeps the filter.
            let (paged, pages) = try await Self.walk(server, "/calls?limit=1&phoneNumberId=PNdemoSupp02")
            #expect(paged == ["ACdemoN1", "ACdemoC2", "ACdemoC1", "ACdemoL1"])
            #expect(pages == [1, 1, 1, 1])
        }
    }

    @Test func recordingsAndTranscripts() async throws {
        try await withServer { server in
            let first = try await dated(server, "/calls/ACdemoA2/recordings?limit=2")
            #expect(Self.text(first).hasPrefix(
                #"{"data":[{"id":"CRdemoA2a","status":"completed","startTime":"2025-01-13T15:02:12Z","duration":5,"url":"\#(server.baseURL)/media/CRdemoA2a.mp3","type":"audio/mpeg"},"#
            ))
            let (ids, pages) = try await Self.walk(server, "/calls/ACdemoA2/recordings?limit=2")
            #expect(ids == ["CRdemoA2a", "CRdemoA2b", "CRdemoA2c"])
            #expect(pages == [2, 1])
            let states = try await dated(server, "/calls/ACdemoB1/recordings").dataArray
            #expect(states.map { $0["status"] as? String } == ["in-progress", "deleted", "completed", nil])
            #expect(isNull(states[0]["url"]))
            #expect(try await dated(server, "/calls/ACdemoA3/recordings").dataArray.isEmpty)
            #expect(try await dated(server, "/calls/ACdemoX1/recordings").dataArray.first?["id"] as? String == "CRdemoX1")

            let transcripts = try await dated(server, "/calls/ACdemoB2/transcripts")  // recorded, never transcribed
            #expect(Self.text(transcripts) == #"{"data":[],"nextCursor":null}"#)
        }
    }

    @Test func numbersUsersConversationsContacts() async throws {
        try await withServer { server in
            let numbers = try await dated(server, "/phone-numbers")
            #expect(try numbers.dataArray.map { $0["id"] as? String } == ["PNdemoSales1", "PNdemoSupp02"])
            #expect(Self.text(numbers).hasPrefix(
                #"{"data":[{"id":"PNdemoSales1","groupId":null,"name":"Sales","phoneNumber":"+15550100001","formattedNumber":"(555) 010-0001","forward":null,"portRequestId":null,"portingStatus":null,"symbol":null,"createdAt":"2024-03-01T12:00:00Z","updatedAt":"2024-03-01T12:00:00Z","restrictions":{"calling":{"CA":"unrestricted","Intl":"unrestricted","US":"unrestricted"},"messaging":{"CA":"unrestricted","Intl":"restricted","US":"unrestricted"}}},"#
            ))
            #expect(Self.text(numbers).hasSuffix(#"],"nextCursor":null}"#))

            let users = try await dated(server, "/users")
            #expect(Self.text(users).hasPrefix(
                #"{"data":[{"id":"USdemoDana01","email":"dana@example.com","firstName":"Dana","lastName":"Demo","pictureUrl":null,"role":"owner","createdAt":"2024-03-01T12:00:00Z","updatedAt":"2024-03-01T12:00:00Z"},"#
            ))
            #expect(try users.dataArray.map { $0["id"] as? String } == ["USdemoDana01", "USdemoSam002"])
            #expect(MockWorkspace.demo.users.map(\.id) == ["USdemoDana01", "USdemoSam002"])

            let support = try await dated(server, "/conversations?phoneNumberId=PNdemoSupp02")
            #expect(Self.text(support).hasPrefix(
                #"{"data":[{"id":"CNdemo005","phoneNumberId":"PNdemoSupp02","participants":["+15550109003"],"name":"Carol","lastActivityAt":"2025-03-06T16:20:00Z","lastActivityId":"ACdemoC2","mutedUntil":null,"snoozedUntil":null,"createdAt":"2025-03-05T09:00:00Z","updatedAt":"2025-03-06T16:20:40Z","deletedAt":null},"#
            ))
            let all = try await dated(server, "/conversations").dataArray
            #expect(all.map { $0["id"] as? String } == ["CNdemo005", "CNdemo004", "CNdemo002", "CNdemo003", "CNdemo001"])
            #expect(all.first { $0["id"] as? String == "CNdemo003" }?["lastActivityId"] as? String == "ACdemoG1")

            let contacts = try await dated(server, "/contacts")
            #expect(Self.text(contacts) == #"""
                {"data":[{"id":"ctdemo1","externalId":null,"source":null,"sourceUrl":null,"firstName":"Alice","lastName":"Archer","company":"Acme","role":null,"createdAt":"2025-01-05T09:00:00Z","updatedAt":"2025-01-12T09:20:00Z","actorId":null},{"id":"ctdemo2","externalId":null,"source":null,"sourceUrl":null,"firstName":"Bob","lastName":"Baker","company":null,"role":null,"createdAt":"2025-01-05T09:05:00Z","updatedAt":"2025-01-05T09:05:00Z","actorId":null}],"nextCursor":null}
                """#)
        }
    }

    @Test func repeatCursorsHandOutTheSameCursor() async throws {
        try await withServer(options: MockOptions(requestsPerSecond: nil, repeatCursors: true)) { server in
            let first = try #require(try await dated(server, "/calls?limit=2").object["nextCursor"] as? String)
            let second = try await dated(server, "/calls?limit=2&after=\(first)")
            #expect(second.status == 200)
            #expect(try second.object["nextCursor"] as? String == first)
            // Even a list that fits one page.
            #expect(try await dated(server, "/contacts").object["nextCursor"] as? String != nil)

            let base = "/v1/calls?phoneNumberId=PNdemoSales1&participants%5B%5D=%2B15550109001&maxResults=2"
            let token = try #require(try await api(server, base).object["nextPageToken"] as? String)
            #expect(try await api(server, base + "&pageToken=\(token)").object["nextPageToken"] as? String == token)
            #expect(try await api(server, "/v1/contacts?maxResults=50").object["nextPageToken"] as? String != nil)
        }
    }

    @Test func apiLatencyDelaysBothSurfaces() async throws {
        let latency = Duration.milliseconds(300)
        try await withServer(options: MockOptions(requestsPerSecond: nil, apiLatency: latency)) { server in
            let clock = ContinuousClock()
            for (path, withVersion) in [("/v1/phone-numbers", false), ("/calls", true), ("/calls", false)] {
                let start = clock.now
                let response = withVersion ? try await dated(server, path) : try await api(server, path)
                #expect(response.status == (path == "/calls" && !withVersion ? 400 : 200))
                #expect(clock.now - start >= latency, "\(path)")
            }
            // The recording host is not delayed by it: only checked to answer.
            #expect(try await fetch(server.baseURL + "/media/CRdemoA1.mp3").status == 200)
        }
        #expect(MockOptions().apiLatency == .zero)
    }

    @Test func bothSurfacesShareTheRateLimitAndAreCountedApart() async throws {
        try await withServer(options: MockOptions(requestsPerSecond: 3, rateLimitWindow: .seconds(600))) { server in
            #expect(try await api(server, "/v1/phone-numbers").status == 200)
            #expect(try await dated(server, "/phone-numbers").status == 200)
            #expect(try await api(server, "/v1/calls/ACdemoA1").status == 200)
            let limited = try await dated(server, "/calls?limit=1")
            try Self.expectEnvelope(limited, status: 429, title: "Too Many Requests", message: "Too many requests")
            #expect(try await api(server, "/v1/phone-numbers").status == 429)
            _ = try await fetch(server.baseURL + "/calls")  // 400 for the version, still counted
            let stats = server.stats()
            #expect(stats.apiRequests == 6)
            #expect(stats.apiRequestsV1 == 3)
            #expect(stats.apiRequestsDated == 3)
            #expect(stats.rateLimited == 2)
            #expect(stats.apiRequestLog == [
                "GET /v1/phone-numbers", "GET /phone-numbers", "GET /v1/calls/ACdemoA1", "GET /calls?limit=1",
                "GET /v1/phone-numbers", "GET /calls",
            ])
            let served = try await fetch(server.baseURL + "/_mock/stats")
            #expect(try JSONDecoder().decode(MockStats.self, from: Data(served.body)) == stats)
            #expect(server.stats().apiRequests == 6)  // neither /_mock/stats nor media count
        }
    }
}
