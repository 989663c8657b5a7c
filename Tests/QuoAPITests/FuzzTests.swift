import Foundation
import QuoMock
import Testing
@testable import QuoAPI

/// Seeded fuzzing of the JSON decoders: random mutations of documented examples must
/// decode or throw, never crash or hang.
@Suite("Decoder fuzzing")
struct FuzzTests {
    static let examples = [
        #"{"data":[{"duration":60,"id":"CRwRVK2qBq","startTime":"2022-01-01T00:00:00Z","status":"completed","type":"audio/mpeg","url":"https://examplestorage.com/a.mp3"},{"duration":null,"id":"CR2","startTime":null,"status":null,"type":null,"url":null}]}"#,
        #"{"data":[{"id":"AC1","phoneNumberId":"PN1","direction":"incoming","status":"completed","participants":["+15550109001"],"duration":12,"createdAt":"2025-01-10T18:22:11.000Z","answeredAt":null}],"totalItems":1,"nextPageToken":"t"}"#,
        #"{"data":[{"id":"CN1","phoneNumberId":"PN1","participants":["+1555"],"name":null,"createdAt":"2024-01-01T00:00:00Z"}],"totalItems":1,"nextPageToken":null}"#,
        #"{"data":[{"id":"PN1","number":"+15550100001","name":"Sales","users":[{"id":"US1","email":null}]}]}"#,
        #"{"message":"Bad","code":"0900400","status":400,"docs":"https://openphone.com/docs","title":"Bad Request","errors":[{"path":"/x","message":"m","value":1,"schema":{"type":"number"}}]}"#,
    ]

    static func mutate(_ input: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + Int(random.next() % 4)) {
            guard !bytes.isEmpty else { break }
            let position = Int(random.next() % UInt64(bytes.count))
            switch random.next() % 6 {
            case 0: bytes[position] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes.remove(at: position)
            case 2: bytes.insert(Array(#"{}[],:"null0-"#.utf8)[Int(random.next() % 13)], at: position)
            case 3: bytes = Array(bytes[..<position])
            case 4: bytes.insert(contentsOf: bytes[position...].prefix(20), at: position)
            default: bytes[position] = 0
            }
        }
        return bytes
    }

    @Test("random mutations of documented examples never crash the decoders", arguments: [1, 7, 2024] as [UInt64])
    func mutations(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var decoded = 0
        for _ in 0..<2000 {
            let example = Array(Self.examples[Int(random.next() % UInt64(Self.examples.count))].utf8)
            let data = Data(Self.mutate(example, &random))
            let decoder = JSONDecoder()
            if (try? decoder.decode(ListResponse<CallRecording>.self, from: data)) != nil { decoded += 1 }
            _ = try? decoder.decode(ListResponse<Call>.self, from: data)
            _ = try? decoder.decode(ListResponse<Conversation>.self, from: data)
            _ = try? decoder.decode(ListResponse<PhoneNumber>.self, from: data)
            _ = (try? decoder.decode(ErrorResponse.self, from: data))?.userMessage
            if let recordings = try? decoder.decode(ListResponse<CallRecording>.self, from: data) {
                for recording in recordings.data {
                    _ = recording.startTime.flatMap(QuoTimestamp.init(iso8601:))
                    _ = recording.isAvailable
                }
            }
        }
        #expect(decoded > 0)  // some mutations stay valid: the loop really decodes
    }

    @Test("random text never crashes the timestamp parser", arguments: [3, 99] as [UInt64])
    func timestamps(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let base = Array("2025-01-13T15:02:12.600+02:00".utf8)
        for _ in 0..<5000 {
            let text = String(decoding: Self.mutate(base, &random), as: UTF8.self)
            if let parsed = QuoTimestamp(iso8601: text) {
                #expect(parsed.nanoseconds >= 0 && parsed.nanoseconds < 1_000_000_000)
            }
        }
    }
}
