import QuoMock
import Testing
@testable import QuoFS

private typealias Planner = CrossFileReadaheadPlanner<Int, ContinuousClock.Instant>

/// The tests' clock: instants `ms` milliseconds after one origin (nothing sleeps).
private let origin = ContinuousClock.now
private func at(_ ms: Int) -> ContinuousClock.Instant { origin.advanced(by: .milliseconds(ms)) }

private let KiB: UInt64 = 1 << 10
private let MiB: UInt64 = 1 << 20
private let block: UInt64 = 256 << 10

private func blocks(_ bytes: UInt64) -> UInt64 { (bytes + block - 1) / block * block }

/// Files 0..<count, numbered in walk order (a tree of directories, flattened the way a
/// walker reads it), and a program reading them the way the kernel forwards reads to
/// quofs. Checks every decision against what it was told before.
private struct Harness {
    var planner: Planner
    var sizes: [UInt64]
    /// `following` knows only the files below this (the directories after it not listed yet).
    var knownEnd: Int
    /// Sizes `following` does not know (not probed yet): passed as nil.
    var unknownSizes: Set<Int> = []
    /// Whether no file may be fetched ahead twice (one walker, nothing cancelled and redone).
    var strictOnce = true
    var now = 0
    var random: SplitMix64
    /// Fetched ahead, not yet opened or cancelled: the length asked for.
    var ahead: [Int: UInt64] = [:]
    var everFetched: Set<Int> = []
    var cancelled: [Int] = []
    var hits: [Int] = []
    var mostAhead = 0
    var mostBytesAhead: UInt64 = 0

    init(sizes: [UInt64], seed: UInt64 = 1, planner: Planner = Planner(idleTimeout: .seconds(10))) {
        self.planner = planner
        self.sizes = sizes
        self.knownEnd = sizes.count
        self.random = SplitMix64(seed: seed)
    }

    static func following(_ file: Int, _ count: Int, sizes: [UInt64], knownEnd: Int, unknown: Set<Int>) -> [Planner.NextFile] {
        guard file + 1 < knownEnd else { return [] }
        return (file + 1..<min(knownEnd, file + 1 + count)).map { Planner.NextFile($0, size: unknown.contains($0) ? nil : sizes[$0]) }
    }

