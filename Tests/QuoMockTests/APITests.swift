import Foundation
import QuoMock
import Testing

@Suite("Quo API endpoints")
struct APITests {
    @Test func missingOrWrongKeyIsUnauthorized() async throws {
        try await withServer { server in
            for headers in [[:], ["Authorization": "nope"], ["Authorization": "Bearer demo-key"]] {
                let response = try await fetch(server.baseURL + "/v1/phone-numbers", headers: headers)
                #expect(response.status == 401)
                #expect(response.header("Content-Type") == "application/json")
                let body = try response.object
                #expect(Set(body.keys) == ["message", "code", "status", "docs", "title"])
                #expect(body["code"] as? String == "0900401")
                #expect(body["status"] as? Int == 401)
                #expect(body["docs"] as? String == "https://openphone.com/docs")
                #expect(body["title"] as? String == "Unauthorized")
                #expect((body["message"] as? String)?.isEmpty == false)
            }
            let ok = try await api(server, "/v1/phone-numbers")
            #expect(ok.status == 200)
        }
    }

    @Test func phoneNumbersHaveAllFields() async throws {
        try await withServer { server in
            let response = try await api(server, "/v1/phone-numbers")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            let numbers = try response.dataArray
            try #require(numbers.count == 2)
            #expect(numbers.map { $0["id"] as? String } == ["PNdemoSales1", "PNdemoSupp02"])
            let expected: Set<String> = [
                "id", "groupId", "portRequestId", "formattedNumber", "forward", "name", "number",
                "portingStatus", "symbol", "users", "createdAt", "updatedAt", "restrictions",
            ]
            for number in numbers {
                #expect(Set(number.keys) == expected)
                #expect(isNull(number["portRequestId"]))
                #expect(number["restrictions"] is [String: Any])
                let users = try #require(number["users"] as? [[String: Any]])
                #expect(users.count == 1)
                #expect(Set(users[0].keys) == ["id", "email", "firstName", "lastName", "role"])
            }
            #expect(numbers[0]["number"] as? String == "+15550100001")
            #expect(numbers[0]["name"] as? String == "Sales")
            #expect(numbers[0]["createdAt"] as? String == "2024-03-01T12:00:00Z")
            #expect(numbers[1]["createdAt"] as? String == "2024-04-15T08:30:00.000Z")
            #expect((try response.object).keys.sorted() == ["data"])
        }
    }

