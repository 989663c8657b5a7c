import Foundation
import QuoMock
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real mounts with a catalog: what a remount costs, what the catalog holds, and that
/// neither a killed daemon nor a broken catalog file ever costs a wrong byte.
@Suite("Real mounts: the catalog", .serialized, .enabled(if: MountedWorkspace.canMount, "needs /dev/fuse and the built quofs"))
struct CatalogMountTests {
    @discardableResult
    func mount(_ server: QuoMockServer, at mountpoint: String, catalog: String, _ extra: [String] = []) async throws -> ProcessResult {
        let result = try await run(
            [MountedWorkspace.quofs, "mount", mountpoint, "--api-url", server.baseURL, "--catalog-dir", catalog] + extra,
            environment: MountedWorkspace.environment(key: server.options.apiKey), timeout: .seconds(60))
        guard result.status == 0 else { throw MountTestError("mount failed: \(result)") }
        return result
    }

    func unmount(_ mountpoint: String) async throws {
        _ = try await run([MountedWorkspace.quofs, "unmount", mountpoint], timeout: .seconds(30))
        for _ in 0..<100 where MountedWorkspace.isMounted(mountpoint) { try await Task.sleep(for: .milliseconds(50)) }
        // The daemon writes what is queued before it exits.
        try await Task.sleep(for: .milliseconds(300))
    }

    /// A mountpoint and a catalog folder of the test's own.
    static func scratch() -> (mountpoint: String, catalog: String) {
        (MountedWorkspace.makeMountpoint(), temporary("quofs-catalog") + "/quofs")
    }

    static func clean(_ mountpoint: String, _ catalog: String) {
        rmdir(mountpoint)
        try? FileManager.default.removeItem(atPath: (catalog as NSString).deletingLastPathComponent)
    }

    static func temporary(_ prefix: String) -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    @Test("after a full walk, a remount's find | xargs stat and rsync -a cost at most 1 + 2 × numbers API requests and no recording request",
          arguments: ["2026-03-30", "v1"])
    func remountCost(version: String) async throws {
        let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions())
        let (mountpoint, catalog) = Self.scratch()
        let backup = Self.temporary("quofs-backup")
        defer {
            Self.clean(mountpoint, catalog)
            try? FileManager.default.removeItem(atPath: backup)
        }
        try await mount(server, at: mountpoint, catalog: catalog, ["--api-version", version])
        let first = try await sh("find \(quoted(mountpoint)) -type f | xargs stat > /dev/null && rsync -a \(quoted(mountpoint))/ \(quoted(backup))/")
        #expect(first.status == 0, "\(first)")
        let firstCost = server.stats().apiRequests
        try await unmount(mountpoint)

