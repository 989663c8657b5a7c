extension MockWorkspace {
    /// The workspace `scripts/bench-files` serves: many small recordings, for copies of a
    /// whole tree (`rsync -a`, `cp -r`) where each cold file waits for the host's first
    /// byte. One number `PNfiles01` (`+15550400000`, user `USfiles01`) with two trees of
    /// `count` calls each — participants `+15550400001` (tree `a`) and `+15550400002`
    /// (tree `b`) — every call answered and completed, with one pattern WAV recording
    /// of exactly `size` bytes (`CRfiles<tree><n>`, seeded by its number: every byte can
    /// be checked), no transcript, summary or voicemail. One more call on a third
    /// participant (`+15550400003`) holds a 256 MiB recording `CRfilesBandwidth`, which
    /// measures the host's bandwidth.
    public static func files(count: Int, size: Int) -> MockWorkspace {
        FilesWorkspace.make(count: count, size: size)
    }
}

/// Builds ``MockWorkspace/files(count:size:)``.
enum FilesWorkspace {
    static let bandwidthFileSize = 256 << 20

    static func make(count: Int, size: Int) -> MockWorkspace {
        let user = MockUser(id: "USfiles01", email: "files@example.com", firstName: "File", lastName: "Copier", role: "owner")
        let number = MockPhoneNumber(
            id: "PNfiles01", number: "+15550400000", formattedNumber: "(555) 040-0000", name: "Files",
            createdAt: "2024-12-01T00:00:00Z", updatedAt: "2024-12-01T00:00:00Z", users: [user])
        let start: Int64 = 1_735_689_600  // 2025-01-01T00:00:00Z
        var calls: [MockCall] = []
        var conversations: [MockConversation] = []
        let trees = [("a", "+15550400001"), ("b", "+15550400002")]
        for (t, (tree, party)) in trees.enumerated() {
            for n in 0..<max(0, count) {
                let created = start + Int64(t * 1_000_000 + n * 60)
                let id = "\(tree)\(pad(n + 1, 6))"
                calls.append(call(id: id, party: party, user: user, created: created, recording: wav(
                    "CRfiles\(id)", start: created + 1, seed: UInt64(t * 1_000_000 + n + 1), fileSize: max(RecordingContent.wavHeaderSize, size))))
            }
            let last = start + Int64(t * 1_000_000 + max(0, count - 1) * 60)
            conversations.append(MockConversation(
                id: "CNfiles\(tree)", phoneNumberId: number.id, participants: [party], createdAt: GeneratedWorkspace.iso(start),
                updatedAt: GeneratedWorkspace.iso(last), lastActivityAt: GeneratedWorkspace.iso(last)))
        }
        let bandwidthCreated = start + 3_000_000
        calls.append(call(id: "Bandwidth", party: "+15550400003", user: user, created: bandwidthCreated, recording: wav(
            "CRfilesBandwidth", start: bandwidthCreated + 1, seed: 9, fileSize: bandwidthFileSize)))
        conversations.append(MockConversation(
            id: "CNfilesc", phoneNumberId: number.id, participants: ["+15550400003"], createdAt: GeneratedWorkspace.iso(bandwidthCreated),
            updatedAt: GeneratedWorkspace.iso(bandwidthCreated), lastActivityAt: GeneratedWorkspace.iso(bandwidthCreated)))
        return MockWorkspace(phoneNumbers: [number], conversations: conversations, calls: calls, users: [user])
    }

    static func call(id: String, party: String, user: MockUser, created: Int64, recording: MockRecording) -> MockCall {
        MockCall(
            id: "ACfiles\(id)", phoneNumberId: "PNfiles01", userId: user.id, direction: "outgoing", status: "completed",
            participants: [party], duration: max(1, recording.duration ?? 1), createdAt: GeneratedWorkspace.iso(created),
            answeredAt: GeneratedWorkspace.iso(created), completedAt: GeneratedWorkspace.iso(created + Int64(max(1, recording.duration ?? 1)) + 1),
            recordings: [recording])
    }

    static func wav(_ id: String, start: Int64, seed: UInt64, fileSize: Int) -> MockRecording {
        let dataSize = fileSize - RecordingContent.wavHeaderSize
        return MockRecording(
            id: id, duration: max(1, dataSize / RecordingContent.wavSampleRate), startTime: GeneratedWorkspace.iso(start),
            status: "completed", type: "audio/wav", content: .wavPattern(seed: seed, dataSize: dataSize), urlExtension: ".wav")
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let text = String(n)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
