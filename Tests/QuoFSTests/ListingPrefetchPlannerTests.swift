import Testing
@testable import QuoFS

private typealias Planner = ListingPrefetchPlanner<UInt64, ContinuousClock.Instant>

/// The tests' clock: instants `ms` milliseconds after one origin (nothing sleeps).
private let origin = ContinuousClock.now
private func at(_ ms: Int) -> ContinuousClock.Instant { origin.advanced(by: .milliseconds(ms)) }

/// A SplitMix64 generator, so each seed gives the same tree and demands on every run.
private struct SeededRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// A random directory tree: directory 0 is the root, each directory's id its index.
private struct Tree {
    var children: [[UInt64]] = [[]]
    var parent: [UInt64?] = [nil]
    /// Every directory in depth-first pre-order: the order a walker demands them.
    var order: [UInt64] = []

    init(seed: UInt64, count: Int) {
        var random = SeededRandom(state: seed)
        var depth = [0]
        var frontier: [UInt64] = [0]
        while children.count < count, !frontier.isEmpty {
            let node = frontier.remove(at: random.below(frontier.count))
            let n = Int(node)
            let fanout = n == 0 ? 3 + random.below(3) : (depth[n] < 6 ? random.below(6) : 0)
            for _ in 0..<fanout where children.count < count {
                let child = UInt64(children.count)
                children.append([])
                parent.append(node)
                depth.append(depth[n] + 1)
                children[n].append(child)
                frontier.append(child)
            }
        }
        var stack: [UInt64] = [0]
        while let node = stack.popLast() {
            order.append(node)
            stack.append(contentsOf: children[Int(node)].reversed())
        }
    }

    var count: Int { children.count }
    func index(_ node: UInt64) -> Int? { parent[Int(node)].flatMap { children[Int($0)].firstIndex(of: node) } }
    func isAncestorOrSelf(_ a: UInt64, of b: UInt64) -> Bool {
        var node: UInt64? = b
        while let current = node {
            if current == a { return true }
            node = parent[Int(current)]
        }
        return false
    }
    /// Rule 1's "in order": `node` is `previous`'s first child, or the next sibling of
    /// `previous` or of one of its ancestors.
    func follows(_ node: UInt64, after previous: UInt64?) -> Bool {
        guard let previous, let p = parent[Int(node)], let i = index(node) else { return false }
        if i == 0 { return p == previous }
        return isAncestorOrSelf(children[Int(p)][i - 1], of: previous)
    }
}

/// A walker demanding a tree's directories in depth-first pre-order, each only once its
/// parent's listing has arrived, and a fetcher completing every fetch (on demand or
/// ahead) `latency` ms after it starts. Checks the planner's answers as it goes.
private struct WalkSimulation {
    let tree: Tree
    var planner: Planner
    let latency = 250
    var now = 0
    var listed: Set<UInt64> = []
    var prefetched: Set<UInt64> = []
    var demanded: Set<UInt64> = []
    var inFlight: Set<UInt64> = []
    var demandFetches = 0
    var maxInFlight = 0
    /// Fetches under way: when each completes, and whether it was a fetch ahead.
    var pending: [(time: Int, directory: UInt64, ahead: Bool)] = []

    init(tree: Tree, window: Int, maxAhead: Int? = nil) {
        self.tree = tree
        planner = Planner(window: window, idleTimeout: .seconds(5), maxAhead: maxAhead)
    }

    mutating func start(_ directories: [UInt64]) {
        for directory in directories {
            #expect(!prefetched.contains(directory), "\(directory) fetched ahead twice")
            #expect(!listed.contains(directory), "\(directory) already listed")
            #expect(!demanded.contains(directory), "\(directory) already demanded")
            prefetched.insert(directory)
            inFlight.insert(directory)
            pending.append((now + latency, directory, true))
        }
        maxInFlight = max(maxInFlight, inFlight.count)
        #expect(inFlight.count <= planner.window)
    }

