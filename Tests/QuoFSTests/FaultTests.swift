import FUSE
import QuoAPI
import QuoMock
import Testing
@testable import QuoFS

#if canImport(Glibc)
import Glibc
#endif

/// Faults injected by QuoMock over real HTTP: reads return the right bytes or EIO —
/// never wrong bytes, never a hang.
@Suite("Faults")
struct FaultTests {
    static let smallWAV = "+15550100002/+442079460958/2025-03-03T17-45-00Z_ACdemoL1/2025-03-03T17-45-01Z.wav"
    static let bigWAV = "+15550100001/+15550109002/2025-02-02T11-30-00Z_ACdemoB2/2025-02-02T11-30-02Z.wav"

    /// Reads `path` in `chunk`-sized sequential reads; returns the bytes, or the errno.
    func readAll(_ fixture: Fixture, _ path: String, chunk: Int = 128 << 10) async throws -> Result<[UInt8], FUSEError> {
        let file = try await fixture.resolve(path)
        let handle = try await fixture.fileSystem.open(file.attributes.inode, flags: O_RDONLY).handle
        var bytes: [UInt8] = []
        do {
            while true {
                let piece = Array(try await fixture.fileSystem.read(
                    file.attributes.inode, handle: handle, offset: UInt64(bytes.count), size: chunk).joined())
                if piece.isEmpty { break }
                bytes += piece
            }
        } catch let error as FUSEError {
            await fixture.fileSystem.release(file.attributes.inode, handle: handle)
            return .failure(error)
        }
        await fixture.fileSystem.release(file.attributes.inode, handle: handle)
        return .success(bytes)
    }

    @Test("5xx, resets, short bodies and wrong ranges are retried: the bytes come out right", arguments: [1, 2, 3] as [UInt64])
    func flakyRecordingHost(seed: UInt64) async throws {
        // Small requests, so the file takes many, and faults hit some of them.
        let fixture = try await Fixture.make {
            $0.blockSize = 128 << 10
            $0.maxRequestBlocks = 4
        }
        defer { Task { await fixture.close() } }
        _ = try await fixture.resolve(Self.smallWAV)  // list and probe before the faults
        fixture.server.setFaults(MockFaults(
            seed: seed, mediaServerErrors: 0.1, mediaResets: 0.1, mediaShortBodies: 0.1, mediaWrongRanges: 0.1))
        let expected = fixture.server.workspace.recording(id: "CRdemoL1a")!.content!
        let result = try await readAll(fixture, Self.smallWAV)
        fixture.server.setFaults(MockFaults())
        // Each failed request is retried up to 4 times, so with 40% of requests failing a
        // read may still end in EIO; what it must never do is return wrong bytes.
        if case .success(let bytes) = result {
            #expect(bytes.count == expected.size)
            #expect(bytes == expected.bytes(in: 0..<expected.size))
        } else {
            #expect(result == .failure(.io))
        }
        #expect(fixture.server.stats().injectedFaults > 0)  // faults really happened
    }

    @Test("size probes are retried through 5xx and wrong ranges: lookups get the right sizes")
    func flakyProbes() async throws {
        let fixture = try await Fixture.make()
        defer { Task { await fixture.close() } }
        let files = [
            (Self.smallWAV, "CRdemoL1a"), (Self.bigWAV, "CRdemoBig"),
            ("+15550100001/+15550109001/2025-01-12T09-14-33Z_ACdemoA1/2025-01-12T09-14-35Z.mp3", "CRdemoA1"),
        ]
        // Seeded: the same requests meet the same faults every run (here some of each
        // probe's first tries fail, none fails four times).
        fixture.server.setFaults(MockFaults(seed: 7, mediaServerErrors: 0.25, mediaWrongRanges: 0.25))
        for (path, id) in files {
            let entry = try await fixture.resolve(path)
            #expect(entry.attributes.size == UInt64(fixture.server.workspace.recording(id: id)!.content!.size))
        }
        #expect(fixture.server.stats().injectedFaults > 0)
        fixture.server.setFaults(MockFaults())
    }

