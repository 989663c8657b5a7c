import QuoAPI

/// One timed line of a transcript, ready to render: seconds from the start of a
/// segment's audio (a `.vtt` cue) or of the call (a `transcript.txt` line).
struct TranscriptCue: Sendable, Equatable {
    /// Seconds, ≥ 0.
    var start: Double
    /// Seconds, ≥ ``start``.
    var end: Double
    /// The resolved speaker (``PeopleDirectory/speaker(identifier:actorId:)``).
    var speaker: String
    /// As sent (the renderers put it on one line and escape it).
    var text: String
}

/// A call's transcripts laid onto its recording segments.
///
/// The two API versions time dialogue differently: 2026-03-30 sends one transcript per
/// segment (`recordingId` set) with offsets from that segment's start; v1 sends one per
/// call (no `recordingId`) with offsets from the call's beginning. This type turns
/// either into per-segment cues (for each segment's `.vtt`, timed against that
/// segment's audio) and whole-call lines (for `transcript.txt`, timed from the first
/// segment's start).
///
/// **Segment positions.** Each segment's offset is its start time minus the first
/// segment's start time. A segment without a start time (or when the first has none)
/// follows the previous one: previous offset + previous duration (a missing duration
/// counts as 0); the first segment is at 0.
///
/// **Transcripts with a `recordingId`** (2026-03-30). One that names a segment gives
/// that segment's cues as sent; its whole-call lines are shifted by the segment's
/// offset. One that names no segment (a segment not available, deleted…) gives no cues
/// but still contributes lines: placed by its own `startTime` relative to the first
/// segment's start when both are known (with no segments at all, relative to the
/// earliest such `startTime`), otherwise appended after everything else (after the
/// end of the last segment and of every line placed so far, in input order).
///
/// **Transcripts without a `recordingId`** (v1, per call). Their offsets are taken as
/// measured from the first segment's start (the call's recorded beginning) and are the
/// whole-call lines as sent. For the cues, each entry goes to the *last* segment whose
/// offset is ≤ the entry's start, timed relative to that segment:
/// - an entry before the first segment goes to the first segment, times clamped at 0;
/// - an entry in a gap between two segments (after one's audio ends, before the next
///   starts), or past the last segment's end, stays with the segment before it, so
///   its cue times may lie past the end of that segment's audio;
/// - an entry spanning two segments is kept whole in the segment where it starts.
///
/// Only transcripts whose status is `completed` (or null) contribute. Times are clamped
/// at 0, an end before its start is set to the start, and each list is sorted by start
/// time, ties kept in input order (transcripts, then their dialogue), so the result is
/// deterministic. Empty or blank texts are kept here and skipped by the renderers.
struct CallTimeline: Sendable, Equatable {
    /// One recording segment as far as timing goes.
    struct Segment: Sendable, Equatable {
        /// The recording's id (`CR…`), matched against a transcript's `recordingId`.
        var id: String
        var start: QuoTimestamp?
        /// Seconds.
        var duration: Int?

        init(id: String, start: QuoTimestamp? = nil, duration: Int? = nil) {
            self.id = id
            self.start = start
            self.duration = duration
        }

        /// The segment of a listed recording (its `startTime` parsed; unparseable → nil).
        init(recording: CallRecording) {
            self.init(id: recording.id, start: recording.startTime.flatMap(QuoTimestamp.init(iso8601:)),
                      duration: recording.duration)
        }
    }

    /// The segments, in the order given.
    let segments: [Segment]
    /// Each segment's offset in seconds from the first segment's start (see the type's
    /// comment), parallel to ``segments``.
    let segmentOffsets: [Double]
    /// Each segment's cues, times relative to that segment's audio, parallel to
    /// ``segments``.
    let segmentCues: [[TranscriptCue]]
    /// The whole call's lines, times from the first segment's start.
    let lines: [TranscriptCue]

