/// A keyed cache of values that are expensive to fetch (API listings, recording sizes).
///
/// - Concurrent requests for the same key share one fetch.
/// - Each value is kept for a lifetime chosen from the value itself (`nil` = for good).
/// - When a refresh of an expired value fails, the stale value keeps being served and
///   the failure is logged by the caller's fetch; only a key never fetched successfully
///   surfaces the error.
actor AsyncCache<Key: Hashable & Sendable, Value: Sendable> {
    fileprivate struct Entry {
        var value: Value
        var expires: ContinuousClock.Instant?
        /// When the fetch that produced the value started.
        var fetched: ContinuousClock.Instant
    }

    fileprivate var entries: [Key: Entry] = [:]
    fileprivate var fetches: [Key: (task: Task<Value, any Error>, started: ContinuousClock.Instant)] = [:]
    private let lifetime: @Sendable (Value) -> Duration?

    /// - Parameter lifetime: how long a fetched value stays fresh; `nil` means forever.
    init(lifetime: @escaping @Sendable (Value) -> Duration?) {
        self.lifetime = lifetime
    }

    /// The cached value if fresh, else a new fetch (shared with concurrent callers).
    ///
    /// With `fetchedAfter`, freshness is not enough: the value must come from a fetch
    /// started at or after that instant (e.g. a listing newer than a recording URL found
    /// expired), cached or running; otherwise a new fetch starts. Callers that saw the
    /// same failure at about the same time share that one fetch.
    func value(
        for key: Key, fetchedAfter: ContinuousClock.Instant? = nil,
        fetch: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let now = ContinuousClock.now
        if let entry = entries[key] {
            if let fetchedAfter {
                if entry.fetched >= fetchedAfter { return entry.value }
            } else if entry.expires.map({ $0 > now }) ?? true {
                return entry.value
            }
        }
        let task: Task<Value, any Error>
        let started: ContinuousClock.Instant
        if let running = fetches[key], fetchedAfter.map({ running.started >= $0 }) ?? true {
            (task, started) = running
        } else {
            // A newer fetch replaces an older one still running: only the newest stores
            // its value.
            task = Task { try await fetch() }
            started = now
            fetches[key] = (task, started)
        }
        do {
            let value = try await task.value
            if fetches[key]?.task == task {
                fetches[key] = nil
                entries[key] = Entry(value: value, expires: lifetime(value).map { ContinuousClock.now + $0 }, fetched: started)
            }
            return value
        } catch {
            if fetches[key]?.task == task { fetches[key] = nil }
            if let stale = entries[key]?.value, !(error is CancellationError) {
                return stale
            }
            throw error
        }
    }
}

extension AsyncCache {
    /// The last value fetched for `key`, fresh or not, without fetching.
    func lastValue(for key: Key) -> Value? {
        entries[key]?.value
    }

    /// A fresh cached value, or the value of a fetch already running; nil (and no
    /// fetch) when there is neither.
    func freshOrRunningValue(for key: Key) async throws -> Value? {
        if let entry = entries[key], entry.expires.map({ $0 > ContinuousClock.now }) ?? true {
            return entry.value
        }
        guard let running = fetches[key] else { return nil }
        return try await running.task.value
    }
}
