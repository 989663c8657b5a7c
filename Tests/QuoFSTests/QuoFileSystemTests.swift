import AsyncHTTPClient
import FUSE
import Logging
import QuoAPI
import QuoMock
import Testing
@testable import QuoFS

#if canImport(Glibc)
import Glibc
#endif

/// The filesystem's operations against QuoMock over real HTTP, without a kernel mount.
@Suite("QuoFileSystem without a kernel")
struct QuoFileSystemTests {
    static let bigWAV = "+15550100001/+15550109002/2025-02-02T11-30-00Z_ACdemoB2/2025-02-02T11-30-02Z.wav"
    static let smallWAV = "+15550100002/+442079460958/2025-03-03T17-45-00Z_ACdemoL1/2025-03-03T17-45-01Z.wav"

    @Test("listing costs one API request per directory level, fetched only when listed")
    func lazyListing() async throws {
        let fixture = try await Fixture.make()
        defer { Task { await fixture.close() } }
        #expect(fixture.server.stats().apiRequests == 1)

        let root = try await fixture.fileSystem.listDirectory(rootInode)
        #expect(root.entries.map(\.name) == ["+15550100001", "+15550100002"])
        #expect(fixture.server.stats().apiRequests == 1)

        let sales = root.entries[0].entry.attributes.inode
        let participants = try await fixture.fileSystem.listDirectory(sales)
        #expect(Set(participants.entries.map(\.name)) == ["+15550109001", "+15550109002"])
        // The number's conversations, and (once per mount) the contacts' names.
        #expect(fixture.server.stats().apiRequestLog.dropFirst()
                == ["GET /v1/conversations?phoneNumbers%5B%5D=PNdemoSales1&maxResults=100", "GET /v1/contacts?maxResults=50"])

