/// Decides which files to start fetching before they are opened, ahead of a program that
/// reads a whole tree file after file (`rsync -a`, `cp -r`, `tar`). A pure state machine
/// (no I/O; the caller passes the time and, when asked, the walk order), tested alone.
/// docs/READ-PATH.md ("Readahead across files") says when it starts and stops.
///
/// A backup reads thousands of small recordings one after another, and each cold one
/// waits for the recording host's first byte before anything moves. Fetching the next few
/// files while the walker reads the current one hides that wait. A program that reads
/// files partly (a player, `ffprobe`, `file`), lists them (`ls -l`, `find`, `stat`: no
/// opens at all) or reads at random must cost nothing, so nothing is fetched ahead until
/// the reads themselves show a walk:
///
/// 1. **Whole reads.** A file is *read whole* when its reads have covered every byte from
///    0 to its size, each read starting no further than `forwardTolerance` past the bytes
///    read so far without a gap nor more than `backwardTolerance` before them (the
///    kernel's readahead sends parallel requests that arrive out of order; anything else
///    is a seek, and the file is not read whole on this open). A file opened and closed
///    without that (a player reading the head and seeking, `ffprobe`, `file`, a file
///    served from the page cache) is never evidence. Files of size 0 are invisible: their
///    opens are ignored, and they are dropped from the walk order (one fetched ahead while
///    its size was unknown is a hit when opened, and moves the walk on).
/// 2. **Evidence.** A walk is evident when a file B is read whole, B was opened after a
///    file A was read whole, and B is the first file after A in walk order (as the
///    caller's `following` said when A was read whole, or when B was opened). One file
///    read whole (`cat`, a player reading a small file) fetches nothing: a guess after one
///    file would save at most one first-byte wait per walk, but would fetch a file for
///    every whole read that is not a walk (`cat`, a load test reading whole files at
///    random). Each whole read not part of a walk becomes a *candidate* (the start of a
///    possible walk). A candidate lapses when a file opened after the candidate's own
///    file was closed, not the one it expects, is read whole while the expected one is
///    not open: its reader (a program reads one file at a time) has gone elsewhere. So a
///    reader of random whole files keeps about one candidate and starts a walk about once
///    in as many reads as there are files, while parallel walkers keep theirs (another
///    walker's file is opened in the instant between a walker's close and its next open
///    only by chance: FUSE even sends the close after the next open, often). At most
///    `2 × maxWalks` candidates are kept, the oldest dropped first.
/// 3. **Window.** At each file of a walk read whole, the caller's `following` gives the
///    files after the walker's position (the last file of the walk it opened); of those,
///    the first `maxFilesAhead` are the walk's *order*. Each is fetched ahead, from offset 0:
///    the whole file if it is at most `maxBytesPerFile`, else its first `maxBytesPerFile`
///    (whole blocks); in order, until one does not fit in `maxBytesAhead`. A file already
///    fetched ahead (by any walk), currently open, or whose fetch ahead failed is not
///    fetched, but keeps its place. Bytes ahead count whole blocks (what the block cache
///    reserves), for every walk together: at most `maxBytesAhead` across all walks, so
///    interleaved walkers share one budget. Opening a file of the order moves the walk
///    there (files of the order before it were skipped: their fetches are cancelled);
///    nothing more is fetched until that file is read whole, so a program that opens the
///    predicted files and reads them partly drains the window instead of moving it.
/// 4. **Stop.** A walk ends (its fetches ahead not yet opened are cancelled) after
///    `maxMisses` *misses* in a row, none of its files read whole in between: a miss is a
///    file of the walk closed without having been read whole, or an open of a file that no
///    walk or candidate expects while none of the walk's files is open (while its walker
///    is inside a file, the open is another program's). Opens another walk expects are no
///    misses, so parallel walkers do not end each other's walks by misses. A walk also
///    ends when a new walk starts and it has had no event, and has no file open, since the
///    new walk's first file was read whole: its walker has left it for the new one (two
///    files read whole elsewhere), and its budget is freed at once. And after
///    `idleTimeout` with no open, read or close of its files (judged at the next call, or
///    at ``expire(at:)``); and, when a new walk starts with `maxWalks` walking, the least
///    recently active one. A candidate lapses after `idleTimeout`, and when the file it
///    expects is opened and closed without being read whole. After a walk ends, only new
///    evidence starts one.
/// 5. **Memory.** A record per open file, at most `maxWalks` walks and `2 × maxWalks`
///    candidates, each with at most `maxFilesAhead` files: bounded whatever the tree.
///
/// What a wrong guess costs: a walker that stops (or `cat` of two consecutive files) leaves
/// at most `maxFilesAhead` files, at most `maxBytesAhead` bytes, fetched ahead and never read.
struct CrossFileReadaheadPlanner<File: Hashable & Sendable, Instant: InstantProtocol>: Sendable {
    /// A file after another in walk order, as the caller knows it.
    struct NextFile: Equatable, Sendable {
        var file: File
        /// Its size, or nil when not known yet (then the first `maxBytesPerFile` bytes are
        /// fetched, and counted, as if it were that long).
        var size: UInt64?

