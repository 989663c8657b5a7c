import QuoMock
import Testing

@Suite("Recording host")
struct MediaTests {
    @Test func wholeMP3WithHeaders() async throws {
        try await withServer { server in
            let response = try await fetch(server.baseURL + "/media/CRdemoA1.mp3")
            #expect(response.status == 200)
            #expect(response.body == DemoAudio.mp3[0])
            #expect(response.header("Accept-Ranges") == "bytes")
            #expect(response.header("Content-Type") == "audio/mpeg")
            #expect(response.header("Content-Length") == String(DemoAudio.mp3[0].count))
            #expect(response.header("ETag") == "\"CRdemoA1-\(DemoAudio.mp3[0].count)\"")
            #expect(response.header("Last-Modified") == "Sun, 12 Jan 2025 09:14:35 GMT")

            // type null → octet-stream; no start time → the fixed date; URL without extension.
            let untyped = try await fetch(server.baseURL + "/media/CRdemoB1c.mp3")
            #expect(untyped.header("Content-Type") == "application/octet-stream")
            let undated = try await fetch(server.baseURL + "/media/CRdemoA2c")
            #expect(undated.status == 200)
            #expect(undated.header("Last-Modified") == "Wed, 01 Jan 2025 00:00:00 GMT")

            for missing in ["/media/CRnope.mp3", "/media/CRdemoA1.wav", "/media/CRdemoB1a.mp3"] {
                #expect(try await fetch(server.baseURL + missing).status == 404, "\(missing)")
            }
        }
    }

    @Test func byteRanges() async throws {
        try await withServer { server in
            let url = server.baseURL + "/media/CRdemoA1.mp3"
            let file = DemoAudio.mp3[0]
            let size = file.count

            let first = try await fetch(url, headers: ["Range": "bytes=0-99"])
            #expect(first.status == 206)
            #expect(first.header("Content-Range") == "bytes 0-99/\(size)")
            #expect(first.header("Content-Length") == "100")
            #expect(first.body == Array(file[0..<100]))

            let open = try await fetch(url, headers: ["Range": "bytes=1000-"])
            #expect(open.status == 206)
            #expect(open.header("Content-Range") == "bytes 1000-\(size - 1)/\(size)")
            #expect(open.body == Array(file[1000...]))

            let suffix = try await fetch(url, headers: ["Range": "bytes=-50"])
            #expect(suffix.status == 206)
            #expect(suffix.header("Content-Range") == "bytes \(size - 50)-\(size - 1)/\(size)")
            #expect(suffix.body == Array(file[(size - 50)...]))

            let past = try await fetch(url, headers: ["Range": "bytes=10-999999"])
            #expect(past.status == 206)
            #expect(past.header("Content-Range") == "bytes 10-\(size - 1)/\(size)")
            #expect(past.body.count == size - 10)

            let unsatisfiable = try await fetch(url, headers: ["Range": "bytes=\(size)-"])
            #expect(unsatisfiable.status == 416)
            #expect(unsatisfiable.header("Content-Range") == "bytes */\(size)")
            #expect(unsatisfiable.body.isEmpty)

            for ignored in ["bytes=abc", "items=0-1", "bytes=5-1", "bytes=0-1,5-6"] {
                let whole = try await fetch(url, headers: ["Range": ignored])
                #expect(whole.status == 200, "\(ignored)")
                #expect(whole.body == file, "\(ignored)")
                #expect(whole.header("Content-Range") == nil)
            }
        }
    }

    @Test func patternFilesStreamExactBytes() async throws {
        try await withServer { server in
            let big = try #require(MockWorkspace.demo.recording(id: "CRdemoBig")?.content)
            #expect(big.size == 64 << 20)

            let header = try await fetch(server.baseURL + "/media/CRdemoBig.wav", headers: ["Range": "bytes=0-43"])
            #expect(header.status == 206)
            #expect(Array(header.body[0..<4]) == Array("RIFF".utf8))
            #expect(Array(header.body[8..<16]) == Array("WAVEfmt ".utf8))
            #expect(header.body == big.bytes(in: 0..<44))

            // A range larger than the streaming threshold, not word-aligned.
            let window = 1_000_003..<2_500_017
            let middle = try await fetch(
                server.baseURL + "/media/CRdemoBig.wav",
                headers: ["Range": "bytes=\(window.lowerBound)-\(window.upperBound - 1)"]
            )
            #expect(middle.status == 206)
            #expect(middle.header("Content-Length") == String(window.count))
            #expect(middle.body == big.bytes(in: window))

            let tail = try await fetch(server.baseURL + "/media/CRdemoBig.wav", headers: ["Range": "bytes=-1000"])
            #expect(tail.body == big.bytes(in: (big.size - 1000)..<big.size))

            let whole = try await fetch(server.baseURL + "/media/CRdemoBig.wav")
            #expect(whole.status == 200)
            #expect(whole.header("Content-Type") == "audio/wav")
            #expect(whole.body.count == big.size)
            #expect(whole.body == big.bytes(in: 0..<big.size))

            let london = try #require(MockWorkspace.demo.recording(id: "CRdemoL1a")?.content)
            let eight = try await fetch(server.baseURL + "/media/CRdemoL1a.wav")
            #expect(eight.header("Content-Type") == "audio/x-wav")
            #expect(eight.body.count == 8 << 20)
            #expect(eight.body == london.bytes(in: 0..<london.size))
        }
    }

