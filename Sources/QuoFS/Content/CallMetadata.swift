import Foundation
import QuoAPI

/// A call's `call.json`: what is known of the call, for people and scripts, in one
/// stable JSON document.
///
/// It never holds a URL: recording and voicemail URLs are signed, short-lived and
/// grant access to the audio, and the audio is already served as files next to it.
///
/// **Nulls.** Every key is always written; a value that is not known (or not set) is
/// an explicit `null`, so the key set is the same for every call and scripts need not
/// test for presence. Nested objects (`user`, `voicemail`, `transcript`, `summary`) are
/// `null` as a whole when there is nothing to describe, otherwise they carry all their
/// keys, again with `null` for unknown fields.
///
/// Keys are sorted, output pretty-printed with a final newline, and slashes unescaped:
/// the same inputs give the same bytes.
enum CallMetadata {
    /// The file's bytes (UTF-8 JSON).
    ///
    /// - Parameters:
    ///   - recordings: the call's available segments, in their order.
    ///   - voicemail: the call's voicemail when known (else the call's inline one).
    ///   - transcriptStatus: the transcripts' status (`completed`, `absent`, …); nil when
    ///     unknown (`transcript` is then null).
    ///   - summaryStatus: the summary's status; nil falls back to the call's inline
    ///     summary (`summary` is null when neither is known).
    ///   - people: names the call's user and parties.
    ///   - ownNumbers: the workspace's own numbers (E.164), to mark parties as workspace.
    static func render(call: Call, recordings: [CallRecording], voicemail: Voicemail?, transcriptStatus: String?,
                       summaryStatus: String?, people: PeopleDirectory, ownNumbers: Set<String>) -> [UInt8] {
        let document = document(call: call, recordings: recordings, voicemail: voicemail,
                                transcriptStatus: transcriptStatus, summaryStatus: summaryStatus,
                                people: people, ownNumbers: ownNumbers)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Strings, integers and booleans only: encoding cannot fail.
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return Array(data) + [0x0A]
    }

    /// The document ``render(call:recordings:voicemail:transcriptStatus:summaryStatus:people:ownNumbers:)``
    /// encodes.
    static func document(call: Call, recordings: [CallRecording], voicemail: Voicemail?, transcriptStatus: String?,
                         summaryStatus: String?, people: PeopleDirectory, ownNumbers: Set<String>) -> Document {
        // The external parties only, as the tree names them: v1 lists nothing else, and
        // the file is the same whichever API version described the call.
        let participants = call.externalParties(ownNumbers: ownNumbers).map {
            Participant(number: $0, name: people.contactName(number: $0))
        }
        let voicemail = (voicemail ?? call.voicemail).map {
            VoicemailInfo(id: $0.id, status: $0.status, duration: $0.duration, transcript: $0.transcript)
        }
        let summaryStatus = summaryStatus ?? call.summary?.status
        let summary: SummaryInfo? = summaryStatus == nil && call.summary == nil ? nil : SummaryInfo(status: summaryStatus)
        return Document(
            id: call.id, phoneNumberId: call.phoneNumberId, direction: call.direction, status: call.status,
            duration: call.duration, createdAt: call.createdAt, answeredAt: call.answeredAt,
            completedAt: call.completedAt, updatedAt: call.updatedAt,
            user: call.actorId.map { UserInfo(id: $0, name: people.userName(id: $0)) },
            participants: participants,
            recordings: recordings.map {
                Recording(id: $0.id, status: $0.status, startTime: $0.startTime, duration: $0.duration, type: $0.type)
            },
            voicemail: voicemail,
            transcript: transcriptStatus.map { TranscriptInfo(status: $0) },
            summary: summary)
    }

    struct Document: Codable, Sendable, Equatable {
        var id: String
        var phoneNumberId: String?
        var direction: String?
        var status: String?
        /// Seconds.
        var duration: Int?
        var createdAt: String?
        var answeredAt: String?
        var completedAt: String?
        var updatedAt: String?
        /// The call's workspace user or system actor.
        var user: UserInfo?
        /// The external parties (not the workspace's numbers or users), sorted.
        var participants: [Participant]
        /// The available segments, in order.
        var recordings: [Recording]
        var voicemail: VoicemailInfo?
        var transcript: TranscriptInfo?
        var summary: SummaryInfo?

        private enum CodingKeys: String, CodingKey {
            case id, phoneNumberId, direction, status, duration, createdAt, answeredAt, completedAt, updatedAt
            case user, participants, recordings, voicemail, transcript, summary
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(phoneNumberId, forKey: .phoneNumberId)
            try c.encode(direction, forKey: .direction)
            try c.encode(status, forKey: .status)
            try c.encode(duration, forKey: .duration)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(answeredAt, forKey: .answeredAt)
            try c.encode(completedAt, forKey: .completedAt)
            try c.encode(updatedAt, forKey: .updatedAt)
            try c.encode(user, forKey: .user)
            try c.encode(participants, forKey: .participants)
            try c.encode(recordings, forKey: .recordings)
            try c.encode(voicemail, forKey: .voicemail)
            try c.encode(transcript, forKey: .transcript)
            try c.encode(summary, forKey: .summary)
        }
    }

    struct UserInfo: Codable, Sendable, Equatable {
        var id: String
        var name: String?

        private enum CodingKeys: String, CodingKey { case id, name }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
        }
    }

    /// An external party of the call.
    struct Participant: Codable, Sendable, Equatable {
        /// As sent: E.164, `anonymous`, a short code…
        var number: String
        /// The contact's name for the number.
        var name: String?

        private enum CodingKeys: String, CodingKey { case number, name }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(number, forKey: .number)
            try c.encode(name, forKey: .name)
        }
    }

    /// A segment, without its URL.
    struct Recording: Codable, Sendable, Equatable {
        var id: String
        var status: String?
        /// As the API sent it (ISO 8601).
        var startTime: String?
        /// Seconds.
        var duration: Int?
        /// MIME type.
        var type: String?

        private enum CodingKeys: String, CodingKey { case id, status, startTime, duration, type }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(status, forKey: .status)
            try c.encode(startTime, forKey: .startTime)
            try c.encode(duration, forKey: .duration)
            try c.encode(type, forKey: .type)
        }
    }

    /// The voicemail, without its `recordingUrl`.
    struct VoicemailInfo: Codable, Sendable, Equatable {
        var id: String?
        var status: String?
        /// Seconds.
        var duration: Int?
        var transcript: String?

        private enum CodingKeys: String, CodingKey { case id, status, duration, transcript }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(status, forKey: .status)
            try c.encode(duration, forKey: .duration)
            try c.encode(transcript, forKey: .transcript)
        }
    }

    struct TranscriptInfo: Codable, Sendable, Equatable {
        var status: String?

        private enum CodingKeys: String, CodingKey { case status }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(status, forKey: .status)
        }
    }

    /// The summary's status (its type is left out: v1 does not send it).
    struct SummaryInfo: Codable, Sendable, Equatable {
        var status: String?

        private enum CodingKeys: String, CodingKey { case status }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(status, forKey: .status)
        }
    }
}
