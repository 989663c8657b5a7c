/// Keeps API requests under a rate limit shared by everything using one key.
///
/// The API allows 10 requests per second per key. The server can only count requests
/// as they reach it, and a request's arrival is known to have happened once its response
/// is back. So this limiter counts a request from its start until one window after its
/// response arrived: at most `limit` requests are in flight or finished within the last
/// `window`. Whatever the delays on the way, no `limit + 1` requests can then reach the
/// server within one window. (A token bucket with a burst of 10 would allow up to 20
/// within one second.) A 429 pauses everyone (``pause(for:)``).
///
/// Requests fetched ahead (``RequestPriority/background``) start only while no
/// foreground request is waiting to start, so a request someone waits for never queues
/// behind fetches made ahead of need.
public actor RequestRateLimiter<C: Clock> where C.Duration == Duration {
    private let clock: C
    private var schedule: SlidingWindowSchedule<C.Instant>
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Foreground requests that called ``acquire(priority:)`` and have not started yet.
    private var foregroundWaiting = 0
    /// Background requests held back while foreground ones wait.
    private var backgroundWaiters: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int, window: Duration, clock: C) {
        self.clock = clock
        self.schedule = SlidingWindowSchedule(limit: limit, window: window)
    }

    /// Waits until a request may be sent. Call ``release()`` once its response is in
    /// (or it failed).
    public func acquire(priority: RequestPriority = .foreground) async throws {
        if priority == .foreground {
            foregroundWaiting += 1
        }
        defer {
            if priority == .foreground {
                foregroundWaiting -= 1
                if foregroundWaiting == 0 { wakeBackground() }
            }
        }
        while true {
            if priority == .background, foregroundWaiting > 0 {
                await withCheckedContinuation { backgroundWaiters.append($0) }
                continue
            }
            try Task.checkCancellation()
            switch schedule.admit(now: clock.now) {
            case .go:
                return
            case .waitUntil(let instant):
                try await clock.sleep(until: instant, tolerance: nil)
            case .waitForCompletion:
                await withCheckedContinuation { waiters.append($0) }
            }
        }
    }

    private func wakeBackground() {
        let waking = backgroundWaiters
        backgroundWaiters.removeAll()
        for waiter in waking { waiter.resume() }
    }

    /// How many requests are waiting to start, by priority (for tests and status).
    public var waiting: (foreground: Int, background: Int) {
        (foregroundWaiting, backgroundWaiters.count)
    }

    /// The request admitted by ``acquire(priority:)`` is over.
    public func release() {
        schedule.complete(at: clock.now)
        let waking = waiters
        waiters.removeAll()
        for waiter in waking { waiter.resume() }
    }

    /// Holds back every request not yet started for `duration` (after a 429).
    public func pause(for duration: Duration) {
        schedule.pause(until: clock.now.advanced(by: duration))
    }
}

/// The rate limiter's bookkeeping, free of time and tasks so it can be tested alone.
public struct SlidingWindowSchedule<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// What a request asking to start must do.
    public enum Decision: Equatable, Sendable {
        case go
        case waitUntil(Instant)
        /// `limit` requests are in flight: wait for one to complete.
        case waitForCompletion
    }

    public let limit: Int
    public let window: Duration
    /// Requests admitted and not yet complete.
    public private(set) var inFlight = 0
    /// Completion instants within the last window, oldest first.
    private var completions: [Instant] = []
    private var pausedUntil: Instant?

    public init(limit: Int, window: Duration) {
        precondition(limit > 0)
        self.limit = limit
        self.window = window
    }

    /// Admits a request at `now` (counting it as in flight) or says what to wait for.
    public mutating func admit(now: Instant) -> Decision {
        if let pausedUntil, pausedUntil > now { return .waitUntil(pausedUntil) }
        let window = self.window
        completions.removeAll { $0.advanced(by: window) <= now }
        if inFlight + completions.count < limit {
            inFlight += 1
            return .go
        }
        if let oldest = completions.first { return .waitUntil(oldest.advanced(by: window)) }
        return .waitForCompletion
    }

    /// An admitted request completed at `instant`.
    public mutating func complete(at instant: Instant) {
        inFlight = max(0, inFlight - 1)
        completions.append(instant)
    }

    /// No request starts before `instant` (a pause only ever extends).
    public mutating func pause(until instant: Instant) {
        if let pausedUntil, pausedUntil >= instant { return }
        pausedUntil = instant
    }
}
