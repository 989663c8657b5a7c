extension MockWorkspace {
    /// The workspace `scripts/bench` serves: ``demo``, unchanged, plus large pattern WAV
    /// recordings on Support / +442079460958 (London):
    ///
    /// - call `ACbench1GiB` (2025-03-10T10:00:00Z) with one 1 GiB recording
    ///   `CRbench1GiB` (seed 3), for streaming with a small cache;
    /// - calls `ACbenchP1`…`ACbenchP4` (2025-03-12…15), four segments each, 16 MiB
    ///   recordings `CRbenchP01`…`CRbenchP16` (seeds 101…116), for parallel readers
    ///   of different files.
    ///
    /// The demo's own recordings (the 64 MiB `CRdemoBig` among them) keep their ids,
    /// names and bytes; only the London conversation's last activity moves forward.
    public static let benchmark: MockWorkspace = BenchmarkWorkspace.make()
}

/// Builds ``MockWorkspace/benchmark``.
enum BenchmarkWorkspace {
    /// Size of each of the parallel readers' recordings.
    static let parallelFileSize = 16 << 20
    /// Size of the streaming recording.
    static let largeFileSize = 1 << 30

    static func make() -> MockWorkspace {
        var workspace = MockWorkspace.demo
        let supportId = DemoWorkspace.supportId
        let london = DemoWorkspace.london
        let sam = DemoWorkspace.sam

        var calls: [MockCall] = []
        calls.append(
            MockCall(
                id: "ACbench1GiB", phoneNumberId: supportId, userId: sam.id, direction: "incoming", status: "completed",
                participants: [london], duration: (largeFileSize - RecordingContent.wavHeaderSize) / RecordingContent.wavSampleRate,
                createdAt: "2025-03-10T10:00:00Z", answeredAt: "2025-03-10T10:00:01Z", completedAt: "2025-03-11T23:16:59Z",
                recordings: [
                    DemoWorkspace.wav("CRbench1GiB", start: "2025-03-10T10:00:02Z", type: "audio/wav", seed: 3, fileSize: largeFileSize)
                ]
            )
        )
        let segmentSeconds = (parallelFileSize - RecordingContent.wavHeaderSize) / RecordingContent.wavSampleRate
        for callNumber in 1...4 {
            // One call a day, 2025-03-12…15 at 10:00:00Z (after the 37-hour 1 GiB call); its
            // four segments (about 35 min each) follow one another every 36 minutes.
            let day = "2025-03-\(two(11 + callNumber))"
            var recordings: [MockRecording] = []
            for segment in 0..<4 {
                let number = (callNumber - 1) * 4 + segment + 1
                let minutes = segment * 36
                recordings.append(
                    DemoWorkspace.wav(
                        "CRbenchP\(two(number))", start: "\(day)T\(two(10 + minutes / 60)):\(two(minutes % 60)):02Z",
                        type: "audio/wav", seed: UInt64(100 + number), fileSize: parallelFileSize
                    )
                )
            }
            calls.append(
                MockCall(
                    id: "ACbenchP\(callNumber)", phoneNumberId: supportId, userId: sam.id, direction: "outgoing", status: "completed",
                    participants: [london], duration: 4 * segmentSeconds + 2, createdAt: "\(day)T10:00:00Z",
                    answeredAt: "\(day)T10:00:01Z", completedAt: "\(day)T12:30:00Z",
                    recordings: recordings
                )
            )
        }
        workspace.calls.append(contentsOf: calls)
        if let index = workspace.conversations.firstIndex(where: { $0.phoneNumberId == supportId && $0.participants == [london] }) {
            workspace.conversations[index].lastActivityAt = "2025-03-15T10:00:00Z"
            workspace.conversations[index].updatedAt = "2025-03-15T12:30:00Z"
        }
        return workspace
    }

    private static func two(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