    /// Completes the fetches due by `time`, in order, then moves the clock there.
    mutating func run(until time: Int) {
        while let next = pending.indices.min(by: { pending[$0].time < pending[$1].time }), pending[next].time <= time {
            let fetch = pending.remove(at: next)
            now = max(now, fetch.time)
            listed.insert(fetch.directory)
            planner.listed(fetch.directory, childDirectories: tree.children[Int(fetch.directory)])
            if fetch.ahead {
                inFlight.remove(fetch.directory)
                start(planner.prefetchFinished(fetch.directory, at: at(now)))
            }
        }
        now = max(now, time)
    }

    /// Completes every fetch under way (and any they lead to).
    mutating func drain() {
        while let last = pending.map(\.time).max() { run(until: last) }
    }

    /// The walker demands the first `steps` directories of the walk (all by default),
    /// `think` ms apart once each listing is there. Returns the demand at which the
    /// planner first fetched ahead.
    @discardableResult
    mutating func walk(steps: Int? = nil, think: Int = 1) -> Int? {
        var firstPrefetch: Int?
        let window = planner.window
        for (k, directory) in tree.order.prefix(steps ?? tree.count).enumerated() {
            demanded.insert(directory)
            let returned = planner.demanded(directory, parent: tree.parent[Int(directory)], at: at(now))
            if firstPrefetch == nil, !returned.isEmpty { firstPrefetch = k }
            start(returned)
            if firstPrefetch != nil {
                // A walk keeps the limiter busy: the next `window` directories known
                // (their parent listed) are all listed or coming, unless `window`
                // fetches are in flight already or `maxAhead` are ahead.
                var next: [UInt64] = []
                for d in tree.order[(k + 1)...] where next.count < window {
                    if let p = tree.parent[Int(d)], listed.contains(p) { next.append(d) }
                }
                let waiting = next.filter { !listed.contains($0) && !inFlight.contains($0) }
                #expect(waiting.isEmpty || inFlight.count == window || planner.aheadCount == planner.maxAhead,
                        "at demand \(k): \(waiting) neither listed nor coming, \(inFlight.count) in flight")
                #expect(prefetched.subtracting(demanded).count == planner.aheadCount)
            }
            if !listed.contains(directory) {
                if let fetch = pending.first(where: { $0.directory == directory }) {
                    run(until: fetch.time)  // fetched ahead, still coming: wait for it
                } else {
                    demandFetches += 1
                    pending.append((now + latency, directory, false))
                    run(until: now + latency)
                }
            }
            run(until: now + think)
        }
        return firstPrefetch
    }
}

@Suite("Listing prefetch planner")
struct ListingPrefetchPlannerTests {
    @Test("ls of one directory, or of a few not in order, fetches nothing ahead")
    func lsAlone() {
        var planner = Planner(idleTimeout: .seconds(1))
        planner.listed(0, childDirectories: [1, 2, 3])
        #expect(planner.demanded(0, parent: nil, at: at(0)).isEmpty)
        planner.listed(1, childDirectories: [11, 12])
        #expect(planner.demanded(1, parent: 0, at: at(10)).isEmpty)  // cd a; ls
        #expect(planner.demanded(3, parent: 0, at: at(20)).isEmpty)  // then c: not the next
        #expect(planner.demanded(11, parent: 1, at: at(30)).isEmpty)
        #expect(planner.statistics.prefetches == 0)
        #expect(!planner.isWalking)

        var single = Planner(idleTimeout: .seconds(1))
        single.listed(0, childDirectories: [1, 2, 3])
        #expect(single.demanded(1, parent: 0, at: at(0)).isEmpty)  // one demand alone
        #expect(single.statistics.prefetches == 0)
    }

    @Test("demanding the parent again resets its evidence; a later consecutive pair counts")
    func parentAgainResets() {
        var planner = Planner(idleTimeout: .seconds(1))
        planner.listed(0, childDirectories: [1, 2, 3, 4])
        #expect(planner.demanded(1, parent: 0, at: at(0)).isEmpty)
        #expect(planner.demanded(0, parent: nil, at: at(10)).isEmpty)
        #expect(planner.demanded(2, parent: 0, at: at(20)).isEmpty)  // 1 then 2, but the parent between
        #expect(planner.demanded(3, parent: 0, at: at(30)) == [4])   // 2 then 3: a walk
        #expect(planner.statistics.walks == 1)
    }

