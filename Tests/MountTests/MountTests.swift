import Foundation
import QuoMock
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real kernel mounts of the built `quofs` binary against QuoMock over loopback. Every
/// access to the mount is a subprocess (ls, stat, cmp, dd, ffprobe, rsync), as a user
/// would do it.
@Suite("Real mounts", .serialized, .enabled(if: MountedWorkspace.canMount, "needs /dev/fuse and the built quofs"))
struct MountTests {
    /// The demo workspace's audio files (2026-03-30, the default version) and the
    /// recordings or voicemails (`VM…`) they must contain.
    static let expectedFiles: [String: String] = [
        "+15550100001/+15550109001/2025-01-12T09-14-33Z_ACdemoA1/2025-01-12T09-14-35Z.mp3": "CRdemoA1",
        "+15550100001/+15550109001/2025-01-13T15-02-10Z_ACdemoA2/2025-01-13T15-02-12Z.mp3": "CRdemoA2a",
        "+15550100001/+15550109001/2025-01-13T15-02-10Z_ACdemoA2/2025-01-13T15-02-12Z_2.mp3": "CRdemoA2b",
        "+15550100001/+15550109001/2025-01-13T15-02-10Z_ACdemoA2/unknown-start_CRdemoA2c.mp3": "CRdemoA2c",
        "+15550100001/+15550109001/2025-01-14T10-00-00Z_ACdemoA3/voicemail.mp3": "VMdemoA3",
        "+15550100001/+15550109001/2025-01-20T16-45-00Z_ACdemoA4/2025-01-20T16-45-04Z.mp3": "CRdemoA4",
        "+15550100001/+15550109001/2025-01-21T11-20-00Z_ACdemoA5/2025-01-21T11-20-05Z.mp3": "CRdemoA5",
        "+15550100001/+15550109001,+15550109002/2025-01-25T14-00-00Z_ACdemoG1/2025-01-25T14-00-03Z.mp3": "CRdemoG1",
        "+15550100001/+15550109002/2025-02-01T08-00-00Z_ACdemoB1/2025-02-01T08-02-00Z.mp3": "CRdemoB1c",
        "+15550100001/+15550109002/2025-02-01T08-00-00Z_ACdemoB1/2025-02-01T08-05-00Z.mp3": "CRdemoB1d",
        "+15550100001/+15550109002/2025-02-02T11-30-00Z_ACdemoB2/2025-02-02T11-30-02Z.wav": "CRdemoBig",
        "+15550100002/+15550109003/2025-03-06T16-20-00Z_ACdemoC2/voicemail.mp3": "VMdemoC2",
        "+15550100002/+442079460958/2025-03-03T17-45-00Z_ACdemoL1/2025-03-03T17-45-01Z.wav": "CRdemoL1a",
        "_unassigned/+15550109005/2025-04-01T09-00-00Z_ACdemoX1/2025-04-01T09-00-03Z.mp3": "CRdemoX1",
    ]
    /// Text files and the call whose voicemail transcript they hold.
    static let expectedTexts: [String: String] = [
        "+15550100001/+15550109001/2025-01-14T10-00-00Z_ACdemoA3/voicemail.txt": "ACdemoA3",
    ]
    /// The demo's call content files (2026-03-30): every call's `call.json`; subtitles and
    /// a transcript where it was transcribed; a summary where one is complete (ACdemoA1
    /// human, ACdemoA5 agent). ACdemoB2 has no transcript, ACdemoL1 is plan-gated, ACdemoA2's
    /// summary is being made.
    static let expectedContent: [String] = {
        let a1 = "+15550100001/+15550109001/2025-01-12T09-14-33Z_ACdemoA1/"
        let a2 = "+15550100001/+15550109001/2025-01-13T15-02-10Z_ACdemoA2/"
        let a4 = "+15550100001/+15550109001/2025-01-20T16-45-00Z_ACdemoA4/"
        let a5 = "+15550100001/+15550109001/2025-01-21T11-20-00Z_ACdemoA5/"
        let g1 = "+15550100001/+15550109001,+15550109002/2025-01-25T14-00-00Z_ACdemoG1/"
        let b1 = "+15550100001/+15550109002/2025-02-01T08-00-00Z_ACdemoB1/"
        let x1 = "_unassigned/+15550109005/2025-04-01T09-00-00Z_ACdemoX1/"
        return [
            a1 + "2025-01-12T09-14-35Z.vtt", a1 + "call.json", a1 + "summary.md", a1 + "transcript.txt",
            a2 + "2025-01-13T15-02-12Z.vtt", a2 + "2025-01-13T15-02-12Z_2.vtt", a2 + "call.json", a2 + "transcript.txt",
            a2 + "unknown-start_CRdemoA2c.vtt",
            "+15550100001/+15550109001/2025-01-14T10-00-00Z_ACdemoA3/call.json",
            a4 + "2025-01-20T16-45-04Z.vtt", a4 + "call.json", a4 + "transcript.txt",
            a5 + "2025-01-21T11-20-05Z.vtt", a5 + "call.json", a5 + "summary.md", a5 + "transcript.txt",
            g1 + "2025-01-25T14-00-03Z.vtt", g1 + "call.json", g1 + "transcript.txt",
            b1 + "2025-02-01T08-02-00Z.vtt", b1 + "2025-02-01T08-05-00Z.vtt", b1 + "call.json", b1 + "transcript.txt",
            "+15550100001/+15550109002/2025-02-02T11-30-00Z_ACdemoB2/call.json",
            "+15550100002/+15550109003/2025-03-05T09-00-00Z_ACdemoC1/call.json",
            "+15550100002/+15550109003/2025-03-06T16-20-00Z_ACdemoC2/call.json",
            "+15550100002/+442079460958/2025-03-03T17-45-00Z_ACdemoL1/call.json",
            "+15550100002/anonymous/2025-03-07T08-00-00Z_ACdemoN1/call.json",
            x1 + "2025-04-01T09-00-03Z.vtt", x1 + "call.json", x1 + "transcript.txt",
        ]
    }()
    /// Calls with no audio (nothing but their `call.json`).
    static let emptyCalls = [
        "+15550100002/+15550109003/2025-03-05T09-00-00Z_ACdemoC1",
        "+15550100002/anonymous/2025-03-07T08-00-00Z_ACdemoN1",
    ]
    static let bigWAV = "+15550100001/+15550109002/2025-02-02T11-30-00Z_ACdemoB2/2025-02-02T11-30-02Z.wav"

