import Foundation
import QuoMock
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real mounts: a backup of many small recordings, where quofs fetches the next files
/// ahead of the copying program (docs/READ-PATH.md, "Readahead across files").
@Suite("Real mounts: readahead across files", .serialized, .enabled(if: MountedWorkspace.canMount, "needs /dev/fuse and the built quofs"))
struct FileReadaheadMountTests {
    static let count = 40
    static let workspace = MockWorkspace.files(count: count, size: 100 << 10)
    static let tree = "+15550400000/+15550400001"
    static let arguments = ["--no-transcripts", "--no-summaries", "--no-catalog"]

    /// The daemon's own count of bytes received from the recording host.
    static func bytesRead(_ mount: MountedWorkspace) async throws -> Int {
        let status = try await run([MountedWorkspace.quofs, "status", mount.mountpoint, "--json"],
                                   environment: MountedWorkspace.environment(key: nil))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any], "\(status)")
        return try #require(object["recording_bytes_read"] as? Int)
    }

    /// Every call directory of a copy of a tree holds its one recording, byte for byte.
    static func expectByteExact(_ folder: String, _ mount: MountedWorkspace, label: String = "") async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names.count == Self.count, "\(label): \(names.count)")
        for name in names {
            let id = "CR" + String(name.split(separator: "_").last!.dropFirst(2))  // ACfiles… → CRfiles…
            let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/" + name).filter { $0.hasSuffix(".wav") }
            #expect(files.count == 1, "\(files)")
            guard let file = files.first else { continue }
            let compare = try await run(["cmp", folder + "/" + name + "/" + file, try MountedWorkspace.sourceFile(mount.server, id)])
            #expect(compare.status == 0, "\(label)/\(name): \(compare)")
        }
    }

    @Test("ls -lR and stat of the tree fetch no audio bytes (one 1-byte size probe per file)")
    func listingFetchesNothing() async throws {
        try await MountedWorkspace.with(workspace: Self.workspace, options: MockOptions(), arguments: Self.arguments) { mount in
            let list = try await sh("ls -lR \(quoted(mount.mountpoint)) > /dev/null && find \(quoted(mount.mountpoint)) -type f | xargs stat > /dev/null")
            #expect(list.status == 0, "\(list)")
            let files = 2 * Self.count + 1
            #expect(mount.server.stats().mediaRequests == files)
            #expect(try await Self.bytesRead(mount) == files)
        }
    }

    @Test("a cold cp -r (no size known) costs one request per file, but for the two files before the walk is evident")
    func coldCopyOneRequestPerFile() async throws {
        try await MountedWorkspace.with(workspace: Self.workspace, options: MockOptions(), arguments: Self.arguments) { mount in
            let target = MountedWorkspace.makeMountpoint()
            defer { try? FileManager.default.removeItem(atPath: target) }
            let copy = try await run(["cp", "-r", mount.path(Self.tree), target + "/a"])
            #expect(copy.status == 0, "\(copy)")
            // Files 1 and 2: a size probe (cp's stat) and a read each; then the walk is
            // evident, and each file fetched ahead learns its size from the request that
            // brings its bytes (cp's stat of it joins that request). The walk runs on past
            // the tree into the next one: at most `--files-ahead` (8) files more, one
            // request each.
            let requests = mount.server.stats().mediaRequests
            #expect((Self.count + 2...Self.count + 2 + 8).contains(requests), "\(requests)")
            let bytes = try await Self.bytesRead(mount)
            #expect(bytes >= Self.count * (100 << 10) && bytes <= (Self.count + 8) * (100 << 10) + 2, "\(bytes)")
            try await Self.expectByteExact(target + "/a", mount)
        }
    }

    @Test("a cold cp -r under injected faults (sizes learnt with the bytes): every byte right", arguments: [31, 32] as [UInt64])
    func coldCopyUnderFaults(seed: UInt64) async throws {
        try await MountedWorkspace.with(workspace: Self.workspace, options: MockOptions(), arguments: Self.arguments) { mount in
            // Half the copy test's rates below: every cold file's stat is a probe here, and
            // a probe that fails five times in a row (0.3⁵ at those rates) fails the stat,
            // so cp would skip a file in about one run of ten.
            mount.server.setFaults(MockFaults(
                seed: seed, mediaServerErrors: 0.05, mediaResets: 0.05, mediaShortBodies: 0.025, mediaWrongRanges: 0.025))
            let target = MountedWorkspace.makeMountpoint()
            defer { try? FileManager.default.removeItem(atPath: target) }
            let copy = try await run(["cp", "-r", mount.path(Self.tree), target + "/a"])
            mount.server.setFaults(MockFaults())
            #expect(copy.status == 0, "\(copy)")
            #expect(mount.server.stats().injectedFaults > 0)
            try await Self.expectByteExact(target + "/a", mount)
        }
    }

    @Test("cp -r and rsync -a of the tree under injected faults: every byte right; each file fetched once without faults",
          arguments: [21, 22] as [UInt64])
    func copyUnderFaults(seed: UInt64) async throws {
        try await MountedWorkspace.with(workspace: Self.workspace, options: MockOptions(), arguments: Self.arguments) { mount in
            _ = try await sh("find \(quoted(mount.mountpoint)) -type f | xargs stat > /dev/null")
            let probes = mount.server.stats().mediaRequests
            // Without faults first: rsync fetches each file once (ahead of it, or itself).
            let clean = MountedWorkspace.makeMountpoint()
            defer { try? FileManager.default.removeItem(atPath: clean) }
            let rsync = try await run(["rsync", "-a", mount.path(Self.tree) + "/", clean + "/"])
            #expect(rsync.status == 0, "\(rsync)")
            // The walk goes on past the copied subtree into the next one (the planner
            // cannot know where the copy ends): at most `--files-ahead` (8) files more.
            let fetches = mount.server.stats().mediaRequests - probes
            #expect((Self.count...Self.count + 8).contains(fetches), "\(fetches)")
            let bytes = try await Self.bytesRead(mount) - probes
            #expect(bytes >= Self.count * (100 << 10) && bytes <= (Self.count + 8) * (100 << 10), "\(bytes)")

            // Then the other tree with faults, by cp -r: byte-exact or an error, never wrong bytes.
            mount.server.setFaults(MockFaults(
                seed: seed, mediaServerErrors: 0.1, mediaResets: 0.1, mediaShortBodies: 0.05, mediaWrongRanges: 0.05))
            let faulty = MountedWorkspace.makeMountpoint()
            defer { try? FileManager.default.removeItem(atPath: faulty) }
            let copy = try await run(["cp", "-r", mount.path("+15550400000/+15550400002"), faulty + "/b"])
            #expect(copy.status == 0, "\(copy)")
            mount.server.setFaults(MockFaults())
            try await Self.expectByteExact(clean, mount, label: "a")
            try await Self.expectByteExact(faulty + "/b", mount, label: "b")
        }
    }
}
