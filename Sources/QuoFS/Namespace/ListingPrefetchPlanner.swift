/// Decides which directory listings to fetch ahead of a program walking the tree. A pure
/// state machine (no I/O; the caller passes the time), tested alone.
///
/// A walker (`find`, `rsync -a`, `ls -lR`) reads directories one after another in
/// depth-first pre-order, each in its listing order, and waits for each listing before it
/// asks for the next: one request at a time, about 4 a second at 250 ms latency where the
/// rate limit allows 10. Fetching the next directories ahead puts several in flight. A
/// person who only runs `ls`, `ls -l` or `stat` must cost nothing extra, so nothing is
/// fetched ahead until the demands themselves show a walk:
///
/// 1. **Evidence.** A demand is *in order* when it is the next directory in depth-first
///    pre-order of what is known after the previous demand, allowing the walker to skip
///    what is left of a subtree (`find -prune`, `ls a b`, an unreadable directory): the
///    previous directory's first child, or the next sibling of the previous directory or
///    of one of its ancestors. A walk is evident when child i+1 of a directory P is
///    demanded in order and child i of P was demanded before it, every demand in between
///    in order (so child i's whole subtree may come in between: a walker goes depth
///    first). Child 0 then child 1 counts too. One demand alone (`cd dir; ls`) never is
///    evidence, nor is a parent then its first child; demanding the parent again, a
///    non-consecutive sibling, or anything else out of order resets the evidence.
/// 2. **Plan.** During a walk, the directories after the walker's last in-order demand in
///    depth-first pre-order over what is known (listings passed to ``listed(_:childDirectories:)``)
///    are fetched ahead: the rest of its subtree first, then its following siblings and
///    their subtrees, then upward. Directories already listed, in flight, failed or
///    demanded are not fetched (a listed one's children are still walked). A directory
///    not yet listed can be fetched ahead (it is a known child of a listed one), but its
///    own children are unknown until it is listed: the next ``prefetchFinished(_:at:)``
///    then lets the plan go deeper.
/// 3. **Window.** The plan covers the next `window` *places*: directories fetched ahead and
///    not yet demanded (in flight or listed), and those to fetch now; directories listed
///    some other way (cached) take no place. At most `window` fetches are in flight. So a
///    walker that keeps up has the next `window` directories listed or coming: each demand
///    moves the window on, and each finish that reveals children, or frees the in-flight
///    limit, fills it. A finish alone fetches nothing more once the window is full, so a
///    walker that stops leaves only what was ahead of it.
///
///    What was ahead can exceed `window`: a directory fetched ahead past one whose
///    listing was still coming drops out of the window when that listing reveals children
///    (they come first in pre-order). Those fetches are not wasted while the walk goes on,
///    and refusing them serializes the walk on each level it descends (measured on random
///    trees, 8 in flight, no rate limit: 1.8× a one-at-a-time walk when at most `window`
///    may be ahead, 5.4× with three times that, 5.6× unbounded; a walker stopping
///    half-way left at most 22 fetched ahead and never demanded). ``maxAhead`` (three
///    windows by default) bounds them: the most fetches ahead per walk not yet demanded,
///    so the most one walk can waste.
/// 4. **Stop.** The walk ends after `maxMisses` demands in a row that were not in order,
///    or when no demand came for `idleTimeout` (judged at the next call: a demand after a
///    long pause starts from scratch and needs new evidence). From then on nothing is
///    fetched ahead until new evidence starts a new walk. A demand that is not in order
///    fetches nothing more, but the plan keeps its place (the last in-order demand), so
///    another program's `ls` in the middle of a walk costs two misses (its own and the
///    walker's next demand), not the walk.
/// 5. **Memory.** One record per directory passed to ``listed(_:childDirectories:)`` or
///    ``demanded(_:parent:at:)``; ``forgetDirectory(_:)`` drops a directory's listing and
///    state (call it when its cached listing is dropped, so it may be fetched ahead again).
///    Planning visits at most `scanLimit` directories per call, so a walk over a tree
///    already cached costs no more than that per demand.
struct ListingPrefetchPlanner<ID: Hashable & Sendable, Instant: InstantProtocol>: Sendable {
    /// Counters for documentation and tests.
    struct Statistics: Equatable, Sendable {
        /// Directories returned to fetch ahead.
        var prefetches = 0
        /// Of those, how many were later demanded.
        var hits = 0
        /// Fetches ahead that failed.
        var failures = 0
        /// Demands of a directory that had not been fetched ahead.
        var unpredicted = 0
        /// Walks started by evidence.
        var walks = 0
    }

