import Foundation
import QuoMock
import Testing

/// What `scripts/bench` relies on: the recording host's injected latency, the HTML
/// index under `/files/` for rclone and httpdirfs, and the benchmark workspace.
@Suite("Benchmark support")
struct BenchmarkSupportTests {
    /// The demo recordings that have content, by their index name.
    static let demoIndexNames: Set<String> = [
        "CRdemoA1.mp3", "CRdemoA2a.mp3", "CRdemoA2b.mp3", "CRdemoA2c.bin", "CRdemoA4.mp3", "CRdemoA5.mp3",
        "CRdemoB1c.mp3", "CRdemoB1d.mp3", "CRdemoBig.wav", "CRdemoL1a.wav", "CRdemoL1c.mp3",
        "CRdemoG1.mp3", "CRdemoX1.mp3",
    ]

    /// The `href` values of an HTML page, in order.
    static func links(_ page: [UInt8]) -> [String] {
        String(decoding: page, as: UTF8.self).components(separatedBy: "<a href=\"").dropFirst().compactMap {
            $0.components(separatedBy: "\"").first
        }
    }

    @Test func mediaLatencyDelaysEveryRecordingRequestButNotTheAPI() async throws {
        let latency = Duration.milliseconds(400)
        try await withServer(options: MockOptions(requestsPerSecond: nil, mediaLatency: latency)) { server in
            #expect(server.options.mediaLatency == latency)
            let clock = ContinuousClock()
            for (path, method) in [
                ("/media/CRdemoA1.mp3", "GET"), ("/media/CRdemoBig.wav", "HEAD"),
                ("/files/CRdemoA1.mp3", "GET"), ("/files/CRdemoA2c.bin", "HEAD"), ("/media/CRnope.mp3", "GET"),
            ] {
                let start = clock.now
                let response = try await fetch(server.baseURL + path, method: method, headers: ["Range": "bytes=0-0"])
                let elapsed = clock.now - start
                #expect(elapsed >= latency, "\(method) \(path) took \(elapsed)")
                #expect(response.status == (path.contains("nope") ? 404 : 206), "\(method) \(path)")
            }
            // The API and the index answer without the delay (a delay far longer than any
            // busy machine's answer, so the bound cannot be missed by slowness).
            let slowLatency = Duration.seconds(60)
            try await withServer(options: MockOptions(requestsPerSecond: nil, mediaLatency: slowLatency)) { slow in
                for path in ["/v1/phone-numbers", "/files/"] {
                    let start = clock.now
                    let response = try await fetch(slow.baseURL + path, headers: ["Authorization": "demo-key"])
                    #expect(response.status == 200)
                    #expect(clock.now - start < slowLatency, "\(path)")
                }
            }
        }
        #expect(MockOptions().mediaLatency == .zero)
    }