    /// Applies a decision: cancellations first, then the fetches ahead.
    mutating func apply(_ decision: Planner.Decision) {
        for file in decision.cancel {
            #expect(ahead.removeValue(forKey: file) != nil, "cancelled \(file), not ahead")
            cancelled.append(file)
        }
        for prefetch in decision.prefetch {
            #expect(ahead[prefetch.file] == nil, "\(prefetch.file) fetched ahead while ahead")
            #expect(sizes[prefetch.file] > 0 || unknownSizes.contains(prefetch.file), "\(prefetch.file) is empty")
            #expect(prefetch.length <= planner.maxBytesPerFile)
            #expect(prefetch.length == sizes[prefetch.file] || prefetch.length == planner.maxBytesPerFile)
            if strictOnce { #expect(everFetched.insert(prefetch.file).inserted, "\(prefetch.file) fetched ahead twice") }
            ahead[prefetch.file] = prefetch.length
        }
        check()
    }

    /// The bounds, after every call.
    mutating func check() {
        let bytes = ahead.values.reduce(0) { $0 + blocks($1) }
        #expect(planner.filesAhead == ahead.count)
        #expect(planner.bytesAhead == bytes)
        #expect(bytes <= planner.maxBytesAhead, "\(bytes) bytes ahead")
        #expect(ahead.count <= planner.maxFilesAhead * max(1, planner.walkCount))
        mostAhead = max(mostAhead, ahead.count)
        mostBytesAhead = max(mostBytesAhead, bytes)
    }

    @discardableResult
    mutating func open(_ file: Int) -> Planner.Decision {
        let (sizes, knownEnd, unknown) = (self.sizes, self.knownEnd, self.unknownSizes)
        let decision = planner.opened(file, size: sizes[file], at: at(now)) {
            Self.following($0, $1, sizes: sizes, knownEnd: knownEnd, unknown: unknown)
        }
        #expect(decision.prefetch.isEmpty, "an open fetched ahead")
        let wasAhead = ahead[file] != nil && !decision.cancel.contains(file)
        #expect(decision.fetchedAhead == wasAhead, "open of \(file): fetched ahead \(decision.fetchedAhead), expected \(wasAhead)")
        if decision.fetchedAhead {
            ahead[file] = nil
            hits.append(file)
        }
        apply(decision)
        return decision
    }

    @discardableResult
    mutating func read(_ file: Int, offset: UInt64, length: UInt64) -> Planner.Decision {
        let (sizes, knownEnd, unknown) = (self.sizes, self.knownEnd, self.unknownSizes)
        let decision = planner.read(file, offset: offset, length: Int(length), at: at(now)) {
            Self.following($0, $1, sizes: sizes, knownEnd: knownEnd, unknown: unknown)
        }
        apply(decision)
        return decision
    }

    /// Reads the whole file as the kernel's readahead forwards it: requests of `chunk`
    /// bytes (whole pages, so the last may pass the end), each group of four in a random
    /// order when `shuffled` (parallel requests arriving out of order).
    mutating func readWhole(_ file: Int, chunk: UInt64 = MiB, shuffled: Bool = true) {
        let pages = (sizes[file] + 4095) / 4096 * 4096
        var offsets = Array(stride(from: UInt64(0), to: pages, by: Int(chunk)))
        if shuffled {
            for group in stride(from: 0, to: offsets.count, by: 4) {
                let end = min(group + 4, offsets.count)
                for i in group..<end {
                    let j = group + Int(random.next() % UInt64(end - group))
                    offsets.swapAt(i, j)
                }
            }
        }
        for offset in offsets { read(file, offset: offset, length: min(chunk, pages - offset)) }
    }

    @discardableResult
    mutating func close(_ file: Int) -> Planner.Decision {
        let decision = planner.closed(file, at: at(now))
        #expect(decision.prefetch.isEmpty)
        apply(decision)
        return decision
    }

    /// `cat`, `cp`, `rsync` or `tar` reading one file: open, read it all, close.
    mutating func cat(_ file: Int, think: Int = 1) {
        open(file)
        readWhole(file)
        close(file)
        now += think
    }

    /// Parallel readers, one file each: all open, each read whole, all closed (their
    /// files overlap in time, as parallel programs' do).
    mutating func together(_ files: [Int]) {
        for file in files { open(file) }
        for file in files { readWhole(file) }
        for file in files { close(file) }
        now += 1
    }

    mutating func expire(after ms: Int) {
        now += ms
        apply(planner.expire(at: at(now)))
    }
}

/// Sizes of recordings a backup reads: 50–200 KiB, some empty, some large.
private func recordingSizes(count: Int, seed: UInt64, empty: Int = 0, large: Int = 0) -> [UInt64] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { _ in
        let roll = Int(random.next() % 100)
        if roll < empty { return 0 }
        if roll < empty + large { return 5 * MiB + random.next() % (35 * MiB) }
        return 50 * KiB + random.next() % (150 * KiB)
    }
}

@Suite("Readahead across files")
struct CrossFileReadaheadPlannerTests {
    @Test("cat of one file, or of two not consecutive, fetches nothing ahead")
    func catAlone() {
        var harness = Harness(sizes: recordingSizes(count: 20, seed: 1))
        harness.cat(3)
        #expect(harness.planner.statistics.prefetches == 0)
        harness.cat(7)
        harness.cat(5)
        #expect(harness.planner.statistics.prefetches == 0)
        #expect(harness.planner.walkCount == 0)
    }

    @Test("two consecutive files read whole start a walk: the next four are fetched, whole when small")
    func twoFilesStartAWalk() {
        var harness = Harness(sizes: recordingSizes(count: 20, seed: 2))
        harness.cat(0)
        harness.open(1)
        #expect(harness.ahead.isEmpty)
        harness.readWhole(1)
        #expect(harness.ahead == [2: harness.sizes[2], 3: harness.sizes[3], 4: harness.sizes[4], 5: harness.sizes[5]])
        harness.close(1)
        harness.cat(2)
        #expect(harness.hits == [2])
        #expect(Set(harness.ahead.keys) == [3, 4, 5, 6])
        #expect(harness.planner.statistics.walks == 1)
    }

