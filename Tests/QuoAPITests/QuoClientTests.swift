import AsyncHTTPClient
import Logging
import QuoMock
import Testing
@testable import QuoAPI

/// The client against QuoMock over real HTTP on loopback.
@Suite("QuoClient against the fake API")
struct QuoClientTests {
    func withClient<T>(
        version: APIVersion = .v1, options: MockOptions = MockOptions(), key: String? = nil,
        configure: (inout QuoClientConfiguration) -> Void = { _ in },
        _ body: (QuoClient, QuoMockServer) async throws -> T
    ) async throws -> T {
        let server = try await QuoMockServer.start(workspace: .demo, options: options)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var configuration = QuoClientConfiguration(baseURL: server.baseURL, apiKey: key ?? options.apiKey, version: version)
        configure(&configuration)
        let client = QuoClient(httpClient: http, configuration: configuration, logger: Logger(label: "test"))
        do {
            let result = try await body(client, server)
            try await http.shutdown()
            await server.stop()
            return result
        } catch {
            try? await http.shutdown()
            await server.stop()
            throw error
        }
    }

    @Test("walks every page, and sends E.164 numbers as %2B")
    func pagination() async throws {
        try await withClient(options: MockOptions(maxPageSize: 2)) { client, server in
            let calls = try await client.calls(phoneNumberID: "PNdemoSales1", participant: "+15550109001")
            #expect(calls.map(\.id) == ["ACdemoA5", "ACdemoA4", "ACdemoA3", "ACdemoA2", "ACdemoA1"])
            let log = server.stats().apiRequestLog
            #expect(log.count == 3)
            #expect(log.allSatisfy { $0.contains("participants%5B%5D=%2B15550109001") })
            #expect(log.dropFirst().allSatisfy { $0.contains("pageToken=") })

            let conversations = try await client.conversations(phoneNumberID: "PNdemoSales1")
            #expect(Set(conversations.map(\.id)) == ["CNdemo001", "CNdemo002", "CNdemo003"])
        }
    }

    @Test("a wrong key fails with the API's 401 message and is not retried")
    func unauthorized() async throws {
        try await withClient(key: "wrong") { client, server in
            let error = await #expect(throws: QuoAPIError.self) { try await client.phoneNumbers() }
            #expect(error?.kind == .unauthorized)
            #expect(error?.status == 401)
            #expect(error?.description.contains("wrong") == false)
            #expect(server.stats().apiRequests == 1)
        }
    }

    @Test("an unknown call is a 404 error; its id cannot change the path")
    func notFound() async throws {
        try await withClient { client, server in
            let error = await #expect(throws: QuoAPIError.self) { try await client.recordings(callID: "AC../../v1/phone-numbers") }
            #expect(error?.kind == .notFound)
            #expect(server.stats().apiRequestLog.last?.contains("/v1/call-recordings/AC..%2F..%2Fv1%2Fphone-numbers") == true)
        }
    }

    @Test("many concurrent requests stay under the server's limit (no 429)")
    func staysUnderLimit() async throws {
        try await withClient { client, server in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<25 { group.addTask { _ = try await client.recordings(callID: "ACdemoA1") } }
                try await group.waitForAll()
            }
            #expect(server.stats().rateLimited == 0)
            #expect(server.stats().apiRequests == 25)
        }
    }

    @Test("429s are retried (honouring Retry-After) until the request succeeds")
    func retriesRateLimited() async throws {
        try await withClient(options: MockOptions(retryAfterSeconds: 1), configure: {
            $0.rateLimit = 1000
            $0.maxRetries = 6
        }) { client, server in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<15 { group.addTask { try await client.recordings(callID: "ACdemoA2").count } }
                for try await count in group { #expect(count == 3) }
            }
            #expect(server.stats().rateLimited > 0)
        }
    }

    @Test("a 429 is retried even where the caller asked to fail fast (another process may share the key)")
    func rateLimitedKeyCheck() async throws {
        var options = MockOptions()
        options.requestsPerSecond = 1
        options.retryAfterSeconds = 1
        try await withClient(options: options) { client, server in
            // Someone else used the key's one request of this second.
            _ = try await client.phoneNumbers()
            let numbers = try await client.phoneNumbers(maxRetries: 0)
            #expect(numbers.count == 2)
            #expect(server.stats().rateLimited >= 1)
        }
    }

    @Test("an unreachable API is a transport error after bounded retries")
    func unreachable() async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var configuration = QuoClientConfiguration(baseURL: "http://127.0.0.1:1", apiKey: "k")
        configuration.maxRetries = 1
        configuration.initialBackoff = .milliseconds(10)
        let client = QuoClient(httpClient: http, configuration: configuration, logger: Logger(label: "test"))
        let error = await #expect(throws: QuoAPIError.self) { try await client.phoneNumbers() }
        #expect(error?.kind == .transport)
        #expect(client.requestsSent == 2)
        // A per-call retry limit overrides the configured one.
        await #expect(throws: QuoAPIError.self) { try await client.phoneNumbers(maxRetries: 0) }
        #expect(client.requestsSent == 3)
        try await http.shutdown()
    }
}
