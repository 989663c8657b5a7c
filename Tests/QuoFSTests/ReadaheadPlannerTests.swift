import QuoMock
import Testing
@testable import QuoFS

@Suite("Readahead planner")
struct ReadaheadPlannerTests {
    let block = 1024

    @Test("a sequential reader's window grows sixteenfold up to the maximum")
    func sequentialGrows() {
        var planner = ReadaheadPlanner(blockSize: block, fileSize: 100 * 1024, maxWindow: 40, backwardTolerance: 2048, forwardTolerance: 1024)
        var windows: [Int] = []
        var offset: UInt64 = 0
        for _ in 0..<6 {
            let plan = planner.plan(offset: offset, size: 512)
            windows.append(planner.window)
            #expect(plan.needed == Int(offset) / block..<(Int(offset) / block + 1))
            offset += 512
        }
        #expect(windows == [1, 16, 40, 40, 40, 40])
    }

    @Test("a streaming-sized first read starts the window at four times its blocks; a small one at one")
    func streamingStart() {
        var planner = ReadaheadPlanner(blockSize: block, fileSize: 1 << 20, maxWindow: 64, streamingReadSize: 4096)
        let plan = planner.plan(offset: 0, size: 4096)
        #expect(plan.needed == 0..<4)
        #expect(plan.prefetch == 4..<20)
        #expect(planner.window == 16)
        _ = planner.plan(offset: 4096, size: 4096)
        #expect(planner.window == 64)  // capped: 16 × 16 is more
        var small = ReadaheadPlanner(blockSize: block, fileSize: 1 << 20, maxWindow: 64, streamingReadSize: 4096)
        _ = small.plan(offset: 0, size: 4095)
        #expect(small.window == 1)
        // Far from where a first read is expected: a seek, no readahead whatever its size.
        var seek = ReadaheadPlanner(blockSize: block, fileSize: 1 << 20, maxWindow: 64, forwardTolerance: 8192, streamingReadSize: 4096)
        #expect(seek.plan(offset: 500 * 1024, size: 4096).prefetch.isEmpty)
    }

    @Test("with the real sizes, the kernel's first two streaming reads put the whole window in flight")
    func firstTwoReadsOpenTheWindow() {
        // 256 KiB blocks, 1 MiB FUSE reads, a 256-block (64 MiB) window, a 100 MiB file.
        var planner = ReadaheadPlanner(blockSize: 256 << 10, fileSize: 100 << 20, maxWindow: 256)
        let first = planner.plan(offset: 0, size: 1 << 20)
        #expect(first.prefetch == 4..<20)
        let second = planner.plan(offset: 1 << 20, size: 1 << 20)
        #expect(planner.window == 256)
        #expect(second.prefetch == 8..<264)
    }

    @Test("the window follows the reader and never passes the end")
    func windowFollows() {
        var planner = ReadaheadPlanner(blockSize: block, fileSize: 20 * 1024 + 7, maxWindow: 4, backwardTolerance: 2048, forwardTolerance: 1024)
        var offset: UInt64 = 0
        var covered = Set<Int>()
        while offset < 20 * 1024 + 7 {
            let plan = planner.plan(offset: offset, size: 300)
            #expect(plan.prefetch.lowerBound == plan.needed.upperBound)
            #expect(plan.prefetch.upperBound <= 21)
            covered.formUnion(plan.prefetch)
            offset += 300
        }
        #expect(covered == Set(1..<21))
    }

    @Test("a seek resets the window; small random reads fetch only their blocks")
    func randomReads() {
        var planner = ReadaheadPlanner(blockSize: block, fileSize: 1 << 20, maxWindow: 8, backwardTolerance: 2048, forwardTolerance: 1024)
        _ = planner.plan(offset: 0, size: 512)
        let far = planner.plan(offset: 500 * 1024, size: 100)
        #expect(far.needed == 500..<501)
        #expect(far.prefetch.isEmpty)
        #expect(planner.window == 0)
        let other = planner.plan(offset: 90 * 1024 + 1000, size: 100)
        #expect(other.needed == 90..<92)
        #expect(other.prefetch.isEmpty)
    }

    @Test("seeded random 4 KiB reads, many close together, never open a readahead window", arguments: [1, 2, 3] as [UInt64])
    func scatteredReadsStayCheap(seed: UInt64) {
        // The real sizes: 256 KiB blocks, a 64 MiB file, the default tolerances (8 MiB).
        var planner = ReadaheadPlanner(blockSize: 256 << 10, fileSize: 64 << 20, maxWindow: 256)
        var random = SplitMix64(seed: seed)
        var fetched = 0
        for _ in 0..<200 {
            // Within 16 MiB of the file, so most reads land within tolerance of the last.
            let offset = (random.next() % (16 << 20)) & ~4095
            let plan = planner.plan(offset: offset, size: 4096)
            #expect(plan.prefetch.isEmpty, "read at \(offset) opened a window of \(plan.prefetch.count) blocks")
            fetched += plan.needed.count + plan.prefetch.count
        }
        #expect(fetched <= 200 * 2)  // a block per read (two when it straddles)
    }

    @Test("reads slightly out of order still count as sequential")
    func outOfOrder() {
        var planner = ReadaheadPlanner(blockSize: block, fileSize: 1 << 20, maxWindow: 8, backwardTolerance: 4096, forwardTolerance: 1024)
        _ = planner.plan(offset: 0, size: 1024)
        _ = planner.plan(offset: 2048, size: 1024)
        _ = planner.plan(offset: 1024, size: 1024)
        #expect(planner.window == 8)
    }

    @Test("reads at or past the end need nothing")
    func pastEnd() {
        var planner = ReadaheadPlanner(blockSize: block, fileSize: 10, maxWindow: 8)
        #expect(planner.plan(offset: 10, size: 100).needed.isEmpty)
        #expect(planner.plan(offset: 5, size: 100).needed == 0..<1)
    }
}
