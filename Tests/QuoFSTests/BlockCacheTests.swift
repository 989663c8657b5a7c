import Synchronization
import Testing
@testable import QuoFS

@Suite("Block cache")
struct BlockCacheTests {
    func key(_ index: Int) -> BlockKey { BlockKey(recordingID: "CR1", version: "v1", index: index) }

    @Test("evicts least recently used blocks to stay within the budget")
    func lru() async throws {
        let cache = BlockCache<[UInt8]>(capacityBytes: 300, blockSize: 100)
        for i in 0..<3 { _ = try await cache.block(key(i)) { [UInt8](repeating: UInt8(i), count: 100) } }
        _ = try await cache.block(key(0)) { Issue.record("block 0 should be cached"); return [] }
        _ = try await cache.block(key(3)) { [UInt8](repeating: 3, count: 100) }
        #expect(await cache.contains(key(0)))
        #expect(!(await cache.contains(key(1))))
        #expect(await cache.contains(key(2)))
        #expect(await cache.contains(key(3)))
        #expect(await cache.statistics.bytes == 300)
    }

    @Test("concurrent requests for one block share one load")
    func coalesces() async throws {
        let cache = BlockCache<[UInt8]>(capacityBytes: 1 << 20, blockSize: 3)
        let loads = LoadCounter()
        try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await cache.block(key(7)) {
                        loads.value.add(1, ordering: .relaxed)
                        try await Task.sleep(for: .milliseconds(50))
                        return [1, 2, 3]
                    }
                }
            }
            for try await bytes in group { #expect(bytes == [1, 2, 3]) }
        }
        #expect(loads.value.load(ordering: .relaxed) == 1)
    }

    @Test("a failed load is not cached; the next request loads again")
    func failureNotCached() async throws {
        struct Boom: Error {}
        let cache = BlockCache<[UInt8]>(capacityBytes: 1 << 20, blockSize: 3)
        await #expect(throws: Boom.self) { try await cache.block(key(1)) { throw Boom() } }
        #expect(try await cache.block(key(1)) { [9] } == [9])
    }

    @Test("blocks being loaded count against the budget; readahead takes at most half")
    func inFlightBudget() async throws {
        let cache = BlockCache<[UInt8]>(capacityBytes: 1000, blockSize: 100)
        for i in 0..<10 { _ = try await cache.block(key(i)) { [UInt8](repeating: 1, count: 100) } }
        #expect(await cache.statistics.bytes == 1000)
        let gate = AsyncStream<Void>.makeStream()
        await cache.loadMissing(needed: [key(10)], readahead: (11..<30).map(key)) { missing in
            // 1 needed + 4 readahead = 500 bytes in flight, half the budget.
            #expect(missing.map(\.index) == Array(10..<15))
            return Dictionary(uniqueKeysWithValues: missing.map { missingKey in
                (missingKey, { @Sendable in
                    for await _ in gate.stream { break }
                    return [UInt8](repeating: 2, count: 100)
                })
            })
        }
        // Room was made for the incoming blocks: the five oldest were evicted.
        #expect(await cache.statistics.bytes == 500)
        #expect(!(await cache.contains(key(0))))
        #expect(await cache.contains(key(9)))
        gate.continuation.finish()
        #expect(try await cache.block(key(12)) { [] } == [UInt8](repeating: 2, count: 100))
    }

    @Test("versions are separate keys")
    func versions() async throws {
        let cache = BlockCache<[UInt8]>(capacityBytes: 1 << 20, blockSize: 3)
        _ = try await cache.block(BlockKey(recordingID: "CR1", version: "a", index: 0)) { [1] }
        #expect(try await cache.block(BlockKey(recordingID: "CR1", version: "b", index: 0)) { [2] } == [2])
    }
}

@Suite("Content-Range parsing")
struct ContentRangeTests {
    @Test func parses() {
        #expect(ContentRange("bytes 0-0/1234") == ContentRange(first: 0, last: 0, total: 1234))
        #expect(ContentRange("bytes 5-9/*")?.total == nil)
        #expect(ContentRange("bytes */0")?.total == 0)
        #expect(ContentRange("bytes 9-5/10") == nil)
        #expect(ContentRange("items 0-1/2") == nil)
        #expect(ContentRange("bytes 0-1") == nil)
        #expect(ContentRange(nil) == nil)
    }
}

extension ContentRange {
    init(first: UInt64?, last: UInt64?, total: UInt64?) {
        self.init("bytes */0")!
        self.first = first
        self.last = last
        self.total = total
    }
}

final class LoadCounter: Sendable {
    let value = Atomic<Int>(0)
}

/// Plain arrays as cached bytes, for cache tests that need no arena.
extension Array: CachedBytes where Element == UInt8 {}
