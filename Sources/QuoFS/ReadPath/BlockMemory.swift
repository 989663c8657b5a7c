import Dispatch
import FUSE
import Glibc
import Synchronization

/// Memory for cached blocks: slots of one block each, cut from 2 MiB chunks mapped
/// straight from the system (aligned, so that they can be transparent huge pages).
///
/// Why not arrays from malloc: every fresh 256 KiB block cost its own mapping, unmapped
/// again on eviction, and 64 page faults, each zeroing and charging a 4 KiB page: about
/// a quarter of the daemon's CPU time while streaming. Here a freed slot is reused as it
/// is, already faulted in. With `hugePages`, a chunk also asks for one huge page, which
/// costs one fault instead of 512 (see ``QuoFSConfiguration/hugePages`` for why that is
/// not the default).
///
/// Fresh memory is prepared ahead: once the arena has grown past its first chunk, a
/// background thread maps and faults in spare chunks, up to `preparedBytes`, so the HTTP
/// client's event loop, which fills blocks as bytes arrive, takes memory that is ready
/// instead of stopping for a page fault every 4 KiB (and faulting 2 MiB in one `madvise`
/// costs less than 512 separate faults). docs/READ-PATH.md has the measurements.
///
/// Bounded: a new chunk is mapped only when every chunk in use is full and no spare is
/// left. Spares are prepared, or wholly freed chunks kept as spares, only up to
/// `preparedBytes` and while the arena maps at most `limitBytes` (the block cache's
/// budget) less those spares; beyond that, one spare is kept against churn at the edge
/// and other free chunks go back to the system, so near the limit the arena maps what
/// live blocks need and no more. So the mapped bytes never exceed the most bytes of live
/// blocks there have been plus one chunk, or `limitBytes`, whichever is more; the block
/// cache keeps live blocks within its budget.
final class BlockArena: Sendable {
    /// The transparent huge page size on x86-64 and arm64 with 4 KiB pages.
    static let hugePageBytes = 2 << 20

    let slotBytes: Int
    let chunkBytes: Int
    let slotsPerChunk: Int
    let hugePages: Bool
    private let preparedChunks: Int
    /// Most chunks mapped (in use, spare or being prepared) while spares beyond the one
    /// kept against churn are prepared or kept: `limitBytes` less the spares, so that
    /// near the limit the arena maps no more than its live blocks need.
    private let spareLimit: Int
    private let state = Mutex(State())
    private let preparer = DispatchQueue(label: "quofs.block-memory")

    private struct Chunk {
        let base: UnsafeMutableRawPointer
        var freeSlots: [Int]
    }

    private struct State {
        /// Chunks with at least one block in use.
        var chunks: [Int: Chunk] = [:]
        /// Chunk ids by their number of free slots (index 0 unused: full chunks are in
        /// no bucket), so an allocation finds the fullest chunk with room at once.
        var byFreeSlots: [Set<Int>] = []
        /// Wholly free chunks, faulted in, ready for use (as addresses, to be `Sendable`).
        var spares: [UInt] = []
        var preparing = 0
        var nextID = 0
    }

    /// `preparedBytes` of spare memory are prepared ahead (rounded down to chunks);
    /// `limitBytes` bounds what the arena maps of its own choice (see above).
    init(slotBytes: Int, hugePages: Bool = false, preparedBytes: Int = 0, limitBytes: Int = .max) {
        precondition(slotBytes > 0 && preparedBytes >= 0)
        self.slotBytes = slotBytes
        self.hugePages = hugePages
        let hugePage = Self.hugePageBytes
        chunkBytes = (slotBytes + hugePage - 1) / hugePage * hugePage
        slotsPerChunk = chunkBytes / slotBytes
        preparedChunks = preparedBytes / chunkBytes
        spareLimit = max(0, limitBytes / chunkBytes - preparedChunks)
        state.withLock { $0.byFreeSlots = Array(repeating: [], count: slotsPerChunk) }
    }

    /// Every block holds its arena, and so does a preparation under way: when the arena
    /// goes, no block is left and nothing is being prepared.
    deinit {
        let bases = state.withLock { $0.chunks.values.map { UInt(bitPattern: $0.base) } + $0.spares }
        for base in bases { unmapChunk(base) }
    }

    /// An empty block of `slotBytes` capacity.
    func allocate() throws -> Block {
        try state.withLock { state in
            // The fullest chunk with a free slot, so that emptier chunks can drain and go.
            var found: Int?
            for free in 1..<state.byFreeSlots.count where !state.byFreeSlots[free].isEmpty {
                found = state.byFreeSlots[free].first
                break
            }
            let id: Int
            if let found {
                id = found
            } else {
                id = state.nextID
                state.nextID += 1
                let base = try state.spares.popLast().flatMap(UnsafeMutableRawPointer.init(bitPattern:)) ?? mapChunk()
                state.chunks[id] = Chunk(base: base, freeSlots: Array((0..<slotsPerChunk).reversed()))
                prepareSpares(&state)
            }
            var chunk = state.chunks[id]!
            if chunk.freeSlots.count < slotsPerChunk { state.byFreeSlots[chunk.freeSlots.count].remove(id) }
            let slot = chunk.freeSlots.removeLast()
            if !chunk.freeSlots.isEmpty { state.byFreeSlots[chunk.freeSlots.count].insert(id) }
            state.chunks[id] = chunk
            return Block(arena: self, chunk: id, slot: slot, base: chunk.base + slot * slotBytes)
        }
    }

    /// Bytes mapped from the system for blocks, spares included.
    var mappedBytes: Int {
        state.withLock { $0.chunks.count + $0.spares.count } * chunkBytes
    }