    /// How many places ahead of the walker the plan covers, and most fetches in flight.
    let window: Int
    /// A walk with no demand for this long has ended.
    let idleTimeout: Instant.Duration
    /// Out-of-order demands in a row that end a walk.
    let maxMisses: Int
    /// Most directories visited when planning, per call.
    let scanLimit: Int
    /// Most directories fetched ahead in one walk and not yet demanded: what a walker
    /// that stops can waste (rule 3).
    let maxAhead: Int

    private(set) var statistics = Statistics()
    /// Whether a walk is evident (fetches ahead are being planned).
    private(set) var isWalking = false

    /// Known listings: each directory's child directories in listing order.
    private var children: [ID: [ID]] = [:]
    /// Where each known child sits: its parent and index in the parent's listing.
    private var slots: [ID: Slot] = [:]
    private var demandedDirectories: Set<ID> = []
    private var failed: Set<ID> = []
    /// Fetches ahead returned and not yet finished or failed.
    private var inFlight: Set<ID> = []
    /// Fetched ahead, not demanded since, not failed.
    private var prefetched: Set<ID> = []
    /// Those fetched ahead in the current walk (what ``maxAhead`` bounds).
    private var walkAhead: Set<ID> = []

    /// The last demand (what the next one is judged in order against).
    private var position: ID?
    /// The walker's last in-order demand: where the plan starts.
    private var walkPosition: ID?
    /// For each directory on the chain of in-order demands, the index of its child
    /// demanded last (evidence, rule 1).
    private var lastChild: [ID: Int] = [:]
    private var misses = 0
    private var lastDemand: Instant?

    private struct Slot: Sendable {
        var parent: ID
        var index: Int
    }

    init(window: Int = 8, idleTimeout: Instant.Duration, maxMisses: Int = 3, maxAhead: Int? = nil, scanLimit: Int = 512) {
        self.maxAhead = maxAhead ?? 3 * window
        precondition(window >= 0 && maxMisses >= 1 && scanLimit >= 1 && (maxAhead ?? 0) >= 0)
        self.window = window
        self.idleTimeout = idleTimeout
        self.maxMisses = maxMisses
        self.scanLimit = scanLimit
    }

    /// How many directories this walk fetched ahead and are not yet demanded (in flight or listed).
    var aheadCount: Int { walkAhead.count }
    /// How many fetches ahead are in flight.
    var inFlightCount: Int { inFlight.count }

    /// A directory's listing became known (fetched on demand or ahead): its child
    /// directories in listing order (files are not passed).
    mutating func listed(_ directory: ID, childDirectories: [ID]) {
        if let old = children[directory] {
            for child in old where slots[child]?.parent == directory { slots[child] = nil }
        }
        children[directory] = childDirectories
        for (index, child) in childDirectories.enumerated() {
            slots[child] = Slot(parent: directory, index: index)
        }
    }

    /// A program opened `directory` to read it (readdir): the only walk signal. `parent`
    /// is its parent (nil for the root). Returns the directories whose listings to fetch
    /// ahead now.
    mutating func demanded(_ directory: ID, parent: ID?, at now: Instant) -> [ID] {
        if let last = lastDemand, last.duration(to: now) > idleTimeout {
            // A long pause: whatever walked before is gone; start from scratch.
            endWalk()
            position = nil
            lastChild = [:]
        }
        lastDemand = now
        demandedDirectories.insert(directory)
        walkAhead.remove(directory)
        if prefetched.remove(directory) != nil {
            statistics.hits += 1
        } else {
            statistics.unpredicted += 1
        }

        // The slot from the parent's listing; the caller's `parent` must agree with it.
        let slot = slots[directory].flatMap { $0.parent == parent ? $0 : nil }
        let inOrder = slot != nil && position.map { follows(directory, slot: slot!, after: $0) } == true
        position = directory

        guard inOrder, let slot else {
            lastChild = slot.map { [$0.parent: $0.index] } ?? [:]
            if isWalking {
                misses += 1
                if misses >= maxMisses { endWalk() }
            }
            return []
        }

        let evident = slot.index > 0 && lastChild[slot.parent] == slot.index - 1
        keepChain(of: slot)
        misses = 0
        if evident && !isWalking {
            isWalking = true
            walkAhead = []
            statistics.walks += 1
        }
        guard isWalking else { return [] }
        walkPosition = directory
        return plan()
    }

