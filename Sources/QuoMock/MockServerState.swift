/// The state shared by a server's routes: the prepared workspace, options,
/// rate limiter, counters and the base URL (known once the port is bound).
final class MockServerState: Sendable {
    private let current: Locked<WorkspaceIndex>
    let options: MockOptions
    let rateLimiter: MockRateLimiter
    private let stats = Locked(MockStats())
    private let base = Locked("")
    private let injected = Locked((faults: MockFaults(), random: SplitMix64(seed: 1), urlGeneration: 0))
    private let latency: Locked<Duration>

    init(workspace: MockWorkspace, options: MockOptions) {
        current = Locked(WorkspaceIndex(workspace))
        self.options = options
        latency = Locked(options.mediaLatency)
        rateLimiter = MockRateLimiter(limit: options.requestsPerSecond, window: options.rateLimitWindow)
    }

    /// The workspace as served now (each request takes one snapshot).
    var index: WorkspaceIndex { current.withLock { $0 } }

    /// Serves `workspace` from now on (calls made or finished since, say).
    func replaceWorkspace(_ workspace: MockWorkspace) {
        let index = WorkspaceIndex(workspace)
        current.withLock { $0 = index }
    }

    /// `http://host:port`, without trailing slash.
    var baseURL: String {
        get { base.withLock { $0 } }
        set { base.withLock { $0 = newValue } }
    }

    var currentStats: MockStats { stats.withLock { $0 } }

    func resetStats() {
        stats.withLock { $0 = MockStats() }
        rateLimiter.reset()
    }

    /// Counts and logs one API request of the v1 (`dated` false) or 2026-03-30 surface.
    func recordAPIRequest(_ line: String, dated: Bool) {
        stats.withLock {
            $0.apiRequests += 1
            if dated { $0.apiRequestsDated += 1 } else { $0.apiRequestsV1 += 1 }
            $0.apiRequestLog.append(line)
        }
    }

    func recordRateLimited() {
        stats.withLock { $0.rateLimited += 1 }
    }

    func recordIndexRequest() {
        stats.withLock { $0.indexRequests += 1 }
    }

    func recordMediaBytes(_ count: Int) {
        stats.withLock { $0.mediaBodyBytes += count }
    }

    func recordMediaRequest(withAuthorization: Bool) {
        stats.withLock {
            $0.mediaRequests += 1
            if withAuthorization { $0.mediaRequestsWithAuthorization += 1 }
        }
    }

    /// The recording host's first-byte latency now (``MockOptions/mediaLatency`` until
    /// changed: benchmarks measure several latencies against one server and mount).
    var mediaLatency: Duration {
        get { latency.withLock { $0 } }
        set { latency.withLock { $0 = newValue } }
    }

    private let link = Locked((bytesPerSecond: 0, freeAt: ContinuousClock.now))

    /// The recording host's bandwidth, shared by all its transfers, in bytes a second (0:
    /// unlimited, the default). Set at run time by `POST /_mock/media-bandwidth`.
    var mediaBandwidth: Int {
        get { link.withLock { $0.bytesPerSecond } }
        set { link.withLock { $0.bytesPerSecond = max(0, newValue) } }
    }

    /// Waits until `bytes` have crossed the host's link: transfers take turns (first come,
    /// first served) at ``mediaBandwidth``, like one line that every transfer shares. No
    /// wait when the bandwidth is unlimited.
    func transmit(_ bytes: Int) async throws {
        let end: ContinuousClock.Instant? = link.withLock { link in
            guard link.bytesPerSecond > 0 else { return nil }
            let start = max(ContinuousClock.now, link.freeAt)
            link.freeAt = start + .nanoseconds(Int64(Double(bytes) / Double(link.bytesPerSecond) * 1e9))
            return link.freeAt
        }
        if let end { try await Task.sleep(until: end, clock: .continuous) }
    }

    // MARK: Faults

    var faults: MockFaults { injected.withLock { $0.faults } }

    func setFaults(_ faults: MockFaults) {
        injected.withLock {
            $0.faults = faults
            $0.random = SplitMix64(seed: faults.seed)
        }
    }

    /// Draws one decision with probability `p` from the seeded generator.
    func chance(_ p: Double) -> Bool {
        let fires = injected.withLock { $0.random.chance(p) }
        if fires { stats.withLock { $0.injectedFaults += 1 } }
        return fires
    }

    /// Counts a fault injected without a draw (e.g. a redirect every request gets).
    func recordInjectedFault() {
        stats.withLock { $0.injectedFaults += 1 }
    }

    /// Recording URLs handed out before the last ``expireURLs()`` stop working.
    var urlGeneration: Int { injected.withLock { $0.urlGeneration } }

    func expireURLs() {
        injected.withLock { $0.urlGeneration += 1 }
    }

    /// The query string recording URLs carry (empty until URLs were first expired).
    var urlSuffix: String {
        let generation = urlGeneration
        return generation == 0 ? "" : "?sig=\(generation)"
    }
}