    /// - Parameters:
    ///   - segments: the call's available segments, in their order.
    ///   - transcripts: the call's transcripts as listed (either version).
    ///   - people: resolves each entry's speaker.
    init(segments: [Segment], transcripts: [Transcript], people: PeopleDirectory) {
        self.segments = segments

        var offsets: [Double] = []
        offsets.reserveCapacity(segments.count)
        for (index, segment) in segments.enumerated() {
            if index == 0 {
                offsets.append(0)
            } else if let origin = segments[0].start, let start = segment.start {
                offsets.append(Self.seconds(from: origin, to: start))
            } else {
                let previous = segments[index - 1]
                offsets.append(offsets[index - 1] + Double(previous.duration ?? 0))
            }
        }
        segmentOffsets = offsets

        var firstIndex: [String: Int] = [:]
        for (index, segment) in segments.enumerated() where firstIndex[segment.id] == nil {
            firstIndex[segment.id] = index
        }

        // (cue, sequence number) so sorting keeps input order for equal starts.
        var cues: [[(TranscriptCue, Int)]] = Array(repeating: [], count: segments.count)
        var placed: [(TranscriptCue, Int)] = []
        var unplaced: [Transcript] = []
        var sequence = 0

        func cue(_ entry: Transcript.DialogueEntry, shift: Double) -> TranscriptCue {
            let start = max(0, entry.start - shift)
            let end = max(start, entry.end - shift)
            return TranscriptCue(start: start, end: end,
                                 speaker: people.speaker(identifier: entry.identifier, actorId: entry.actorId),
                                 text: entry.content)
        }

        let completed = transcripts.filter { $0.status == nil || $0.status == "completed" }
        for transcript in completed {
            if let recordingId = transcript.recordingId {
                guard let index = firstIndex[recordingId] else {
                    unplaced.append(transcript)
                    continue
                }
                for entry in transcript.dialogue {
                    sequence += 1
                    cues[index].append((cue(entry, shift: 0), sequence))
                    placed.append((cue(entry, shift: -offsets[index]), sequence))
                }
            } else {
                for entry in transcript.dialogue {
                    sequence += 1
                    placed.append((cue(entry, shift: 0), sequence))
                    guard !segments.isEmpty else { continue }
                    let index = offsets.lastIndex { $0 <= entry.start } ?? 0
                    cues[index].append((cue(entry, shift: offsets[index]), sequence))
                }
            }
        }

        // Transcripts naming no known segment: by their own start time, else appended.
        let origin: QuoTimestamp? = segments.isEmpty
            ? unplaced.compactMap { $0.startTime.flatMap(QuoTimestamp.init(iso8601:)) }.min()
            : segments[0].start
        var appended: [Transcript] = []
        for transcript in unplaced {
            guard let origin, let start = transcript.startTime.flatMap(QuoTimestamp.init(iso8601:)) else {
                appended.append(transcript)
                continue
            }
            let shift = Self.seconds(from: origin, to: start)
            for entry in transcript.dialogue {
                sequence += 1
                placed.append((cue(entry, shift: -shift), sequence))
            }
        }
        var end = placed.map(\.0.end).max() ?? 0
        for (index, segment) in segments.enumerated() {
            end = max(end, offsets[index] + Double(segment.duration ?? 0))
        }
        for transcript in appended {
            let shift = end
            for entry in transcript.dialogue {
                sequence += 1
                let line = cue(entry, shift: -shift)
                placed.append((line, sequence))
                end = max(end, line.end)
            }
            end = max(end, shift + (transcript.duration ?? 0))
        }

        segmentCues = cues.map(Self.sorted)
        lines = Self.sorted(placed)
    }

    /// The cues of the segment with this recording id (the first such segment); empty
    /// for an unknown id.
    func cues(forRecordingId id: String) -> [TranscriptCue] {
        guard let index = segments.firstIndex(where: { $0.id == id }) else { return [] }
        return segmentCues[index]
    }

    private static func sorted(_ cues: [(TranscriptCue, Int)]) -> [TranscriptCue] {
        cues.sorted { ($0.0.start, $0.1) < ($1.0.start, $1.1) }.map(\.0)
    }

    /// `to − from` in seconds (negative when `to` is earlier).
    static func seconds(from: QuoTimestamp, to: QuoTimestamp) -> Double {
        Double(to.seconds - from.seconds) + Double(Int64(to.nanoseconds) - Int64(from.nanoseconds)) / 1_000_000_000
    }
}