    @Test("FUSE's close arriving after the next open (an asynchronous release) changes nothing")
    func lateRelease() {
        var harness = Harness(sizes: recordingSizes(count: 50, seed: 16))
        harness.open(0)
        for file in 0..<49 {
            harness.readWhole(file)
            harness.open(file + 1)
            harness.close(file)
        }
        #expect(harness.hits == Array(2..<50))
        #expect(harness.planner.statistics.walks == 1)
    }

    @Test("a second open of a file joins the first; a file open elsewhere is not fetched but keeps its place")
    func sharedOpens() {
        var harness = Harness(sizes: recordingSizes(count: 20, seed: 17))
        harness.open(0)
        harness.open(0)
        harness.readWhole(0)
        harness.close(0)
        harness.open(4)  // another program holds 4 open
        harness.cat(1)
        #expect(Set(harness.ahead.keys) == [2, 3, 5])
        harness.close(0)
        harness.cat(2)
        harness.cat(3)
        #expect(Set(harness.ahead.keys) == [5, 6, 7])  // 4 still open: not fetched
        harness.close(4)
        harness.cat(4)  // in order, though not fetched ahead
        #expect(Set(harness.ahead.keys) == [5, 6, 7, 8])
        #expect(harness.hits == [2, 3])
        #expect(harness.planner.walkCount == 1)
    }