        init(_ file: File, size: UInt64?) {
            self.file = file
            self.size = size
        }
    }

    /// Fetch bytes `0..<length` of `file` ahead (fewer if the file is shorter: its size was
    /// not known), at background priority.
    struct Prefetch: Equatable, Sendable {
        var file: File
        var length: UInt64
    }

    /// What to do after an event.
    struct Decision: Equatable, Sendable {
        /// Fetches ahead to start now.
        var prefetch: [Prefetch] = []
        /// Fetches ahead returned earlier that are no longer wanted (the walk skipped them
        /// or ended): stop them if still under way. Blocks already cached may stay.
        var cancel: [File] = []
        /// Only from ``opened(_:size:at:following:)``: the file was fetched ahead (a hit).
        var fetchedAhead = false

        var isEmpty: Bool { prefetch.isEmpty && cancel.isEmpty }
    }

    /// Counters for documentation, status and tests.
    struct Statistics: Equatable, Sendable {
        /// Files returned to fetch ahead, and the bytes asked for.
        var prefetches = 0
        var prefetchedBytes: UInt64 = 0
        /// Opens of a file fetched ahead.
        var hits = 0
        /// Fetches ahead cancelled before their file was opened, and their bytes.
        var wasted = 0
        var wastedBytes: UInt64 = 0
        /// Fetches ahead reported failed.
        var failures = 0
        /// Walks started by evidence.
        var walks = 0
    }

    /// Most files fetched ahead of one walker.
    let maxFilesAhead: Int
    /// Most bytes fetched ahead and not yet opened, all walks together (whole blocks).
    let maxBytesAhead: UInt64
    /// Most bytes fetched ahead of one file: a whole number of blocks, at least one.
    let maxBytesPerFile: UInt64
    /// The block cache's block: what bytes ahead are counted in.
    let blockSize: UInt64
    /// A walk, or a candidate, with no event for this long has ended.
    let idleTimeout: Instant.Duration
    /// Misses in a row that end a walk.
    let maxMisses: Int
    /// Most walks at once (and twice as many candidates).
    let maxWalks: Int
    /// How far a read may start past the bytes read so far, or before them, and still be
    /// in order (the kernel's readahead: up to 4 MiB here, its requests out of order).
    let forwardTolerance: UInt64
    let backwardTolerance: UInt64
    private(set) var statistics = Statistics()
    /// Bytes fetched ahead and not yet opened, in whole blocks, all walks together.
    private(set) var bytesAhead: UInt64 = 0

    private var openFiles: [File: OpenFile] = [:]
    private var walks: [Walk] = []
    private var candidates: [Candidate] = []
    /// Files fetched ahead and not yet opened, cancelled or failed.
    private var ahead: [File: Ahead] = [:]
    private var nextID = 0
    /// Events so far (opens, reads, closes): orders what happened when instants tie.
    private var events = 0

    init(
        maxFilesAhead: Int = 4, maxBytesAhead: UInt64 = 8 << 20, maxBytesPerFile: UInt64? = nil,
        blockSize: UInt64 = 256 << 10, idleTimeout: Instant.Duration, maxMisses: Int = 3, maxWalks: Int = 8,
        forwardTolerance: UInt64 = 8 << 20, backwardTolerance: UInt64 = 8 << 20
    ) {
        precondition(maxFilesAhead >= 0 && blockSize > 0 && maxMisses >= 1 && maxWalks >= 1)
        let perFile = maxBytesPerFile ?? maxBytesAhead / UInt64(max(1, maxFilesAhead))
        self.maxFilesAhead = maxFilesAhead
        self.maxBytesAhead = maxBytesAhead
        self.maxBytesPerFile = max(blockSize, perFile / blockSize * blockSize)
        self.blockSize = blockSize
        self.idleTimeout = idleTimeout
        self.maxMisses = maxMisses
        self.maxWalks = maxWalks
        self.forwardTolerance = forwardTolerance
        self.backwardTolerance = backwardTolerance
    }

