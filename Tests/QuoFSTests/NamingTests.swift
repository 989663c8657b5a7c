import QuoAPI
import QuoMock
import Foundation
import Testing
@testable import QuoFS

@Suite("Naming")
struct NamingTests {
    @Test("timestamps: UTC, no colons, to the second")
    func timestamp() {
        #expect(Naming.timestampName(QuoTimestamp(iso8601: "2025-01-12T09:14:35.999Z")!) == "2025-01-12T09-14-35Z")
        #expect(Naming.timestampName(QuoTimestamp(iso8601: "2025-01-12T11:14:35+02:00")!) == "2025-01-12T09-14-35Z")
    }

    @Test("call directories: creation time and id")
    func callDirectory() {
        #expect(Naming.callDirectoryName(Call(id: "AC3700e624eca547eb9f749a06f", createdAt: "2025-01-12T09:14:33Z"))
            == "2025-01-12T09-14-33Z_AC3700e624eca547eb9f749a06f")
        #expect(Naming.callDirectoryName(Call(id: "AC1", createdAt: nil)) == "unknown-time_AC1")
        #expect(Naming.callDirectoryName(Call(id: "AC/../x", createdAt: "bad")) == "unknown-time_AC_.._x")
    }

    @Test("extensions from the MIME type, else the URL, else .bin", arguments: [
        ("audio/mpeg", nil, ".mp3"), ("audio/wav", nil, ".wav"), ("audio/x-wav", nil, ".wav"),
        ("audio/ogg", nil, ".ogg"), ("audio/mp4", nil, ".m4a"), ("AUDIO/MPEG; charset=x", nil, ".mp3"),
        (nil, "https://s.example.com/a/b/c.WAV?sig=1.2&x=y", ".wav"), ("application/x-odd", "https://h/x.ogg#frag", ".ogg"),
        (nil, "https://h/noext", ".bin"), (nil, "https://h.example.com/", ".bin"), (nil, nil, ".bin"),
        (nil, "https://h/x.toolongext", ".bin"), (nil, "https://h/x.m/p", ".bin"),
    ] as [(String?, String?, String)])
    func extensions(type: String?, url: String?, expected: String) {
        #expect(Naming.fileExtension(type: type, url: url) == expected)
    }

    @Test("segments: start time names, deterministic suffixes for the same second, ids for null times")
    func segments() {
        let recordings = [
            CallRecording(id: "CRb", startTime: "2025-01-13T15:02:12.600Z", type: "audio/mpeg", url: "u"),
            CallRecording(id: "CRa", startTime: "2025-01-13T15:02:12Z", type: "audio/mpeg", url: "u"),
            CallRecording(id: "CRc", startTime: nil, type: "audio/mpeg", url: "u"),
            CallRecording(id: "CRd", startTime: "2025-01-13T15:02:12.600Z", type: "audio/wav", url: "u"),
            CallRecording(id: "CRe", startTime: "2025-01-13T15:02:12.600Z", type: "audio/mpeg", url: "u"),
        ]
        #expect(Naming.segmentNames(recordings) == [
            "2025-01-13T15-02-12Z_2.mp3", "2025-01-13T15-02-12Z.mp3", "unknown-start_CRc.mp3",
            "2025-01-13T15-02-12Z.wav", "2025-01-13T15-02-12Z_3.mp3",
        ])
        // The same set in another order gets the same names.
        let reversed = Naming.segmentNames(recordings.reversed())
        #expect(Array(reversed.reversed()) == Naming.segmentNames(recordings))
    }

    @Test("hostile text never makes an invalid or escaping name", arguments: [
        "/", "..", ".", "", "a/b", "a\u{0}b", "\n", "../../etc/passwd", String(repeating: "é", count: 300),
    ])
    func sanitize(text: String) {
        let name = Naming.sanitize(text)
        #expect(!name.isEmpty && name != "." && name != "..")
        #expect(!name.contains("/") && !name.unicodeScalars.contains { $0.value < 0x20 })
        #expect(name.utf8.count <= 255)
    }

    @Test("hostile ids in segments stay single components")
    func hostileSegments() {
        let names = Naming.segmentNames([
            CallRecording(id: "../../x", startTime: nil, type: nil, url: "https://h/a.mp3"),
            CallRecording(id: String(repeating: "x", count: 400), startTime: nil, type: "audio/mpeg", url: "u"),
        ])
        #expect(names[0] == "unknown-start_.._.._x.mp3")
        #expect(names[1].utf8.count <= 255 && names[1].hasSuffix(".mp3"))
    }

    @Test("duplicates get suffixes")
    func uniqued() {
        #expect(Naming.uniqued(["a", "b", "a", "a.mp3", "a.mp3"]) == ["a", "b", "a_2", "a.mp3", "a_2.mp3"])
    }
}

@Suite("Naming fuzzing")
struct NamingFuzzTests {
    @Test("random ids, times and types always give valid, unique, single-component names", arguments: [5, 11, 1234] as [UInt64])
    func randomRecordings(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let alphabet = Array("ab/.\u{0}\n\u{7F}é😀%:+ 0Z-T".unicodeScalars)
        func text(_ maxLength: Int) -> String {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int(random.next() % UInt64(maxLength + 1)) {
                scalars.append(alphabet[Int(random.next() % UInt64(alphabet.count))])
            }
            return String(scalars)
        }
        for _ in 0..<300 {
            let recordings = (0..<Int(1 + random.next() % 6)).map { index in
                CallRecording(
                    id: "CR\(index)" + text(300),
                    startTime: random.next() % 3 == 0 ? nil : (random.next() % 2 == 0 ? "2025-01-13T15:02:12Z" : text(30)),
                    status: "completed",
                    type: random.next() % 2 == 0 ? "audio/mpeg" : text(20),
                    url: random.next() % 2 == 0 ? nil : "https://h/" + text(40))
            }
            let names = Naming.segmentNames(recordings)
            #expect(Set(names).count == names.count)
            for name in names {
                #expect(!name.isEmpty && name != "." && name != "..")
                #expect(!name.contains("/") && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
                #expect(name.utf8.count <= 255)
            }
        }
    }
}

@Suite("URL policy")
struct URLPolicyTests {
    @Test func policy() {
        let strict = URLPolicy()
        #expect(strict.problem(with: "https://storage.example.com/a.mp3") == nil)
        #expect(strict.problem(with: "http://127.0.0.1:8080/media/x") == nil)
        #expect(strict.problem(with: "http://localhost/x") == nil)
        #expect(strict.problem(with: "http://[::1]:80/x") == nil)
        #expect(strict.problem(with: "http://storage.example.com/a.mp3") != nil)
        #expect(strict.problem(with: "http://127.0.0.1.evil.com/a.mp3") != nil)
        #expect(strict.problem(with: "ftp://host/x") != nil)
        #expect(strict.problem(with: "/relative/path") != nil)
        #expect(URLPolicy(allowInsecureHTTP: true).problem(with: "http://storage.example.com/a.mp3") == nil)
    }
}
