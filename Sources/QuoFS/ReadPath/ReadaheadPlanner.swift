/// Decides, for each read of one open file, which blocks the read needs and which to
/// fetch ahead. A pure state machine (no I/O, no clock), tested alone.
///
/// A reader whose reads follow on from the previous ones is sequential: its readahead
/// window grows sixteenfold per read (``growth``) up to `maxWindow` blocks, so a player or
/// rsync never waits for one round trip per kernel request. "Follow on" allows for
/// the kernel's own readahead, whose parallel requests arrive out of order and up to its
/// readahead size ahead: a read up to `backwardTolerance` behind or `forwardTolerance`
/// (or the window, if larger) ahead of the expected offset still counts, once the reader
/// streams (its window is open); a reader not yet streaming must read at the expected
/// offset, give or take its read's size. A read elsewhere (a seek) resets the window to
/// zero, so small random reads fetch only their blocks, even when some land close together.
///
/// A sequential read of at least `streamingReadSize` bytes (the kernel's largest FUSE
/// request: what its readahead sends for a program that streams) starts the window at
/// four times the read rather than one block: such a reader is nearly always streaming,
/// and its first reads arrive together, so a window grown only per read would stay small
/// for a whole first-byte latency. With the defaults (1 MiB reads, 256 KiB blocks, a
/// 256-block window) the kernel's first two reads, which arrive together, put the whole
/// window in flight: 16 blocks, then 256. With eightfold growth the second read reached
/// only 128 blocks, and the rest of the window waited for the kernel's third read, a
/// first-byte latency later (measured: cold 64 MiB read 554 → 614 MB/s at 30 ms latency,
/// 257 → 346 at 100 ms, no worse at 0 ms; docs/READ-PATH.md).
struct ReadaheadPlanner: Sendable {
    /// How much a sequential reader's window grows per read.
    static let growth = 16

    struct Plan: Equatable, Sendable {
        /// Blocks the read itself covers.
        var needed: Range<Int>
        /// The readahead window: blocks to have cached or coming (those already are, are
        /// skipped by the cache).
        var prefetch: Range<Int>
    }

    let blockSize: Int
    let fileSize: UInt64
    let maxWindow: Int
    let backwardTolerance: UInt64
    let streamingReadSize: Int
    let forwardTolerance: UInt64

    private(set) var window = 0
    private var expectedOffset: UInt64 = 0

    init(
        blockSize: Int, fileSize: UInt64, maxWindow: Int,
        backwardTolerance: UInt64 = 8 << 20, forwardTolerance: UInt64 = 8 << 20, streamingReadSize: Int = 1 << 20
    ) {
        precondition(blockSize > 0 && maxWindow >= 0)
        self.blockSize = blockSize
        self.fileSize = fileSize
        self.maxWindow = maxWindow
        self.backwardTolerance = backwardTolerance
        self.streamingReadSize = streamingReadSize
        self.forwardTolerance = forwardTolerance
    }

    var blockCount: Int {
        Int((fileSize + UInt64(blockSize) - 1) / UInt64(blockSize))
    }

    mutating func plan(offset: UInt64, size: Int) -> Plan {
        guard offset < fileSize, size > 0 else { return Plan(needed: 0..<0, prefetch: 0..<0) }
        let end = min(offset + UInt64(size), fileSize)
        let first = Int(offset / UInt64(blockSize))
        let last = Int((end - 1) / UInt64(blockSize))

        // The wide tolerances hold only for a reader already streaming (window > 0); until
        // then a read must touch the expected offset (within its own size), so scattered
        // small reads that happen to land near each other never grow a window.
        let back = window > 0 ? backwardTolerance : UInt64(size)
        let ahead = window > 0 ? max(UInt64(window * blockSize), forwardTolerance) : UInt64(size)
        let lowest = expectedOffset > back ? expectedOffset - back : 0
        let highest = expectedOffset + ahead
        let sequential = offset >= lowest && offset <= highest
        if sequential {
            let start = size >= streamingReadSize ? 4 * (last + 1 - first) : 1
            window = min(max(window * Self.growth, start), maxWindow)
        } else {
            window = 0
        }
        expectedOffset = max(end, sequential ? expectedOffset : 0)

        // The whole window after the read: the block cache skips what is already cached
        // or coming, so the window is topped up, never fetched twice.
        let prefetchEnd = min(last + 1 + window, blockCount)
        let prefetch = last + 1 < prefetchEnd ? (last + 1)..<prefetchEnd : (last + 1)..<(last + 1)
        return Plan(needed: first..<(last + 1), prefetch: prefetch)
    }
}