    /// Files fetched ahead and not yet opened, all walks together.
    var filesAhead: Int { ahead.count }
    /// Walks under way (evident, not ended).
    var walkCount: Int { walks.count }
    /// The bytes of `file` being fetched ahead (from offset 0), if it is fetched ahead and
    /// not yet opened.
    func lengthAhead(_ file: File) -> UInt64? { ahead[file]?.length }

    // MARK: - Events

    /// A program opened `file` (of `size` bytes) to read it. `following(file, count)` must
    /// return up to `count` files after `file` in walk order (see ``read(_:offset:length:at:following:)``);
    /// it is called here only when a walk's known order had run out.
    mutating func opened(
        _ file: File, size: UInt64, at now: Instant, following: (File, Int) -> [NextFile]
    ) -> Decision {
        var decision = expire(at: now)
        guard size > 0 || ahead[file] != nil else { return decision }
        events += 1
        if openFiles[file] != nil {
            // A second open joins the first: its reads count with the first's.
            openFiles[file]!.opens += 1
            return decision
        }
        var record = OpenFile(size: size, openedAt: events)

        if let entry = ahead[file], let w = walkIndex(entry.walk),
           let place = walks[w].order.firstIndex(where: { $0.file == file }) {
            // Fetched ahead: a hit, and the walk moves on to it.
            ahead[file] = nil
            bytesAhead -= entry.cost
            statistics.hits += 1
            decision.fetchedAhead = true
            move(walk: w, past: place, at: now, into: &decision)
            record.owner = .walk(walks[w].id)
        } else if let (w, place) = walkInOrder(file) {
            // In a walk's order but not fetched ahead (no room, open then, or its fetch failed).
            move(walk: w, past: place, at: now, into: &decision)
            record.owner = .walk(walks[w].id)
        } else if let c = candidates.lastIndex(where: { $0.next == file }) {
            candidates[c].lastActivity = now
            record.owner = .candidate(candidates[c].id)
        } else if let owner = reaskOpenEnded(for: file, at: now, following: following, into: &decision) {
            record.owner = owner
        }

        // Fetched ahead while its size was unknown, and empty: nothing to read.
        guard size > 0 else { return decision }
        if record.owner == nil {
            // Expected by no walk nor candidate: a miss for every walk with none of its
            // files open (while its walker is inside a file, the open is someone else's).
            var index = walks.count - 1
            while index >= 0 {
                if !isBusy(walk: walks[index].id) {
                    walks[index].misses += 1
                    if walks[index].misses >= maxMisses { endWalk(at: index, into: &decision) }
                }
                index -= 1
            }
        }
        openFiles[file] = record
        return decision
    }

    /// The kernel asked for `length` bytes of `file` at `offset`. When this read leaves
    /// the file read whole, `following(file, count)` is called once: it must return up to
    /// `count` files that follow `file` in walk order (the next names of its directory's
    /// listing, then the first files of the next directories in the order the walker
    /// lists them), as far as known without any I/O, stopping at the first directory whose
    /// listing is not known. Files of size 0 may be left out. It is called synchronously
    /// and must not call the planner.
    mutating func read(
        _ file: File, offset: UInt64, length: Int, at now: Instant, following: (File, Int) -> [NextFile]
    ) -> Decision {
        var decision = expire(at: now)
        guard var record = openFiles[file] else { return decision }
        events += 1
        touch(record.owner, at: now)
        let completed = record.read(
            offset: offset, length: length, forward: forwardTolerance, backward: backwardTolerance)
        openFiles[file] = record
        guard completed else { return decision }

        // A file opened after a candidate's file was closed, read whole, not the one it
        // expects, while that one is not open: the candidate's reader went elsewhere (rule 2).
        var lapsed: Set<Int> = []
        for candidate in candidates where record.owner != .candidate(candidate.id) {
            guard let closed = candidate.closedAt, closed < record.openedAt else { continue }
            if candidate.next.flatMap({ openFiles[$0]?.owner }) != .candidate(candidate.id) { lapsed.insert(candidate.id) }
        }
        candidates.removeAll { lapsed.contains($0.id) }

        switch record.owner {
        case .walk(let id):
            if let w = walkIndex(id) {
                walks[w].misses = 0
                refill(walk: w, following: following, into: &decision)
                return decision
            }
        case .candidate(let id):
            if let c = candidates.firstIndex(where: { $0.id == id }) {
                let candidate = candidates.remove(at: c)
                startWalk(at: file, since: candidate.created, now: now, following: following, into: &decision)
                return decision
            }
        case nil:
            break
        }
        // Read whole, and part of no walk: the start of a possible one.
        let after = following(file, maxFilesAhead).filter { $0.size != 0 && $0.file != file }
        candidates.removeAll { $0.position == file }
        if candidates.count >= 2 * maxWalks { candidates.removeFirst() }
        candidates.append(Candidate(id: newID(), position: file, next: after.first?.file, created: events, lastActivity: now))
        return decision
    }

