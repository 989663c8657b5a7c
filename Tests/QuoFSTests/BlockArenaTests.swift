import Glibc
import Testing
@testable import QuoFS

@Suite("Block memory")
struct BlockArenaTests {
    @Test("blocks are slots of huge-page-aligned chunks; freed slots are reused, not remapped")
    func slotsAndReuse() throws {
        let arena = BlockArena(slotBytes: 256 << 10)
        #expect(arena.chunkBytes == 2 << 20 && arena.slotsPerChunk == 8)
        var blocks = try (0..<8).map { _ in try arena.allocate() }
        #expect(arena.mappedBytes == 2 << 20)
        let addresses = Set(blocks.map { $0.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) } })
        #expect(addresses.count == 8)
        #expect(addresses.allSatisfy { $0 % UInt(BlockArena.hugePageBytes) % UInt(256 << 10) == 0 })
        #expect(addresses.contains { $0 % UInt(BlockArena.hugePageBytes) == 0 })
        blocks.append(try arena.allocate())  // the first chunk is full
        #expect(arena.mappedBytes == 4 << 20)
        // Freeing a block of the first chunk and allocating again reuses its slot.
        let freed = blocks.remove(at: 3).withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        blocks.append(try arena.allocate())
        #expect(blocks.last!.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) } == freed)
        #expect(arena.mappedBytes == 4 << 20)
        // With every block gone, one chunk stays mapped as the spare.
        blocks.removeAll()
        #expect(arena.mappedBytes == 2 << 20)
    }

    @Test("a block holds exactly the bytes appended to it", arguments: [false, true])
    func bytes(hugePages: Bool) throws {
        let arena = BlockArena(slotBytes: 1000, hugePages: hugePages)
        let block = try arena.allocate()
        #expect(block.capacity == 1000 && block.count == 0 && block.bytes.isEmpty)
        let first = (0..<600).map { UInt8(truncatingIfNeeded: $0) }
        let second = (0..<400).map { UInt8(truncatingIfNeeded: $0 * 7) }
        first.withUnsafeBytes { block.append($0) }
        second.withUnsafeBytes { block.append($0) }
        #expect(block.bytes == first + second)
        let slice = BlockSlice(block: block, range: 590..<610)
        #expect(slice.count == 20)
        #expect(slice.withReplyBytes { Array($0) } == Array((first + second)[590..<610]))
        // Slots smaller than a chunk share it; larger ones get a chunk rounded up.
        #expect(arena.slotsPerChunk == (2 << 20) / 1000)
        #expect(BlockArena(slotBytes: 3 << 20).chunkBytes == 4 << 20)
    }

    @Test(
        "mapped memory never exceeds the most live blocks there have been plus one chunk, or the limit",
        arguments: [(prepared: 0, limit: Int.max), (prepared: 8 << 20, limit: 16 << 20)])
    func bounded(prepared: Int, limit: Int) throws {
        let arena = BlockArena(slotBytes: 256 << 10, preparedBytes: prepared, limitBytes: limit)
        var seed: UInt64 = 0x5eed
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        var live: [Block] = []
        var mostLive = 0
        for step in 0..<20_000 {
            // Random churn that drifts up and down: LRU-like frees (oldest first) mixed
            // with random ones, as the cache and readers let blocks go.
            let grow = (step / 2000) % 2 == 0 ? 6 : 4
            if live.isEmpty || next(10) < grow {
                live.append(try arena.allocate())
            } else if next(2) == 0 {
                live.removeFirst()
            } else {
                live.remove(at: next(live.count))
            }
            mostLive = max(mostLive, live.count)
            if prepared > 0, step % 10 == 0 { arena.waitForSpares() }
            let bound = max(mostLive * arena.slotBytes + arena.chunkBytes, prepared > 0 ? limit : 0)
            #expect(arena.mappedBytes <= bound, "step \(step)")
            // Past the limit, no spares beyond the one kept against churn.
            if arena.mappedBytes > limit { #expect(arena.spareBytes <= arena.chunkBytes, "step \(step)") }
        }
        #expect(mostLive > 100)  // the churn goes well past the limit (64 blocks)
        live.removeAll()
        arena.waitForSpares()
        // What stays mapped is spares only: one, or as many as asked for.
        #expect(arena.mappedBytes == arena.spareBytes)
        #expect(arena.spareBytes == max(arena.chunkBytes, prepared))
    }

    @Test("spare memory is prepared ahead once the arena grows, faulted in, taken before anything new is mapped, within the limit")
    func preparedAhead() throws {
        let chunk = BlockArena.hugePageBytes
        // Spares are prepared while at most 9 - 3 chunks are mapped.
        let arena = BlockArena(slotBytes: 256 << 10, preparedBytes: 3 * chunk, limitBytes: 9 * chunk)
        #expect(arena.mappedBytes == 0)  // nothing before the first block
        // The first chunk's blocks (a first read) set nothing off.
        var blocks = try (0..<8).map { _ in try arena.allocate() }
        arena.waitForSpares()
        #expect(arena.mappedBytes == chunk && arena.spareBytes == 0)
        // A second chunk does.
        blocks.append(try arena.allocate())
        arena.waitForSpares()
        #expect(arena.spareBytes == 3 * chunk && arena.mappedBytes == 5 * chunk)
        // The third chunk's blocks come from a spare, whose pages are already in memory.
        blocks += try (0..<8).map { _ in try arena.allocate() }
        let address = try #require(blocks.last!.withUnsafeBytes { $0.baseAddress })
        #expect(residentPages(UnsafeMutableRawPointer(mutating: address), bytes: arena.slotBytes) == arena.slotBytes / Int(getpagesize()))
        arena.waitForSpares()
        #expect(arena.spareBytes == 3 * chunk && arena.mappedBytes == 6 * chunk)
        // There, nothing more is prepared: spares are used up, then chunks mapped.
        blocks += try (0..<24).map { _ in try arena.allocate() }
        arena.waitForSpares()
        #expect(arena.mappedBytes == 6 * chunk && arena.spareBytes == 0)
        blocks += try (0..<8).map { _ in try arena.allocate() }
        arena.waitForSpares()
        #expect(arena.mappedBytes == 7 * chunk && arena.spareBytes == 0)
    }

    /// How many of the pages at `address` are in memory (mincore).
    private func residentPages(_ address: UnsafeMutableRawPointer, bytes: Int) -> Int {
        let pages = bytes / Int(getpagesize())
        var vector = [UInt8](repeating: 0, count: pages)
        #expect(mincore(address, bytes, &vector) == 0)
        return vector.filter { $0 & 1 == 1 }.count
    }
}
