import Foundation
import QuoMock
import Testing

/// What v1 gained with the two-surface workspace: 1:1-only call lists, voicemails, contacts.
@Suite("Quo API v1 additions")
struct V1AdditionsTests {
    @Test func v1CallsAreOneToOneOnANumberOnly() async throws {
        try await withServer { server in
            func ids(_ number: String, _ participant: String) async throws -> [String] {
                let encoded = participant.replacingOccurrences(of: "+", with: "%2B")
                return try await api(server, "/v1/calls?phoneNumberId=\(number)&participants%5B%5D=\(encoded)&maxResults=100")
                    .dataArray.compactMap { $0["id"] as? String }
            }
            #expect(try await ids("PNdemoSales1", "+15550109001") == ["ACdemoA5", "ACdemoA4", "ACdemoA3", "ACdemoA2", "ACdemoA1"])
            #expect(try await ids("PNdemoSales1", "+15550109002") == ["ACdemoB2", "ACdemoB1"])  // not the group call
            #expect(try await ids("PNdemoSupp02", "+15550109003") == ["ACdemoC2", "ACdemoC1"])
            #expect(try await ids("PNdemoSupp02", "anonymous") == ["ACdemoN1"])
            for number in ["PNdemoSales1", "PNdemoSupp02"] {
                #expect(try await ids(number, "+15550109005").isEmpty)  // ACdemoX1 has no number
            }
            // The conversation list still finds the newest call of each pair.
            let sales = try await api(server, "/v1/conversations?phoneNumbers%5B%5D=PNdemoSales1&maxResults=100").dataArray
            #expect(sales.map { $0["lastActivityId"] as? String } == ["ACdemoB2", "ACdemoG1", "ACdemoA5"])
            let support = try await api(server, "/v1/conversations?phoneNumbers%5B%5D=PNdemoSupp02&maxResults=100").dataArray
            #expect(support.first?["lastActivityId"] as? String == "ACdemoC2")
        }
    }

    @Test func callVoicemails() async throws {
        try await withServer { server in
            let response = try await api(server, "/v1/call-voicemails/ACdemoA3")
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == #"""
                {"data":{"duration":5,"id":"VMdemoA3","transcript":"Hi, this is Alice. Please call me back about my order.","recordingUrl":"\#(server.baseURL)/media/VMdemoA3.mp3","status":"completed"}}
                """#)
            let c2 = try #require(try await api(server, "/v1/call-voicemails/ACdemoC2").object["data"] as? [String: Any])
            #expect(isNull(c2["transcript"]))
            #expect(c2["duration"] as? Int == DemoAudio.voicemailDurations[1])
            #expect(try await fetch(try #require(c2["recordingUrl"] as? String)).body == DemoAudio.voicemails[1])

            let none = try await api(server, "/v1/call-voicemails/ACdemoA1")
            #expect(none.status == 404)
            #expect(try none.object["message"] as? String == "Voicemail not found")
            #expect(try none.object["code"] as? String == "0900404")
            #expect(try await api(server, "/v1/call-voicemails/ACnope").status == 404)
            let bad = try await api(server, "/v1/call-voicemails/VMdemoA3")
            #expect(bad.status == 400)
            #expect(try bad.object["code"] as? String == "0900400")
        }
    }

    @Test func contacts() async throws {
        try await withServer { server in
            let response = try await api(server, "/v1/contacts?maxResults=50")
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == #"""
                {"data":[{"id":"ctdemo1","externalId":null,"source":null,"sourceUrl":null,"defaultFields":{"company":"Acme","emails":[],"firstName":"Alice","lastName":"Archer","phoneNumbers":[{"name":"primary","value":"+15550109001"}],"role":null},"customFields":[],"createdAt":"2025-01-05T09:00:00Z","updatedAt":"2025-01-12T09:20:00Z","createdByUserId":null},{"id":"ctdemo2","externalId":null,"source":null,"sourceUrl":null,"defaultFields":{"company":null,"emails":[],"firstName":"Bob","lastName":"Baker","phoneNumbers":[{"name":"primary","value":"+15550109002"}],"role":null},"customFields":[],"createdAt":"2025-01-05T09:05:00Z","updatedAt":"2025-01-05T09:05:00Z","createdByUserId":null}],"totalItems":2,"nextPageToken":null}
                """#)
            let first = try await api(server, "/v1/contacts?maxResults=1")
            #expect(try first.dataArray.map { $0["id"] as? String } == ["ctdemo1"])
            #expect(try first.object["totalItems"] as? Int == 2)
            let token = try #require(try first.object["nextPageToken"] as? String)
            let second = try await api(server, "/v1/contacts?maxResults=1&pageToken=\(token)")
            #expect(try second.dataArray.map { $0["id"] as? String } == ["ctdemo2"])
            #expect(isNull(try second.object["nextPageToken"]))
            for bad in ["?maxResults=51", "?maxResults=0", "?pageToken=garbage"] {
                let response = try await api(server, "/v1/contacts\(bad)")
                #expect(response.status == 400, "\(bad)")
                #expect((try response.object["errors"] as? [[String: Any]])?.isEmpty == false)
            }
        }
    }
}