    /// The program closed `file` (the last of its opens).
    mutating func closed(_ file: File, at now: Instant) -> Decision {
        var decision = expire(at: now)
        guard var record = openFiles[file] else { return decision }
        record.opens -= 1
        guard record.opens == 0 else {
            openFiles[file] = record
            return decision
        }
        openFiles[file] = nil
        events += 1
        touch(record.owner, at: now)
        for c in candidates.indices where candidates[c].position == file { candidates[c].closedAt = events }
        guard !record.whole else { return decision }
        switch record.owner {
        case .walk(let id):
            // The walker (or whoever opened the predicted file) did not read it whole.
            if let w = walkIndex(id) {
                walks[w].misses += 1
                if walks[w].misses >= maxMisses { endWalk(at: w, into: &decision) }
            }
        case .candidate(let id):
            candidates.removeAll { $0.id == id }
        case nil:
            break
        }
        return decision
    }

    /// The caller knows more listings than before (a directory was listed): walks whose
    /// known order ran out, and whose last file was read whole, are asked again and
    /// fetch ahead into the files now known. A walker copying a tree that is being listed
    /// as it goes (a cold mount) would otherwise reach each file before it entered the
    /// window. `following` as for ``read(_:offset:length:at:following:)``.
    mutating func listed(at now: Instant, following: (File, Int) -> [NextFile]) -> Decision {
        var decision = expire(at: now)
        for w in walks.indices where walks[w].openEnded && walks[w].misses == 0 && !isBusy(walk: walks[w].id) {
            refill(walk: w, following: following, into: &decision)
        }
        return decision
    }

    /// A fetch ahead the planner asked for failed: its bytes no longer count, and the walk
    /// does not ask for it again (the walker's own read fetches it).
    mutating func prefetchFailed(_ file: File) {
        guard let entry = ahead.removeValue(forKey: file) else { return }
        bytesAhead -= entry.cost
        statistics.failures += 1
        if let w = walkIndex(entry.walk) { walks[w].failed.insert(file) }
    }

    /// Ends the walks and candidates idle for longer than `idleTimeout`. Every event does
    /// this first; calling it on a timer only releases a stopped walker's fetches sooner.
    mutating func expire(at now: Instant) -> Decision {
        var decision = Decision()
        var index = walks.count - 1
        while index >= 0 {
            if walks[index].lastActivity.duration(to: now) > idleTimeout { endWalk(at: index, into: &decision) }
            index -= 1
        }
        let timeout = idleTimeout
        candidates.removeAll { $0.lastActivity.duration(to: now) > timeout }
        return decision
    }

    // MARK: - Rules

    private mutating func newID() -> Int {
        nextID += 1
        return nextID
    }

    private func walkIndex(_ id: Int) -> Int? {
        walks.firstIndex { $0.id == id }
    }

    /// The most recently active walk whose order holds `file`, and where.
    private func walkInOrder(_ file: File) -> (Int, Int)? {
        for w in walks.indices.reversed() {
            if let place = walks[w].order.firstIndex(where: { $0.file == file }) { return (w, place) }
        }
        return nil
    }

    private func isBusy(walk id: Int) -> Bool {
        openFiles.values.contains { $0.owner == .walk(id) }
    }

