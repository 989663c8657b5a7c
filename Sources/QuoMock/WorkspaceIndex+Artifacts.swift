/// The wire format of calls' transcripts and summaries on both surfaces: v1's per-call
/// transcript (`GET /v1/call-transcripts/{id}`, times from the call's beginning) and
/// summary (`GET /v1/call-summaries/{id}`), 2026-03-30's per-segment transcripts
/// (`GET /calls/{id}/transcripts`, times from the segment's start) and inline summary
/// (`include=summary`). Documented nulls are written as `null`.
extension WorkspaceIndex {
    /// The 403 message of a plan-gated transcript (both surfaces).
    static let transcriptsGatedMessage = "Transcripts require Business or Scale"
    /// The 403 message of a plan-gated summary (v1).
    static let summariesGatedMessage = "Call summaries require Business or Scale"

    /// When a call's artifacts were created: its completion, else its creation time.
    static func artifactCreatedAt(_ call: MockCall) -> String {
        call.completedAt ?? call.createdAt
    }

    /// `seconds` rounded to the microsecond (so sums print short, e.g. `114.4`).
    static func microseconds(_ seconds: Double) -> Double {
        (seconds * 1_000_000).rounded() / 1_000_000
    }

    // MARK: Transcripts

    /// `GET /v1/call-transcripts/{id}`'s `data`: `{callId, createdAt, dialogue, duration,
    /// status}`. `dialogue` (only when completed, else null) is every segment's lines
    /// shifted by the segment's ``MockCall/segmentOffsets``, sorted by start (ties in
    /// segment order); `duration` is the call's.
    func v1TranscriptJSON(_ call: MockCall) -> JSON {
        let status = call.resolvedTranscriptStatus
        var dialogue: JSON = .null
        if status == .completed {
            var lines: [(start: Double, order: Int, json: JSON)] = []
            for (recording, offset) in zip(call.recordings, call.segmentOffsets) {
                for entry in recording.transcript ?? [] {
                    let start = Self.microseconds(offset + entry.start)
                    let json: JSON = [
                        "content": .string(entry.content),
                        "start": .double(start),
                        "end": .double(Self.microseconds(offset + entry.end)),
                        "identifier": JSON(entry.identifier),
                        "userId": JSON(entry.userId),
                    ]
                    lines.append((start, lines.count, json))
                }
            }
            lines.sort { $0.start != $1.start ? $0.start < $1.start : $0.order < $1.order }
            dialogue = .array(lines.map(\.json))
        }
        return [
            "callId": .string(call.id),
            "createdAt": .string(Self.artifactCreatedAt(call)),
            "dialogue": dialogue,
            "duration": .int(call.duration),
            "status": .string(status.wireValue),
        ]
    }

    /// The segments `GET /calls/{id}/transcripts` lists: those with a transcript, by
    /// `startTime` ascending (ties and segments without one in ``MockCall/recordings``
    /// order, the latter last); none when the transcript is absent or plan-gated.
    func datedTranscriptSegments(_ call: MockCall) -> [MockRecording] {
        switch call.resolvedTranscriptStatus {
        case .absent, .planGated: return []
        case .completed, .inProgress, .failed: break
        }
        let keyed = call.recordings.enumerated().filter { $0.element.transcript != nil }.map { index, recording in
            (start: recording.startTime.flatMap { Timestamp.milliseconds(iso: $0) } ?? .max, index: index, recording: recording)
        }
        return keyed.sorted { $0.start != $1.start ? $0.start < $1.start : $0.index < $1.index }.map(\.recording)
    }

    /// An item of `GET /calls/{id}/transcripts`: `{recordingId, status, startTime,
    /// createdAt, duration, dialogue}`, times from the segment's start, `dialogue` null
    /// unless completed; `duration` (float) is the segment's, else its last line's end.
    func datedTranscriptJSON(_ recording: MockRecording, of call: MockCall) -> JSON {
        let status = call.resolvedTranscriptStatus
        let entries = recording.transcript ?? []
        let duration = recording.duration.map(Double.init) ?? entries.map(\.end).max() ?? 0
        let dialogue: JSON =
            status == .completed
            ? .array(
                entries.map { entry in
                    [
                        "content": .string(entry.content),
                        "start": .double(entry.start),
                        "end": .double(entry.end),
                        "identifier": JSON(entry.identifier),
                        "actorId": JSON(entry.userId),
                    ]
                }
            ) : .null
        return [
            "recordingId": .string(recording.id),
            "status": .string(status.wireValue),
            "startTime": JSON(recording.startTime),
            "createdAt": .string(Self.artifactCreatedAt(call)),
            "duration": .double(duration),
            "dialogue": dialogue,
        ]
    }

    // MARK: Summaries

    /// `GET /v1/call-summaries/{id}`'s `data`: `{callId, status, summary, nextSteps,
    /// jobs}` (no `type` or `title`); status `absent` and nulls when the call has none.
    func v1SummaryJSON(_ call: MockCall) -> JSON {
        let summary = call.summary
        return [
            "callId": .string(call.id),
            "status": .string(summary?.status.wireValue ?? "absent"),
            "summary": JSON(summary?.summary),
            "nextSteps": JSON(summary?.nextSteps),
            "jobs": Self.json(summary?.jobs),
        ]
    }

    /// The inline `summary` of a 2026-03-30 call (`include=summary`): `{status, type,
    /// summary, nextSteps, jobs, title}`; status `absent` and nulls when the call has none
    /// or it is plan-gated.
    func datedSummaryJSON(_ summary: MockSummary?) -> JSON {
        guard let summary, summary.status != .planGated else {
            return ["status": "absent", "type": nil, "summary": nil, "nextSteps": nil, "jobs": nil, "title": nil]
        }
        return [
            "status": .string(summary.status.wireValue),
            "type": JSON(summary.type),
            "summary": JSON(summary.summary),
            "nextSteps": JSON(summary.nextSteps),
            "jobs": Self.json(summary.jobs),
            "title": JSON(summary.title),
        ]
    }

    /// `jobs` of a summary: `[{icon, name, result: {data: [{name, value}]}}]`, or null.
    static func json(_ jobs: [MockSummaryJob]?) -> JSON {
        guard let jobs else { return .null }
        return .array(
            jobs.map { job in
                [
                    "icon": JSON(job.icon),
                    "name": .string(job.name),
                    "result": ["data": .array(job.results.map { ["name": .string($0.name), "value": json($0.value)] })],
                ]
            }
        )
    }

    /// A job result's value.
    static func json(_ value: MockSummaryValue) -> JSON {
        switch value {
        case .string(let text): .string(text)
        case .int(let number): .int(number)
        case .double(let number): .double(number)
        case .bool(let flag): .bool(flag)
        }
    }
}
