import Foundation
import QuoMock
import Testing

/// ``MockWorkspace/generated(calls:numbers:seed:)`` and ``MockWorkspaceSummary``.
@Suite("Generated workspace")
struct GeneratedWorkspaceTests {
    @Test func deterministicPerSeed() {
        let first = MockWorkspace.generated(calls: 300)
        #expect(first == MockWorkspace.generated(calls: 300))
        #expect(first == MockWorkspace.generated(calls: 300, numbers: 4, seed: 1))
        #expect(first != MockWorkspace.generated(calls: 300, seed: 2))
        #expect(MockWorkspace.generated(calls: 0).calls.isEmpty)
    }

    @Test func countsAddUp() throws {
        let workspace = MockWorkspace.generated(calls: 1000)
        let summary = workspace.summary
        #expect(summary.calls == 1000)
        #expect(summary.phoneNumbers == 4)
        #expect(workspace.phoneNumbers.map(\.number) == ["+15550200001", "+15550200002", "+15550200003", "+15550200004"])
        #expect(workspace.phoneNumbers.allSatisfy { $0.id.hasPrefix("PNgen") })
        #expect(workspace.users.count == 4)
        #expect(summary.answeredCalls + summary.unansweredCalls == 1000)
        #expect((700...850).contains(summary.answeredCalls), "\(summary.answeredCalls)")
        #expect((20...90).contains(summary.groupCalls), "\(summary.groupCalls)")
        #expect((130...280).contains(summary.unansweredCalls), "\(summary.unansweredCalls)")
        #expect(summary.unansweredIncomingCalls <= summary.unansweredCalls)
        #expect(summary.callsWithVoicemail > summary.unansweredIncomingCalls / 4)
        #expect(summary.callsWithVoicemail < summary.unansweredIncomingCalls * 3 / 4)
        #expect(summary.voicemailsWithTranscript > 0 && summary.voicemailsWithTranscript < summary.callsWithVoicemail)
        #expect(summary.callsWithoutPhoneNumber == 0)
        #expect(summary.recordings == summary.answeredCalls)
        #expect(summary.oneToOneCallsOnNumbers + summary.groupCalls == 1000)
        #expect(summary.callsByPhoneNumber.values.reduce(0, +) == 1000)
        #expect(summary.callsByPhoneNumber.count == 4)
        #expect(summary.callsByPhoneNumber.values.allSatisfy { $0 > 150 })
        let participants = Set(workspace.calls.flatMap(\.participants))
        #expect(participants.count == 333)
        #expect(summary.oneToOnePairs == summary.oneToOneConversations)
        #expect(summary.conversations == summary.oneToOneConversations + Set(
            workspace.calls.filter { $0.participants.count > 1 }.map { "\($0.phoneNumberId ?? "")|\(Set($0.participants).sorted())" }
        ).count)

        let created = workspace.calls.map(\.createdAt)
        #expect(Set(created).count == 1000)
        #expect(created.allSatisfy { $0.hasPrefix("2025-") })
        for call in workspace.calls {
            if call.answeredAt != nil {
                #expect(call.status == "completed")
                #expect(call.recordings.count == 1)
                #expect(call.recordings[0].status == "completed")
                #expect(call.voicemail == nil)
            } else {
                #expect(["missed", "no-answer"].contains(call.status))
                #expect(call.recordings.isEmpty)
                #expect(call.participants.count == 1)
                if call.voicemail != nil { #expect(call.direction == "incoming") }
            }
        }
        // Every call's (number, participants) has a conversation.
        let pairs = Set(workspace.conversations.map { "\($0.phoneNumberId)|\(Set($0.participants).sorted())" })
        #expect(workspace.calls.allSatisfy { pairs.contains("\($0.phoneNumberId ?? "")|\(Set($0.participants).sorted())") })
    }

    @Test func demoSummary() {
        let summary = MockWorkspace.demo.summary
        #expect(summary.calls == 13)
        #expect(summary.groupCalls == 1)
        #expect(summary.callsWithoutPhoneNumber == 1)
        #expect(summary.callsWithVoicemail == 2)
        #expect(summary.voicemailsWithTranscript == 1)
        #expect(summary.unansweredIncomingCalls == 3)
        #expect(summary.oneToOneCallsOnNumbers == 11)
        #expect(summary.callsByPhoneNumber == ["PNdemoSales1": 8, "PNdemoSupp02": 4])
    }

    @Test func servedAndWalkable() async throws {
        let workspace = MockWorkspace.generated(calls: 120)
        let server = try await QuoMockServer.start(workspace: workspace, options: MockOptions(requestsPerSecond: nil))
        do {
            var count = 0
            var cursor: String?
            var pages = 0
            repeat {
                let response = try await dated(server, "/calls?limit=50&include=voicemail" + (cursor.map { "&after=\($0)" } ?? ""))
                #expect(response.status == 200)
                count += try response.dataArray.count
                let next = try response.object["nextCursor"]
                cursor = isNull(next) ? nil : next as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(count == 120)
            #expect(pages == 3)
            let withVoicemail = try #require(workspace.calls.first { $0.voicemail != nil })
            let voicemail = try await api(server, "/v1/call-voicemails/\(withVoicemail.id)")
            let url = try #require((try voicemail.object["data"] as? [String: Any])?["recordingUrl"] as? String)
            #expect(try await fetch(url).body.count == withVoicemail.voicemail?.content?.size)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
