import Foundation
import Testing
@testable import QuoAPI

/// Summaries in both versions' shapes, and their round trip through the catalog's JSON.
@Suite("Decoding call summaries")
struct SummaryDecodingTests {
    @Test("2026-03-30's inline summary: title, points, next steps, jobs with string, number and boolean values")
    func inline() throws {
        let page = try JSONDecoder().decode(ListResponse<Call>.self, from: Data(DatedDecodingTests.listCallsExample.utf8))
        let summary = try #require(page.data.first?.summary)
        #expect(summary == CallSummary(status: "completed", type: "human", title: "Pricing enquiry",
                                       summary: ["You talked about the weather."], nextSteps: ["Bring an umbrella."],
                                       jobs: [.init(icon: "<string>", name: "<string>", results: [.init(name: "<string>", value: "<string>")])]))
        let agent = try JSONDecoder().decode(CallSummary.self, from: Data("""
            {"status":"completed","type":"agent","title":null,"summary":["a"],"nextSteps":null,
             "jobs":[{"icon":null,"name":"Lead","result":{"data":[{"name":"n","value":3},{"name":"b","value":true},
             {"name":"f","value":129.5},{"name":"s","value":"x"}]}}]}
            """.utf8))
        #expect(agent.jobs.first?.results.map(\.value) == ["3", "true", "129.5", "x"])
        #expect(agent.nextSteps.isEmpty && agent.title == nil)
    }

    @Test("v1's summary (no type or title) and the 'not available' shape")
    func v1() throws {
        let response = try JSONDecoder().decode(ItemResponse<CallSummary>.self, from: Data("""
            {"data":{"callId":"AC1","status":"completed","summary":["Asked for a refund."],"nextSteps":["Send the form."]}}
            """.utf8))
        #expect(response.data == CallSummary(status: "completed", summary: ["Asked for a refund."], nextSteps: ["Send the form."]))
        let absent = try JSONDecoder().decode(CallSummary.self, from: Data(#"{"status":"absent","type":null,"summary":null,"nextSteps":null}"#.utf8))
        #expect(absent == CallSummary(status: "absent"))
        #expect(!absent.isPending && CallSummary(status: "in-progress").isPending)
    }

    @Test("a call with its summary reads back equal from what it encodes (the catalog's form)")
    func roundTrip() throws {
        let page = try JSONDecoder().decode(ListResponse<Call>.self, from: Data(DatedDecodingTests.listCallsExample.utf8))
        var call = try #require(page.data.first)
        call.summaryIncluded = true
        let again = try JSONDecoder().decode(Call.self, from: try JSONEncoder().encode(call))
        #expect(again == call)
    }
}