    private mutating func touch(_ owner: Owner?, at now: Instant) {
        switch owner {
        case .walk(let id):
            if let w = walkIndex(id) {
                walks[w].lastActivity = now
                walks[w].lastEvent = events
            }
        case .candidate(let id): if let c = candidates.firstIndex(where: { $0.id == id }) { candidates[c].lastActivity = now }
        case nil: break
        }
    }

    /// The walker opened the file at `place` in the walk's order: the files before it are
    /// skipped (their fetches cancelled), and the walk's position moves to it.
    private mutating func move(walk w: Int, past place: Int, at now: Instant, into decision: inout Decision) {
        let skipped = walks[w].order[..<place]
        for next in skipped { cancel(next.file, ownedBy: walks[w].id, into: &decision) }
        walks[w].position = walks[w].order[place].file
        walks[w].order.removeFirst(place + 1)
        walks[w].lastActivity = now
        walks[w].lastEvent = events
    }

    /// An open matching no walk's order nor candidate: walks and candidates whose known
    /// order ran out are asked again (the caller may know more directories by now).
    private mutating func reaskOpenEnded(
        for file: File, at now: Instant, following: (File, Int) -> [NextFile], into decision: inout Decision
    ) -> Owner? {
        for w in walks.indices.reversed() where walks[w].openEnded {
            let known = following(walks[w].position, maxFilesAhead)
            setOrder(walk: w, to: known, into: &decision)
            if let place = walks[w].order.firstIndex(where: { $0.file == file }) {
                // Not fetched ahead: every file fetched ahead is in its walk's order.
                move(walk: w, past: place, at: now, into: &decision)
                return .walk(walks[w].id)
            }
        }
        for c in candidates.indices.reversed() where candidates[c].next == nil {
            let known = following(candidates[c].position, maxFilesAhead).filter { $0.size != 0 }
            candidates[c].next = known.first?.file
            if known.first?.file == file {
                candidates[c].lastActivity = now
                return .candidate(candidates[c].id)
            }
        }
        return nil
    }

    /// Evidence (rule 2): a walk starts at `file`, read whole after its predecessor, which
    /// was read whole at event `since`. Walks with no event since then and none of their
    /// files open have been left (rule 4).
    private mutating func startWalk(
        at file: File, since: Int, now: Instant, following: (File, Int) -> [NextFile], into decision: inout Decision
    ) {
        var index = walks.count - 1
        while index >= 0 {
            if walks[index].lastEvent < since, !isBusy(walk: walks[index].id) { endWalk(at: index, into: &decision) }
            index -= 1
        }
        if walks.count >= maxWalks {
            let oldest = walks.indices.min { walks[$0].lastEvent < walks[$1].lastEvent }!
            endWalk(at: oldest, into: &decision)
        }
        statistics.walks += 1
        walks.append(Walk(id: newID(), position: file, lastActivity: now, lastEvent: events))
        refill(walk: walks.count - 1, following: following, into: &decision)
    }

    /// Sets the walk's order from the caller's files after its position; fetches ahead of
    /// the walk that dropped out of it are cancelled.
    private mutating func setOrder(walk w: Int, to known: [NextFile], into decision: inout Decision) {
        let position = walks[w].position
        var order: [NextFile] = []
        for next in known where next.size != 0 && next.file != position && order.count < maxFilesAhead {
            if !order.contains(where: { $0.file == next.file }) { order.append(next) }
        }
        let id = walks[w].id
        for old in walks[w].order where !order.contains(where: { $0.file == old.file }) {
            cancel(old.file, ownedBy: id, into: &decision)
        }
        walks[w].order = order
        walks[w].openEnded = known.count < maxFilesAhead
        walks[w].failed = walks[w].failed.filter { failed in order.contains { $0.file == failed } }
    }

    /// The window (rule 3): the walk's order from the caller, each file fetched ahead in
    /// order until one does not fit.
    private mutating func refill(walk w: Int, following: (File, Int) -> [NextFile], into decision: inout Decision) {
        setOrder(walk: w, to: following(walks[w].position, maxFilesAhead), into: &decision)
        let id = walks[w].id
        for next in walks[w].order {
            if ahead[next.file] != nil || openFiles[next.file] != nil || walks[w].failed.contains(next.file) { continue }
            let length = next.size.map { min($0, maxBytesPerFile) } ?? maxBytesPerFile
            let cost = (length + blockSize - 1) / blockSize * blockSize
            guard bytesAhead + cost <= maxBytesAhead else { break }
            ahead[next.file] = Ahead(walk: id, length: length, cost: cost)
            bytesAhead += cost
            statistics.prefetches += 1
            statistics.prefetchedBytes += length
            decision.prefetch.append(Prefetch(file: next.file, length: length))
        }
    }

