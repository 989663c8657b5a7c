import QuoAPI
import Testing
@testable import QuoFS

@Suite("Naming participant sets and voicemails")
struct ParticipantNamingTests {
    func call(_ parties: [CallParticipant]) -> Call {
        Call(id: "AC1", participants: parties)
    }

    @Test("external parties: sorted, deduplicated, without the workspace's own numbers or users")
    func externalParties() {
        let own: Set<String> = ["+15550100001", "+15550100002"]
        let group = call([
            CallParticipant(phoneNumber: "+15550100001", actorId: "US1"),
            CallParticipant(phoneNumber: "+15550100001", actorId: "US2"),
            CallParticipant(phoneNumber: "+15550109002"),
            CallParticipant(phoneNumber: "+15550109001"),
            CallParticipant(phoneNumber: "+15550109002"),
            CallParticipant(phoneNumber: "+15550100002"),  // another workspace number, no actor
            CallParticipant(phoneNumber: "+15559999999", actorId: "US3"),  // a user on a foreign number
            CallParticipant(phoneNumber: nil),
            CallParticipant(phoneNumber: ""),
        ])
        let parties = group.externalParties(ownNumbers: own)
        #expect(parties == ["+15550109001", "+15550109002"])
        #expect(Naming.participantsDirectoryName(parties) == "+15550109001,+15550109002")
        // A 1:1 call: exactly today's participant directory, in either wire shape.
        let v1 = call([CallParticipant(phoneNumber: "+15550109001")])
        let dated = call([CallParticipant(phoneNumber: "+15550100001", actorId: "US1"), CallParticipant(phoneNumber: "+15550109001")])
        #expect(Naming.participantsDirectoryName(v1.externalParties(ownNumbers: own)) == "+15550109001")
        #expect(dated.externalParties(ownNumbers: own) == v1.externalParties(ownNumbers: own))
    }

    @Test("odd parties are named as sent, sanitized; byte order puts + before letters")
    func oddParties() {
        #expect(Naming.participantsDirectoryName(["anonymous"]) == "anonymous")
        #expect(Naming.participantsDirectoryName(["22395"]) == "22395")
        #expect(Naming.participantsDirectoryName(["+15550109001", "blocked"]) == "+15550109001,blocked")
        #expect(Naming.participantsDirectoryName(["a/b", "c\u{0}d"]) == "a_b,c_d")
        #expect(Naming.participantsDirectoryName([]) == "_internal")
        #expect(Naming.participantsDirectoryName([String(repeating: "9", count: 300)]).utf8.count == 255)
        let sorted = ["anonymous", "_unassigned", "+442079460958", "+15550109001", "+15550109001,+15550109002"]
            .sorted(by: Naming.byteOrder)
        #expect(sorted == ["+15550109001", "+15550109001,+15550109002", "+442079460958", "_unassigned", "anonymous"])
    }

    @Test("voicemail file names")
    func voicemail() {
        #expect(Naming.voicemailAudioName(url: "https://s.example.com/a643.mp3?sig=1") == "voicemail.mp3")
        #expect(Naming.voicemailAudioName(url: "https://s.example.com/v/a643.WAV") == "voicemail.wav")
        #expect(Naming.voicemailAudioName(url: "https://s.example.com/v/a643") == "voicemail.mp3")
        #expect(Naming.voicemailAudioName(url: nil) == "voicemail.mp3")
    }
}
