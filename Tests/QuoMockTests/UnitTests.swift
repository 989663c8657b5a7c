@testable import QuoMock
import Testing

@Suite("Building blocks")
struct UnitTests {
    @Test func patternSubRangesAgreeWithWhole() {
        let content = RecordingContent.wavPattern(seed: 7, dataSize: 1000)
        #expect(content.size == 1044)
        let whole = content.bytes(in: 0..<content.size)
        #expect(whole.count == 1044)
        for start in 0..<70 {
            for length in [0, 1, 2, 7, 8, 9, 15, 16, 17, 100, 1044] {
                let range = start..<min(content.size, start + length)
                #expect(content.bytes(in: range) == Array(whole[range]), "\(range)")
            }
        }
        #expect(content.bytes(in: 1000..<2000) == Array(whole[1000...]))  // clamped
        #expect(content.bytes(in: 2000..<3000).isEmpty)
        // Data byte i is byte i % 8 of word i / 8.
        let word = RecordingContent.patternWord(seed: 7, index: 3)
        #expect(whole[44 + 24 + 5] == UInt8(truncatingIfNeeded: word >> 40))
        // Different seeds differ.
        #expect(RecordingContent.wavPattern(seed: 8, dataSize: 1000).bytes(in: 44..<1044) != Array(whole[44...]))
    }