    @Test("the plan is the walker's subtree, then its following siblings, then upward")
    func preOrder() {
        var planner = Planner(window: 4, idleTimeout: .seconds(1))
        planner.listed(0, childDirectories: [1, 2, 3])
        planner.listed(1, childDirectories: [11, 12, 13])
        planner.listed(11, childDirectories: [])
        planner.listed(12, childDirectories: [121, 122])
        #expect(planner.demanded(0, parent: nil, at: at(0)).isEmpty)
        #expect(planner.demanded(1, parent: 0, at: at(1)).isEmpty)
        #expect(planner.demanded(11, parent: 1, at: at(2)).isEmpty)  // descending is no evidence
        // 11 then 12: a walk. 12's listing is known, so its children come first.
        #expect(planner.demanded(12, parent: 1, at: at(3)) == [121, 122, 13, 2])
        #expect(planner.inFlightCount == 4)
        planner.listed(121, childDirectories: [])
        #expect(planner.prefetchFinished(121, at: at(250)).isEmpty)  // still 4 ahead
        #expect(planner.demanded(121, parent: 12, at: at(251)) == [3])
        #expect(planner.statistics.hits == 1)
    }

    @Test("a finished fetch ahead lets the plan go deeper")
    func deeper() {
        var planner = Planner(window: 8, idleTimeout: .seconds(1))
        planner.listed(0, childDirectories: [1, 2, 3])
        planner.listed(1, childDirectories: [])
        _ = planner.demanded(0, parent: nil, at: at(0))
        _ = planner.demanded(1, parent: 0, at: at(1))
        #expect(planner.demanded(2, parent: 0, at: at(2)) == [3])  // 2 itself is fetched on demand
        planner.listed(3, childDirectories: [31, 32])
        #expect(planner.prefetchFinished(3, at: at(250)) == [31, 32])
        planner.listed(31, childDirectories: [311])
        #expect(planner.prefetchFinished(31, at: at(500)) == [311])
        #expect(planner.aheadCount == 4)
    }

    @Test("a finish alone fetches no more once `window` are ahead; each demand frees one place")
    func windowBoundsTheLead() {
        var planner = Planner(window: 3, idleTimeout: .seconds(1))
        planner.listed(0, childDirectories: Array(1...20))
        _ = planner.demanded(0, parent: nil, at: at(0))
        _ = planner.demanded(1, parent: 0, at: at(1))
        #expect(planner.demanded(2, parent: 0, at: at(2)) == [3, 4, 5])
        for directory: UInt64 in [3, 4, 5] {
            planner.listed(directory, childDirectories: [])
            #expect(planner.prefetchFinished(directory, at: at(250)).isEmpty)
        }
        #expect(planner.demanded(3, parent: 0, at: at(260)) == [6])
        #expect(planner.demanded(4, parent: 0, at: at(261)) == [7])
        // In flight: 6 and 7. A demand of 5 frees a place, and one more goes.
        #expect(planner.demanded(5, parent: 0, at: at(262)) == [8])
        #expect(planner.inFlightCount == 3)
    }