        // Listed again within the cache time: no request.
        _ = try await fixture.fileSystem.listDirectory(sales)
        #expect(fixture.server.stats().apiRequests == 3)
    }

    @Test("a call directory: available segments with exact sizes and start-time mtimes")
    func callDirectory() async throws {
        let fixture = try await Fixture.make()
        defer { Task { await fixture.close() } }
        let call = try await fixture.resolve("+15550100001/+15550109001/2025-01-13T15-02-10Z_ACdemoA2")
        let all = try await fixture.fileSystem.listDirectory(call.attributes.inode)
        #expect(all.entries.map(\.name) == [
            "2025-01-13T15-02-12Z.mp3", "2025-01-13T15-02-12Z.vtt", "2025-01-13T15-02-12Z_2.mp3", "2025-01-13T15-02-12Z_2.vtt",
            "call.json", "transcript.txt", "unknown-start_CRdemoA2c.mp3", "unknown-start_CRdemoA2c.vtt",
        ])
        let listing = DirectoryListing(parent: all.parent, entries: all.withoutCallContent)
        let ids = ["CRdemoA2a", "CRdemoA2b", "CRdemoA2c"]
        for (entry, id) in zip(listing.entries, ids) {
            let size = fixture.server.workspace.recording(id: id)!.content!.size
            #expect(entry.entry.attributes.size == UInt64(size))
            #expect(entry.entry.attributes.permissions == 0o444)
            #expect(entry.entry.attributes.kind == .regularFile)
        }
        #expect(listing.entries[1].entry.attributes.modificationTime == Timestamp(seconds: 1_736_780_532, nanoseconds: 600_000_000))
        // Null start time: the call's creation time.
        #expect(listing.entries[2].entry.attributes.modificationTime == Timestamp(seconds: 1_736_780_530))

        let hidden = try await fixture.resolve("+15550100001/+15550109002/2025-02-01T08-00-00Z_ACdemoB1")
        let b1 = try await fixture.fileSystem.listDirectory(hidden.attributes.inode)
        #expect(b1.withoutCallContent.count == 2)  // in-progress and deleted segments are hidden
    }

    @Test("unknown names are ENOENT, files are not directories, writes are EROFS")
    func errors() async throws {
        let fixture = try await Fixture.make()
        defer { Task { await fixture.close() } }
        await #expect(throws: FUSEError.noEntry) { try await fixture.resolve("+19999999999") }
        await #expect(throws: FUSEError.noEntry) { try await fixture.resolve("+15550100001/AC../../v1/users") }
        await #expect(throws: FUSEError.noEntry) { try await fixture.resolve("+15550100001/%2e%2e") }
        await #expect(throws: FUSEError.nameTooLong) { try await fixture.resolve(String(repeating: "a", count: 300)) }
        let file = try await fixture.resolve(Self.smallWAV)
        await #expect(throws: FUSEError.notDirectory) { try await fixture.fileSystem.lookup(parent: file.attributes.inode, name: "x") }
        await #expect(throws: FUSEError.readOnly) { try await fixture.fileSystem.open(file.attributes.inode, flags: O_WRONLY) }
        await #expect(throws: FUSEError.readOnly) { try await fixture.fileSystem.open(file.attributes.inode, flags: O_RDWR) }
        let directory = try await fixture.resolve("+15550100001")
        await #expect(throws: FUSEError.isDirectory) { try await fixture.fileSystem.open(directory.attributes.inode, flags: O_RDONLY) }
        await #expect(throws: FUSEError.noEntry) { try await fixture.fileSystem.attributes(of: 999_999) }
    }

    @Test("seeded random reads return exactly the source bytes", arguments: [1, 2, 3, 42])
    func randomReads(seed: UInt64) async throws {
        let fixture = try await Fixture.make { $0.cacheSize = 4 << 20; $0.blockSize = 256 << 10 }
        defer { Task { await fixture.close() } }
        let content = fixture.server.workspace.recording(id: "CRdemoL1a")!.content!
        let file = try await fixture.resolve(Self.smallWAV)
        let size = UInt64(content.size)
        #expect(file.attributes.size == size)
        let handle = try await fixture.fileSystem.open(file.attributes.inode, flags: O_RDONLY).handle
        var random = SplitMix64(seed: seed)
        for step in 0..<120 {
            let offset: UInt64
            let length: Int
            switch random.next() % 4 {
            case 0: offset = random.next() % size; length = 1 + Int(random.next() % 16)  // tiny
            case 1: offset = random.next() % size; length = 128 << 10  // kernel-sized
            case 2: offset = size - (random.next() % 5000); length = 10_000  // across the end
            default: offset = random.next() % size; length = Int(random.next() % (3 << 20))  // huge, multi-block
            }
            let bytes = Array(try await fixture.fileSystem.read(file.attributes.inode, handle: handle, offset: offset, size: length).joined())
            let end = min(Int(offset) + length, Int(size))
            let expected = Int(offset) < end ? content.bytes(in: Int(offset)..<end) : []
            #expect(bytes == expected, "seed \(seed) step \(step): \(length) bytes at \(offset)")
        }
        await fixture.fileSystem.release(file.attributes.inode, handle: handle)
    }

    @Test("reading far past the cache budget reuses block memory: every byte right, memory within the budget")
    func blockMemoryReused() async throws {
        let cacheSize = 2 << 20
        let fixture = try await Fixture.make { $0.cacheSize = cacheSize }
        defer { Task { await fixture.close() } }
        let content = fixture.server.workspace.recording(id: "CRdemoL1a")!.content!
        let file = try await fixture.resolve(Self.smallWAV)
        let handle = try await fixture.fileSystem.open(file.attributes.inode, flags: O_RDONLY).handle
        // 8 MiB through a 2 MiB cache, twice (the second pass refetches evicted blocks
        // into slots that held other blocks), then reads scattered over the whole file.
        for _ in 0..<2 {
            var offset = 0
            while offset < content.size {
                let bytes = try await fixture.fileSystem.read(file.attributes.inode, handle: handle, offset: UInt64(offset), size: 1 << 20).joined()
                #expect(bytes == content.bytes(in: offset..<min(offset + (1 << 20), content.size)), "at \(offset)")
                offset += max(1, bytes.count)
            }
        }
        var random = SplitMix64(seed: 11)
        for _ in 0..<40 {
            let offset = Int(random.next() % UInt64(content.size))
            let bytes = try await fixture.fileSystem.read(file.attributes.inode, handle: handle, offset: UInt64(offset), size: 64 << 10).joined()
            #expect(bytes == content.bytes(in: offset..<min(offset + (64 << 10), content.size)), "at \(offset)")
        }
        await fixture.fileSystem.release(file.attributes.inode, handle: handle)
        // Blocks: the budget, plus what a read still held when it was evicted, plus a chunk.
        #expect(fixture.fileSystem.blockMemoryBytes <= cacheSize + (2 << 20) + BlockArena.hugePageBytes)
        #expect(fixture.fileSystem.blockMemoryBytes >= BlockArena.hugePageBytes)
    }

    @Test("a sequential read of a large recording is served in full and correct")
    func sequentialRead() async throws {
        let fixture = try await Fixture.make()
        defer { Task { await fixture.close() } }
        let content = fixture.server.workspace.recording(id: "CRdemoL1a")!.content!
        let file = try await fixture.resolve(Self.smallWAV)
        let handle = try await fixture.fileSystem.open(file.attributes.inode, flags: O_RDONLY).handle
        var offset = 0
        while offset < content.size {
            let bytes = Array(try await fixture.fileSystem.read(file.attributes.inode, handle: handle, offset: UInt64(offset), size: 128 << 10).joined())
            #expect(bytes == content.bytes(in: offset..<min(offset + (128 << 10), content.size)))
            offset += bytes.count
        }
        // 8 MiB is 32 blocks of 256 KiB; streamed in runs, in a handful of requests (plus
        // the size probe), not one per block or per read.
        #expect(fixture.server.stats().mediaRequests <= 8)
        #expect(fixture.server.stats().mediaRequestsWithAuthorization == 0)
    }
}