    /// A fetch ahead the planner asked for finished (its listing was also passed to
    /// ``listed(_:childDirectories:)``). Returns more to fetch ahead.
    mutating func prefetchFinished(_ directory: ID, at now: Instant) -> [ID] {
        inFlight.remove(directory)
        return replan(at: now)
    }

    /// A fetch ahead the planner asked for failed: it is never asked for again (until
    /// ``forgetDirectory(_:)``). Returns more to fetch ahead.
    mutating func prefetchFailed(_ directory: ID, at now: Instant) -> [ID] {
        if inFlight.remove(directory) != nil { statistics.failures += 1 }
        failed.insert(directory)
        prefetched.remove(directory)
        walkAhead.remove(directory)
        return replan(at: now)
    }

    /// Drops what is known of `directory`: its listing, and whether it was demanded,
    /// fetched ahead or failed. Its place in its parent's listing stays while that is known.
    mutating func forgetDirectory(_ directory: ID) {
        if let old = children.removeValue(forKey: directory) {
            for child in old where slots[child]?.parent == directory { slots[child] = nil }
        }
        demandedDirectories.remove(directory)
        failed.remove(directory)
        inFlight.remove(directory)
        prefetched.remove(directory)
        walkAhead.remove(directory)
        lastChild[directory] = nil
    }

    // MARK: - Rules

    private mutating func endWalk() {
        isWalking = false
        misses = 0
        walkPosition = nil
    }

    private mutating func replan(at now: Instant) -> [ID] {
        guard isWalking else { return [] }
        if let last = lastDemand, last.duration(to: now) > idleTimeout {
            endWalk()
            return []
        }
        return plan()
    }

    /// Whether `directory` (at `slot`) is in order after `previous` (rule 1): the
    /// previous directory's first child, or the next sibling of the previous directory or
    /// of one of its ancestors.
    private func follows(_ directory: ID, slot: Slot, after previous: ID) -> Bool {
        if slot.index == 0 { return slot.parent == previous }
        guard let siblings = children[slot.parent], slot.index - 1 < siblings.count else { return false }
        let before = siblings[slot.index - 1]
        var node = previous
        var steps = 0
        while true {
            if node == before { return true }
            guard let up = slots[node], steps < 4096 else { return false }
            node = up.parent
            steps += 1
        }
    }

    /// After an in-order demand at `slot`: keeps the evidence of the directories on the
    /// demand's chain of ancestors, drops the rest (a subtree the walker has left), and
    /// records the demand as its parent's last demanded child.
    private mutating func keepChain(of slot: Slot) {
        var kept: [ID: Int] = [slot.parent: slot.index]
        var node = slot.parent
        while let up = slots[node], kept.count < 4096 {
            guard lastChild[up.parent] == up.index else { break }
            kept[up.parent] = up.index
            node = up.parent
        }
        lastChild = kept
    }

    /// The directories to fetch ahead now (rules 2 and 3): the next `window` places after
    /// the walker's position in depth-first pre-order over what is known, a place being a
    /// directory fetched ahead and not yet demanded (in flight or listed) or one to fetch
    /// now (not listed, in flight, failed or demanded); while fewer than `window` are in
    /// flight.
    private mutating func plan() -> [ID] {
        guard isWalking, var node = walkPosition else { return [] }
        var fetch: [ID] = []
        var places = 0
        var visited = 0
        while places < window, inFlight.count < window, walkAhead.count < maxAhead, visited < scanLimit,
              let next = successor(of: node) {
            visited += 1
            node = next
            if inFlight.contains(next) || prefetched.contains(next) {
                places += 1
            } else if children[next] == nil, !failed.contains(next), !demandedDirectories.contains(next) {
                places += 1
                fetch.append(next)
                inFlight.insert(next)
                prefetched.insert(next)
                walkAhead.insert(next)
            }
        }
        statistics.prefetches += fetch.count
        return fetch
    }

    /// The next directory in depth-first pre-order over what is known.
    private func successor(of node: ID) -> ID? {
        if let first = children[node]?.first { return first }
        var current = node
        var steps = 0
        while let slot = slots[current], steps < 4096 {
            steps += 1
            if let siblings = children[slot.parent], slot.index + 1 < siblings.count {
                return siblings[slot.index + 1]
            }
            current = slot.parent
        }
        return nil
    }
}
