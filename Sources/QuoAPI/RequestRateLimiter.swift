/// Keeps API requests under a rate limit shared by everything using one key.
///
/// The API allows 10 requests per second per key. A token bucket with a burst of 10
/// would allow up to 20 within one second; this limiter instead keeps a sliding window:
/// no more than `limit` requests start within any `window`, which is exactly the rule
/// the server enforces. Callers are served in order (each reserves the next free slot).
/// A 429 pauses everyone (``pause(for:)``).
public actor RequestRateLimiter<C: Clock> where C.Duration == Duration {
    private let clock: C
    private var schedule: SlidingWindowSchedule<C.Instant>

    public init(limit: Int, window: Duration, clock: C) {
        self.clock = clock
        self.schedule = SlidingWindowSchedule(limit: limit, window: window)
    }

    /// Waits until a request may be sent.
    public func acquire() async throws {
        let slot = schedule.reserve(now: clock.now)
        if slot > clock.now {
            try await clock.sleep(until: slot, tolerance: nil)
        }
    }

    /// Holds back every request not yet started for `duration` (after a 429).
    public func pause(for duration: Duration) {
        schedule.pause(until: clock.now.advanced(by: duration))
    }
}

/// The rate limiter's bookkeeping, free of time and tasks so it can be tested alone:
/// given the current instant, which instant may the next request start at?
public struct SlidingWindowSchedule<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public let limit: Int
    public let window: Duration
    /// Start instants of the last `limit` requests, non-decreasing.
    private var slots: [Instant] = []
    private var pausedUntil: Instant?

    public init(limit: Int, window: Duration) {
        precondition(limit > 0)
        self.limit = limit
        self.window = window
    }

    /// Reserves and returns the earliest start not before `now` that keeps at most
    /// `limit` starts within any `window` and respects a pause.
    public mutating func reserve(now: Instant) -> Instant {
        var start = now
        if let pausedUntil, pausedUntil > start { start = pausedUntil }
        if slots.count >= limit {
            let freed = slots[slots.count - limit].advanced(by: window)
            if freed > start { start = freed }
        }
        slots.append(start)
        if slots.count > limit { slots.removeFirst(slots.count - limit) }
        return start
    }

    /// No request starts before `instant` (a pause only ever extends).
    public mutating func pause(until instant: Instant) {
        if let pausedUntil, pausedUntil >= instant { return }
        pausedUntil = instant
    }
}