    /// Start time (or, for a voicemail, the call's time) and duration of an audio file.
    static func timing(_ server: QuoMockServer, _ id: String) -> (start: String?, duration: Int?) {
        if let recording = server.workspace.recording(id: id) { return (recording.startTime, recording.duration) }
        let call = server.workspace.calls.first { $0.voicemail?.id == id }
        return (call?.createdAt, call?.voicemail?.duration)
    }

    @Test("the tree matches the workspace; sizes, mtimes, modes and owner are right")
    func treeAndAttributes() async throws {
        try await MountedWorkspace.with { mount in
            let files = try await sh("cd \(quoted(mount.mountpoint)) && find . -type f | sed 's|^./||' | LC_ALL=C sort")
            #expect(files.status == 0)
            let expected = (Array(Self.expectedFiles.keys) + Array(Self.expectedTexts.keys) + Self.expectedContent)
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            #expect(files.stdout.split(separator: "\n").map(String.init) == expected)

            let directories = try await sh("cd \(quoted(mount.mountpoint)) && find . -mindepth 1 -type d | sed 's|^./||' | sort")
            let dirList = Set(directories.stdout.split(separator: "\n").map(String.init))
            for call in Self.emptyCalls { #expect(dirList.contains(call)) }
            #expect(!dirList.contains { $0.hasSuffix("ACdemoL1c") })
            #expect(dirList.count == 3 + 7 + 13)  // numbers and _unassigned, participant sets, calls

            for (path, id) in Self.expectedFiles {
                let content = try MountedWorkspace.content(mount.server, id)
                let stat = try await run(["stat", "-c", "%s %Y %a %u %F", mount.path(path)])
                let fields = stat.stdout.split(separator: " ", maxSplits: 4).map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
                #expect(fields.count == 5, "\(stat)")
                guard fields.count == 5 else { continue }
                #expect(Int(fields[0]) == content.size, "size of \(path)")
                #expect(fields[2] == "444")
                #expect(fields[3] == String(getuid()))
                #expect(fields[4] == "regular file")
                if let start = Self.timing(mount.server, id).start {
                    #expect(Int(fields[1]) == Self.epoch(start), "mtime of \(path)")
                }
            }
            for (path, callID) in Self.expectedTexts {
                let text = try #require(mount.server.workspace.call(id: callID)?.voicemail?.transcript)
                let read = try await run(["cat", mount.path(path)])
                #expect(read.status == 0 && read.stdout == text + "\n", "\(path): \(read)")
            }
            let nullStart = try await run(["stat", "-c", "%Y", mount.path("+15550100001/+15550109001/2025-01-13T15-02-10Z_ACdemoA2/unknown-start_CRdemoA2c.mp3")])
            #expect(Int(nullStart.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == Self.epoch("2025-01-13T15:02:10Z"))
            let dirStat = try await run(["stat", "-c", "%a %Y", mount.path("+15550100001/+15550109001/2025-01-12T09-14-33Z_ACdemoA1")])
            #expect(dirStat.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "555 \(Self.epoch("2025-01-12T09:14:33Z"))")
        }
    }

    @Test("every file's bytes match the source (sha256)")
    func bytesMatch() async throws {
        try await MountedWorkspace.with { mount in
            for (path, id) in Self.expectedFiles.sorted(by: { $0.key < $1.key }) {
                let source = try MountedWorkspace.sourceFile(mount.server, id)
                let sums = try await sh("sha256sum < \(quoted(mount.path(path))) && sha256sum < \(quoted(source))")
                let lines = sums.stdout.split(separator: "\n")
                #expect(sums.status == 0 && lines.count == 2 && lines[0] == lines[1], "\(path): \(sums)")
            }
        }
    }

    @Test("dd at odd offsets, and 8 concurrent readers, get the right bytes")
    func offsetsAndConcurrency() async throws {
        try await MountedWorkspace.with { mount in
            let source = try MountedWorkspace.sourceFile(mount.server, "CRdemoBig")
            let file = mount.path(Self.bigWAV)
            for (offset, count) in [(0, 1), (1, 4095), (12345, 1), (4_194_303, 3), (33_554_431, 1_000_001), (67_108_863, 1), (67_108_000, 5000)] {
                let script = """
                    cmp <(dd if=\(quoted(file)) iflag=skip_bytes,count_bytes skip=\(offset) count=\(count) status=none) \
                        <(dd if=\(quoted(source)) iflag=skip_bytes,count_bytes skip=\(offset) count=\(count) status=none)
                    """
                let result = try await sh(script)
                #expect(result.status == 0, "\(count) bytes at \(offset): \(result)")
            }
            // 8 readers at once, each over its own 8 MiB stretch, unaligned.
            let readers = (0..<8).map { i in
                let offset = i * (8 << 20) + 777 * i
                let count = (8 << 20) - 1000
                return """
                    ( cmp <(dd if=\(quoted(file)) iflag=skip_bytes,count_bytes skip=\(offset) count=\(count) bs=256K status=none) \
                          <(dd if=\(quoted(source)) iflag=skip_bytes,count_bytes skip=\(offset) count=\(count) bs=256K status=none) \
                      || echo "reader \(i) differs" ) &
                    """
            }.joined(separator: "\n")
            let concurrent = try await sh(readers + "\nwait")
            #expect(concurrent.status == 0)
            #expect(concurrent.stdout.isEmpty, "\(concurrent)")
        }
    }

    @Test("seeded faults on the recording host across the whole tree: zero wrong bytes", arguments: [7, 8] as [UInt64])
    func faultRunOverTree(seed: UInt64) async throws {
        try await MountedWorkspace.with { mount in
            // Attributes first (lookups and size probes), then the faults for every read.
            _ = try await sh("find \(quoted(mount.mountpoint)) -type f | xargs stat > /dev/null")
            mount.server.setFaults(MockFaults(
                seed: seed, mediaServerErrors: 0.1, mediaResets: 0.1, mediaShortBodies: 0.05, mediaWrongRanges: 0.05))
            var wrong: [String] = []
            var failed: [String] = []
            for (path, id) in Self.expectedFiles.sorted(by: { $0.key < $1.key }) {
                let source = try MountedWorkspace.sourceFile(mount.server, id)
                let compare = try await run(["cmp", mount.path(path), source])
                switch compare.status {
                case 0: break
                case 1: wrong.append("\(path): \(compare.stdout)")  // the bytes differ
                default: failed.append("\(path): \(compare.stderr)")  // a read failed (EIO)
                }
            }
            mount.server.setFaults(MockFaults())
            #expect(wrong.isEmpty, "wrong bytes served: \(wrong)")
            #expect(mount.server.stats().injectedFaults > 0)
            // Retries absorb nearly everything; a read may still end in EIO, never in wrong bytes.
            #expect(failed.count <= 2, "\(failed)")
        }
    }

    @Test("ffprobe reads the right durations")
    func ffprobe() async throws {
        try await MountedWorkspace.with { mount in
            for (path, id) in Self.expectedFiles {
                let probe = try await run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", mount.path(path)])
                #expect(probe.status == 0, "\(path): \(probe)")
                let duration = Double(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
                let expected = Double(Self.timing(mount.server, id).duration ?? -100)
                #expect(abs(duration - expected) <= 1.0, "\(path): ffprobe says \(duration), API says \(expected)")
            }
        }
    }

    @Test("rsync -a copies everything, and a second run transfers nothing")
    func rsyncTwice() async throws {
        try await MountedWorkspace.with { mount in
            let backup = MountedWorkspace.makeMountpoint()
            defer { _ = try? FileManager.default.removeItem(atPath: backup) }
            let first = try await run(["rsync", "-a", "--stats", mount.mountpoint + "/", backup + "/"])
            #expect(first.status == 0, "\(first)")
            let files = Self.expectedFiles.count + Self.expectedTexts.count + Self.expectedContent.count
            #expect(first.stdout.contains("Number of regular files transferred: \(files)"), "\(first.stdout)")
            let compare = try await run(["diff", "-r", mount.mountpoint, backup])
            #expect(compare.status == 0, "\(compare)")
            let second = try await run(["rsync", "-a", "--stats", mount.mountpoint + "/", backup + "/"])
            #expect(second.status == 0)
            #expect(second.stdout.contains("Number of regular files transferred: 0"), "\(second.stdout)")
        }
    }

    @Test("writes of any kind fail with EROFS; unknown names with ENOENT")
    func readOnlyAndUnknownNames() async throws {
        try await MountedWorkspace.with { mount in
            let file = quoted(mount.path(Self.bigWAV))
            let root = quoted(mount.mountpoint)
            for attempt in [
                "echo x > \(file)", "echo x >> \(file)", "touch \(root)/new", "mkdir \(root)/dir", "rm -f \(file)",
                "mv \(file) \(root)/moved", "chmod 600 \(file)", "touch \(file)", "ln -s x \(root)/link",
            ] {
                let result = try await sh(attempt)
                #expect(result.status != 0, "\(attempt) succeeded")
                #expect(result.stderr.contains("Read-only file system"), "\(attempt): \(result.stderr)")
            }
            for name in [
                "+19999999999", "+15550100001/AC..%2F..%2Fv1%2Fusers", "+15550100001/%2e%2e",
                "+15550100001/+15550109001/nope", String(repeating: "x", count: 200),
            ] {
                let result = try await run(["stat", mount.path(name)])
                #expect(result.status != 0)
                #expect(result.stderr.contains("No such file or directory"), "\(name): \(result.stderr)")
            }
            let long = try await run(["stat", mount.path(String(repeating: "y", count: 300))])
            #expect(long.stderr.contains("File name too long"), "\(long.stderr)")
        }
    }

    @Test("metadata is fetched lazily: mounting costs one request, listings are cached")
    func lazyRequests() async throws {
        for version in ["2026-03-30", "v1"] {
        try await MountedWorkspace.with(arguments: ["--api-version", version]) { mount in
            #expect(mount.server.stats().apiRequests == 1)
            _ = try await run(["ls", "-l", mount.mountpoint])
            #expect(mount.server.stats().apiRequests == 1)

            let call = mount.path("+15550100001/+15550109001/2025-01-13T15-02-10Z_ACdemoA2")
            let listing = try await run(["ls", "-l", call])
            #expect(listing.status == 0)
            let cost: Int
            if version == "v1" {
                // Conversations of the number (3, in pages of 2), the contacts' names (2, in
                // pages of 2), calls with the participant (5, in pages of 2), the call's
                // recordings, transcript and summary.
                cost = 1 + 2 + 1 + 3 + 3
            } else {
                // The number's calls (8, in pages of 2: they give its participant sets and
                // their calls), users and contacts (2 each, in pages of 2), the call's
                // recordings and transcripts (3 segments, in pages of 2), and the call again
                // (its summary is being made).
                cost = 1 + 4 + 2 + 2 + 2 + 1
            }
            #expect(mount.server.stats().apiRequests == cost, "\(mount.server.stats().apiRequestLog)")
            #expect(mount.server.stats().mediaRequests == 3)  // one size probe per segment

            _ = try await run(["ls", "-l", call])
            #expect(mount.server.stats().apiRequests == cost)
            #expect(mount.server.stats().mediaRequests == 3)
            #expect(mount.server.stats().rateLimited == 0)
            #expect(mount.server.stats().mediaRequestsWithAuthorization == 0)
        }
        }
    }

    @Test("mounting, whether it works or fails, leaves no temporary file behind")
    func noTemporaryFiles() async throws {
        func startLogs() -> Set<String> {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []
            return Set(names.filter { $0.hasPrefix("quofs-start-") })
        }
        let before = startLogs()
        try await MountedWorkspace.with { _ in }
        let server = try await QuoMockServer.start(workspace: .demo)
        let mountpoint = MountedWorkspace.makeMountpoint()
        let failed = try await run([MountedWorkspace.quofs, "mount", mountpoint, "--api-url", server.baseURL],
                                   environment: MountedWorkspace.environment(key: "wrong-key"))
        await server.stop()
        rmdir(mountpoint)
        #expect(failed.status != 0)
        #expect(startLogs().subtracting(before).isEmpty)
    }

    @Test("a wrong key fails the mount with a clear error and leaves no mount behind")
    func wrongKey() async throws {
        let server = try await QuoMockServer.start(workspace: .demo)
        let mountpoint = MountedWorkspace.makeMountpoint()
        defer { rmdir(mountpoint) }
        let result = try await run(
            [MountedWorkspace.quofs, "mount", mountpoint, "--api-url", server.baseURL],
            environment: MountedWorkspace.environment(key: "wrong-key"), timeout: .seconds(60))
        await server.stop()
        #expect(result.status != 0)
        #expect(result.stderr.contains("rejected the API key"), "\(result)")
        #expect(!result.stderr.contains("wrong-key"))
        #expect(!MountedWorkspace.isMounted(mountpoint))

        let noKey = try await run([MountedWorkspace.quofs, "mount", mountpoint], environment: MountedWorkspace.environment(key: nil))
        #expect(noKey.status != 0)
        #expect(noKey.stderr.contains("no API key"), "\(noKey)")
    }

    @Test("bad mountpoints fail with a clear error")
    func badMountpoints() async throws {
        let environment = MountedWorkspace.environment(key: "k")
        let missing = try await run([MountedWorkspace.quofs, "mount", "/tmp/quofs-does-not-exist", "--demo"], environment: environment)
        #expect(missing.status != 0 && missing.stderr.contains("does not exist"), "\(missing)")
        let notEmpty = try await run([MountedWorkspace.quofs, "mount", "/etc", "--demo"], environment: environment)
        #expect(notEmpty.status != 0 && notEmpty.stderr.contains("not empty"), "\(notEmpty)")
        let file = try await run([MountedWorkspace.quofs, "mount", "/etc/hostname", "--demo"], environment: environment)
        #expect(file.status != 0 && file.stderr.contains("not a directory"), "\(file)")
        let notMounted = try await run([MountedWorkspace.quofs, "unmount", "/tmp"])
        #expect(notMounted.status != 0 && notMounted.stderr.contains("not mounted"), "\(notMounted)")
    }

    @Test("bad options and a key file others can read fail with a clear error")
    func badOptions() async throws {
        let mountpoint = MountedWorkspace.makeMountpoint()
        defer { rmdir(mountpoint) }
        let environment = MountedWorkspace.environment(key: "k")
        let quofs = MountedWorkspace.quofs
        for (arguments, message) in [
            (["--cache-size", "10"], "--cache-size must be at least 1M"),
            (["--cache-size", "lots"], "cache-size"),
            (["--dir-cache-time", "-1"], "--dir-cache-time"),
            (["--read-timeout", "0"], "--read-timeout"),
            (["--api-url", "http://api.example.com"], "plain HTTP"),
            (["--api-url", "ftp://api.example.com"], "unsupported scheme"),
        ] {
            let result = try await run([quofs, "mount", mountpoint] + arguments, environment: environment)
            #expect(result.status != 0 && result.stderr.contains(message), "\(arguments): \(result)")
        }
        let keyFile = NSTemporaryDirectory() + "quofs-test-key"
        FileManager.default.createFile(atPath: keyFile, contents: Data("secret-key-value\n".utf8), attributes: [.posixPermissions: 0o644])
        defer { try? FileManager.default.removeItem(atPath: keyFile) }
        let open = try await run([quofs, "mount", mountpoint, "--api-key-file", keyFile], environment: MountedWorkspace.environment(key: nil))
        #expect(open.status != 0 && open.stderr.contains("readable by group or others"), "\(open)")
        #expect(!open.stderr.contains("secret-key-value"))
        #expect(!MountedWorkspace.isMounted(mountpoint))

        // The same file made private works.
        let server = try await QuoMockServer.start(workspace: .demo)
        try Data("\(server.options.apiKey)\n".utf8).write(to: URL(fileURLWithPath: keyFile))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile)
        let mounted = try await run(
            [quofs, "mount", mountpoint, "--api-url", server.baseURL, "--api-key-file", keyFile],
            environment: MountedWorkspace.environment(key: nil))
        #expect(mounted.status == 0, "\(mounted)")
        #expect(MountedWorkspace.isMounted(mountpoint))
        _ = try await run([quofs, "unmount", mountpoint])
        for _ in 0..<100 where MountedWorkspace.isMounted(mountpoint) {
            try await Task.sleep(for: .milliseconds(50))
        }
        await server.stop()
    }

    @Test("--demo --foreground: SIGTERM unmounts cleanly and exits 0")
    func foregroundSignal() async throws {
        let mountpoint = MountedWorkspace.makeMountpoint()
        defer { rmdir(mountpoint) }
        let daemon = try await ForegroundDaemon.start(mountpoint: mountpoint, arguments: ["--demo"])
        #expect(MountedWorkspace.isMounted(mountpoint))
        let listing = try await run(["ls", mountpoint])
        #expect(listing.stdout.split(separator: "\n") == ["+15550100001", "+15550100002", "_unassigned"])
        let status = await daemon.terminate()
        #expect(status == 0)
        #expect(!MountedWorkspace.isMounted(mountpoint))
    }


    @Test("SIGTERM with a read stuck on a stalled connection: the read is answered, the unmount is clean, exit 0")
    func signalWithReadInFlight() async throws {
        let server = try await QuoMockServer.start(workspace: .demo)
        let mountpoint = MountedWorkspace.makeMountpoint()
        defer { rmdir(mountpoint) }
        let daemon = try await ForegroundDaemon.start(
            mountpoint: mountpoint, arguments: ["--api-url", server.baseURL],
            environment: MountedWorkspace.environment(key: server.options.apiKey))
        let file = mountpoint + "/" + Self.bigWAV
        _ = try await run(["stat", file])  // lookups and the size probe, before the stall
        server.setFaults(MockFaults(mediaStalls: 1, stallDuration: .seconds(120)))
        async let reader = sh("cat \(quoted(file)) > /dev/null", timeout: .seconds(60))
        try await Task.sleep(for: .seconds(1))
        let status = await daemon.terminate()
        let read = try await reader
        #expect(status == 0)
        #expect(read.status != 0, "the stuck read must fail, not succeed with wrong bytes: \(read)")
        #expect(!MountedWorkspace.isMounted(mountpoint))
        await server.stop()
    }

    @Test("a killed daemon's stale mount is refused by mount and cleared by unmount")
    func staleMount() async throws {
        let mountpoint = MountedWorkspace.makeMountpoint()
        defer { rmdir(mountpoint) }
        let mount = try await run([MountedWorkspace.quofs, "mount", "--demo", mountpoint])
        #expect(mount.status == 0, "\(mount)")
        let kill = try await sh("pkill -KILL -f -- \(quoted("mount --demo \(mountpoint) --foreground"))")
        #expect(kill.status == 0, "\(kill)")
        try await Task.sleep(for: .milliseconds(300))
        let again = try await run([MountedWorkspace.quofs, "mount", "--demo", mountpoint])
        #expect(again.status != 0 && again.stderr.contains("stale mount"), "\(again)")
        let unmount = try await run([MountedWorkspace.quofs, "unmount", mountpoint])
        #expect(unmount.status == 0, "\(unmount)")
        #expect(!MountedWorkspace.isMounted(mountpoint))
    }

    static func epoch(_ iso: String) -> Int {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = iso.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return Int(formatter.date(from: iso)!.timeIntervalSince1970)
    }
}