    @Test("expired recording URLs are replaced by re-listing the call, and reading goes on")
    func expiredURLs() async throws {
        let fixture = try await Fixture.make()
        defer { Task { await fixture.close() } }
        let expected = fixture.server.workspace.recording(id: "CRdemoL1a")!.content!
        let file = try await fixture.resolve(Self.smallWAV)
        let handle = try await fixture.fileSystem.open(file.attributes.inode, flags: O_RDONLY).handle
        let head = Array(try await fixture.fileSystem.read(file.attributes.inode, handle: handle, offset: 0, size: 4096).joined())
        #expect(head == expected.bytes(in: 0..<4096))
        let listingsBefore = fixture.server.stats().apiRequestLog.filter { $0.contains("call-recordings") }.count
        fixture.server.expireRecordingURLs()
        let tail = Array(try await fixture.fileSystem.read(
            file.attributes.inode, handle: handle, offset: UInt64(expected.size - 5000), size: 5000).joined())
        #expect(tail == expected.bytes(in: (expected.size - 5000)..<expected.size))
        let listingsAfter = fixture.server.stats().apiRequestLog.filter { $0.contains("call-recordings") }.count
        #expect(listingsAfter == listingsBefore + 1)
    }

    @Test("content that changed since it was listed fails with EIO instead of mixing versions")
    func changedContent() async throws {
        let fixture = try await Fixture.make()
        defer { Task { await fixture.close() } }
        let file = try await fixture.resolve(Self.smallWAV)
        let handle = try await fixture.fileSystem.open(file.attributes.inode, flags: O_RDONLY).handle
        _ = try await fixture.fileSystem.read(file.attributes.inode, handle: handle, offset: 0, size: 4096)
        fixture.server.setFaults(MockFaults(changedRecordings: ["CRdemoL1a"]))
        await #expect(throws: FUSEError.io) {
            try await fixture.fileSystem.read(file.attributes.inode, handle: handle, offset: 6 << 20, size: 4096)
        }
    }

    @Test("a stalled connection, or a first byte slower than the read deadline, ends in EIO at the deadline, not a hang", arguments: [
        MockFaults(mediaStalls: 1, stallDuration: .seconds(20)),
        MockFaults(mediaSlowFirstBytes: 1, slowFirstByteDelay: .seconds(30)),
    ])
    func heldPastDeadline(faults: MockFaults) async throws {
        let fixture = try await Fixture.make { $0.readTimeout = .seconds(2) }
        defer { Task { await fixture.close() } }
        let file = try await fixture.resolve(Self.bigWAV)
        fixture.server.setFaults(faults)
        let handle = try await fixture.fileSystem.open(file.attributes.inode, flags: O_RDONLY).handle
        let clock = ContinuousClock()
        let started = clock.now
        // Far into the file: a seek, so the request covers just the read's block, and a
        // stall half-way through it holds the read.
        await #expect(throws: FUSEError.io) {
            try await fixture.fileSystem.read(file.attributes.inode, handle: handle, offset: 40 << 20, size: 4096)
        }
        #expect(clock.now - started < .seconds(10))
        fixture.server.setFaults(MockFaults())
    }

    @Test("a very slow first byte is waited for: the bytes come out right")
    func slowFirstByte() async throws {
        let fixture = try await Fixture.make()
        defer { Task { await fixture.close() } }
        let expected = fixture.server.workspace.recording(id: "CRdemoL1a")!.content!
        let file = try await fixture.resolve(Self.smallWAV)
        fixture.server.setFaults(MockFaults(mediaSlowFirstBytes: 1, slowFirstByteDelay: .milliseconds(1500)))
        let handle = try await fixture.fileSystem.open(file.attributes.inode, flags: O_RDONLY).handle
        let clock = ContinuousClock()
        let started = clock.now
        let tail = Array(try await fixture.fileSystem.read(
            file.attributes.inode, handle: handle, offset: UInt64(expected.size - 70_000), size: 70_000).joined())
        #expect(clock.now - started >= .milliseconds(1500))  // really slow
        #expect(tail == expected.bytes(in: (expected.size - 70_000)..<expected.size))
        #expect(fixture.server.stats().injectedFaults > 0)
        fixture.server.setFaults(MockFaults())
    }

    @Test("redirects of recording URLs are followed, size probes included: the bytes come out right", arguments: [false, true])
    func redirectsFollowed(absolute: Bool) async throws {
        let fixture = try await Fixture.make()
        defer { Task { await fixture.close() } }
        let expected = fixture.server.workspace.recording(id: "CRdemoL1a")!.content!
        let redirect = absolute ? MediaRedirect.absolute(base: fixture.server.baseURL) : .relative
        fixture.server.setFaults(MockFaults(mediaRedirect: redirect))
        let result = try await readAll(fixture, Self.smallWAV, chunk: 1 << 20)
        fixture.server.setFaults(MockFaults())
        #expect(result == .success(expected.bytes(in: 0..<expected.size)))
        let stats = fixture.server.stats()
        // Every recording request (the size probe and the reads) was redirected once.
        #expect(stats.injectedFaults > 1 && stats.mediaRequests == 2 * stats.injectedFaults, "\(stats)")
        #expect(stats.mediaRequestsWithAuthorization == 0)
    }

    @Test("redirects to a refused URL, or in a loop, end in EIO at once")
    func redirectsRefused() async throws {
        let fixture = try await Fixture.make()
        defer { Task { await fixture.close() } }
        let file = try await fixture.resolve(Self.smallWAV)
        // Plain HTTP to a host that is not loopback (TEST-NET-3): refused by the URL
        // policy before any connection; a loop: refused after a few hops. Neither is
        // retried (a retry would ask the mock for the original URL again), which the
        // request counts show whatever the machine's speed.
        for (redirect, requests) in [(MediaRedirect.absolute(base: "http://203.0.113.9"), 1), (.loop, RecordingHost.maxRedirects + 1)] {
            fixture.server.setFaults(MockFaults(mediaRedirect: redirect))
            fixture.server.resetStats()
            let handle = try await fixture.fileSystem.open(file.attributes.inode, flags: O_RDONLY).handle
            let clock = ContinuousClock()
            let started = clock.now
            await #expect(throws: FUSEError.io, "\(redirect)") {
                try await fixture.fileSystem.read(file.attributes.inode, handle: handle, offset: 0, size: 4096)
            }
            #expect(fixture.server.stats().mediaRequests == requests, "\(redirect)")
            // Far below the 5 s connect timeout times 4 tries: no wait on the network.
            #expect(clock.now - started < .seconds(10), "\(redirect)")
            await fixture.fileSystem.release(file.attributes.inode, handle: handle)
        }
        fixture.server.setFaults(MockFaults())
    }

    @Test("a listing the API keeps failing is EIO; a listing fetched before is still served")
    func failingListings() async throws {
        let fixture = try await Fixture.make { $0.directoryCacheTime = .milliseconds(100) }
        defer { Task { await fixture.close() } }
        let sales = try await fixture.resolve("+15550100001")
        let before = try await fixture.fileSystem.listDirectory(sales.attributes.inode)
        fixture.server.setFaults(MockFaults(apiServerErrors: 1))
        try await Task.sleep(for: .milliseconds(200))  // the cached listing is now stale
        let stale = try await fixture.fileSystem.listDirectory(sales.attributes.inode)
        #expect(stale.entries.map(\.name) == before.entries.map(\.name))
        // Never listed: no stale copy to fall back on.
        await #expect(throws: FUSEError.io) { try await fixture.resolve("+15550100002/+442079460958") }
        fixture.server.setFaults(MockFaults(apiMalformedJSON: 1))
        await #expect(throws: FUSEError.io) { try await fixture.resolve("+15550100002/+15550109003") }
        fixture.server.setFaults(MockFaults())
        #expect(try await fixture.resolve("+15550100002/+442079460958").attributes.kind == .directory)
    }
}