    private mutating func cancel(_ file: File, ownedBy id: Int, into decision: inout Decision) {
        guard let entry = ahead[file], entry.walk == id else { return }
        ahead[file] = nil
        bytesAhead -= entry.cost
        statistics.wasted += 1
        statistics.wastedBytes += entry.length
        decision.cancel.append(file)
    }

    private mutating func endWalk(at w: Int, into decision: inout Decision) {
        let walk = walks.remove(at: w)
        for next in walk.order { cancel(next.file, ownedBy: walk.id, into: &decision) }
    }

    // MARK: - State

    private enum Owner: Equatable, Sendable {
        /// A file of a walk's order, opened.
        case walk(Int)
        /// The file a candidate expects next, opened: evidence if read whole.
        case candidate(Int)
    }

    private struct Walk: Sendable {
        let id: Int
        /// The last file of the walk opened (or where it started).
        var position: File
        /// The files after the position, as the caller last said (at most `maxFilesAhead`,
        /// none of size 0). The walk's fetches ahead not yet opened are all among them.
        var order: [NextFile] = []
        /// The caller knew fewer files after the position than were asked for.
        var openEnded = false
        var misses = 0
        var lastActivity: Instant
        /// The number of the last event about its files (orders walks without ties).
        var lastEvent: Int
        /// Files of the order whose fetch ahead failed: not fetched ahead again.
        var failed: Set<File> = []

        init(id: Int, position: File, lastActivity: Instant, lastEvent: Int) {
            self.id = id
            self.position = position
            self.lastActivity = lastActivity
            self.lastEvent = lastEvent
        }
    }

    private struct Candidate: Sendable {
        let id: Int
        /// A file read whole, part of no walk.
        var position: File
        /// The first file after it in walk order (nil: not known yet).
        var next: File?
        /// The event at which `position` was read whole.
        var created: Int
        /// The event at which `position` was closed (nil while open).
        var closedAt: Int?
        var lastActivity: Instant
    }

    private struct Ahead: Sendable {
        var walk: Int
        var length: UInt64
        /// `length` in whole blocks.
        var cost: UInt64
    }

    /// One open file: which of its bytes have been read, and whether in order.
    private struct OpenFile: Sendable {
        let size: UInt64
        /// The event of its open.
        let openedAt: Int
        var opens = 1
        /// Every byte below this has been read.
        var prefix: UInt64 = 0
        /// Ranges read beyond the prefix (out of order), sorted, apart from each other.
        var pieces: [Range<UInt64>] = []
        /// No read so far was a seek.
        var inOrder = true
        var whole = false
        var owner: Owner?

        init(size: UInt64, openedAt: Int) {
            self.size = size
            self.openedAt = openedAt
        }

        /// Records a read; true when it leaves the file read whole (rule 1), once.
        mutating func read(offset: UInt64, length: Int, forward: UInt64, backward: UInt64) -> Bool {
            guard inOrder, !whole, length > 0, offset < size else { return false }
            let end = min(offset + UInt64(length), size)
            let lowest = prefix > backward ? prefix - backward : 0
            guard offset >= lowest, offset <= prefix + forward else {
                inOrder = false
                return false
            }
            if offset <= prefix {
                prefix = max(prefix, end)
            } else {
                var merged = offset..<end
                pieces.removeAll { piece in
                    guard piece.lowerBound <= merged.upperBound, merged.lowerBound <= piece.upperBound else { return false }
                    merged = min(piece.lowerBound, merged.lowerBound)..<max(piece.upperBound, merged.upperBound)
                    return true
                }
                let at = pieces.firstIndex { $0.lowerBound > merged.lowerBound } ?? pieces.count
                pieces.insert(merged, at: at)
                if pieces.count > maxPiecesReadOutOfOrder {
                    inOrder = false
                    return false
                }
            }
            while let first = pieces.first, first.lowerBound <= prefix {
                prefix = max(prefix, first.upperBound)
                pieces.removeFirst()
            }
            if prefix >= size {
                whole = true
                return true
            }
            return false
        }
    }
}

/// Most separate pieces of one file read out of order before its reads count as random.
private let maxPiecesReadOutOfOrder = 64