    @Test func htmlIndexListsEveryRecordingWithContent() async throws {
        try await withServer { server in
            let page = try await fetch(server.baseURL + "/files/")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            let links = Self.links(page.body)
            #expect(Set(links) == Self.demoIndexNames)
            #expect(links.count == Self.demoIndexNames.count)  // no duplicates
            #expect(String(decoding: page.body, as: UTF8.self).contains("<a href=\"CRdemoBig.wav\">CRdemoBig.wav</a>"))

            let withoutSlash = try await fetch(server.baseURL + "/files")
            #expect(withoutSlash.body == page.body)
            let head = try await fetch(server.baseURL + "/files/", method: "HEAD")
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == String(page.body.count))
            #expect(head.body.isEmpty)

            let stats = server.stats()
            #expect(stats.indexRequests == 3)
            #expect(stats.mediaRequests == 0)
            #expect(stats.apiRequests == 0)
        }
    }

    @Test func filesServeTheSameBytesHeadersAndRangesAsMedia() async throws {
        try await withServer { server in
            // Same headers on HEAD, for a small file, a large one and one whose URL has no extension.
            for (media, file) in [
                ("CRdemoA1.mp3", "CRdemoA1.mp3"), ("CRdemoBig.wav", "CRdemoBig.wav"), ("CRdemoA2c", "CRdemoA2c.bin"),
            ] {
                let viaMedia = try await fetch(server.baseURL + "/media/" + media, method: "HEAD")
                let viaFiles = try await fetch(server.baseURL + "/files/" + file, method: "HEAD")
                #expect(viaFiles.status == 200)
                for name in ["Content-Length", "Content-Type", "ETag", "Last-Modified", "Accept-Ranges"] {
                    #expect(viaFiles.header(name) != nil, "\(file) \(name)")
                    #expect(viaFiles.header(name) == viaMedia.header(name), "\(file) \(name)")
                }
            }

            let file = DemoAudio.mp3[0]
            let size = file.count
            let whole = try await fetch(server.baseURL + "/files/CRdemoA2c.bin")
            #expect(whole.status == 200)
            #expect(whole.body == file)

            let url = server.baseURL + "/files/CRdemoA1.mp3"
            let first = try await fetch(url, headers: ["Range": "bytes=0-99"])
            #expect(first.status == 206)
            #expect(first.header("Content-Range") == "bytes 0-99/\(size)")
            #expect(first.body == Array(file[0..<100]))
            let suffix = try await fetch(url, headers: ["Range": "bytes=-50"])
            #expect(suffix.status == 206)
            #expect(suffix.body == Array(file[(size - 50)...]))
            let unsatisfiable = try await fetch(url, headers: ["Range": "bytes=\(size)-"])
            #expect(unsatisfiable.status == 416)
            #expect(unsatisfiable.header("Content-Range") == "bytes */\(size)")
            let ignored = try await fetch(url, headers: ["Range": "bytes=0-1,5-6"])
            #expect(ignored.status == 200)
            #expect(ignored.body == file)

            // A streamed, unaligned window of the 64 MiB pattern file.
            let big = try #require(MockWorkspace.demo.recording(id: "CRdemoBig")?.content)
            let window = 33_554_431..<35_000_009
            let middle = try await fetch(
                server.baseURL + "/files/CRdemoBig.wav", headers: ["Range": "bytes=\(window.lowerBound)-\(window.upperBound - 1)"]
            )
            #expect(middle.status == 206)
            #expect(middle.header("Content-Range") == "bytes \(window.lowerBound)-\(window.upperBound - 1)/\(big.size)")
            #expect(middle.body == big.bytes(in: window))

            // Only index names are served: not the bare media name, not recordings without content.
            for missing in ["CRdemoA2c", "CRdemoB1a.mp3", "CRnope.wav", "CRdemoA1.wav"] {
                #expect(try await fetch(server.baseURL + "/files/" + missing).status == 404, "\(missing)")
            }
            #expect(server.stats().mediaRequests == 3 * 2 + 1 + 4 + 1 + 4)
            #expect(server.stats().indexRequests == 0)
        }
    }

    @Test func benchmarkWorkspaceIsTheDemoPlusLargeFiles() async throws {
        let demo = MockWorkspace.demo
        let bench = MockWorkspace.benchmark
        #expect(bench.phoneNumbers == demo.phoneNumbers)
        #expect(Array(bench.calls.prefix(demo.calls.count)) == demo.calls)
        #expect(bench.conversations.map(\.id) == demo.conversations.map(\.id))
        #expect(bench.calls.count == demo.calls.count + 5)

        let large = try #require(bench.recording(id: "CRbench1GiB"))
        #expect(large.content == .wavPattern(seed: 3, dataSize: (1 << 30) - 44))
        #expect(large.type == "audio/wav")
        #expect(bench.call(id: "ACbench1GiB")?.createdAt == "2025-03-10T10:00:00Z")

        let parallel = (1...16).map { "CRbenchP" + ($0 < 10 ? "0\($0)" : "\($0)") }
        var starts: Set<String> = []
        for (offset, id) in parallel.enumerated() {
            let recording = try #require(bench.recording(id: id))
            #expect(recording.content == .wavPattern(seed: UInt64(101 + offset), dataSize: (16 << 20) - 44))
            #expect(recording.status == "completed")
            starts.insert(try #require(recording.startTime))
        }
        #expect(starts.count == 16)
        for callNumber in 1...4 {
            let call = try #require(bench.call(id: "ACbenchP\(callNumber)"))
            #expect(call.recordings.count == 4)
            #expect(call.participants == ["+442079460958"])
            #expect(call.phoneNumberId == "PNdemoSupp02")
        }

        let server = try await QuoMockServer.start(workspace: .benchmark, options: MockOptions(requestsPerSecond: nil))
        do {
            let links = Set(Self.links(try await fetch(server.baseURL + "/files/").body))
            #expect(links == Self.demoIndexNames.union(["CRbench1GiB.wav"]).union(parallel.map { $0 + ".wav" }))
            let head = try await fetch(server.baseURL + "/files/CRbench1GiB.wav", method: "HEAD")
            #expect(head.header("Content-Length") == String(1 << 30))
            let tail = try await fetch(server.baseURL + "/media/CRbench1GiB.wav", headers: ["Range": "bytes=-4096"])
            #expect(tail.body == large.content?.bytes(in: ((1 << 30) - 4096)..<(1 << 30)))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
