/// Decides, for each read of one open file, which blocks the read needs and which to
/// fetch ahead. A pure state machine (no I/O, no clock), tested alone.
///
/// A reader whose reads follow on from the previous ones (allowing for the kernel
/// delivering readahead slightly out of order) is sequential: its readahead window
/// doubles per read up to `maxWindow` blocks, so a player or rsync never waits for one
/// round trip per kernel request. A read elsewhere (a seek) resets the window to zero, so
/// small random reads fetch only the blocks they touch.
struct ReadaheadPlanner: Sendable {
    struct Plan: Equatable, Sendable {
        /// Blocks the read itself covers.
        var needed: Range<Int>
        /// Blocks to start fetching in the background.
        var prefetch: Range<Int>
    }

    let blockSize: Int
    let fileSize: UInt64
    let maxWindow: Int
    /// How far behind the expected offset a read may land and still count as sequential
    /// (the kernel's parallel readahead requests can arrive out of order).
    let tolerance: UInt64

    private(set) var window = 0
    private var expectedOffset: UInt64 = 0
    /// First block not yet requested by readahead.
    private var prefetchedUpTo = 0

    init(blockSize: Int, fileSize: UInt64, maxWindow: Int, tolerance: UInt64 = 1 << 20) {
        precondition(blockSize > 0 && maxWindow >= 0)
        self.blockSize = blockSize
        self.fileSize = fileSize
        self.maxWindow = maxWindow
        self.tolerance = tolerance
    }

    var blockCount: Int {
        Int((fileSize + UInt64(blockSize) - 1) / UInt64(blockSize))
    }

    mutating func plan(offset: UInt64, size: Int) -> Plan {
        guard offset < fileSize, size > 0 else { return Plan(needed: 0..<0, prefetch: 0..<0) }
        let end = min(offset + UInt64(size), fileSize)
        let first = Int(offset / UInt64(blockSize))
        let last = Int((end - 1) / UInt64(blockSize))

        let lowest = expectedOffset > tolerance ? expectedOffset - tolerance : 0
        let highest = expectedOffset + UInt64(max(window, 1) * blockSize)
        let sequential = offset >= lowest && offset <= highest
        if sequential {
            window = min(max(window * 2, 1), maxWindow)
        } else {
            window = 0
            prefetchedUpTo = last + 1
        }
        expectedOffset = max(end, sequential ? expectedOffset : 0)

        let prefetchStart = max(last + 1, prefetchedUpTo)
        let prefetchEnd = min(last + 1 + window, blockCount)
        let prefetch = prefetchStart < prefetchEnd ? prefetchStart..<prefetchEnd : prefetchStart..<prefetchStart
        prefetchedUpTo = max(prefetchedUpTo, prefetch.upperBound)
        return Plan(needed: first..<(last + 1), prefetch: prefetch)
    }
}
