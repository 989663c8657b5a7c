import FUSE
import QuoAPI
import QuoMock
import Testing
@testable import QuoFS

#if canImport(Glibc)
import Glibc
#endif

/// Fetching recordings ahead of a program that reads the tree file after file, through
/// the filesystem's operations (no kernel): what it fetches, that nothing is fetched
/// twice, and that only a walk triggers it.
@Suite("Readahead across files")
struct CrossFileReadaheadTests {
    static let workspace = MockWorkspace.generated(calls: 60, numbers: 2, seed: 11)

    /// Every recording of the tree in walk order (depth first, listing order), listed
    /// the way `rsync` lists before it copies (so sizes are known).
    static func recordings(_ fixture: Fixture) async throws -> [(path: String, entry: Entry)] {
        var found: [(String, Entry)] = []
        func walk(_ inode: Inode, _ path: String) async throws {
            for entry in try await fixture.fileSystem.listDirectory(inode).entries {
                if entry.entry.attributes.kind == .directory {
                    try await walk(entry.entry.attributes.inode, path + entry.name + "/")
                } else if entry.name.hasSuffix(".mp3") {
                    found.append((path + entry.name, entry.entry))
                }
            }
        }
        try await walk(rootInode, "")
        return found
    }

    /// Reads a file whole, as `cat` or `rsync` do (the kernel's 128 KiB requests).
    static func readWhole(_ fixture: Fixture, _ entry: Entry) async throws -> [UInt8] {
        let inode = entry.attributes.inode
        let handle = try await fixture.fileSystem.open(inode, flags: O_RDONLY).handle
        var bytes: [UInt8] = []
        while UInt64(bytes.count) < entry.attributes.size {
            let piece = try await fixture.fileSystem.read(inode, handle: handle, offset: UInt64(bytes.count), size: 128 << 10).joined()
            if piece.isEmpty { break }
            bytes += piece
        }
        await fixture.fileSystem.release(inode, handle: handle)
        return bytes
    }

    @Test("a walker reading every file whole finds the files after the second fetched ahead; each is fetched once, every byte right")
    func walk() async throws {
        let fixture = try await Fixture.make(version: .dated20260330, workspace: Self.workspace) { $0.callContent = [] }
        defer { Task { await fixture.close() } }
        let files = try await Self.recordings(fixture)
        #expect(files.count > 30)
        let probes = fixture.server.stats().mediaRequests
        #expect(probes == files.count)  // one size probe per file while listing
        for (path, entry) in files {
            let bytes = try await Self.readWhole(fixture, entry)
            let id = String(path.split(separator: "/").dropLast().last!.split(separator: "_").last!)
            let call = try #require(fixture.server.workspace.call(id: id), "\(path)")
            let content = try #require(path.hasSuffix("/voicemail.mp3") ? call.voicemail?.content : call.recordings.first?.content)
            #expect(bytes == content.bytes(in: 0..<content.size), "\(path)")
        }
        let statistics = try #require(fixture.fileSystem.crossFileStatistics)
        #expect(statistics.walks == 1, "\(statistics)")
        #expect(statistics.hits == files.count - 2, "\(statistics)")
        #expect(statistics.wasted == 0 && statistics.failures == 0, "\(statistics)")
        // Each file's bytes were asked for once: by the walker (the first two) or ahead of it.
        #expect(fixture.server.stats().mediaRequests - probes == files.count)
    }

    @Test("listing and stat, reading heads (a player, ffprobe), and reading one file whole fetch nothing ahead")
    func noWalk() async throws {
        let fixture = try await Fixture.make(version: .dated20260330, workspace: Self.workspace) { $0.callContent = [] }
        defer { Task { await fixture.close() } }
        let files = try await Self.recordings(fixture)
        for (_, entry) in files.prefix(6) {
            _ = try await fixture.fileSystem.attributes(of: entry.attributes.inode)
            let handle = try await fixture.fileSystem.open(entry.attributes.inode, flags: O_RDONLY).handle
            _ = try await fixture.fileSystem.read(entry.attributes.inode, handle: handle, offset: 0, size: 4096)
            await fixture.fileSystem.release(entry.attributes.inode, handle: handle)
        }
        _ = try await Self.readWhole(fixture, files[10].entry)
        try await Task.sleep(for: .milliseconds(200))
        let statistics = try #require(fixture.fileSystem.crossFileStatistics)
        #expect(statistics.prefetches == 0, "\(statistics)")
        #expect(fixture.server.stats().mediaRequests == files.count + 6 + 1)
    }

    @Test("--files-ahead 0 turns it off")
    func off() async throws {
        let fixture = try await Fixture.make(version: .dated20260330, workspace: Self.workspace) { $0.filesAhead = 0; $0.callContent = [] }
        defer { Task { await fixture.close() } }
        let files = try await Self.recordings(fixture)
        for (_, entry) in files.prefix(8) { _ = try await Self.readWhole(fixture, entry) }
        #expect(fixture.fileSystem.crossFileStatistics?.prefetches == 0)
        #expect(fixture.server.stats().mediaRequests == files.count + 8)
    }
}
