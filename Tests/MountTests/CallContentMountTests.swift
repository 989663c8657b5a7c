import Foundation
import QuoMock
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real mounts: what a call directory holds besides audio — subtitles, transcript,
/// summary, `call.json` — and the extended attributes, read with the tools people use
/// (cat, grep, ffprobe, getfattr, setfattr, rsync -aX).
@Suite("Real mounts: call content", .serialized, .enabled(if: MountedWorkspace.canMount, "needs /dev/fuse and the built quofs"))
struct CallContentMountTests {
    static let a1 = "+15550100001/+15550109001/2025-01-12T09-14-33Z_ACdemoA1"

    /// `[HH:MM:SS] Speaker: text` lines of a call's transcript as the mock's data says
    /// them (one segment: times are the segment's), speakers named as the demo names them.
    static func expectedTranscript(_ server: QuoMockServer, call id: String) throws -> String {
        let call = try #require(server.workspace.call(id: id))
        let names = ["USdemoDana01": "Dana Demo", "+15550109001": "Alice Archer", "+15550109002": "Bob Baker"]
        var lines: [String] = []
        for entry in call.recordings.flatMap({ $0.transcript ?? [] }) {
            let seconds = Int(entry.start)
            let time = String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            let speaker = entry.userId.flatMap { names[$0] } ?? entry.identifier.flatMap { names[$0] } ?? entry.identifier ?? "?"
            lines.append("[\(time)] \(speaker): \(entry.content)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("content files hold the mock's data: transcript lines with names, subtitles ffprobe reads, summary, call.json",
          arguments: ["2026-03-30", "v1"])
    func contentFiles(version: String) async throws {
        try await MountedWorkspace.with(arguments: ["--api-version", version]) { mount in
            let transcript = try await run(["cat", mount.path(Self.a1 + "/transcript.txt")])
            #expect(transcript.status == 0)
            #expect(transcript.stdout == (try Self.expectedTranscript(mount.server, call: "ACdemoA1")))
            // The exact size before open (stat), as read.
            let size = try await run(["stat", "-c", "%s", mount.path(Self.a1 + "/transcript.txt")])
            #expect(Int(size.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == transcript.stdout.utf8.count)

            // Every subtitle file is WebVTT that ffprobe parses, one packet per cue.
            let vtts = try await sh("cd \(quoted(mount.mountpoint)) && find . -name '*.vtt' | sort")
            let paths = vtts.stdout.split(separator: "\n").map(String.init)
            #expect(paths.count >= 8, "\(paths)")
            for path in paths {
                let text = try await run(["cat", mount.path(path)])
                #expect(text.stdout.hasPrefix("WEBVTT\n\n"), "\(path)")
                let cues = text.stdout.components(separatedBy: " --> ").count - 1
                let probe = try await run(["ffprobe", "-v", "error", "-show_entries", "packet=pts_time", "-of", "csv=p=0", mount.path(path)])
                #expect(probe.status == 0, "\(path): \(probe)")
                #expect(probe.stdout.split(separator: "\n").count == cues, "\(path): \(probe.stdout)")
            }
            // A1's subtitles say what its recording says, with voice tags.
            let vtt = try await run(["cat", mount.path(Self.a1 + "/2025-01-12T09-14-35Z.vtt")])
            let spoken = try #require(mount.server.workspace.recording(id: "CRdemoA1")?.transcript)
            for entry in spoken { #expect(vtt.stdout.contains(">" + entry.content + "\n"), "\(entry.content): \(vtt.stdout)") }
            #expect(vtt.stdout.contains("<v Dana Demo>") && vtt.stdout.contains("<v Alice Archer>"), "\(vtt.stdout)")

            let summary = try await run(["cat", mount.path(Self.a1 + "/summary.md")])
            let mockSummary = try #require(mount.server.workspace.call(id: "ACdemoA1")?.summary)
            for point in (mockSummary.summary ?? []) + (mockSummary.nextSteps ?? []) {
                #expect(summary.stdout.contains("- " + point + "\n"), "\(point): \(summary.stdout)")
            }

            let json = try await run(["cat", mount.path(Self.a1 + "/call.json")])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["id"] as? String == "ACdemoA1")
            #expect((object["transcript"] as? [String: Any])?["status"] as? String == "completed")
            let parties = try #require(object["participants"] as? [[String: Any]])
            #expect(parties.map { $0["name"] as? String } == ["Alice Archer"])
            #expect(!json.stdout.contains("http") && !json.stdout.contains(mount.server.options.apiKey))

            // grep -r finds a phrase of a recording in the transcripts that hold it.
            let phrase = try #require(mount.server.workspace.recording(id: "CRdemoA4")?.transcript?.first?.content)
            let grep = try await run(["grep", "-rlF", phrase, mount.mountpoint])
            let found = Set(grep.stdout.split(separator: "\n").map { String($0.dropFirst(mount.mountpoint.count + 1)) })
            #expect(found.contains("+15550100001/+15550109001/2025-01-20T16-45-00Z_ACdemoA4/transcript.txt"), "\(found)")
            #expect(found.contains("+15550100001/+15550109001/2025-01-20T16-45-00Z_ACdemoA4/2025-01-20T16-45-04Z.vtt"), "\(found)")
            // The plan-gated call and the call without transcript have call.json only.
            for call in ["+15550100002/+442079460958/2025-03-03T17-45-00Z_ACdemoL1", "+15550100001/+15550109002/2025-02-02T11-30-00Z_ACdemoB2"] {
                let files = try await run(["ls", mount.path(call)])
                #expect(!files.stdout.contains(".vtt") && !files.stdout.contains("transcript") && files.stdout.contains("call.json"), "\(files)")
            }
            // A plan's 403 is no failure: nothing logged as an error (the daemon logs nowhere
            // in the background; --foreground tests cover the log), and no EIO anywhere.
            let walk = try await sh("find \(quoted(mount.mountpoint)) -type f -exec cat {} + > /dev/null")
            #expect(walk.status == 0, "\(walk)")
        }
    }

    @Test("extended attributes: getfattr shows ids, names and call details; missing ones are ENODATA; setfattr is EROFS")
    func extendedAttributes() async throws {
        try await MountedWorkspace.with { mount in
            let dump = try await run(["getfattr", "-d", "--absolute-names", mount.path(Self.a1)])
            #expect(dump.status == 0, "\(dump)")
            for line in [#"user.quo.id="ACdemoA1""#, #"user.quo.direction="incoming""#, #"user.quo.status="completed""#,
                         #"user.quo.created="2025-01-12T09:14:33Z""#] {
                #expect(dump.stdout.contains(line), "\(line): \(dump.stdout)")
            }
            #expect(dump.stdout.contains("user.quo.duration="), "\(dump.stdout)")
            let group = try await run(["getfattr", "-d", "--absolute-names", mount.path("+15550100001/+15550109001")])
            #expect(group.stdout.contains(#"user.quo.id="+15550109001""#) && group.stdout.contains(#"user.quo.name="Alice Archer""#), "\(group)")
            let number = try await run(["getfattr", "-n", "user.quo.name", "--only-values", mount.path("+15550100001")])
            #expect(number.stdout == "Sales", "\(number)")
            let audio = try await run(["getfattr", "-d", "--absolute-names", mount.path(Self.a1 + "/2025-01-12T09-14-35Z.mp3")])
            #expect(audio.stdout.contains(#"user.quo.id="CRdemoA1""#) && audio.stdout.contains(#"user.mime_type="audio/mpeg""#), "\(audio)")
            let text = try await run(["getfattr", "-d", "--absolute-names", mount.path(Self.a1 + "/2025-01-12T09-14-35Z.vtt")])
            #expect(text.stdout.contains(#"user.quo.id="ACdemoA1""#) && text.stdout.contains(#"user.mime_type="text/vtt""#), "\(text)")

            let missing = try await run(["getfattr", "-n", "user.quo.nope", mount.path(Self.a1)])
            #expect(missing.status != 0 && missing.stderr.contains("No such attribute"), "\(missing)")
            let security = try await run(["getfattr", "-n", "security.capability", mount.path(Self.a1 + "/call.json")])
            #expect(security.status != 0 && security.stderr.contains("No such attribute"), "\(security)")
            for arguments in [["-n", "user.x", "-v", "1"], ["-x", "user.quo.id"]] {
                let write = try await run(["setfattr"] + arguments + [mount.path(Self.a1 + "/call.json")])
                #expect(write.status != 0 && write.stderr.contains("Read-only file system"), "\(write)")
            }
        }
    }

    @Test("rsync -aX copies the content and the attributes; a second run transfers nothing and changes no attribute")
    func rsyncWithAttributes() async throws {
        try await MountedWorkspace.with { mount in
            let backup = MountedWorkspace.makeMountpoint()
            defer { _ = try? FileManager.default.removeItem(atPath: backup) }
            let first = try await run(["rsync", "-aX", mount.mountpoint + "/", backup + "/"])
            #expect(first.status == 0, "\(first)")
            let copied = try await run(["getfattr", "-n", "user.quo.id", "--only-values", backup + "/" + Self.a1])
            #expect(copied.stdout == "ACdemoA1", "\(copied)")
            let diff = try await run(["diff", "-r", mount.mountpoint, backup])
            #expect(diff.status == 0, "\(diff)")
            let second = try await run(["rsync", "-aX", "-i", "--stats", mount.mountpoint + "/", backup + "/"])
            #expect(second.status == 0)
            #expect(second.stdout.contains("Number of regular files transferred: 0"), "\(second.stdout)")
            // Itemized changes would start with `.` or `>` plus a flag column; none at all.
            let changes = second.stdout.split(separator: "\n").filter { $0.hasPrefix(".") || $0.hasPrefix(">") || $0.hasPrefix("c") }
            #expect(changes.isEmpty, "\(changes)")
        }
    }

    @Test("--no-transcripts and --no-summaries skip their requests and files", arguments: ["2026-03-30", "v1"])
    func contentOptions(version: String) async throws {
        var counts: [String: (transcripts: Int, summaries: Int, files: Int)] = [:]
        for options in [[], ["--no-transcripts"], ["--no-transcripts", "--no-summaries"]] {
            try await MountedWorkspace.with(arguments: ["--api-version", version] + options) { mount in
                let walk = try await sh("find \(quoted(mount.mountpoint)) -type f | xargs stat > /dev/null")
                #expect(walk.status == 0, "\(walk)")
                let log = mount.server.stats().apiRequestLog
                let files = try await sh("cd \(quoted(mount.mountpoint)) && find . -name '*.vtt' -o -name transcript.txt -o -name summary.md | wc -l")
                // Calls asked for their transcripts (2026-03-30 pages them by 2 segments here).
                let transcribed = Set(log.filter { $0.contains("transcripts") }.map { $0.split(separator: "?")[0] })
                counts[options.joined(separator: " ")] = (
                    transcribed.count,
                    log.filter { $0.contains("call-summaries") || ($0.hasPrefix("GET /calls/AC") && !$0.contains("/recordings") && !$0.contains("/transcripts")) }.count,
                    Int(files.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1)
            }
        }
        let workspace = MockWorkspace.demo
        let answered = workspace.calls.filter { $0.answeredAt != nil && (version != "v1" || ($0.phoneNumberId != nil && $0.participants.count == 1)) }
        #expect(counts[""]?.transcripts == answered.count, "\(counts)")
        #expect(counts["--no-transcripts"]?.transcripts == 0, "\(counts)")
        #expect(counts["--no-transcripts --no-summaries"]?.transcripts == 0, "\(counts)")
        if version == "v1" {
            #expect(counts[""]?.summaries == answered.count, "\(counts)")
        } else {
            // Summaries come with the calls; ACdemoA2's, being made, costs the call once more.
            #expect(counts[""]?.summaries == 1, "\(counts)")
        }
        #expect(counts["--no-transcripts --no-summaries"]?.summaries == 0, "\(counts)")
        // Only summaries are left with --no-transcripts; nothing with both.
        #expect(counts["--no-transcripts"]?.files == 2, "\(counts)")
        #expect(counts["--no-transcripts --no-summaries"]?.files == 0, "\(counts)")
    }
}