    @Test("POST /_mock/media-latency changes the first-byte latency from then on; a bad value is 400")
    func mediaLatencyAtRunTime() async throws {
        try await withServer { (server: QuoMockServer) async throws -> Void in
            let clock = ContinuousClock()
            #expect(try await fetch(server.baseURL + "/_mock/media-latency?ms=400", method: "POST").status == 204)
            var started = clock.now
            #expect(try await fetch(server.baseURL + "/media/CRdemoA1.mp3").status == 200)
            #expect(clock.now - started >= .milliseconds(400))
            #expect(try await fetch(server.baseURL + "/files/CRdemoA1.mp3").status == 200)
            #expect(clock.now - started >= .milliseconds(800))
            #expect(try await fetch(server.baseURL + "/_mock/media-latency?ms=0", method: "POST").status == 204)
            started = clock.now
            #expect(try await fetch(server.baseURL + "/media/CRdemoA1.mp3").status == 200)
            #expect(clock.now - started < .milliseconds(400))
            // Body bytes are counted: two whole files and one.
            #expect(server.stats().mediaBodyBytes == 3 * DemoAudio.mp3[0].count)
            for bad in ["", "?ms=-1", "?ms=abc", "?ms=600000"] {
                #expect(try await fetch(server.baseURL + "/_mock/media-latency" + bad, method: "POST").status == 400, "\(bad)")
            }
        }
    }

    @Test("POST /_mock/media-bandwidth: transfers share the bandwidth, one after another; 0 lifts it; a bad value is 400")
    func mediaBandwidthAtRunTime() async throws {
        try await withServer { (server: QuoMockServer) async throws -> Void in
            let clock = ContinuousClock()
            let url = server.baseURL + "/media/CRdemoL1a.wav"  // 8 MiB
            #expect(try await fetch(server.baseURL + "/_mock/media-bandwidth?bytes_per_second=20000000", method: "POST").status == 204)
            let started = clock.now
            async let first = fetch(url)
            async let second = fetch(url)
            let (a, b) = try await (first, second)
            #expect(a.body.count == 8 << 20 && b.body.count == 8 << 20)
            // 16 MiB at 20 MB/s: at least 0.83 s, whatever the order.
            #expect(clock.now - started >= .milliseconds(830))
            #expect(try await fetch(server.baseURL + "/_mock/media-bandwidth?bytes_per_second=0", method: "POST").status == 204)
            for bad in ["", "?bytes_per_second=-5", "?bytes_per_second=x"] {
                #expect(try await fetch(server.baseURL + "/_mock/media-bandwidth" + bad, method: "POST").status == 400, "\(bad)")
            }
        }
    }

    @Test func headGivesSizeWithoutBody() async throws {
        try await withServer { server in
            let head = try await fetch(server.baseURL + "/media/CRdemoBig.wav", method: "HEAD")
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == String(64 << 20))
            #expect(head.header("Accept-Ranges") == "bytes")
            #expect(head.header("ETag") == "\"CRdemoBig-\(64 << 20)\"")
            #expect(head.body.isEmpty)

            let ranged = try await fetch(server.baseURL + "/media/CRdemoA1.mp3", method: "HEAD", headers: ["Range": "bytes=10-19"])
            #expect(ranged.status == 206)
            #expect(ranged.header("Content-Length") == "10")
            #expect(ranged.header("Content-Range") == "bytes 10-19/\(DemoAudio.mp3[0].count)")
            #expect(ranged.body.isEmpty)

            // The connection stays usable after HEAD.
            let after = try await fetch(server.baseURL + "/media/CRdemoA1.mp3")
            #expect(after.body == DemoAudio.mp3[0])
        }
    }
}
