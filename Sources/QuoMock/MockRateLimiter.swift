/// Per-key sliding window limiter. A request is admitted when fewer than `limit`
/// requests of the same key were admitted within the past `window` (one second);
/// refused requests do not use up the window.
final class MockRateLimiter: Sendable {
    private let limit: Int?
    private let window: Duration
    private let admitted = Locked<[String: [ContinuousClock.Instant]]>([:])

    /// `limit` requests per `window` per key; nil admits everything.
    init(limit: Int?, window: Duration = .seconds(1)) {
        self.limit = limit
        self.window = window
    }

    /// Whether a request with `key` may proceed now; records it if so.
    func admit(key: String, now: ContinuousClock.Instant = .now) -> Bool {
        guard let limit else { return true }
        return admitted.withLock { admitted in
            var times = admitted[key, default: []]
            let cutoff = now - window
            if let firstInside = times.firstIndex(where: { $0 > cutoff }) {
                times.removeFirst(firstInside)
            } else {
                times.removeAll()
            }
            guard times.count < limit else {
                admitted[key] = times
                return false
            }
            times.append(now)
            admitted[key] = times
            return true
        }
    }

    /// Forgets every admitted request.
    func reset() {
        admitted.withLock { $0.removeAll() }
    }
}
