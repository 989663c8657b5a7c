import AsyncHTTPClient
import Logging
import QuoMock
import Testing
@testable import QuoAPI

/// Both API versions against QuoMock over real HTTP on loopback.
@Suite("QuoClient: 2026-03-30 and v1 side by side")
struct DatedClientTests {
    func withClient<T>(
        _ version: APIVersion, options: MockOptions = MockOptions(),
        _ body: (QuoClient, QuoMockServer) async throws -> T
    ) async throws -> T {
        let server = try await QuoMockServer.start(workspace: .demo, options: options)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var configuration = QuoClientConfiguration(baseURL: server.baseURL, apiKey: options.apiKey, version: version)
        configuration.initialBackoff = .milliseconds(10)
        let client = QuoClient(httpClient: http, configuration: configuration, logger: Logger(label: "test"))
        defer { Task { try? await http.shutdown(); await server.stop() } }
        return try await body(client, server)
    }

    @Test("cursor pages with `after` and the version header; the whole workspace, group calls included")
    func cursorPagination() async throws {
        try await withClient(.dated20260330, options: MockOptions(maxPageSize: 3)) { client, server in
            let calls = try await client.calls(phoneNumberID: nil, participant: nil)
            let expected = server.workspace.calls.count
            #expect(calls.count == expected)
            #expect(Set(calls.map(\.id)).count == expected)
            #expect(calls.allSatisfy { $0.voicemailIncluded })
            let group = try #require(calls.first { $0.id == "ACdemoG1" })
            #expect(group.externalParties(ownNumbers: ["+15550100001", "+15550100002"]) == ["+15550109001", "+15550109002"])
            #expect(calls.first { $0.id == "ACdemoX1" }?.phoneNumberId == nil)
            #expect(calls.first { $0.id == "ACdemoA3" }?.voicemail?.transcript?.isEmpty == false)
            let stats = server.stats()
            #expect(stats.apiRequestsDated == (expected + 2) / 3 && stats.apiRequestsV1 == 0)
            #expect(stats.apiRequestLog.allSatisfy { $0.hasPrefix("GET /calls?") && $0.contains("limit=50") })
            #expect(stats.apiRequestLog.dropFirst().allSatisfy { $0.contains("after=") })
        }
    }

    @Test("concurrent asks for one call (its voicemail and its summary) share one GET /calls/{id}; later ones ask again")
    func concurrentCallShared() async throws {
        try await withClient(.dated20260330) { client, server in
            async let voicemail = client.voicemail(callID: "ACdemoA3")
            async let summary = client.summary(callID: "ACdemoA3")
            async let call = client.call(id: "ACdemoA3")
            let (v, _, c) = try await (voicemail, summary, call)
            #expect(v?.transcript == c.voicemail?.transcript)
            #expect(server.stats().apiRequestLog == ["GET /calls/ACdemoA3?include=summary%2Cvoicemail"])
            _ = try await client.voicemail(callID: "ACdemoA3")
            #expect(server.stats().apiRequests == 2)
        }
    }

