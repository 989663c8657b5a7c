import AsyncHTTPClient
import Logging
import QuoMock
import Testing
@testable import QuoAPI

/// The per-second ring behind "requests in the last minute", and the client's counters
/// (requests, 429s, retries) against the fake API.
@Suite("Client statistics")
struct ClientStatisticsTests {
    @Test("the ring counts the current second and the 59 before it")
    func ringWindow() {
        var ring = PerSecondRing(seconds: 60)
        #expect(ring.total(atSecond: 0) == 0)
        ring.record(atSecond: 0)
        ring.record(2, atSecond: 0)
        ring.record(atSecond: 5)
        ring.record(atSecond: 59)
        #expect(ring.total(atSecond: 59) == 5)
        // Second 0 leaves the window at 60, second 5 at 65.
        #expect(ring.total(atSecond: 60) == 2)
        #expect(ring.total(atSecond: 64) == 2)
        #expect(ring.total(atSecond: 65) == 1)
        #expect(ring.total(atSecond: 118) == 1)
        #expect(ring.total(atSecond: 119) == 0)
        #expect(ring.total(atSecond: 1_000) == 0)
        // Nothing of the future counts (a reader whose clock lags a writer's).
        #expect(ring.total(atSecond: 4) == 3)
    }

    @Test("a bucket reused a lap later starts from zero")
    func ringLaps() {
        var ring = PerSecondRing(seconds: 60)
        ring.record(7, atSecond: 3)
        ring.record(atSecond: 63)  // the same bucket, one lap later
        #expect(ring.total(atSecond: 63) == 1)
        ring.record(atSecond: 63)
        #expect(ring.total(atSecond: 100) == 2)
        // Every second of a long run: the total stays at the window's count.
        var busy = PerSecondRing(seconds: 60)
        for second in Int64(0)..<1000 { busy.record(2, atSecond: second) }
        #expect(busy.total(atSecond: 999) == 120)
        #expect(busy.total(atSecond: 1029) == 60)
    }

    @Test("a small ring; negative seconds")
    func ringSmall() {
        var ring = PerSecondRing(seconds: 3)
        ring.record(atSecond: -2)
        ring.record(atSecond: -1)
        ring.record(atSecond: 0)
        #expect(ring.total(atSecond: 0) == 3)
        #expect(ring.total(atSecond: 1) == 2)
        ring.record(atSecond: 1)
        #expect(ring.total(atSecond: 1) == 3)
    }

    @Test("requests, 429s and retries match what the server saw")
    func countersAgainstServer() async throws {
        var options = MockOptions()
        options.requestsPerSecond = 1
        options.retryAfterSeconds = 1
        let server = try await QuoMockServer.start(workspace: .demo, options: options)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let client = QuoClient(
            httpClient: http, configuration: QuoClientConfiguration(baseURL: server.baseURL, apiKey: options.apiKey, version: .v1),
            logger: Logger(label: "test"))
        #expect(client.statistics == ClientStatistics())
        _ = try await client.phoneNumbers()
        _ = try await client.phoneNumbers()
        let statistics = client.statistics
        let stats = server.stats()
        try await http.shutdown()
        await server.stop()
        #expect(stats.rateLimited >= 1)
        #expect(statistics.requestsSent == stats.apiRequests)
        #expect(statistics.rateLimited == stats.rateLimited)
        // Every 429 was retried, and nothing else failed.
        #expect(statistics.retries == stats.rateLimited)
        #expect(statistics.requestsLastMinute == statistics.requestsSent)
        #expect(abs(statistics.requestsPerSecondLastMinute - Double(statistics.requestsSent) / 60) < 1e-9)
    }

    @Test("5xx retries count, with no 429")
    func serverErrorRetries() async throws {
        let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions())
        server.setFaults(MockFaults(apiServerErrors: 1))
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var configuration = QuoClientConfiguration(baseURL: server.baseURL, apiKey: MockOptions().apiKey, version: .v1)
        configuration.maxRetries = 2
        configuration.initialBackoff = .milliseconds(10)
        let client = QuoClient(httpClient: http, configuration: configuration, logger: Logger(label: "test"))
        await #expect(throws: QuoAPIError.self) { try await client.phoneNumbers() }
        #expect(client.statistics == ClientStatistics(requestsSent: 3, requestsLastMinute: 3, rateLimited: 0, retries: 2))
        #expect(server.stats().apiRequests == 3)
        try await http.shutdown()
        await server.stop()
    }
}
