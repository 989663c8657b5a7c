import Synchronization

/// What a ``QuoClient`` has done since it was made (for `quofs status`).
public struct ClientStatistics: Sendable, Equatable {
    /// HTTP requests sent to the API, retries included.
    public var requestsSent: Int
    /// Of those, the ones sent within the last 60 seconds (whole seconds: the current
    /// second and the 59 before it).
    public var requestsLastMinute: Int
    /// Answers with HTTP 429 (Too Many Requests).
    public var rateLimited: Int
    /// Requests sent again after a 429, a 5xx or a connection failure.
    public var retries: Int

    public init(requestsSent: Int = 0, requestsLastMinute: Int = 0, rateLimited: Int = 0, retries: Int = 0) {
        self.requestsSent = requestsSent
        self.requestsLastMinute = requestsLastMinute
        self.rateLimited = rateLimited
        self.retries = retries
    }

    /// Requests per second over the last minute.
    public var requestsPerSecondLastMinute: Double {
        Double(requestsLastMinute) / Double(ClientCounters.rateWindowSeconds)
    }
}

/// Counts of events in each of the last `seconds` whole seconds: a ring of per-second
/// buckets, each tagged with the second it counts, so a bucket left over from an earlier
/// lap of the ring is never counted. Free of clocks, so it can be tested alone.
public struct PerSecondRing: Sendable, Equatable {
    public let seconds: Int
    private var counts: [Int]
    /// The second each bucket counts (`Int64.min`: none yet).
    private var tags: [Int64]

    public init(seconds: Int) {
        precondition(seconds > 0)
        self.seconds = seconds
        self.counts = Array(repeating: 0, count: seconds)
        self.tags = Array(repeating: Int64.min, count: seconds)
    }

    private func index(of second: Int64) -> Int {
        let n = Int64(seconds)
        return Int(((second % n) + n) % n)
    }

    /// Counts `count` events in `second`.
    public mutating func record(_ count: Int = 1, atSecond second: Int64) {
        let index = index(of: second)
        if tags[index] != second {
            tags[index] = second
            counts[index] = 0
        }
        counts[index] += count
    }

    /// Events counted in `now` and the `seconds - 1` seconds before it.
    public func total(atSecond now: Int64) -> Int {
        var total = 0
        for index in 0..<seconds where tags[index] != Int64.min && tags[index] <= now && now - tags[index] < Int64(seconds) {
            total += counts[index]
        }
        return total
    }
}

/// The counters behind ``QuoClient/statistics``: bumped from any task, read from any
/// thread (a status request never waits for a request in progress).
final class ClientCounters: Sendable {
    static let rateWindowSeconds = 60
    private let sent = ManagedAtomicCounter()
    private let rateLimitedCount = ManagedAtomicCounter()
    private let retryCount = ManagedAtomicCounter()
    private let perSecond = Mutex(PerSecondRing(seconds: rateWindowSeconds))
    private let origin = ContinuousClock.now

    private var currentSecond: Int64 { (ContinuousClock.now - origin).components.seconds }

    func requestSent() {
        sent.add()
        let second = currentSecond
        perSecond.withLock { $0.record(atSecond: second) }
    }

    func rateLimited() { rateLimitedCount.add() }
    func retried() { retryCount.add() }

    var requestsSent: Int { sent.load() }

    var snapshot: ClientStatistics {
        let second = currentSecond
        return ClientStatistics(
            requestsSent: sent.load(), requestsLastMinute: perSecond.withLock { $0.total(atSecond: second) },
            rateLimited: rateLimitedCount.load(), retries: retryCount.load())
    }
}