        server.resetStats()
        try await mount(server, at: mountpoint, catalog: catalog, ["--api-version", version])
        let started = ContinuousClock.now
        let again = try await sh("find \(quoted(mountpoint)) -type f | xargs stat > /dev/null && rsync -a --stats \(quoted(mountpoint))/ \(quoted(backup))/")
        let elapsed = ContinuousClock.now - started
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("Number of regular files transferred: 0"), "\(again.stdout)")
        let stats = server.stats()
        let numbers = server.workspace.phoneNumbers.count
        let budget = RequestBudget.remount(server.workspace, version: version)
        #expect(stats.apiRequests <= budget, "\(stats.apiRequests) > \(budget) requests after a remount: \(stats.apiRequestLog)")
        // A final call's content is fetched once, ever: only calls that are not final are asked again.
        let finalCalls = server.workspace.calls.map(\.id).filter { !RequestBudget.nonFinalDemoCalls.contains($0) }
        for line in stats.apiRequestLog {
            #expect(!finalCalls.contains { line.contains($0) }, "a final call asked again: \(line)")
        }
        _ = numbers
        #expect(stats.apiRequests < firstCost)
        #expect(stats.mediaRequests == 0, "sizes must come from the catalog")
        #expect(elapsed < .seconds(30))  // a loose bound against hangs; the benchmark measures the time
        try await unmount(mountpoint)

        // What the catalog holds: private files, never the key or a recording URL.
        let files = try FileManager.default.contentsOfDirectory(atPath: catalog)
        #expect(files.contains { $0.hasSuffix(".sqlite") }, "\(files)")
        var info = stat()
        #expect(stat(catalog, &info) == 0 && info.st_mode & 0o777 == 0o700)
        for file in files {
            #expect(stat(catalog + "/" + file, &info) == 0 && info.st_mode & 0o077 == 0, "\(file) is readable by others")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: catalog + "/" + file))
            for secret in [server.options.apiKey, "/media/", "sig=", server.baseURL] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) contains \(secret)")
            }
        }
        await server.stop()
    }

    @Test("kill -9 of the daemon mid-walk leaves a catalog the next mount uses: every byte right")
    func killedMidWalk() async throws {
        let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions(maxPageSize: 2, apiLatency: .milliseconds(30)))
        let (mountpoint, catalog) = Self.scratch()
        defer { Self.clean(mountpoint, catalog) }
        try await mount(server, at: mountpoint, catalog: catalog)
        async let walk = sh("find \(quoted(mountpoint)) -type f | xargs stat > /dev/null 2>&1", timeout: .seconds(60))
        // Kill it once part of the tree is listed.
        for _ in 0..<200 where server.stats().apiRequests < 8 { try await Task.sleep(for: .milliseconds(20)) }
        let kill = try await sh("pkill -KILL -f -- \(quoted("mount \(mountpoint) --api-url"))")
        #expect(kill.status == 0, "\(kill)")
        _ = try await walk
        _ = try await run([MountedWorkspace.quofs, "unmount", mountpoint])  // the stale mount
        try await mount(server, at: mountpoint, catalog: catalog)
        try await MountedWorkspace.expectEveryByteRight(server, at: mountpoint)
        try await unmount(mountpoint)
        await server.stop()
    }

    @Test("a corrupt catalog file is moved aside with a warning; the mount works and serves the right bytes")
    func corruptCatalog() async throws {
        let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions())
        let mountpoint = MountedWorkspace.makeMountpoint()
        let catalog = Self.temporary("quofs-catalog") + "/quofs"
        let log = Self.temporary("quofs-log") + "/quofs.log"
        defer {
            rmdir(mountpoint)
            try? FileManager.default.removeItem(atPath: (catalog as NSString).deletingLastPathComponent)
            try? FileManager.default.removeItem(atPath: (log as NSString).deletingLastPathComponent)
        }
        try await mount(server, at: mountpoint, catalog: catalog)
        _ = try await sh("find \(quoted(mountpoint)) -type f | xargs stat > /dev/null")
        try await unmount(mountpoint)
        let database = try #require(try FileManager.default.contentsOfDirectory(atPath: catalog).first { $0.hasSuffix(".sqlite") })
        for suffix in ["", "-wal", "-shm"] { unlink(catalog + "/" + database + suffix) }
        try Data(repeating: 0x42, count: 10_000).write(to: URL(fileURLWithPath: catalog + "/" + database))

        let mounted = try await mount(server, at: mountpoint, catalog: catalog, ["--log-file", log])
        // One warning line, on the terminal of whoever mounted.
        #expect(mounted.stderr.contains("moved it to") && mounted.stderr.contains("warning"), "\(mounted)")
        try await MountedWorkspace.expectEveryByteRight(server, at: mountpoint)
        try await unmount(mountpoint)
        #expect(try FileManager.default.contentsOfDirectory(atPath: catalog).contains { $0.contains(".broken-") })
        await server.stop()
    }

    @Test("--no-catalog remembers nothing: a remount walks the API again")
    func noCatalog() async throws {
        let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions())
        let (mountpoint, catalog) = Self.scratch()
        defer { Self.clean(mountpoint, catalog) }
        var costs: [Int] = []
        for _ in 0..<2 {
            server.resetStats()
            try await mount(server, at: mountpoint, catalog: catalog, ["--no-catalog"])
            _ = try await sh("find \(quoted(mountpoint)) -type f | xargs stat > /dev/null")
            costs.append(server.stats().apiRequests)
            try await unmount(mountpoint)
        }
        #expect(costs[0] == costs[1])
        #expect(!FileManager.default.fileExists(atPath: catalog))
        // A first walk with a catalog costs no more than without one.
        server.resetStats()
        try await mount(server, at: mountpoint, catalog: catalog)
        _ = try await sh("find \(quoted(mountpoint)) -type f | xargs stat > /dev/null")
        #expect(server.stats().apiRequests == costs[0])
        try await unmount(mountpoint)
        await server.stop()
    }

    @Test("quofs catalog warm fills the catalog without mounting; info shows it; clear removes it (not while mounted)")
    func catalogCommands() async throws {
        let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions())
        let (mountpoint, catalog) = Self.scratch()
        defer { Self.clean(mountpoint, catalog) }
        let environment = MountedWorkspace.environment(key: server.options.apiKey)
        let common = ["--api-url", server.baseURL, "--catalog-dir", catalog]
        let quofs = MountedWorkspace.quofs
        let none = try await run([quofs, "catalog", "info"] + common, environment: environment)
        #expect(none.status == 0 && none.stdout.contains("no catalog yet"), "\(none)")
        let warm = try await run([quofs, "catalog", "warm"] + common, environment: environment, timeout: .seconds(120))
        #expect(warm.status == 0 && warm.stderr.contains("done:"), "\(warm)")
        let warmCost = server.stats().apiRequests
        let info = try await run([quofs, "catalog", "info"] + common, environment: environment)
        #expect(info.status == 0 && info.stdout.contains(catalog) && info.stdout.contains("recording sizes:"), "\(info)")

        // A mount after warming: the walk costs little, and no recording request.
        server.resetStats()
        try await mount(server, at: mountpoint, catalog: catalog)
        _ = try await sh("find \(quoted(mountpoint)) -type f | xargs stat > /dev/null")
        #expect(server.stats().apiRequests <= RequestBudget.remount(server.workspace, version: "2026-03-30"), "\(server.stats().apiRequestLog)")
        #expect(server.stats().apiRequests < warmCost)
        #expect(server.stats().mediaRequests == 0)
        let busy = try await run([quofs, "catalog", "clear"] + common, environment: environment)
        #expect(busy.status != 0 && busy.stderr.contains("in use"), "\(busy)")
        try await unmount(mountpoint)

        let clear = try await run([quofs, "catalog", "clear"] + common, environment: environment)
        #expect(clear.status == 0 && clear.stdout.contains("removed"), "\(clear)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: catalog).isEmpty)
        await server.stop()
    }

    @Test("reading a final call the catalog served lists its recordings for URLs, and nothing of its content again")
    func finalContentNotAskedAgain() async throws {
        let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions())
        let (mountpoint, catalog) = Self.scratch()
        defer { Self.clean(mountpoint, catalog) }
        let call = "+15550100001/+15550109001/2025-01-12T09-14-33Z_ACdemoA1"
        try await mount(server, at: mountpoint, catalog: catalog)
        let first = try await run(["ls", mountpoint + "/" + call])
        #expect(first.stdout.contains("transcript.txt"), "\(first)")
        try await unmount(mountpoint)

        server.resetStats()
        try await mount(server, at: mountpoint, catalog: catalog)
        let transcript = try await run(["cat", mountpoint + "/" + call + "/transcript.txt"])
        #expect(transcript.status == 0 && !transcript.stdout.isEmpty)
        let audio = try await run(["cmp", mountpoint + "/" + call + "/2025-01-12T09-14-35Z.mp3", try MountedWorkspace.sourceFile(server, "CRdemoA1")])
        #expect(audio.status == 0, "\(audio)")
        let log = server.stats().apiRequestLog.filter { $0.contains("ACdemoA1") }
        #expect(log == ["GET /calls/ACdemoA1/recordings?limit=50"], "\(log)")
        try await unmount(mountpoint)
        await server.stop()
    }

    /// The demo workspace with a call in progress on Sales / Alice (`stage` 0), or, a
    /// while later (`stage` 1), with that call finished and recorded, a new call, and the
    /// in-progress segment of ACdemoB1 completed.
    static func changing(_ stage: Int) -> MockWorkspace {
        var workspace = MockWorkspace.demo
        let audio = RecordingContent.bytes(DemoAudio.mp3[0])
        let alice = "+15550109001"
        var live = MockCall(
            id: "ACliveP1", phoneNumberId: "PNdemoSales1", userId: "USdemoDana01", direction: "incoming", status: "in-progress",
            participants: [alice], duration: 0, createdAt: "2025-05-01T10:00:00Z", answeredAt: "2025-05-01T10:00:02Z",
            recordings: [MockRecording(id: "CRliveP1", duration: nil, startTime: "2025-05-01T10:00:03Z", status: "in-progress", type: "audio/mpeg")])
        if stage == 1 {
            live.status = "completed"
            live.duration = 5
            live.completedAt = "2025-05-01T10:00:09Z"
            live.recordings = [MockRecording(id: "CRliveP1", duration: 5, startTime: "2025-05-01T10:00:03Z", status: "completed",
                                             type: "audio/mpeg", content: audio)]
            workspace.calls.append(MockCall(
                id: "ACnewQ2", phoneNumberId: "PNdemoSales1", userId: "USdemoDana01", direction: "outgoing", status: "completed",
                participants: [alice], duration: 5, createdAt: "2025-05-02T10:00:00Z", answeredAt: "2025-05-02T10:00:02Z",
                completedAt: "2025-05-02T10:00:09Z",
                recordings: [MockRecording(id: "CRnewQ2", duration: 5, startTime: "2025-05-02T10:00:03Z", status: "completed",
                                           type: "audio/mpeg", content: audio)]))
            if let b1 = workspace.calls.firstIndex(where: { $0.id == "ACdemoB1" }) {
                workspace.calls[b1].recordings[0] = MockRecording(
                    id: "CRdemoB1a", duration: 5, startTime: "2025-02-01T08:00:06Z", status: "completed", type: "audio/mpeg", content: audio)
            }
        }
        workspace.calls.append(live)
        if let conversation = workspace.conversations.firstIndex(where: { $0.id == "CNdemo001" }) {
            let last = stage == 1 ? "2025-05-02T10:00:00Z" : "2025-05-01T10:00:00Z"
            workspace.conversations[conversation].lastActivityAt = last
            workspace.conversations[conversation].updatedAt = last
        }
        return workspace
    }

    @Test("calls made, finished or recorded between two mounts appear after the remount, and rsync copies only them",
          arguments: ["2026-03-30", "v1"])
    func changesBetweenMounts(version: String) async throws {
        let server = try await QuoMockServer.start(workspace: Self.changing(0), options: MockOptions())
        let (mountpoint, catalog) = Self.scratch()
        let backup = Self.temporary("quofs-backup")
        defer {
            Self.clean(mountpoint, catalog)
            try? FileManager.default.removeItem(atPath: backup)
        }
        try await mount(server, at: mountpoint, catalog: catalog, ["--api-version", version])
        let first = try await run(["rsync", "-a", mountpoint + "/", backup + "/"])
        #expect(first.status == 0, "\(first)")
        let live = mountpoint + "/+15550100001/+15550109001/2025-05-01T10-00-00Z_ACliveP1"
        #expect(try await run(["ls", live]).stdout == "call.json\n", "an in-progress recording is not shown")
        try await unmount(mountpoint)

        server.replaceWorkspace(Self.changing(1))
        server.resetStats()
        try await mount(server, at: mountpoint, catalog: catalog, ["--api-version", version])
        let again = try await run(["rsync", "-a", "-i", "--stats", mountpoint + "/", backup + "/"])
        #expect(again.status == 0, "\(again)")
        // The three new recordings, with the new or changed content files: ACliveP1's and
        // ACnewQ2's call.json, ACdemoB1's (a segment more).
        #expect(again.stdout.contains("Number of regular files transferred: 6"), "\(again.stdout)")
        // The key check, the numbers' changes, and the calls that changed or were not final
        // (ACliveP1, ACnewQ2, and the demo's ACdemoA2, ACdemoB1, ACdemoL1).
        let budget = RequestBudget.remount(server.workspace, version: version,
                                           calls: ["ACliveP1", "ACnewQ2"] + RequestBudget.nonFinalDemoCalls) + (version == "v1" ? 1 : 0)
        #expect(server.stats().apiRequests <= budget, "\(server.stats().apiRequestLog)")
        for new in ["ACliveP1/2025-05-01T10-00-03Z.mp3", "ACnewQ2/2025-05-02T10-00-03Z.mp3", "ACdemoB1/2025-02-01T08-00-06Z.mp3"] {
            #expect(again.stdout.contains(new), "\(new) not copied: \(again.stdout)")
        }
        let copied = try await run(["cmp", backup + "/+15550100001/+15550109001/2025-05-02T10-00-00Z_ACnewQ2/2025-05-02T10-00-03Z.mp3",
                                    try MountedWorkspace.sourceFile(server, "CRnewQ2")])
        #expect(copied.status == 0, "\(copied)")
        try await unmount(mountpoint)
        await server.stop()
    }

    @Test("a second mount of the same workspace at once runs without the catalog, with a warning; both serve the right bytes")
    func twoMountsAtOnce() async throws {
        let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions())
        let first = MountedWorkspace.makeMountpoint()
        let second = MountedWorkspace.makeMountpoint()
        let catalog = Self.temporary("quofs-catalog") + "/quofs"
        defer {
            rmdir(first)
            rmdir(second)
            try? FileManager.default.removeItem(atPath: (catalog as NSString).deletingLastPathComponent)
        }
        try await mount(server, at: first, catalog: catalog)
        let result = try await mount(server, at: second, catalog: catalog)
        #expect(result.stderr.contains("in use by another quofs mount"), "\(result)")
        for mountpoint in [first, second] {
            let path = mountpoint + "/" + MountTests.bigWAV
            let compare = try await run(["cmp", path, try MountedWorkspace.sourceFile(server, "CRdemoBig")])
            #expect(compare.status == 0, "\(mountpoint): \(compare)")
        }
        try await unmount(second)
        try await unmount(first)
        await server.stop()
    }
}
