import Foundation
import QuoMock
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real mounts with each API version: the same tree for the same calls, what only
/// 2026-03-30 can list, request budgets of a full walk, and servers refusing a version.
@Suite("Real mounts: API versions", .serialized, .enabled(if: MountedWorkspace.canMount, "needs /dev/fuse and the built quofs"))
struct APIVersionMountTests {
    @Test("rsync -a from a v1 mount onto a copy made from a 2026-03-30 mount transfers no file")
    func sameTreeBothVersions() async throws {
        let backup = MountedWorkspace.makeMountpoint()
        defer { _ = try? FileManager.default.removeItem(atPath: backup) }
        try await MountedWorkspace.with(arguments: ["--api-version", "2026-03-30"]) { mount in
            let copy = try await run(["rsync", "-a", mount.mountpoint + "/", backup + "/"])
            #expect(copy.status == 0, "\(copy)")
        }
        try await MountedWorkspace.with(arguments: ["--api-version", "v1"]) { mount in
            let files = try await sh("cd \(quoted(mount.mountpoint)) && find . -type f | sed 's|^./||' | sort")
            let v1Files = files.stdout.split(separator: "\n").map(String.init)
            // v1 lists every 1:1 call on a workspace number; no group call, nothing unassigned.
            let expected = (Array(MountTests.expectedFiles.keys) + Array(MountTests.expectedTexts.keys) + MountTests.expectedContent)
                .filter { !$0.contains("ACdemoG1") && !$0.contains("ACdemoN1") && !$0.hasPrefix("_unassigned/") }.sorted()
            #expect(v1Files == expected)
            // What the versions say differently (see WorkspaceLayoutTests.samePaths): v1's
            // summaries have no title; v1's per-call transcript cannot tell ACdemoA2's
            // overlapping segments apart.
            let again = try await run(["rsync", "-a", "--stats", "--exclude=*_ACdemoA5/summary.md", "--exclude=*_ACdemoA2/*.vtt",
                                       mount.mountpoint + "/", backup + "/"])
            #expect(again.status == 0, "\(again)")
            #expect(again.stdout.contains("Number of regular files transferred: 0"), "\(again.stdout)")
        }
    }

    @Test("a full walk costs at most the request budget, and no directory is listed twice", arguments: ["2026-03-30", "v1"])
    func walkBudget(version: String) async throws {
        try await MountedWorkspace.with(options: MockOptions(), arguments: ["--api-version", version]) { mount in
            let walk = try await sh("find \(quoted(mount.mountpoint)) -type f | xargs stat > /dev/null")
            #expect(walk.status == 0, "\(walk)")
            let backup = MountedWorkspace.makeMountpoint()
            defer { _ = try? FileManager.default.removeItem(atPath: backup) }
            let rsync = try await run(["rsync", "-a", mount.mountpoint + "/", backup + "/"])
            #expect(rsync.status == 0)
            let workspace = mount.server.workspace
            let log = mount.server.stats().apiRequestLog
            #expect(Set(log).count == log.count, "a request was made twice: \(log)")
            let answered = workspace.calls.filter { $0.answeredAt != nil }
            if version == "2026-03-30" {
                // M + Σ⌈calls of a number / 50⌉ + A + 1
                let pages = workspace.phoneNumbers.map { number in
                    (workspace.calls.filter { $0.phoneNumberId == number.id }.count + 49) / 50
                }.reduce(0, +)
                // + each answered call's transcripts (its summary came with it, or once
                // more while being made) + names
                let content = answered.map { RequestBudget.callListing($0, version: version) - 1 }.reduce(0, +)
                let budget = workspace.phoneNumbers.count + pages + answered.count + 1 + content
                    + RequestBudget.people(workspace, version: version)
                #expect(log.count <= budget, "\(log.count) > \(budget): \(log)")
                #expect(log.filter { $0.contains("/recordings") }.count == answered.count)
                #expect(log.filter { $0.contains("/transcripts") }.count == answered.count)
            } else {
                let oneToOne = workspace.calls.filter { $0.phoneNumberId != nil && $0.participants.count == 1 && $0.participants[0].hasPrefix("+") }
                let pairs = Set(oneToOne.map { "\($0.phoneNumberId!)|\($0.participants[0])" })
                let unansweredIncoming = oneToOne.filter { $0.direction == "incoming" && $0.answeredAt == nil }
                // + each answered call's transcript and summary + names
                let answeredOneToOne = oneToOne.filter { $0.answeredAt != nil }
                let budget = 1 + workspace.phoneNumbers.count + pairs.count + 3 * answeredOneToOne.count
                    + unansweredIncoming.count + RequestBudget.people(workspace, version: version)
                #expect(log.count <= budget, "\(log.count) > \(budget): \(log)")
                #expect(log.filter { $0.contains("call-transcripts") }.count == answeredOneToOne.count)
                #expect(log.filter { $0.contains("call-summaries") }.count == answeredOneToOne.count)
                #expect(log.filter { $0.contains("call-voicemails") }.count == unansweredIncoming.count)
            }
            #expect(mount.server.stats().rateLimited == 0)
        }
    }

    @Test("a server refusing 2026-03-30 fails the mount with one line suggesting --api-version v1")
    func versionRefused() async throws {
        for options in [MockOptions(supportedVersions: []), MockOptions(servesDatedVersion: false)] {
            let server = try await QuoMockServer.start(workspace: .demo, options: options)
            let mountpoint = MountedWorkspace.makeMountpoint()
            let result = try await run(
                [MountedWorkspace.quofs, "mount", mountpoint, "--api-url", server.baseURL],
                environment: MountedWorkspace.environment(key: options.apiKey), timeout: .seconds(60))
            #expect(result.status != 0)
            #expect(result.stderr.contains("--api-version v1"), "\(result)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(!MountedWorkspace.isMounted(mountpoint))
            // The same server mounts with v1.
            let v1 = try await run(
                [MountedWorkspace.quofs, "mount", mountpoint, "--api-url", server.baseURL, "--api-version", "v1"],
                environment: MountedWorkspace.environment(key: options.apiKey), timeout: .seconds(60))
            #expect(v1.status == 0, "\(v1)")
            _ = try await run([MountedWorkspace.quofs, "unmount", mountpoint])
            for _ in 0..<100 where MountedWorkspace.isMounted(mountpoint) { try await Task.sleep(for: .milliseconds(50)) }
            await server.stop()
            rmdir(mountpoint)
        }
        let mountpoint = MountedWorkspace.makeMountpoint()
        defer { rmdir(mountpoint) }
        var environment = MountedWorkspace.environment(key: "k")
        let bad = try await run([MountedWorkspace.quofs, "mount", mountpoint, "--demo", "--api-version", "2099-01-01"], environment: environment)
        #expect(bad.status != 0 && bad.stderr.contains("api-version"), "\(bad)")
        environment["QUO_API_VERSION"] = "v9"
        let badEnvironment = try await run([MountedWorkspace.quofs, "mount", mountpoint, "--demo"], environment: environment)
        #expect(badEnvironment.status != 0 && badEnvironment.stderr.contains("QUO_API_VERSION"), "\(badEnvironment)")
    }
}
