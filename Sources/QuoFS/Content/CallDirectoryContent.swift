import Foundation
import QuoAPI

/// The files of a call directory besides audio, from what the API said of the call:
///
/// - `<segment name without extension>.vtt` per segment with dialogue (``WebVTT``);
/// - `transcript.txt`, the whole call's dialogue (``TranscriptText``);
/// - `summary.md` (``SummaryMarkdown``);
/// - `call.json`, always (``CallMetadata``).
///
/// A file exists only when it has content. Whether the content can still change
/// (``isPending``: a transcript or summary being generated) decides whether the call's
/// listing is final.
struct CallDirectoryContent {
    static let transcriptName = "transcript.txt"
    static let summaryName = "summary.md"
    static let metadataName = "call.json"

    /// The files, by name.
    let files: [(name: String, file: TextFile)]
    /// A transcript or summary is still being made: ask again later.
    let isPending: Bool

    /// - Parameters:
    ///   - segments: the call's available segments with their file names, in order.
    ///   - transcripts: the API's answer, or nil when not asked (`--no-transcripts`).
    ///   - summary: likewise (`--no-summaries`).
    init(call: Call, segments: [(name: String, recording: CallRecording)], voicemail: Voicemail?,
         transcripts: ArtifactAnswer<[Transcript]>?, summary: ArtifactAnswer<CallSummary>?,
         people: PeopleDirectory, ownNumbers: Set<String>) {
        var files: [(name: String, file: TextFile)] = []
        func add(_ name: String, _ kind: TextFile.Kind, _ bytes: [UInt8]) {
            files.append((name, TextFile(bytes: bytes, callID: call.id, kind: kind)))
        }

        var transcriptsPending = false
        if case .value(let list) = transcripts {
            transcriptsPending = list.contains { $0.status == "in-progress" }
            let timeline = CallTimeline(
                segments: segments.map { CallTimeline.Segment(recording: $0.recording) }, transcripts: list, people: people)
            for (index, segment) in segments.enumerated() {
                guard let text = WebVTT.render(cues: timeline.segmentCues[index]) else { continue }
                add(Self.subtitlesName(ofSegment: segment.name), .segmentSubtitles, Array(text.utf8))
            }
            if let text = TranscriptText.render(lines: timeline.lines) {
                add(Self.transcriptName, .callTranscript, Array(text.utf8))
            }
        }
        var summaryPending = false
        if case .value(let value) = summary {
            summaryPending = value.isPending
            if let text = SummaryMarkdown.render(value) {
                add(Self.summaryName, .summary, Array(text.utf8))
            }
        }
        add(Self.metadataName, .metadata, CallMetadata.render(
            call: call, recordings: segments.map(\.recording), voicemail: voicemail,
            transcriptStatus: Self.status(of: transcripts), summaryStatus: Self.status(of: summary),
            people: people, ownNumbers: ownNumbers))
        self.files = files
        self.isPending = transcriptsPending || summaryPending
    }

    /// `2025-01-12T09-14-35Z.vtt` for `2025-01-12T09-14-35Z.mp3`: players (mpv, VLC)
    /// load a same-named `.vtt` beside the audio as its subtitles.
    static func subtitlesName(ofSegment name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name + ".vtt" }
        return String(name[..<dot]) + ".vtt"
    }

    /// What `call.json` says of a transcript or summary: the API's status (a call's
    /// transcripts: `in-progress` while any segment's is, else `completed` if any is,
    /// else the first one's), `absent` when the call has none — also on a plan without
    /// them (a 403: v1 answers so where 2026-03-30 says `absent`, and the file is the same
    /// whichever version answered) — and `not-requested` when the mount skips them.
    static func status(of answer: ArtifactAnswer<[Transcript]>?) -> String {
        switch answer {
        case nil: return "not-requested"
        case .notOnPlan, .absent: return "absent"
        case .value(let list):
            let statuses = list.map { $0.status ?? "completed" }
            if statuses.contains("in-progress") { return "in-progress" }
            if statuses.contains("completed") { return "completed" }
            return statuses.first ?? "absent"
        }
    }

    static func status(of answer: ArtifactAnswer<CallSummary>?) -> String {
        switch answer {
        case nil: return "not-requested"
        case .notOnPlan, .absent: return "absent"
        case .value(let summary): return summary.status ?? "completed"
        }
    }
}

extension PeopleDirectory {
    /// As the catalog keeps it.
    var json: [UInt8] {
        Array((try? JSONEncoder().encode(self)) ?? Data("{}".utf8))
    }

    /// From ``json``; nil if unreadable.
    init?(json: [UInt8]) {
        guard let people = try? JSONDecoder().decode(PeopleDirectory.self, from: Data(json)) else { return nil }
        self = people
    }
}