    /// Bytes of spare chunks, ready for use.
    var spareBytes: Int {
        state.withLock { $0.spares.count } * chunkBytes
    }

    /// Waits until the spares asked for so far are prepared (for tests).
    func waitForSpares() {
        preparer.sync {}
    }

    /// Called by a block when its last reference goes.
    fileprivate func release(chunk id: Int, slot: Int) {
        let unmap: UInt? = state.withLock { state in
            guard var chunk = state.chunks[id] else { preconditionFailure("block of an unknown chunk") }
            if !chunk.freeSlots.isEmpty { state.byFreeSlots[chunk.freeSlots.count].remove(id) }
            chunk.freeSlots.append(slot)
            guard chunk.freeSlots.count == slotsPerChunk else {
                state.byFreeSlots[chunk.freeSlots.count].insert(id)
                state.chunks[id] = chunk
                return nil
            }
            state.chunks[id] = nil
            return shelve(UInt(bitPattern: chunk.base), &state)
        }
        unmapChunk(unmap)
    }

    /// Takes a wholly free chunk (no block left in it, or just prepared): kept as a spare,
    /// already faulted in, when there is no spare yet (against churn at the edge) or when
    /// spares are wanted and the arena is within the limit for them; otherwise returned,
    /// to be unmapped. Called with the state locked, the chunk in neither `chunks` nor
    /// `spares`.
    private func shelve(_ base: UInt, _ state: inout State) -> UInt? {
        let spares = state.spares.count + state.preparing
        let mapped = state.chunks.count + spares + 1
        guard state.spares.isEmpty || (spares < preparedChunks && mapped <= spareLimit) else { return base }
        state.spares.append(base)
        return nil
    }

    private func unmapChunk(_ base: UInt?) {
        if let base { munmap(UnsafeMutableRawPointer(bitPattern: base), chunkBytes) }
    }

    /// Starts preparing spares in the background, up to `preparedChunks` and within the
    /// limit, once the arena has grown past its first chunk: the first reads, which one
    /// chunk holds, do not set off work that would compete with them for the CPU
    /// (measured: +1–3 ms to the first byte). Called with the state locked.
    private func prepareSpares(_ state: inout State) {
        while state.chunks.count > 1, state.spares.count + state.preparing < preparedChunks,
              state.chunks.count + state.spares.count + state.preparing < spareLimit {
            state.preparing += 1
            preparer.async { self.prepareSpare() }
        }
    }

    private func prepareSpare() {
        let base = try? mapChunk()
        if let base, madvise(base, chunkBytes, MADV_POPULATE_WRITE) != 0 {
            // Before Linux 5.14: fault the pages in by touching them.
            for offset in stride(from: 0, to: chunkBytes, by: Int(getpagesize())) {
                base.storeBytes(of: 0, toByteOffset: offset, as: UInt8.self)
            }
        }
        // Chunks mapped for blocks meanwhile (the event loop does not wait for this one)
        // may have taken the arena past the limit for spares: then it goes again.
        let address = base.map { UInt(bitPattern: $0) }
        let unmap: UInt? = state.withLock { state in
            state.preparing -= 1
            return address.flatMap { shelve($0, &state) }
        }
        unmapChunk(unmap)
    }

    /// Maps a chunk aligned to the huge page size (so the kernel can back it with huge
    /// pages), asking for them if `hugePages`; without them it works with small pages.
    private func mapChunk() throws -> UnsafeMutableRawPointer {
        let hugePage = Self.hugePageBytes
        let length = chunkBytes + hugePage
        guard let raw = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != MAP_FAILED
        else {
            throw RecordingHostError.unavailable("cannot map \(chunkBytes) bytes for blocks (errno \(errno))")
        }
        let address = UInt(bitPattern: raw)
        let aligned = (address + UInt(hugePage) - 1) & ~UInt(hugePage - 1)
        let head = Int(aligned - address)
        if head > 0 { munmap(raw, head) }
        let tail = length - head - chunkBytes
        let base = raw + head
        if tail > 0 { munmap(base + chunkBytes, tail) }
        if hugePages { _ = madvise(base, chunkBytes, MADV_HUGEPAGE) }
        return base
    }
}

/// The bytes of one block, in a slot of a ``BlockArena`` that is returned when the last
/// reference goes.
///
/// Filled once, by the stream that fetches it (``append(_:)``, on the HTTP client's event
/// loop), and only read after it has been handed over through a lock or a continuation,
/// which orders the writes before every read: hence `@unchecked Sendable`.
final class Block: @unchecked Sendable {
    private let arena: BlockArena
    private let chunk: Int
    private let slot: Int
    private let base: UnsafeMutableRawPointer
    private(set) var count = 0

    fileprivate init(arena: BlockArena, chunk: Int, slot: Int, base: UnsafeMutableRawPointer) {
        self.arena = arena
        self.chunk = chunk
        self.slot = slot
        self.base = base
    }

    var capacity: Int { arena.slotBytes }

    deinit {
        arena.release(chunk: chunk, slot: slot)
    }

    /// Appends `bytes` after the bytes already there; they must fit.
    func append(_ bytes: UnsafeRawBufferPointer) {
        precondition(count + bytes.count <= capacity, "block overflow")
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// A copy of the bytes (for tests and checks, not the read path).
    var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }
}

/// Part of a block, handed to the FUSE reply without a copy (it keeps the block alive).
struct BlockSlice: ReplyBytes {
    let block: Block
    let range: Range<Int>

    var count: Int { range.count }

    func withReplyBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        block.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }
}
