/// A keyed cache of values that are expensive to fetch (API listings, recording sizes).
///
/// - Concurrent requests for the same key share one fetch.
/// - Each value is kept for a lifetime chosen from the value itself (`nil` = for good).
/// - When a refresh of an expired value fails, the stale value keeps being served and
///   the failure is logged by the caller's fetch; only a key never fetched successfully
///   surfaces the error.
actor AsyncCache<Key: Hashable & Sendable, Value: Sendable> {
    private struct Entry {
        var value: Value
        var expires: ContinuousClock.Instant?
    }

    private var entries: [Key: Entry] = [:]
    private var fetches: [Key: Task<Value, any Error>] = [:]
    private let lifetime: @Sendable (Value) -> Duration?

    /// - Parameter lifetime: how long a fetched value stays fresh; `nil` means forever.
    init(lifetime: @escaping @Sendable (Value) -> Duration?) {
        self.lifetime = lifetime
    }

    /// The cached value if fresh, else a new fetch (shared with concurrent callers).
    /// With `refresh`, a fresh cached value is ignored.
    func value(for key: Key, refresh: Bool = false, fetch: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        if !refresh, let entry = entries[key], entry.expires.map({ $0 > now }) ?? true {
            return entry.value
        }
        let task: Task<Value, any Error>
        if let running = fetches[key] {
            task = running
        } else {
            task = Task { try await fetch() }
            fetches[key] = task
        }
        do {
            let value = try await task.value
            if fetches[key] == task {
                fetches[key] = nil
                entries[key] = Entry(value: value, expires: lifetime(value).map { ContinuousClock.now + $0 })
            }
            return value
        } catch {
            if fetches[key] == task { fetches[key] = nil }
            if let stale = entries[key]?.value, !(error is CancellationError) {
                return stale
            }
            throw error
        }
    }
}