/// Refreshing a directory after `--dir-cache-time`, with no catalog: the mount's last
/// listing is the base, so a number's refresh asks only for calls since its high-water
/// mark instead of every page again.
@Suite("Refreshing listings")
struct ListingRefreshTests {
    /// 2026-03-30 lists a number's calls (50 a page) and asks after the mark with
    /// `createdAt[gte]`; v1 lists its conversations (100 a page), with no such filter.
    @Test("a number's refresh asks once, after its high-water mark; the listing is the same")
    func incrementalRefresh() async throws {
        let version = APIVersion.dated20260330
        let workspace = MockWorkspace.generated(calls: 160, numbers: 1, seed: 5)
        let fixture = try await Fixture.make(version: version, workspace: workspace) {
            $0.directoryCacheTime = .milliseconds(200)
            $0.callContent = []
        }
        defer { Task { await fixture.close() } }
        let root = try await fixture.fileSystem.listDirectory(rootInode)
        let number = try #require(root.entries.first { $0.name.hasPrefix("+") }).entry.attributes.inode
        let before = fixture.server.stats().apiRequests
        let first = try await fixture.fileSystem.listDirectory(number)
        let firstCost = fixture.server.stats().apiRequests - before
        try await Task.sleep(for: .milliseconds(300))  // the listing is now stale
        let log = fixture.server.stats().apiRequestLog.count
        let again = try await fixture.fileSystem.listDirectory(number)
        let refresh = Array(fixture.server.stats().apiRequestLog.dropFirst(log))
        #expect(again.entries.map(\.name) == first.entries.map(\.name))
        // The first listing took several pages; the refresh, one request asking after the mark.
        #expect(firstCost >= 3, "\(firstCost)")
        #expect(refresh.count == 1, "\(refresh)")
        #expect(refresh.allSatisfy { $0.contains("createdAt%5Bgte%5D") }, "\(refresh)")
    }
}