    @Test("a walk of many small files: each fetched ahead once, every open from the third a hit, the bounds kept",
          arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func seededWalk(seed: UInt64) {
        let sizes = recordingSizes(count: 300, seed: seed, empty: 3, large: 3)
        var harness = Harness(sizes: sizes, seed: seed)
        // Some sizes not probed yet when they are predicted: fetched as maxBytesPerFile.
        var random = SplitMix64(seed: seed &* 31)
        harness.unknownSizes = Set(sizes.indices.filter { sizes[$0] > 0 && random.next() % 10 == 0 })
        for file in sizes.indices { harness.cat(file, think: Int(random.next() % 20)) }
        let nonEmpty = sizes.indices.filter { sizes[$0] > 0 }
        let statistics = harness.planner.statistics
        #expect(harness.hits == Array(nonEmpty.dropFirst(2)))
        #expect(harness.everFetched == Set(nonEmpty.dropFirst(2)))
        #expect(statistics.hits == nonEmpty.count - 2)
        #expect(statistics.wasted == 0 && statistics.wastedBytes == 0)
        #expect(statistics.walks == 1)
        #expect(harness.ahead.isEmpty)
        #expect(harness.mostAhead == 4)
        #expect(harness.mostBytesAhead <= 8 * MiB)
    }

    @Test("a walker that stops half-way wastes at most the window", arguments: [1, 2, 3, 4] as [UInt64])
    func walkerStops(seed: UInt64) {
        let sizes = recordingSizes(count: 200, seed: seed, empty: 2, large: 10)
        for (files, bytes) in [(4, 8 * MiB), (8, 4 * MiB), (2, 1 * MiB)] as [(Int, UInt64)] {
            var harness = Harness(
                sizes: sizes, seed: seed,
                planner: Planner(maxFilesAhead: files, maxBytesAhead: bytes, idleTimeout: .seconds(10)))
            let stop = 50 + Int(seed) * 17
            for file in 0..<stop { harness.cat(file) }
            #expect(!harness.ahead.isEmpty)
            harness.expire(after: 10_001)
            let statistics = harness.planner.statistics
            #expect(statistics.wasted <= files)
            #expect(statistics.wastedBytes <= bytes)
            #expect(harness.ahead.isEmpty && harness.planner.bytesAhead == 0)
            #expect(harness.planner.walkCount == 0)
            #expect(statistics.hits > 0)
        }
    }

    @Test("a player reading the head then seeking, or head and tail, is no evidence")
    func player() {
        var sizes = [UInt64](repeating: 30 * MiB, count: 10)
        sizes += [UInt64](repeating: 150 * KiB, count: 10)
        var harness = Harness(sizes: sizes)
        for file in 0..<10 {
            harness.open(file)
            for offset in stride(from: UInt64(0), to: 256 * KiB, by: Int(64 * KiB)) {
                harness.read(file, offset: offset, length: 64 * KiB)
            }
            harness.read(file, offset: 20 * MiB, length: MiB)  // a seek
            for offset in stride(from: 20 * MiB + MiB, to: 30 * MiB, by: Int(MiB)) {
                harness.read(file, offset: offset, length: MiB)  // plays to the end
            }
            harness.close(file)
        }
        for file in 10..<20 {
            harness.open(file)
            harness.read(file, offset: 0, length: 16 * KiB)
            harness.read(file, offset: sizes[file] - 4 * KiB, length: 4 * KiB)
            harness.close(file)
        }
        #expect(harness.planner.statistics.prefetches == 0)
        #expect(harness.planner.walkCount == 0)
    }

    @Test("ffprobe and file reading parts of each file in walk order are no evidence")
    func partialReaders() {
        // Files larger than what is probed (a small file is read whole by ffprobe, as cat would).
        let sizes = recordingSizes(count: 30, seed: 3, large: 100)
        var harness = Harness(sizes: sizes)
        for file in sizes.indices {
            // ffprobe: the head, then the last bytes (ID3v1, a duration estimate).
            harness.open(file)
            harness.read(file, offset: 0, length: 32 * KiB)
            harness.read(file, offset: 32 * KiB, length: 96 * KiB)
            harness.read(file, offset: sizes[file] - 128, length: 128)
            harness.close(file)
            // file(1): the first block.
            harness.open(file)
            harness.read(file, offset: 0, length: 4 * KiB)
            harness.close(file)
        }
        #expect(harness.planner.statistics.prefetches == 0)
    }

    @Test("ls -l, find and stat open nothing; opens without reads (the page cache) are no evidence")
    func noOpensNoReads() {
        var harness = Harness(sizes: recordingSizes(count: 30, seed: 4))
        // ls -l / stat: lookups and getattr only, which are not events. Then re-reading
        // files whose pages are cached: opens and closes, no reads reach quofs.
        for file in 0..<30 {
            harness.open(file)
            harness.close(file)
        }
        harness.cat(12)
        #expect(harness.planner.statistics.prefetches == 0)
        #expect(harness.planner.walkCount == 0)
    }

    @Test("parallel readers opening consecutive files at once start no walk")
    func parallelReaders() {
        let sizes = [UInt64](repeating: 16 * MiB, count: 16)
        var harness = Harness(sizes: sizes)
        for file in sizes.indices { harness.open(file) }
        for offset in stride(from: UInt64(0), to: 16 * MiB, by: Int(MiB)) {
            for file in sizes.indices { harness.read(file, offset: offset, length: MiB) }
        }
        for file in sizes.indices { harness.close(file) }
        #expect(harness.planner.statistics.prefetches == 0)
    }

    @Test("random readers of whole files rarely start a walk; random partial readers never", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomReaders(seed: UInt64) {
        let sizes = recordingSizes(count: 500, seed: seed)
        var harness = Harness(sizes: sizes, seed: seed)
        harness.strictOnce = false
        var random = SplitMix64(seed: seed &* 7919)
        for _ in 0..<400 { harness.cat(Int(random.next() % 500)) }
        let statistics = harness.planner.statistics
        // One candidate at a time: a walk about once per 500 reads, each at most 4 files
        // (and at most 4 more per hit while it lasts).
        #expect(statistics.walks <= 3, "\(statistics.walks) walks from 400 random files")
        #expect(statistics.prefetches <= 4 * (statistics.walks + statistics.hits))

        // Eight parallel readers of random whole files: about eight candidates at a time.
        var parallel = Harness(sizes: sizes, seed: seed)
        parallel.strictOnce = false
        for _ in 0..<50 { parallel.together((0..<8).map { _ in Int(random.next() % 500) }) }
        let together = parallel.planner.statistics
        #expect(together.walks <= 12, "\(together.walks) walks from 400 random files")
        #expect(together.prefetches <= 4 * (together.walks + together.hits))

        // Random offsets in random files (the load test): never read whole, never a walk.
        var partial = Harness(sizes: sizes, seed: seed)
        for _ in 0..<400 {
            let file = Int(random.next() % 500)
            partial.open(file)
            for _ in 0..<3 {
                partial.read(file, offset: random.next() % sizes[file], length: 4 * KiB)
            }
            partial.close(file)
        }
        #expect(partial.planner.statistics.prefetches == 0)
    }

    @Test("`maxMisses` opens elsewhere in a row end the walk; two do not")
    func missesEndTheWalk() {
        var harness = Harness(sizes: recordingSizes(count: 100, seed: 5))
        harness.strictOnce = false
        harness.cat(0)
        harness.cat(1)
        harness.cat(2)
        #expect(Set(harness.ahead.keys) == [3, 4, 5, 6])
        // Another program reads two files elsewhere between the walker's files: two misses.
        harness.cat(50)
        harness.cat(60)
        harness.cat(3)
        #expect(harness.hits.last == 3)
        #expect(harness.planner.walkCount == 1)
        // The walker reads a whole file: the misses start again from zero.
        harness.cat(70)
        harness.cat(80)
        #expect(harness.planner.walkCount == 1)
        let ended = harness.open(90)
        #expect(ended.cancel == [4, 5, 6, 7])
        #expect(harness.planner.walkCount == 0)
        harness.readWhole(90)
        harness.close(90)
        // The walker comes back: it needs new evidence (two consecutive files).
        harness.cat(4)
        #expect(harness.hits.last == 3)
        harness.cat(5)
        #expect(Set(harness.ahead.keys) == [6, 7, 8, 9])
        #expect(harness.planner.statistics.walks == 2)
        #expect(harness.planner.statistics.wasted == 4)
    }

    @Test("a walker that moves elsewhere frees its old window as its new walk starts; one inside a file keeps it")
    func walkerMovesOn() {
        var harness = Harness(sizes: recordingSizes(count: 100, seed: 15))
        harness.cat(0)
        harness.cat(1)
        harness.cat(2)
        #expect(Set(harness.ahead.keys) == [3, 4, 5, 6])
        harness.cat(50)  // a miss
        harness.cat(51)  // 50 then 51: a walk; the old one had no event since 50 was read
        #expect(harness.cancelled == [3, 4, 5, 6])
        #expect(harness.planner.walkCount == 1)
        #expect(Set(harness.ahead.keys) == [52, 53, 54, 55])

        var busy = Harness(sizes: recordingSizes(count: 100, seed: 15))
        busy.cat(0)
        busy.cat(1)
        busy.open(2)
        busy.cat(50)
        busy.cat(51)
        #expect(busy.planner.walkCount == 2 && busy.cancelled.isEmpty)
        busy.readWhole(2)
        busy.close(2)
        busy.cat(3)
        #expect(busy.hits == [2, 3])
    }

    @Test("opens elsewhere while the walker is inside a file are not held against it")
    func busyWalker() {
        var harness = Harness(sizes: recordingSizes(count: 100, seed: 6))
        harness.cat(0)
        harness.cat(1)
        harness.open(2)
        for file in [40, 50, 60, 70, 80] { harness.cat(file) }  // while 2 is open
        harness.readWhole(2)
        harness.close(2)
        #expect(harness.planner.walkCount == 1)
        harness.cat(3)
        #expect(harness.hits == [2, 3])
    }

    @Test("the predicted files opened and read partly drain the window, and end the walk")
    func partialReadsOfTheWalk() {
        var harness = Harness(sizes: recordingSizes(count: 40, seed: 7))
        harness.cat(0)
        harness.cat(1)
        #expect(Set(harness.ahead.keys) == [2, 3, 4, 5])
        // `file *`: each predicted file opened (a hit), its head read, closed.
        for file in 2...3 {
            harness.open(file)
            harness.read(file, offset: 0, length: 4 * KiB)
            harness.close(file)
        }
        #expect(Set(harness.ahead.keys) == [4, 5])  // nothing more fetched
        harness.open(4)
        harness.read(4, offset: 0, length: 4 * KiB)
        let third = harness.close(4)
        #expect(third.cancel == [5])
        #expect(harness.planner.walkCount == 0)
        #expect(harness.planner.statistics.prefetches == 4)
    }

    @Test("a candidate lapses when the file it expects is opened and read partly")
    func candidateLapses() {
        var harness = Harness(sizes: recordingSizes(count: 20, seed: 8))
        harness.cat(0)
        harness.open(1)
        harness.read(1, offset: 0, length: 4 * KiB)
        harness.close(1)
        harness.cat(2)
        #expect(harness.planner.statistics.prefetches == 0)
        harness.cat(3)  // 2 then 3: evidence
        #expect(Set(harness.ahead.keys) == [4, 5, 6, 7])
    }

    @Test("a walk paused longer than `idleTimeout` needs new evidence")
    func idleTimeout() {
        var harness = Harness(sizes: recordingSizes(count: 40, seed: 9))
        harness.strictOnce = false
        harness.cat(0)
        harness.cat(1)
        harness.now += 10_001
        let late = harness.open(2)
        #expect(late.cancel == [2, 3, 4, 5])
        #expect(!late.fetchedAhead)
        harness.readWhole(2)
        harness.close(2)
        #expect(harness.ahead.isEmpty)
        harness.cat(3)  // 2 then 3, within the timeout
        #expect(Set(harness.ahead.keys) == [4, 5, 6, 7])
        // A timer's expire(at:) ends it too.
        harness.expire(after: 9_000)
        #expect(harness.planner.walkCount == 1)
        harness.expire(after: 1_002)
        #expect(harness.planner.walkCount == 0 && harness.ahead.isEmpty)
        // A candidate lapses as well.
        harness.cat(10)
        harness.now += 10_001
        harness.cat(11)
        #expect(harness.ahead.isEmpty)
    }

    @Test("the kernel's readahead reordering is tolerated; a read far ahead or far behind is a seek")
    func reordering() {
        var sizes = [UInt64](repeating: 6 * MiB, count: 6)
        sizes += [UInt64](repeating: 20 * MiB, count: 4)
        var harness = Harness(sizes: sizes)
        for file in 0..<2 {
            harness.open(file)
            for chunk: UInt64 in [1, 0, 3, 2, 5, 4] { harness.read(file, offset: chunk * MiB, length: MiB) }
            harness.close(file)
        }
        #expect(harness.ahead.count == 4)  // a walk: 2...5, their first 2 MiB

        var seek = Harness(sizes: sizes)
        // 6: a read 11 MiB past what was read, then the rest: not read whole in order.
        seek.open(6)
        seek.read(6, offset: 0, length: MiB)
        seek.read(6, offset: 12 * MiB, length: MiB)
        for chunk: UInt64 in 1..<20 where chunk != 12 { seek.read(6, offset: chunk * MiB, length: MiB) }
        seek.close(6)
        seek.cat(7)
        #expect(seek.planner.statistics.prefetches == 0)
        // 8: read to 12 MiB, then back to the start: a seek.
        seek.open(8)
        for chunk: UInt64 in 0..<12 { seek.read(8, offset: chunk * MiB, length: MiB) }
        seek.read(8, offset: 0, length: MiB)
        for chunk: UInt64 in 12..<20 { seek.read(8, offset: chunk * MiB, length: MiB) }
        seek.close(8)
        seek.cat(9)
        #expect(seek.planner.statistics.prefetches == 0)
        // Within the tolerances, a small file read in any order counts (as the kernel reads it).
        var small = Harness(sizes: [UInt64](repeating: 160 * KiB, count: 8))
        for file in 0..<2 {
            small.open(file)
            for piece: UInt64 in [3, 1, 4, 0, 2] { small.read(file, offset: piece * 32 * KiB, length: 32 * KiB) }
            small.close(file)
        }
        #expect(small.ahead.count == 4)
    }

    @Test("empty files are invisible: never fetched, no evidence, no miss")
    func emptyFiles() {
        let sizes: [UInt64] = [100 * KiB, 0, 100 * KiB, 0, 0, 100 * KiB, 100 * KiB, 0, 100 * KiB, 100 * KiB, 100 * KiB, 100 * KiB]
        var harness = Harness(sizes: sizes)
        for file in sizes.indices { harness.cat(file) }
        #expect(harness.hits == [5, 6, 8, 9, 10, 11])
        #expect(harness.everFetched.allSatisfy { sizes[$0] > 0 })
        #expect(harness.planner.statistics.wasted == 0)
    }

    @Test("a file fetched ahead while its size was unknown, empty after all, is passed over")
    func unknownEmpty() {
        let sizes: [UInt64] = [100 * KiB, 100 * KiB, 0, 100 * KiB, 100 * KiB, 100 * KiB, 100 * KiB, 100 * KiB]
        var harness = Harness(sizes: sizes)
        harness.unknownSizes = [2]
        harness.cat(0)
        harness.cat(1)
        #expect(harness.ahead[2] == harness.planner.maxBytesPerFile)
        harness.cat(2)
        #expect(harness.hits == [2])
        for file in 3..<sizes.count { harness.cat(file) }
        #expect(harness.hits == Array(2..<sizes.count))
        #expect(harness.planner.statistics.wasted == 0)
    }

    @Test("small files are fetched whole, counted in whole blocks")
    func singleBlockFiles() {
        let sizes: [UInt64] = [KiB, 1, 255 * KiB, 256 * KiB, 256 * KiB + 1, 3 * KiB, 7, 100 * KiB]
        var harness = Harness(sizes: sizes)
        harness.cat(0)
        harness.cat(1)
        #expect(harness.ahead == [2: 255 * KiB, 3: 256 * KiB, 4: 256 * KiB + 1, 5: 3 * KiB])
        #expect(harness.planner.bytesAhead == 5 * block)
        for file in 2..<sizes.count { harness.cat(file) }
        #expect(harness.hits == Array(2..<sizes.count))
    }

    @Test("files larger than the budget: their first part is fetched; the window stops at the first that does not fit")
    func largeFiles() {
        let sizes = [UInt64](repeating: 20 * MiB, count: 12)
        var harness = Harness(sizes: sizes)
        harness.cat(0)
        harness.cat(1)
        #expect(harness.ahead == [2: 2 * MiB, 3: 2 * MiB, 4: 2 * MiB, 5: 2 * MiB])
        #expect(harness.planner.bytesAhead == 8 * MiB)
        for file in 2..<sizes.count { harness.cat(file) }
        #expect(harness.hits == Array(2..<sizes.count))

        // 4 MiB per file, 8 MiB ahead: a large file and a small one fit; the next large one
        // does not, and the small one after it is not fetched either (the window is a prefix).
        let mixed: [UInt64] = [KiB, KiB, 30 * MiB, 100 * KiB, 30 * MiB, 100 * KiB, 100 * KiB, 100 * KiB, 100 * KiB]
        var budget = Harness(sizes: mixed, planner: Planner(maxBytesPerFile: 4 * MiB, idleTimeout: .seconds(10)))
        budget.cat(0)
        budget.cat(1)
        #expect(budget.ahead == [2: 4 * MiB, 3: 100 * KiB])
        budget.cat(2)
        #expect(budget.ahead.keys.sorted() == [3, 4, 5, 6])
        for file in 3..<mixed.count { budget.cat(file) }
        #expect(budget.hits == Array(2..<mixed.count))
    }

    @Test("the walker skipping a predicted file cancels it; the walk goes on")
    func skip() {
        var harness = Harness(sizes: recordingSizes(count: 20, seed: 10))
        harness.cat(0)
        harness.cat(1)
        let open = harness.open(3)
        #expect(open.fetchedAhead && open.cancel == [2])
        harness.readWhole(3)
        harness.close(3)
        #expect(Set(harness.ahead.keys) == [4, 5, 6, 7])
        #expect(harness.planner.statistics.wasted == 1)
    }

    @Test("where the walk order is not known yet, the next open asks again")
    func unknownNextDirectory() {
        var harness = Harness(sizes: recordingSizes(count: 20, seed: 11))
        harness.knownEnd = 8  // the directory of 8...19 is not listed yet
        for file in 0..<8 { harness.cat(file) }
        #expect(harness.ahead.isEmpty)
        harness.knownEnd = 20  // listed now
        let open = harness.open(8)
        #expect(open.isEmpty && !open.fetchedAhead)
        harness.readWhole(8)
        #expect(Set(harness.ahead.keys) == [9, 10, 11, 12])
        harness.close(8)
        for file in 9..<20 { harness.cat(file) }
        #expect(harness.planner.statistics.walks == 1)
        #expect(harness.hits == Array(2..<8) + Array(9..<20))

        // The same for evidence: the first file's successor unknown when it is read.
        var evidence = Harness(sizes: recordingSizes(count: 20, seed: 12))
        evidence.knownEnd = 5
        evidence.cat(4)
        evidence.knownEnd = 20
        evidence.cat(5)
        #expect(Set(evidence.ahead.keys) == [6, 7, 8, 9])
    }

    @Test("a directory listed while a walk waits at the end of the known order: the walk fetches into it at once")
    func listedWhileWalking() {
        var harness = Harness(sizes: recordingSizes(count: 20, seed: 14))
        harness.knownEnd = 8
        for file in 0..<8 { harness.cat(file) }
        #expect(harness.ahead.isEmpty)
        // Listed before the walker gets there (a cold copy: listings arrive as it goes).
        harness.knownEnd = 12
        let sizes = harness.sizes
        let decision = harness.planner.listed(at: at(harness.now), following: { file, count in
            Harness.following(file, count, sizes: sizes, knownEnd: 12, unknown: [])
        })
        harness.apply(decision)
        #expect(Set(harness.ahead.keys) == [8, 9, 10, 11])
        harness.knownEnd = 20
        for file in 8..<20 { harness.cat(file) }
        #expect(harness.hits == Array(2..<8) + Array(8..<20))
        #expect(harness.planner.statistics.walks == 1 && harness.planner.statistics.wasted == 0)

        // Nothing for a walk with a miss since its last file read whole, nor with no walk.
        var partial = Harness(sizes: recordingSizes(count: 20, seed: 15))
        partial.knownEnd = 4
        for file in 0..<4 { partial.cat(file) }
        partial.open(4)
        partial.close(4)
        partial.knownEnd = 20
        let partialSizes = partial.sizes
        let none1 = partial.planner.listed(at: at(partial.now), following: { file, count in
            Harness.following(file, count, sizes: partialSizes, knownEnd: 20, unknown: [])
        })
        #expect(none1.prefetch.isEmpty)
        var none = Planner(idleTimeout: .seconds(10))
        #expect(none.listed(at: at(0), following: { _, _ in [Planner.NextFile(1, size: 10)] }).isEmpty)
    }

    @Test("a failed fetch ahead frees its bytes and is not asked for again")
    func failedFetch() {
        var harness = Harness(sizes: recordingSizes(count: 20, seed: 13))
        harness.cat(0)
        harness.cat(1)
        harness.planner.prefetchFailed(3)
        harness.ahead[3] = nil
        harness.check()
        #expect(harness.planner.statistics.failures == 1)
        harness.cat(2)
        #expect(Set(harness.ahead.keys) == [4, 5, 6])  // 3 keeps its place, unfetched
        let open = harness.open(3)
        #expect(!open.fetchedAhead && open.isEmpty)
        harness.readWhole(3)
        harness.close(3)
        #expect(Set(harness.ahead.keys) == [4, 5, 6, 7])
        #expect(harness.planner.walkCount == 1)
    }

    @Test("parallel walkers each get a walk, within one budget", arguments: [1, 2, 3] as [UInt64])
    func interleavedWalkers(seed: UInt64) {
        let sizes = recordingSizes(count: 400, seed: seed, large: 5)
        // Four walkers, each over its quarter, their files open at once (as parallel
        // programs' are): each walker's open and reads, then each one's close.
        var harness = Harness(sizes: sizes, seed: seed, planner: Planner(maxBytesAhead: 4 * MiB, idleTimeout: .seconds(10)))
        for step in 0..<90 { harness.together([0, 100, 200, 300].map { $0 + step }) }
        #expect(harness.planner.statistics.walks == 4)
        #expect(harness.mostBytesAhead <= 4 * MiB)
        #expect(harness.planner.statistics.hits >= 4 * 70, "\(harness.planner.statistics.hits) hits")
        #expect(harness.planner.statistics.wasted == 0)

        // Two walkers out of phase: each asks for its file while the other waits for its own.
        var alternating = Harness(sizes: sizes, seed: seed)
        alternating.open(0)
        for step in 0..<100 {
            alternating.readWhole(step)
            alternating.open(200 + step)
            alternating.readWhole(200 + step)
            alternating.close(step)
            alternating.open(step + 1)
            alternating.close(200 + step)
            alternating.now += 1
        }
        #expect(alternating.planner.statistics.walks == 2)
        #expect(alternating.planner.statistics.hits == 2 * 98 + 1)
    }

    @Test("more walkers than `maxWalks`: the least recently active walk ends")
    func tooManyWalkers() {
        var harness = Harness(sizes: recordingSizes(count: 300, seed: 14), planner: Planner(idleTimeout: .seconds(10), maxWalks: 2))
        harness.together([0, 100, 200])
        harness.together([1, 101, 201])  // a third walk: the least recently active (0's) ends
        #expect(harness.cancelled == [2, 3, 4, 5])
        #expect(harness.planner.walkCount == 2)
        #expect(Set(harness.ahead.keys) == [102, 103, 104, 105, 202, 203, 204, 205])
    }
}