    @Test("a depth-first walk keeps `window` fetched ahead, fetches each directory once", arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func depthFirstWalk(seed: UInt64) {
        let tree = Tree(seed: seed, count: 150 + Int(seed) * 20)
        var simulation = WalkSimulation(tree: tree, window: 8)
        let first = simulation.walk()
        // The evidence: the first directory demanded after its previous sibling.
        let evidence = tree.order.firstIndex { (tree.index($0) ?? 0) > 0 }
        #expect(first != nil && first == evidence)
        simulation.drain()
        #expect(simulation.prefetched.isSubset(of: simulation.demanded))  // none wasted
        #expect(simulation.prefetched.count + simulation.demandFetches <= tree.count)
        #expect(simulation.planner.statistics.hits == simulation.prefetched.count)
        #expect(simulation.planner.statistics.walks == 1)
        #expect(simulation.maxInFlight == 8)
        // Far faster than one listing at a time.
        #expect(simulation.now * 3 < tree.count * simulation.latency, "walk took \(simulation.now) ms for \(tree.count) directories")
    }

    @Test("a walker that stops half-way wastes at most `maxAhead` fetches", arguments: [1, 2, 3, 4] as [UInt64])
    func walkerStops(seed: UInt64) {
        let tree = Tree(seed: seed, count: 200)
        for (window, maxAhead) in [(2, nil), (8, nil), (8, 8), (4, 6)] as [(Int, Int?)] {
            var simulation = WalkSimulation(tree: tree, window: window, maxAhead: maxAhead)
            simulation.walk(steps: 60 + Int(seed) * 10)
            simulation.drain()  // every fetch completes; the walker is gone
            let wasted = simulation.prefetched.subtracting(simulation.demanded)
            #expect(wasted.count <= simulation.planner.maxAhead)
            #expect(simulation.prefetched.count > wasted.count)  // it did walk
        }
    }

    @Test("random demands stop a walk after `maxMisses` misses and fetch little", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomDemands(seed: UInt64) {
        let tree = Tree(seed: seed, count: 200)
        let window = 8
        var planner = Planner(window: window, idleTimeout: .seconds(5))
        var random = SeededRandom(state: seed &* 7919)
        var listed: Set<UInt64> = []
        var known: [UInt64] = [0]  // what a person can cd into: the root, children of listings
        var previous: UInt64?
        var missesInRow = 0
        var prefetched: Set<UInt64> = []
        func list(_ directory: UInt64) {
            guard listed.insert(directory).inserted else { return }
            planner.listed(directory, childDirectories: tree.children[Int(directory)])
            known.append(contentsOf: tree.children[Int(directory)])
        }
        for step in 0..<400 {
            let directory = known[random.below(known.count)]
            let walks = planner.statistics.walks
            let inOrder = tree.follows(directory, after: previous)
            var fetch = planner.demanded(directory, parent: tree.parent[Int(directory)], at: at(step * 100))
            list(directory)  // fetched on demand (or already there)
            missesInRow = inOrder ? 0 : missesInRow + 1
            if planner.statistics.walks > walks {
                // A walk starts only at a demand in order after the previous sibling.
                #expect(inOrder && (tree.index(directory) ?? 0) > 0)
            }
            if missesInRow >= 3 { #expect(!planner.isWalking && fetch.isEmpty) }
            // Fetches ahead complete at once, perhaps asking for more.
            while let next = fetch.popLast() {
                #expect(prefetched.insert(next).inserted)
                list(next)
                fetch += planner.prefetchFinished(next, at: at(step * 100 + 50))
            }
            previous = directory
        }
        let statistics = planner.statistics
        let wasted = statistics.prefetches - statistics.hits
        #expect(wasted <= planner.maxAhead * statistics.walks)
        #expect(statistics.walks <= 10, "\(statistics.walks) walks from random demands")
        #expect(statistics.prefetches <= 100)
    }

    @Test("`maxMisses` out-of-order demands in a row end the walk; two do not")
    func missesEndTheWalk() {
        var planner = Planner(window: 8, idleTimeout: .seconds(5), maxMisses: 3)
        let top: [UInt64] = Array(1...10)
        planner.listed(0, childDirectories: top)
        for child in top { planner.listed(child, childDirectories: [child * 10, child * 10 + 1]) }
        _ = planner.demanded(1, parent: 0, at: at(0))
        #expect(planner.demanded(10, parent: 1, at: at(1)).isEmpty)
        // 1 to 10 are listed (cached): only the leaves under them are fetched.
        #expect(planner.demanded(11, parent: 1, at: at(2)) == [20, 21, 30, 31, 40, 41, 50, 51])
        for directory: UInt64 in [20, 21, 30, 31, 40, 41, 50, 51] {
            planner.listed(directory, childDirectories: [])  // the leaves: no children
            _ = planner.prefetchFinished(directory, at: at(250))
        }
        // Two misses, then the walker's next in-order demand: the walk goes on.
        #expect(planner.demanded(7, parent: 0, at: at(300)).isEmpty)
        #expect(planner.demanded(30, parent: 3, at: at(301)).isEmpty)
        #expect(planner.isWalking)
        #expect(!planner.demanded(31, parent: 3, at: at(302)).isEmpty)
        // Three misses: it ends, and an in-order demand alone starts nothing.
        _ = planner.demanded(9, parent: 0, at: at(310))
        _ = planner.demanded(20, parent: 2, at: at(311))
        _ = planner.demanded(5, parent: 0, at: at(312))
        #expect(!planner.isWalking)
        #expect(planner.demanded(50, parent: 5, at: at(313)).isEmpty)  // 5's first child: in order
        // A new consecutive pair starts a new walk.
        #expect(!planner.demanded(51, parent: 5, at: at(314)).isEmpty)
        #expect(planner.statistics.walks == 2)
    }

    @Test("a walk paused longer than `idleTimeout` needs new evidence")
    func idleTimeout() {
        var planner = Planner(window: 3, idleTimeout: .seconds(1))
        let top: [UInt64] = Array(1...10)
        planner.listed(0, childDirectories: top)
        _ = planner.demanded(0, parent: nil, at: at(0))
        _ = planner.demanded(1, parent: 0, at: at(10))
        #expect(planner.demanded(2, parent: 0, at: at(20)) == [3, 4, 5])
        for directory: UInt64 in [3, 4, 5] {
            planner.listed(directory, childDirectories: [])
            #expect(planner.prefetchFinished(directory, at: at(270)).isEmpty)
        }
        #expect(planner.demanded(3, parent: 0, at: at(280)) == [6])
        planner.listed(6, childDirectories: [])
        #expect(planner.prefetchFinished(6, at: at(530)).isEmpty)
        // A pause: the next demand, though in order, starts from scratch.
        #expect(planner.demanded(4, parent: 0, at: at(1_531)).isEmpty)
        #expect(!planner.isWalking)
        #expect(planner.demanded(5, parent: 0, at: at(1_540)) == [7, 8])  // 4 then 5: a walk again (6 is ahead)
        // A finish after a pause is judged too: nothing more.
        planner.listed(7, childDirectories: [])
        #expect(planner.prefetchFinished(7, at: at(2_541)).isEmpty)
        #expect(!planner.isWalking)
    }

    @Test("a failed fetch ahead is never asked for again")
    func failedNotRetried() {
        var planner = Planner(window: 2, idleTimeout: .seconds(1))
        planner.listed(0, childDirectories: [1, 2, 3, 4, 5, 6])
        _ = planner.demanded(0, parent: nil, at: at(0))
        _ = planner.demanded(1, parent: 0, at: at(1))
        #expect(planner.demanded(2, parent: 0, at: at(2)) == [3, 4])
        #expect(planner.prefetchFailed(3, at: at(250)) == [5])  // its place goes to the next
        #expect(planner.statistics.failures == 1)
        planner.listed(4, childDirectories: [])
        #expect(planner.prefetchFinished(4, at: at(251)).isEmpty)
        #expect(planner.demanded(3, parent: 0, at: at(252)).isEmpty)  // the walker reads it itself
        #expect(planner.demanded(4, parent: 0, at: at(253)) == [6])
        #expect(planner.statistics.prefetches == 4)
    }

    @Test("forgetting a listing lets it be fetched ahead again")
    func forget() {
        var planner = Planner(window: 1, idleTimeout: .seconds(1))
        planner.listed(0, childDirectories: [1, 2, 3, 4])
        _ = planner.demanded(1, parent: 0, at: at(0))
        #expect(planner.demanded(2, parent: 0, at: at(1)) == [3])
        planner.listed(3, childDirectories: [])
        _ = planner.prefetchFinished(3, at: at(2))
        planner.forgetDirectory(3)
        // After a pause, a new walk over the same directories: 3 is unknown again.
        _ = planner.demanded(1, parent: 0, at: at(2_000))
        #expect(planner.demanded(2, parent: 0, at: at(2_001)) == [3])
    }

    @Test("a walk over a tree already listed fetches nothing", arguments: [1, 2] as [UInt64])
    func cachedTree(seed: UInt64) {
        let tree = Tree(seed: seed, count: 150)
        var planner = Planner(idleTimeout: .seconds(1))
        for directory in tree.order { planner.listed(directory, childDirectories: tree.children[Int(directory)]) }
        for (k, directory) in tree.order.enumerated() {
            #expect(planner.demanded(directory, parent: tree.parent[Int(directory)], at: at(k)).isEmpty)
        }
        #expect(planner.statistics.walks == 1)
    }
}
