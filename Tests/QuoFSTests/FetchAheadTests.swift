import FUSE
import QuoAPI
import QuoMock
import Testing
@testable import QuoFS

/// Listings fetched ahead of a walk, through the filesystem's operations (no kernel).
@Suite("Fetching listings ahead")
struct FetchAheadTests {
    static let workspace = MockWorkspace.generated(calls: 120, numbers: 2, seed: 7)

    @Test("a depth-first walk fetches ahead, and costs exactly the requests of a walk without it, even when listings fetched ahead are read after the cache time",
          arguments: APIVersion.allCases)
    func walkCostsNoMore(version: APIVersion) async throws {
        let options = MockOptions(requestsPerSecond: nil, apiLatency: .milliseconds(20))
        // A cache time shorter than the walk: listings fetched ahead are older than it when read.
        let plain = try await Fixture.make(version: version, workspace: Self.workspace, options: options) {
            $0.directoryCacheTime = .milliseconds(150)
        }
        let a = try await WorkspaceLayoutTests.walk(plain)
        // Made after the first walk, so both walks start as soon as their root is listed.
        let ahead = try await Fixture.make(version: version, workspace: Self.workspace, options: options) {
            $0.fetchAheadWindow = 8
            $0.directoryCacheTime = .milliseconds(150)
        }
        defer { Task { await plain.close(); await ahead.close() } }
        let b = try await WorkspaceLayoutTests.walk(ahead)
        #expect(a.keys.sorted() == b.keys.sorted())
        // Let fetches ahead still running finish before counting.
        try await Task.sleep(for: .milliseconds(300))
        let plainLog = plain.server.stats().apiRequestLog
        let aheadLog = ahead.server.stats().apiRequestLog
        var extra = aheadLog
        for line in plainLog { if let index = extra.firstIndex(of: line) { extra.remove(at: index) } }
        #expect(aheadLog.count == plainLog.count, "fetching ahead added requests: \(extra)")
        #expect(Set(aheadLog) == Set(plainLog))
        let statistics = ahead.fileSystem.fetchAheadStatistics
        #expect(statistics.prefetches > 20, "\(statistics)")
        #expect(statistics.hits == statistics.prefetches, "every listing fetched ahead was read: \(statistics)")
    }

    @Test("ls of directories one at a time, or out of order, fetches nothing ahead")
    func lsAlone() async throws {
        let fixture = try await Fixture.make(version: .v1, workspace: Self.workspace) { $0.fetchAheadWindow = 8 }
        defer { Task { await fixture.close() } }
        let root = try await fixture.fileSystem.listDirectory(rootInode)
        let number = try await fixture.fileSystem.listDirectory(root.entries[0].entry.attributes.inode)
        let groups = number.entries.map(\.entry.attributes.inode)
        // A person lists a few participants: the third, the first, the fifth.
        for index in [2, 0, 4] {
            _ = try await fixture.fileSystem.listDirectory(groups[index])
        }
        try await Task.sleep(for: .milliseconds(300))
        // Key check, the number's conversations, the contacts' names, and one calls request per listed participant.
        #expect(fixture.server.stats().apiRequests == 1 + 1 + 1 + 3, "\(fixture.server.stats().apiRequestLog)")
        #expect(fixture.fileSystem.fetchAheadStatistics.prefetches == 0)
    }
}
