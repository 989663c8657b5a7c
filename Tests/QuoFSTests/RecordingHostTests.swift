import AsyncHTTPClient
import QuoMock
import Testing
@testable import QuoFS

/// The size probe against QuoMock's recording host over real HTTP: with and without the
/// first bytes (readahead across files learns a size from the request that brings them).
@Suite("Recording host: size probes")
struct RecordingHostTests {
    func withHost(_ body: (RecordingHost, QuoMockServer) async throws -> Void) async throws {
        let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions())
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .quofs)
        let host = RecordingHost(httpClient: http, timeout: .seconds(10), policy: URLPolicy(allowInsecureHTTP: true))
        var failure: (any Error)?
        do { try await body(host, server) } catch { failure = error }
        try? await http.shutdown()
        await server.stop()
        if let failure { throw failure }
    }

    @Test("a probe gives size and ETag; reading up to L also brings the first L bytes, or the whole file when shorter")
    func probeWithHead() async throws {
        try await withHost { host, server in
            let url = server.baseURL + "/media/CRdemoA1.mp3"
            let file = DemoAudio.mp3[0]
            let (plain, none) = try await host.probe(url: url, readingUpTo: 1)
            #expect(none.isEmpty)
            #expect(plain.size == UInt64(file.count))
            #expect(plain.etag == "\"CRdemoA1-\(file.count)\"")
            let head = try await host.probe(url: url, readingUpTo: 100)
            #expect(head.object == plain)
            #expect(head.head == Array(file[0..<100]))
            let whole = try await host.probe(url: url, readingUpTo: UInt64(file.count) + 4096)
            #expect(whole.object == plain)
            #expect(whole.head == file)
            // One request each; the bytes counted as received.
            #expect(server.stats().mediaRequests == 3)
            #expect(host.counters.requests.load() == 3)
            #expect(host.counters.bytesReceived.load() == 1 + 100 + file.count)
        }
    }

    @Test("a wrong range, a short body or a missing file is an error, never bytes")
    func probeWithHeadRefusesWrongAnswers() async throws {
        try await withHost { host, server in
            let url = server.baseURL + "/media/CRdemoA1.mp3"
            server.setFaults(MockFaults(mediaWrongRanges: 1))
            await #expect(throws: RecordingHostError.self) { try await host.probe(url: url, readingUpTo: 100) }
            server.setFaults(MockFaults(mediaShortBodies: 1))
            await #expect(throws: RecordingHostError.self) { try await host.probe(url: url, readingUpTo: 100) }
            await #expect(throws: RecordingHostError.self) { try await host.probe(url: url, readingUpTo: 1 << 20) }
            server.setFaults(MockFaults())
            let missing = await #expect(throws: RecordingHostError.self) {
                try await host.probe(url: server.baseURL + "/media/CRnope.mp3", readingUpTo: 100)
            }
            if case .expired(let status)? = missing { #expect(status == 404) } else { Issue.record("\(String(describing: missing))") }
        }
    }
}
