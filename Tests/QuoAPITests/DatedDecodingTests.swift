import Foundation
import Testing
@testable import QuoAPI

/// The 2026-03-30 version's documented examples (../shared/api/2026-03-30.md), decoded
/// into the same models as v1's.
@Suite("Decoding 2026-03-30 JSON")
struct DatedDecodingTests {
    static let listCallsExample = """
        {"data":[{"id":"AC123abc","phoneNumberId":"PN123abc","actorId":"US123abc","direction":"incoming",
          "status":"completed","participants":[
            {"phoneNumber":"+15555555555","actorId":"US123abc"},
            {"phoneNumber":"+15555555555","actorId":"US456def"},
            {"phoneNumber":"+15555555556","actorId":null}],
          "answeredAt":"2022-01-01T00:00:00Z","answeredBy":"USlHhXmRMz","initiatedBy":"USlHhXmRMz",
          "completedAt":"2022-01-01T00:00:00Z","createdAt":"2022-01-01T00:00:00Z","updatedAt":"2022-01-01T00:00:00Z",
          "callRoute":"phone-number","duration":60,"forwardedFrom":"US123abc","forwardedTo":"US123abc","aiHandled":"ai-agent",
          "summary":{"status":"completed","type":"human","summary":["You talked about the weather."],
            "nextSteps":["Bring an umbrella."],"jobs":[{"icon":"<string>","name":"<string>",
            "result":{"data":[{"name":"<string>","value":"<string>"}]}}],"title":"Pricing enquiry"},
          "voicemail":{"id":"VMaaff8f317e0c4e61953b74a5eb42a370","status":"completed","duration":60,
            "recordingUrl":"https://examplestorage.com/a643d4d3e1484fcc8b721627284eda5e.mp3",
            "transcript":"Hello, this is a voicemail from John Doe."}}],
         "nextCursor":"eyJsYXN0SWQiOiJVU211a09NaXBhIn0"}
        """

    @Test("the list-calls example: participant objects, inline voicemail, cursor")
    func listCalls() throws {
        let page = try JSONDecoder().decode(ListResponse<Call>.self, from: Data(Self.listCallsExample.utf8))
        #expect(page.nextCursor == "eyJsYXN0SWQiOiJVU211a09NaXBhIn0")
        #expect(page.nextPageToken == nil)
        let call = try #require(page.data.first)
        #expect(call.actorId == "US123abc")
        #expect(call.participants.count == 3)
        #expect(call.participants[2] == CallParticipant(phoneNumber: "+15555555556", actorId: nil))
        #expect(call.voicemail?.id == "VMaaff8f317e0c4e61953b74a5eb42a370")
        #expect(call.voicemail?.transcript == "Hello, this is a voicemail from John Doe.")
        #expect(call.voicemail?.isAvailable == true)
        // The workspace's users (actorId set) are not external parties, even on a number
        // that is not (or no longer) one of the workspace's.
        #expect(call.externalParties(ownNumbers: []) == ["+15555555556"])
        #expect(call.externalParties(ownNumbers: ["+15555555556"]) == [])
    }

    @Test("nulls the facts file lists: phoneNumberId, answeredAt, voicemail URL and transcript; unknown enums")
    func nulls() throws {
        let json = """
            {"data":[{"id":"AC1","phoneNumberId":null,"actorId":"SYU1","direction":"sideways","status":"teleported",
              "participants":[{"phoneNumber":"anonymous","actorId":null},{"phoneNumber":null,"actorId":null}],
              "answeredAt":null,"answeredBy":null,"initiatedBy":null,"completedAt":null,"createdAt":"2026-05-19T09:12:45Z",
              "updatedAt":null,"callRoute":null,"duration":0,"forwardedFrom":null,"forwardedTo":null,"aiHandled":null,
              "newField":{"nested":[1,2]},
              "voicemail":{"id":"VM1","status":"in-progress","duration":null,"recordingUrl":null,"transcript":null}}],
             "nextCursor":null}
            """
        let page = try JSONDecoder().decode(ListResponse<Call>.self, from: Data(json.utf8))
        let call = try #require(page.data.first)
        #expect(call.phoneNumberId == nil)
        #expect(call.externalParties(ownNumbers: []) == ["anonymous"])
        #expect(call.voicemail?.isAvailable == false)
        #expect(call.voicemail?.isPending == true)
        #expect(!call.isFinished)
        #expect(page.nextCursor == nil)
    }

