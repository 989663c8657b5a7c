import Foundation
import Testing
@testable import QuoAPI

@Suite("Decoding the documented JSON")
struct DecodingTests {
    @Test("a recordings list with every field, including nulls")
    func recordingsWithNulls() throws {
        let json = """
            {"data":[
              {"duration":60,"id":"CRwRVK2qBq","startTime":"2022-01-01T00:00:00Z","status":"completed",
               "type":"audio/mpeg","url":"https://examplestorage.com/a643d4d3e1484fcc8b721627284eda5e.mp3"},
              {"duration":null,"id":"CRnull","startTime":null,"status":null,"type":null,"url":null}
            ]}
            """
        let list = try JSONDecoder().decode(ListResponse<CallRecording>.self, from: Data(json.utf8))
        #expect(list.data.count == 2)
        #expect(list.data[0] == CallRecording(
            id: "CRwRVK2qBq", duration: 60, startTime: "2022-01-01T00:00:00Z", status: "completed",
            type: "audio/mpeg", url: "https://examplestorage.com/a643d4d3e1484fcc8b721627284eda5e.mp3"))
        #expect(list.data[0].isAvailable)
        #expect(list.data[1] == CallRecording(id: "CRnull"))
        #expect(!list.data[1].isAvailable)
        #expect(list.nextPageToken == nil)
    }

    @Test("which recordings appear", arguments: [
        ("completed", true, true), (nil, true, true), ("in-progress", true, false), ("processing", true, false),
        ("paused", true, false), ("stopping", true, false), ("absent", true, false), ("deleted", true, false),
        ("failed", true, false), ("completed", false, false), ("something-new", true, false),
    ] as [(String?, Bool, Bool)])
    func availability(status: String?, hasURL: Bool, available: Bool) {
        let recording = CallRecording(id: "CR1", status: status, url: hasURL ? "https://x/y.mp3" : nil)
        #expect(recording.isAvailable == available)
    }

    @Test("an unknown enum value or a missing optional field does not break decoding")
    func tolerant() throws {
        let json = """
            {"data":[{"id":"AC1","status":"teleported","direction":"sideways","participants":["+1555"],
                      "createdAt":"2025-01-10T18:22:11.000Z","extraField":{"nested":true}}],
             "totalItems":1,"nextPageToken":"abc"}
            """
        let page = try JSONDecoder().decode(ListResponse<Call>.self, from: Data(json.utf8))
        #expect(page.data[0].status == "teleported")
        #expect(page.data[0].isFinished == false)
        #expect(page.data[0].actorId == nil)
        #expect(page.nextPageToken == "abc")
    }

    @Test("conversations: null participants and names")
    func conversations() throws {
        let json = """
            {"data":[{"id":"CN1","phoneNumberId":"PN1","participants":["+15550109001"],"name":null,
                      "assignedTo":null,"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-02T00:00:00Z",
                      "lastActivityAt":"2024-01-03T00:00:00Z","lastActivityId":"AC1","deletedAt":null,
                      "mutedUntil":null,"snoozedUntil":null},
                     {"id":"CN2","participants":null}],
             "totalItems":2,"nextPageToken":null}
            """
        let page = try JSONDecoder().decode(ListResponse<Conversation>.self, from: Data(json.utf8))
        #expect(page.data[0].participants == ["+15550109001"])
        #expect(page.data[0].name == nil)
        #expect(page.data[1].participants.isEmpty)
    }

    @Test("error bodies give the user the API's message")
    func errorBody() throws {
        let json = """
            {"message":"Invalid request","code":"0900400","status":400,"docs":"https://openphone.com/docs",
             "title":"Bad Request","trace":"t1",
             "errors":[{"path":"/maxResults","message":"must be <= 100","value":500,"schema":{"type":"number"}}]}
            """
        let body = try JSONDecoder().decode(ErrorResponse.self, from: Data(json.utf8))
        #expect(body.userMessage == "Invalid request; /maxResults: must be <= 100")
        let unauthorized = try JSONDecoder().decode(ErrorResponse.self, from: Data("""
            {"message":"Unauthorized","code":"0900401","status":401,"docs":"https://openphone.com/docs","title":"Unauthorized"}
            """.utf8))
        #expect(unauthorized.userMessage == "Unauthorized")
    }
}

@Suite("ISO 8601 timestamps")
struct TimestampTests {
    @Test("formats the API uses", arguments: [
        ("2022-01-01T00:00:00Z", 1_640_995_200, 0),
        ("2025-01-10T18:22:11.000Z", 1_736_533_331, 0),
        ("2025-01-13T15:02:12.600Z", 1_736_780_532, 600_000_000),
        ("2025-01-13T17:02:12+02:00", 1_736_780_532, 0),
        ("2025-01-13T15:02:12.123456789Z", 1_736_780_532, 123_456_789),
    ] as [(String, Int64, Int32)])
    func parses(text: String, seconds: Int64, nanoseconds: Int32) {
        #expect(QuoTimestamp(iso8601: text) == QuoTimestamp(seconds: seconds, nanoseconds: nanoseconds))
    }

    @Test("garbage is rejected", arguments: ["", "2025-01-13", "2025-13-01T00:00:00Z", "2025-01-01T00:00:00", "yesterday", "2025-01-01T00:00:00Zjunk", "2025-01-01T00:00:00.Z"])
    func rejects(text: String) {
        #expect(QuoTimestamp(iso8601: text) == nil)
    }
}

@Suite("Query and path encoding")
struct EncodingTests {
    @Test("E.164 plus is sent as %2B; brackets and slashes are encoded")
    func strict() {
        #expect(PercentEncoding.query([("participants[]", "+15550109001"), ("maxResults", "100")])
            == "participants%5B%5D=%2B15550109001&maxResults=100")
        #expect(PercentEncoding.encode("AC../../v1/users") == "AC..%2F..%2Fv1%2Fusers")
        #expect(PercentEncoding.encode("a b&c=d%") == "a%20b%26c%3Dd%25")
    }
}