    @Test("a repeated cursor or page token is an error, not an endless loop", arguments: APIVersion.allCases)
    func repeatedCursor(version: APIVersion) async throws {
        try await withClient(version, options: MockOptions(maxPageSize: 1, repeatCursors: true)) { client, _ in
            let error = await #expect(throws: QuoAPIError.self) {
                try await client.conversations(phoneNumberID: "PNdemoSales1")
            }
            #expect(error?.kind == .invalidResponse)
            #expect(error?.message.contains("repeated") == true)
        }
    }

    @Test("a server refusing the version: a 400 naming the header, or a 404 for the unprefixed path")
    func versionRefused() async throws {
        for options in [MockOptions(supportedVersions: []), MockOptions(servesDatedVersion: false)] {
            try await withClient(.dated20260330, options: options) { client, server in
                let error = await #expect(throws: QuoAPIError.self) {
                    try await QuoWorkspace(client: client).phoneNumbers(maxRetries: 1)
                }
                #expect(error?.kind == .versionRefused, "\(String(describing: error))")
                #expect(server.stats().apiRequests == 1)
            }
        }
    }

    @Test("the 2026-03-30 error envelope's message is surfaced")
    func errorEnvelope() async throws {
        try await withClient(.dated20260330) { client, _ in
            let error = await #expect(throws: QuoAPIError.self) { try await client.call(id: "ACnope") }
            #expect(error?.kind == .notFound)
            #expect(error?.message == "Call not found")
            let invalid = await #expect(throws: QuoAPIError.self) { try await client.recordings(callID: "nope") }
            #expect(invalid?.kind == .badRequest)
            #expect(invalid?.message.contains("/callId") == true)
        }
    }

    @Test("voicemails: inline with 2026-03-30, their own request with v1 (404: none)", arguments: APIVersion.allCases)
    func voicemails(version: APIVersion) async throws {
        try await withClient(version) { client, server in
            let voicemail = try #require(try await client.voicemail(callID: "ACdemoA3"))
            #expect(voicemail.isAvailable)
            #expect(voicemail.transcript == server.workspace.call(id: "ACdemoA3")?.voicemail?.transcript)
            #expect(try await client.voicemail(callID: "ACdemoA1") == nil)
            let noText = try #require(try await client.voicemail(callID: "ACdemoC2"))
            #expect(noText.transcript == nil && noText.isAvailable)
        }
    }

    @Test("numbers, recordings, users, contacts and conversations agree between versions")
    func sameAnswers() async throws {
        let v1 = try await withClient(.v1) { client, _ in
            (try await client.phoneNumbers(), try await client.recordings(callID: "ACdemoA2"),
             try await client.users(), try await client.conversations(phoneNumberID: "PNdemoSales1"), try await client.contacts())
        }
        let dated = try await withClient(.dated20260330, options: MockOptions(maxPageSize: 1)) { client, _ in
            (try await client.phoneNumbers(), try await client.recordings(callID: "ACdemoA2"),
             try await client.users(), try await client.conversations(phoneNumberID: "PNdemoSales1"), try await client.contacts())
        }
        #expect(v1.0.map(\.number) == dated.0.map(\.number))
        #expect(v1.0.map(\.id) == dated.0.map(\.id))
        #expect(v1.1.map(\.id) == dated.1.map(\.id))
        #expect(v1.1.map(\.startTime) == dated.1.map(\.startTime))
        func mediaFile(_ recording: CallRecording) -> String? {
            recording.url?.split(separator: "?").first?.split(separator: "/").last.map(String.init)
        }
        #expect(v1.1.map(mediaFile) == dated.1.map(mediaFile))
        #expect(Set(v1.2.map(\.id)) == Set(dated.2.map(\.id)))
        #expect(v1.3.map(\.id) == dated.3.map(\.id))
        #expect(v1.4.map(\.id) == dated.4.map(\.id))
        #expect(v1.4.first { $0.firstName == "Alice" }?.phoneNumbers == ["+15550109001"])
    }

    @Test("conversations stop at the first page that ends with no activity since a mark", arguments: APIVersion.allCases)
    func conversationsSince(version: APIVersion) async throws {
        try await withClient(version, options: MockOptions(maxPageSize: 1)) { client, server in
            let all = try await client.conversations(phoneNumberID: "PNdemoSales1")
            #expect(all.count == 3)
            server.resetStats()
            // A mark at the second one's activity: the page holding it ends the listing
            // (what comes after it has had no activity since).
            let recent = try await client.conversations(phoneNumberID: "PNdemoSales1", activeAfter: all[1].lastActivityAt)
            #expect(recent.map(\.id) == Array(all.prefix(2)).map(\.id))
            #expect(server.stats().apiRequests == 2)
            let none = try await client.conversations(phoneNumberID: "PNdemoSales1", activeAfter: "2030-01-01T00:00:00Z")
            #expect(none.map(\.id) == [all[0].id])  // one page, and it is already older than the mark
        }
    }
}