    @Test("v1 and 2026-03-30 phone numbers decode alike")
    func phoneNumbers() throws {
        let dated = """
            {"data":[{"id":"PNlja6rrtI","groupId":"GRcei8k90o","name":"My phone number","phoneNumber":"+15555555555",
              "formattedNumber":"(555) 555-5555","forward":"+15555555555","portRequestId":"123abc","portingStatus":"completed",
              "symbol":"🏡","createdAt":"2022-01-01T00:00:00Z","updatedAt":"2022-01-01T00:00:00Z",
              "restrictions":{"calling":{"CA":"unrestricted"},"messaging":{"US":"unrestricted"}}}],
             "nextCursor":"eyJsYXN0SWQiOiJVU211a09NaXBhIn0"}
            """
        let v1 = """
            {"data":[{"id":"PNlja6rrtI","number":"+15555555555","formattedNumber":"(555) 555-5555","name":"My phone number",
              "createdAt":"2022-01-01T00:00:00Z","updatedAt":"2022-01-01T00:00:00Z",
              "users":[{"id":"US1","email":"a@b.c","firstName":null,"lastName":null,"role":"owner"}]}]}
            """
        let a = try JSONDecoder().decode(ListResponse<PhoneNumber>.self, from: Data(dated.utf8)).data[0]
        let b = try JSONDecoder().decode(ListResponse<PhoneNumber>.self, from: Data(v1.utf8)).data[0]
        #expect(a.number == "+15555555555" && b.number == a.number)
        #expect(a.name == b.name && a.id == b.id && a.createdAt == b.createdAt)
        #expect(a.users == nil && b.users?.first?.id == "US1")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ListResponse<PhoneNumber>.self, from: Data(#"{"data":[{"id":"PN1"}]}"#.utf8))
        }
    }

    @Test("transcripts: 2026-03-30 per segment (actorId), v1 per call (userId), null dialogue")
    func transcripts() throws {
        let dated = """
            {"data":[{"recordingId":"CRwRVK2qBq","status":"completed","startTime":"2022-01-01T00:00:00Z",
              "createdAt":"2022-01-01T00:00:00Z","duration":100,"dialogue":[{"content":"Hello, world!","start":5.123456,
              "end":10.123456,"identifier":"+19876543210","actorId":"US123abc"}]},
              {"recordingId":"CR2","status":"absent","dialogue":null}],"nextCursor":null}
            """
        let v1 = """
            {"data":{"callId":"ACea724hac8c30465bcbcff0b76e4c1c7b","createdAt":"2022-01-01T00:00:00Z",
              "dialogue":[{"content":"Hello, world!","start":5.123456,"end":10.123456,"identifier":"+19876543210","userId":"US123abc"}],
              "duration":100,"status":"completed"}}
            """
        let segments = try JSONDecoder().decode(ListResponse<Transcript>.self, from: Data(dated.utf8)).data
        let call = try JSONDecoder().decode(ItemResponse<Transcript>.self, from: Data(v1.utf8)).data
        #expect(segments[0].recordingId == "CRwRVK2qBq")
        #expect(segments[0].dialogue == call.dialogue)
        #expect(segments[0].dialogue.first?.actorId == "US123abc")
        #expect(segments[1].dialogue.isEmpty && segments[1].status == "absent")
        #expect(call.recordingId == nil && call.callId == "ACea724hac8c30465bcbcff0b76e4c1c7b")
    }

    @Test("users and contacts of both versions")
    func usersAndContacts() throws {
        let users = """
            {"data":[{"id":"USu3X8sIB9","email":"renee@pinkswindows.com","firstName":"Renee","lastName":"Ortiz",
              "pictureUrl":null,"role":"owner","createdAt":"2024-08-02T17:31:08Z","updatedAt":"2026-05-19T09:12:45Z"}],"nextCursor":null}
            """
        let user = try JSONDecoder().decode(ListResponse<User>.self, from: Data(users.utf8)).data[0]
        #expect(user == User(id: "USu3X8sIB9", email: "renee@pinkswindows.com", firstName: "Renee", lastName: "Ortiz", role: "owner"))
        let v1 = """
            {"data":[{"id":"c1","externalId":null,"source":null,"defaultFields":{"company":"Acme","emails":[],
              "firstName":"Alice","lastName":"Archer","phoneNumbers":[{"name":"primary","value":"+15550109001"}],"role":null},
              "customFields":[],"createdAt":"2025-01-01T00:00:00Z"}],"totalItems":1,"nextPageToken":null}
            """
        let dated = """
            {"data":[{"id":"c1","externalId":null,"source":null,"sourceUrl":null,"firstName":"Alice","lastName":"Archer",
              "company":"Acme","role":null,"createdAt":"2025-01-01T00:00:00Z","updatedAt":null,"actorId":null}],"nextCursor":null}
            """
        let a = try JSONDecoder().decode(ListResponse<Contact>.self, from: Data(v1.utf8)).data[0]
        let b = try JSONDecoder().decode(ListResponse<Contact>.self, from: Data(dated.utf8)).data[0]
        #expect(a == Contact(id: "c1", firstName: "Alice", lastName: "Archer", company: "Acme", phoneNumbers: ["+15550109001"]))
        #expect(b == Contact(id: "c1", firstName: "Alice", lastName: "Archer", company: "Acme"))
    }

    @Test("the error envelopes: 2026-03-30 without code, v1 with, v1 wrapped; the version error")
    func errors() throws {
        let dated = """
            {"title":"Bad Request","message":"Validation failed for 1 field.","docs":"https://quo.com/docs",
             "trace":"6897907457496870895","errors":[{"path":"/query/limit","message":"must be <= 50","value":200,
             "schema":{"type":"integer"}}]}
            """
        let body = try JSONDecoder().decode(ErrorResponse.self, from: Data(dated.utf8))
        #expect(body.userMessage == "Validation failed for 1 field.; /query/limit: must be <= 50")
        #expect(!body.namesVersionHeader)
        let wrapped = try JSONDecoder().decode(ErrorResponse.self, from: Data(#"{"error":{"message":"Not found","key":"x","trace":"1"}}"#.utf8))
        #expect(wrapped.userMessage == "Not found")
        let version = """
            {"title":"Bad Request","message":"Unsupported or missing Quo-Api-Version header. Supported versions: 2026-03-30","docs":"https://quo.com/docs"}
            """
        #expect(try JSONDecoder().decode(ErrorResponse.self, from: Data(version.utf8)).namesVersionHeader)
    }

    @Test("the never-answered rule and who can leave a voicemail", arguments: [
        ("missed", nil, "incoming", true, true), ("no-answer", nil, "outgoing", true, false),
        ("busy", nil, "incoming", true, true), ("canceled", nil, "outgoing", true, false), ("failed", nil, "incoming", true, true),
        ("completed", "2025-01-01T00:00:01Z", "incoming", false, false),
        // An answer time makes it answered whatever the status says; a missing answer
        // time alone does not make a call unanswered.
        ("missed", "2025-01-01T00:00:01Z", "incoming", false, false), ("completed", nil, "incoming", false, true),
        ("in-progress", nil, "incoming", false, true), ("forwarded", nil, "incoming", false, true),
    ] as [(String, String?, String, Bool, Bool)])
    func neverAnswered(status: String, answeredAt: String?, direction: String, never: Bool, voicemail: Bool) {
        let call = Call(id: "AC1", direction: direction, status: status, answeredAt: answeredAt)
        #expect(call.wasNeverAnswered == never)
        #expect(call.canHaveVoicemail == voicemail)
    }

    @Test("grouping calls by number and external parties, in listing order")
    func grouping() {
        func call(_ id: String, _ parties: [String], created: String, number: String? = "PN1") -> Call {
            Call(id: id, phoneNumberId: number,
                 participants: [CallParticipant(phoneNumber: "+15550000001", actorId: "US1")] + parties.map { CallParticipant(phoneNumber: $0) },
                 createdAt: created)
        }
        let calls = [
            call("AC4", ["+2", "+1"], created: "2025-01-04T00:00:00Z"),
            call("AC3", ["+1"], created: "2025-01-03T00:00:00Z"),
            call("AC2", ["+1", "+2"], created: "2025-01-02T00:00:00Z"),
            call("AC1", ["+1", "+15550000002"], created: "2025-01-01T00:00:00Z"),
        ]
        let groups = QuoWorkspace.group(calls, ownNumbers: ["+15550000001", "+15550000002"]) { $0.phoneNumberId }
        #expect(groups.map(\.parties) == [["+1", "+2"], ["+1"]])
        #expect(groups[0].calls?.map(\.id) == ["AC4", "AC2"])
        #expect(groups[0].createdAt == "2025-01-02T00:00:00Z")
        #expect(groups[1].calls?.map(\.id) == ["AC3", "AC1"])
        #expect(groups[1].createdAt == "2025-01-01T00:00:00Z")
    }
}

@Suite("High-water marks and merging a refresh")
struct HighWaterTests {
    func call(_ id: String, _ created: String, status: String = "completed") -> Call {
        Call(id: id, status: status, createdAt: created)
    }

    @Test("the mark is the newest call's time, or the oldest unfinished one's, so it is listed again")
    func highWater() {
        #expect(QuoWorkspace.highWater(of: []) == nil)
        let calls = [call("AC3", "2025-03-01T00:00:00Z"), call("AC2", "2025-02-01T00:00:00.500Z", status: "in-progress"),
                     call("AC1", "2025-01-01T00:00:00Z", status: "ringing")]
        #expect(QuoWorkspace.highWater(of: calls) == "2025-01-01T00:00:00Z")
        #expect(QuoWorkspace.highWater(of: Array(calls.prefix(1))) == "2025-03-01T00:00:00Z")
        // Mixed formats compare as times, not as text.
        #expect(QuoWorkspace.highWater(of: [call("A", "2025-03-01T00:00:00.000Z"), call("B", "2025-03-01T00:00:01Z")]) == "2025-03-01T00:00:01Z")
    }

    @Test("a call listed again replaces its old record; the result is newest first")
    func merge() {
        let known = [call("AC2", "2025-02-01T00:00:00Z", status: "in-progress"), call("AC1", "2025-01-01T00:00:00Z")]
        let new = [call("AC3", "2025-03-01T00:00:00Z"), call("AC2", "2025-02-01T00:00:00Z")]
        let merged = QuoWorkspace.merge(known: known, new: new)
        #expect(merged.map(\.id) == ["AC3", "AC2", "AC1"])
        #expect(merged[1].status == "completed")
    }

    @Test("v1's exclusive createdAfter is sent a millisecond earlier, so the mark's own call comes back")
    func inclusiveMark() {
        let mark = QuoTimestamp(iso8601: "2025-01-01T00:00:00Z")!
        #expect(mark.iso8601 == "2025-01-01T00:00:00.000Z")
        #expect(mark.millisecondEarlier.iso8601 == "2024-12-31T23:59:59.999Z")
        #expect(QuoTimestamp(iso8601: "2025-01-01T00:00:00.250Z")!.millisecondEarlier.iso8601 == "2025-01-01T00:00:00.249Z")
    }
}