    @Test func conversationsFilterByNumberOrId() async throws {
        try await withServer { server in
            let byNumber = try await api(server, "/v1/conversations?phoneNumbers%5B%5D=%2B15550100001&maxResults=100")
            #expect(byNumber.status == 200)
            let sales = try byNumber.dataArray
            try #require(sales.count == 3)
            #expect(sales.map { $0["id"] as? String } == ["CNdemo002", "CNdemo003", "CNdemo001"])
            #expect(try byNumber.object["totalItems"] as? Int == 3)
            #expect(isNull(try byNumber.object["nextPageToken"]))
            let expected: Set<String> = [
                "id", "assignedTo", "createdAt", "deletedAt", "lastActivityAt", "lastActivityId", "mutedUntil",
                "name", "participants", "phoneNumberId", "snoozedUntil", "updatedAt",
            ]
            for conversation in sales { #expect(Set(conversation.keys) == expected) }
            #expect(isNull(sales[0]["name"]))
            #expect(sales[1]["participants"] as? [String] == ["+15550109001", "+15550109002"])
            #expect(sales[2]["lastActivityId"] as? String == "ACdemoA5")

            let byId = try await api(server, "/v1/conversations?phoneNumbers%5B%5D=PNdemoSupp02&maxResults=10")
            #expect(try byId.dataArray.map { $0["id"] as? String } == ["CNdemo005", "CNdemo004"])

            let both = try await api(server, "/v1/conversations?phoneNumbers%5B%5D=PNdemoSupp02&phoneNumbers%5B%5D=%2B15550100001&maxResults=100")
            #expect(try both.dataArray.count == 5)

            // Form decoding turns an unencoded "+" into a space: no such number.
            let plus = try await api(server, "/v1/conversations?phoneNumbers%5B%5D=+15550100001&maxResults=100")
            #expect(plus.status == 200)
            #expect(try plus.dataArray.isEmpty)
            #expect(server.stats().apiRequestLog.last == "GET /v1/conversations?phoneNumbers%5B%5D=+15550100001&maxResults=100")
        }
    }

    @Test func conversationsRequireValidMaxResults() async throws {
        try await withServer { server in
            for query in ["", "?maxResults=0", "?maxResults=101", "?maxResults=ten"] {
                let response = try await api(server, "/v1/conversations\(query)")
                #expect(response.status == 400, "\(query)")
                let body = try response.object
                #expect(body["code"] as? String == "0900400")
                #expect(body["title"] as? String == "Bad Request")
                let errors = try #require(body["errors"] as? [[String: Any]])
                #expect(errors.first?["path"] as? String == "/maxResults")
                #expect((errors.first?["schema"] as? [String: Any])?["type"] as? String == "number")
                #expect(errors.first?["message"] is String)
            }
        }
    }

    @Test func callsPaginateWithTokens() async throws {
        try await withServer(options: MockOptions(requestsPerSecond: nil, maxPageSize: 2)) { server in
            let base = "/v1/calls?phoneNumberId=PNdemoSales1&participants%5B%5D=%2B15550109001&maxResults=50"
            var ids: [String] = []
            var pageSizes: [Int] = []
            var token: String?
            repeat {
                let path = base + (token.map { "&pageToken=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" } ?? "")
                let response = try await api(server, path)
                #expect(response.status == 200)
                let body = try response.object
                #expect(body["totalItems"] as? Int == 5)
                let page = try response.dataArray
                pageSizes.append(page.count)
                ids += page.compactMap { $0["id"] as? String }
                if isNull(body["nextPageToken"]) {
                    token = nil
                } else {
                    token = try #require(body["nextPageToken"] as? String)
                }
            } while token != nil && pageSizes.count < 10
            #expect(pageSizes == [2, 2, 1])
            #expect(ids == ["ACdemoA5", "ACdemoA4", "ACdemoA3", "ACdemoA2", "ACdemoA1"])

            let bad = try await api(server, base + "&pageToken=garbage")
            #expect(bad.status == 400)
            #expect(try bad.object["code"] as? String == "0900400")
        }
    }

    @Test func callsFieldsAndValidation() async throws {
        try await withServer { server in
            let response = try await api(server, "/v1/calls?phoneNumberId=PNdemoSales1&participants%5B%5D=%2B15550109001")
            let calls = try response.dataArray
            #expect(calls.count == 5)  // default maxResults is 10
            let expected: Set<String> = [
                "id", "answeredAt", "answeredBy", "completedAt", "createdAt", "direction", "duration", "forwardedFrom",
                "forwardedTo", "initiatedBy", "participants", "phoneNumberId", "status", "updatedAt", "userId",
            ]
            for call in calls { #expect(Set(call.keys) == expected) }
            let missed = try #require(calls.first { $0["id"] as? String == "ACdemoA3" })
            #expect(missed["status"] as? String == "missed")
            #expect(isNull(missed["answeredAt"]))

            let unencoded = try await api(server, "/v1/calls?phoneNumberId=PNdemoSales1&participants%5B%5D=+15550109001")
            #expect(unencoded.status == 200)
            #expect(try unencoded.dataArray.isEmpty)

            let windowed = try await api(
                server,
                "/v1/calls?phoneNumberId=PNdemoSales1&participants%5B%5D=%2B15550109001&createdAfter=2025-01-13T00:00:00Z&createdBefore=2025-01-20T00:00:00Z"
            )
            #expect(try windowed.dataArray.map { $0["id"] as? String } == ["ACdemoA3", "ACdemoA2"])

            for bad in [
                "/v1/calls?participants%5B%5D=%2B15550109001",
                "/v1/calls?phoneNumberId=PNdemoSales1",
                "/v1/calls?phoneNumberId=PNdemoSales1&participants%5B%5D=%2B15550109001&participants%5B%5D=%2B15550109002",
                "/v1/calls?phoneNumberId=PNdemoSales1&participants%5B%5D=%2B15550109001&maxResults=500",
                "/v1/calls?phoneNumberId=PNdemoSales1&participants%5B%5D=%2B15550109001&createdAfter=yesterday",
            ] {
                let response = try await api(server, bad)
                #expect(response.status == 400, "\(bad)")
                #expect(try response.object["errors"] is [[String: Any]])
            }
        }
    }

    @Test func callByIdAndNotFound() async throws {
        try await withServer { server in
            let call = try await api(server, "/v1/calls/ACdemoB2")
            #expect(call.status == 200)
            let data = try #require(try call.object["data"] as? [String: Any])
            #expect(data["id"] as? String == "ACdemoB2")
            #expect(data["participants"] as? [String] == ["+15550109002"])

            for path in ["/v1/calls/ACnope", "/v1/call-recordings/ACnope", "/v1/no-such-endpoint"] {
                let missing = try await api(server, path)
                #expect(missing.status == 404, "\(path)")
                let body = try missing.object
                #expect(body["code"] as? String == "0900404")
                #expect(body["title"] as? String == "Not Found")
                #expect(body["status"] as? Int == 404)
            }
        }
    }

    @Test func recordingsHaveEveryField() async throws {
        try await withServer { server in
            let response = try await api(server, "/v1/call-recordings/ACdemoB1")
            #expect(response.status == 200)
            let recordings = try response.dataArray
            try #require(recordings.count == 4)
            #expect(recordings.map { $0["id"] as? String } == ["CRdemoB1a", "CRdemoB1b", "CRdemoB1c", "CRdemoB1d"])
            for recording in recordings {
                #expect(Set(recording.keys) == ["id", "duration", "startTime", "status", "type", "url"])
            }
            #expect(recordings[0]["status"] as? String == "in-progress")
            #expect(isNull(recordings[0]["url"]))
            #expect(isNull(recordings[0]["duration"]))
            #expect(recordings[1]["status"] as? String == "deleted")
            #expect(isNull(recordings[1]["url"]))
            #expect(isNull(recordings[2]["type"]))
            #expect(recordings[2]["url"] as? String == server.baseURL + "/media/CRdemoB1c.mp3")
            #expect(recordings[2]["duration"] as? Int == DemoAudio.durations[1])
            #expect(isNull(recordings[3]["status"]))
            #expect(recordings[3]["startTime"] as? String == "2025-02-01T08:05:00Z")

            let segments = try await api(server, "/v1/call-recordings/ACdemoA2").dataArray
            try #require(segments.count == 3)
            #expect(segments.map { $0["id"] as? String } == ["CRdemoA2a", "CRdemoA2b", "CRdemoA2c"])
            #expect(segments[1]["startTime"] as? String == "2025-01-13T15:02:12.600Z")
            #expect(isNull(segments[2]["startTime"]))

            let big = try await api(server, "/v1/call-recordings/ACdemoB2").dataArray
            #expect(big.first?["url"] as? String == server.baseURL + "/media/CRdemoBig.wav")
            #expect(big.first?["type"] as? String == "audio/wav")
            #expect(big.first?["duration"] as? Int == 8388)

            let london = try await api(server, "/v1/call-recordings/ACdemoL1").dataArray
            try #require(london.count == 3)
            #expect(london.map { $0["status"] as? String } == ["completed", "failed", "processing"])
            #expect(london[2]["url"] is String)

            let none = try await api(server, "/v1/call-recordings/ACdemoA3").dataArray
            #expect(none.isEmpty)
        }
    }

    @Test func rateLimitAfterTenQuickRequests() async throws {
        // A window far longer than the test, so "quick" holds on however busy a machine;
        // the sliding itself is unit-tested with explicit instants (UnitTests).
        try await withServer(options: MockOptions(rateLimitWindow: .seconds(600))) { server in
            for _ in 0..<10 {
                #expect(try await api(server, "/v1/phone-numbers").status == 200)
            }
            let limited = try await api(server, "/v1/phone-numbers")
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == nil)
            let body = try limited.object
            #expect(body["message"] as? String == "Too many requests")
            #expect(body["code"] as? String == "0900429")
            #expect(body["status"] as? Int == 429)
            #expect(body["title"] as? String == "Too Many Requests")
            // Media is never rate-limited.
            #expect(try await fetch(server.baseURL + "/media/CRdemoA1.mp3").status == 200)
            let stats = server.stats()
            #expect(stats.apiRequests == 11)
            #expect(stats.rateLimited == 1)
        }
        try await withServer(options: MockOptions(requestsPerSecond: 2, rateLimitWindow: .seconds(600), retryAfterSeconds: 3)) { server in
            _ = try await api(server, "/v1/phone-numbers")
            _ = try await api(server, "/v1/phone-numbers")
            let limited = try await api(server, "/v1/phone-numbers")
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == "3")
        }
        // The default window is one second and slides: a second later requests pass again
        // (whatever the machine's speed, at least that much time has passed).
        try await withServer(options: MockOptions(requestsPerSecond: 2)) { server in
            #expect(try await api(server, "/v1/phone-numbers").status == 200)
            #expect(try await api(server, "/v1/phone-numbers").status == 200)
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await api(server, "/v1/phone-numbers").status == 200)
        }
    }

    @Test func statsEndpointAndReset() async throws {
        try await withServer { server in
            _ = try await api(server, "/v1/calls?phoneNumberId=PNdemoSales1&participants%5B%5D=%2B15550109001&maxResults=2")
            _ = try await fetch(server.baseURL + "/media/CRdemoA1.mp3")
            _ = try await fetch(server.baseURL + "/media/CRdemoA1.mp3", headers: ["Authorization": "demo-key"])
            _ = try await fetch(server.baseURL + "/media/CRdemoA1.mp3", method: "HEAD", headers: ["Authorization": "x"])
            let stats = server.stats()
            #expect(stats.apiRequests == 1)
            #expect(stats.apiRequestLog == ["GET /v1/calls?phoneNumberId=PNdemoSales1&participants%5B%5D=%2B15550109001&maxResults=2"])
            #expect(stats.mediaRequests == 3)
            #expect(stats.mediaRequestsWithAuthorization == 2)

            let served = try await fetch(server.baseURL + "/_mock/stats")
            #expect(served.status == 200)
            let decoded = try JSONDecoder().decode(MockStats.self, from: Data(served.body))
            #expect(decoded == stats)
            #expect(server.stats() == stats)  // not counted

            server.resetStats()
            #expect(server.stats() == MockStats())
        }
    }

    @Test func serversAreIndependentAndStop() async throws {
        let first = try await QuoMockServer.start(options: MockOptions(apiKey: "one", requestsPerSecond: nil))
        let second = try await QuoMockServer.start(options: MockOptions(apiKey: "two", requestsPerSecond: nil))
        #expect(first.port != second.port)
        #expect(first.baseURL == "http://127.0.0.1:\(first.port)")
        #expect(try await fetch(first.baseURL + "/v1/phone-numbers", headers: ["Authorization": "two"]).status == 401)
        #expect(try await fetch(second.baseURL + "/v1/phone-numbers", headers: ["Authorization": "two"]).status == 200)
        await first.stop()
        await second.stop()
        // Nothing listens any more (the client retries a refused connection until its deadline).
        await #expect(throws: (any Error).self) {
            _ = try await fetch(first.baseURL + "/v1/phone-numbers", headers: ["Authorization": "one"], timeoutSeconds: 2)
        }
    }
}