    @Test func wavHeaderIsValid() {
        let header = RecordingContent.wavPattern(seed: 1, dataSize: (64 << 20) - 44).bytes(in: 0..<44)
        func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(header[at + $1]) << (8 * $1) } }
        func u16(_ at: Int) -> Int { Int(header[at]) | Int(header[at + 1]) << 8 }
        #expect(String(decoding: header[0..<4], as: UTF8.self) == "RIFF")
        #expect(u32(4) == (64 << 20) - 8)
        #expect(String(decoding: header[8..<16], as: UTF8.self) == "WAVEfmt ")
        #expect(u32(16) == 16)
        #expect(u16(20) == 1)  // PCM
        #expect(u16(22) == 1)  // mono
        #expect(u32(24) == 8000)
        #expect(u32(28) == 8000)
        #expect(u16(32) == 1)
        #expect(u16(34) == 8)
        #expect(String(decoding: header[36..<40], as: UTF8.self) == "data")
        #expect(u32(40) == (64 << 20) - 44)
    }

    @Test func bytesContentSlices() {
        let content = RecordingContent.bytes([1, 2, 3, 4, 5])
        #expect(content.size == 5)
        #expect(content.bytes(in: 1..<3) == [2, 3])
        #expect(content.bytes(in: 3..<10) == [4, 5])
    }

    @Test func largePatternReadsAreChunkable() {
        let content = RecordingContent.wavPattern(seed: 1, dataSize: (64 << 20) - 44)
        let range = (30 << 20)..<((30 << 20) + 3_000_001)
        let whole = content.bytes(in: range)
        var pieces: [UInt8] = []
        var position = range.lowerBound
        while position < range.upperBound {
            let end = min(range.upperBound, position + 65_537)
            pieces += content.bytes(in: position..<end)
            position = end
        }
        #expect(pieces == whole)
    }

    @Test func rateLimiterSlidesItsWindowPerKey() {
        let limiter = MockRateLimiter(limit: 2, window: .seconds(1))
        let start = ContinuousClock.now
        func at(_ ms: Int) -> ContinuousClock.Instant { start + .milliseconds(ms) }
        #expect(limiter.admit(key: "a", now: at(0)))
        #expect(limiter.admit(key: "a", now: at(400)))
        #expect(!limiter.admit(key: "a", now: at(500)))
        #expect(limiter.admit(key: "b", now: at(500)))  // keys are counted apart
        // Refused requests do not use up the window: at 1000 ms the first has left it.
        #expect(!limiter.admit(key: "a", now: at(999)))
        #expect(limiter.admit(key: "a", now: at(1001)))
        #expect(!limiter.admit(key: "a", now: at(1300)))
        #expect(limiter.admit(key: "a", now: at(1401)))
        limiter.reset()
        #expect(limiter.admit(key: "a", now: at(1402)))
        #expect(MockRateLimiter(limit: nil).admit(key: "a"))
        #expect(!MockRateLimiter(limit: 0).admit(key: "a"))
    }

    @Test func queryStringUsesFormSemantics() {
        let query = QueryString("a=1+2&b=%2B1555&c&d=x=y&phoneNumbers%5B%5D=PN1&phoneNumbers[]=PN2&e=%zz&&f=")
        #expect(query.first("a") == "1 2")
        #expect(query.first("b") == "+1555")
        #expect(query.first("c") == "")
        #expect(query.first("d") == "x=y")
        #expect(query.values("phoneNumbers[]") == ["PN1", "PN2"])
        #expect(query.first("e") == "%zz")
        #expect(query.contains("f"))
        #expect(query.first("missing") == nil)
        #expect(QueryString(nil).pairs.isEmpty)
    }

    @Test func byteRangeParsing() {
        #expect(ByteRange.parse(nil, size: 100) == .whole)
        #expect(ByteRange.parse("bytes=0-9", size: 100) == .partial(0..<10))
        #expect(ByteRange.parse("bytes=90-", size: 100) == .partial(90..<100))
        #expect(ByteRange.parse("bytes=-10", size: 100) == .partial(90..<100))
        #expect(ByteRange.parse("bytes=-1000", size: 100) == .partial(0..<100))
        #expect(ByteRange.parse("bytes=50-5000", size: 100) == .partial(50..<100))
        #expect(ByteRange.parse("bytes=100-", size: 100) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=-0", size: 100) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=0-", size: 0) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=9-0", size: 100) == .whole)
        #expect(ByteRange.parse("bytes=a-b", size: 100) == .whole)
        #expect(ByteRange.parse("bytes=0-1,3-4", size: 100) == .whole)
        #expect(ByteRange.parse("pages=0-1", size: 100) == .whole)
    }

    @Test func timestamps() {
        #expect(Timestamp.milliseconds(iso: "1970-01-01T00:00:00Z") == 0)
        #expect(Timestamp.milliseconds(iso: "2025-01-13T15:02:12.600Z") == 1_736_780_532_600)
        #expect(Timestamp.milliseconds(iso: "2025-01-13T16:02:12.600+01:00") == 1_736_780_532_600)
        #expect(Timestamp.milliseconds(iso: "2025-01-13") == nil)
        #expect(Timestamp.httpDate(milliseconds: 1_736_780_532_600) == "Mon, 13 Jan 2025 15:02:12 GMT")
        #expect(Timestamp.httpDate(milliseconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
    }

    @Test func pageTokensAreBoundToTheirList() throws {
        let token = PageToken.encode(offset: 4, scope: "calls|PN1|+1")
        #expect(PageToken.decode(token, scope: "calls|PN1|+1") == 4)
        #expect(PageToken.decode(token, scope: "calls|PN1|+2") == nil)
        #expect(PageToken.decode("garbage", scope: "calls|PN1|+1") == nil)
        #expect(!token.contains("+") && !token.contains("/") && !token.contains("="))
    }

    @Test func jsonSerialization() {
        let json: JSON = ["a": nil, "b": [1, "x\"\n\u{1}"], "c": true]
        #expect(json.serialized == #"{"a":null,"b":[1,"x\"\n\u0001"],"c":true}"#)
    }

    @Test func demoWorkspaceShape() throws {
        let demo = MockWorkspace.demo
        #expect(demo.phoneNumbers.map(\.id) == ["PNdemoSales1", "PNdemoSupp02"])
        #expect(demo.conversations.map(\.id) == ["CNdemo001", "CNdemo002", "CNdemo003", "CNdemo004", "CNdemo005"])
        #expect(demo.calls.count == 13)
        #expect(demo.calls.allSatisfy { $0.id.hasPrefix("AC") && $0.createdAt.hasPrefix("2025-") })
        #expect(demo.calls.flatMap(\.recordings).allSatisfy { $0.id.hasPrefix("CR") })
        #expect(demo.calls.filter { $0.participants == ["+15550109001"] }.count == 5)
        #expect(demo.recording(id: "CRdemoL1a")?.content?.size == 8 << 20)
        #expect(demo.recording(id: "CRdemoL1a")?.duration == ((8 << 20) - 44) / 8000)
        #expect(demo.recording(id: "CRdemoL1c")?.status == "processing")
        #expect(demo.recording(id: "CRdemoL1c")?.content != nil)
        #expect(demo.recording(id: "nope") == nil)
        #expect(DemoAudio.mp3.count == 3)
        for (index, mp3) in DemoAudio.mp3.enumerated() {
            #expect(mp3.count > 4_000 && mp3.count < 25_000)
            #expect(mp3[0] == 0xFF && mp3[1] & 0xE0 == 0xE0)  // MPEG frame sync
            #expect(DemoAudio.durations[index] >= 1)
        }
    }
}
