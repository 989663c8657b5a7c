import Synchronization
import Testing
@testable import QuoFS

@Suite("Async cache")
struct AsyncCacheTests {
    /// Counts fetches; each returns its own number.
    final class Fetcher: Sendable {
        let count = Mutex(0)
        func fetch() -> Int { count.withLock { $0 += 1; return $0 } }
        var fetches: Int { count.withLock { $0 } }
    }

    @Test("fresh values are reused; concurrent callers share one fetch; a failed refresh serves the stale value")
    func basics() async throws {
        let fetcher = Fetcher()
        let shared = AsyncCache<String, Int>(lifetime: { _ in nil })
        let (gate, releaseGate) = AsyncStream<Void>.makeStream()
        let first = Task { try await shared.value(for: "a") { for await _ in gate {}; return fetcher.fetch() } }
        let second = Task { try await shared.value(for: "a") { for await _ in gate {}; return fetcher.fetch() } }
        try await Task.sleep(for: .milliseconds(50))
        releaseGate.finish()
        #expect(try await [first.value, second.value] == [1, 1])
        #expect(try await shared.value(for: "a") { fetcher.fetch() } == 1)

        let shortLived = AsyncCache<String, Int>(lifetime: { _ in .milliseconds(20) })
        #expect(try await shortLived.value(for: "a") { 10 } == 10)
        try await Task.sleep(for: .milliseconds(50))
        struct Boom: Error {}
        #expect(try await shortLived.value(for: "a") { throw Boom() } == 10)  // stale
        #expect(try await shortLived.value(for: "a") { 11 } == 11)
        await #expect(throws: Boom.self) { try await shortLived.value(for: "b") { throw Boom() } }
    }

    @Test("fetchedAfter: only a value whose fetch started at or after the instant will do")
    func fetchedAfter() async throws {
        let cache = AsyncCache<String, Int>(lifetime: { _ in nil })  // fresh for good
        let fetcher = Fetcher()
        let beforeFirst = ContinuousClock.now
        #expect(try await cache.value(for: "a") { fetcher.fetch() } == 1)
        // The cached value was fetched after `beforeFirst`: no new fetch.
        #expect(try await cache.value(for: "a", fetchedAfter: beforeFirst) { fetcher.fetch() } == 1)
        // Fresh, but fetched before the instant: fetched again.
        let afterFirst = ContinuousClock.now
        #expect(try await cache.value(for: "a", fetchedAfter: afterFirst) { fetcher.fetch() } == 2)
        #expect(try await cache.value(for: "a") { fetcher.fetch() } == 2)
        #expect(fetcher.fetches == 2)
    }

    @Test("fetchedAfter: a fetch already running is joined only if it started late enough")
    func fetchedAfterRunning() async throws {
        let cache = AsyncCache<String, Int>(lifetime: { _ in nil })
        let fetcher = Fetcher()
        // A listing fetch starts; then a URL is found expired (the instant); the running
        // fetch may predate the expiry, so the refresh must not use it.
        let (started, fetchStarted) = AsyncStream<Void>.makeStream()
        let (gate, releaseGate) = AsyncStream<Void>.makeStream()
        let slow = Task {
            try await cache.value(for: "a") {
                fetchStarted.yield()
                for await _ in gate {}
                return fetcher.fetch()
            }
        }
        var startedIterator = started.makeAsyncIterator()
        await startedIterator.next()
        let expiredAt = ContinuousClock.now
        async let refreshA = cache.value(for: "a", fetchedAfter: expiredAt) { fetcher.fetch() }
        async let refreshB = cache.value(for: "a", fetchedAfter: expiredAt) { fetcher.fetch() }
        // Both get the value of one new fetch (shared, or cached by the first).
        #expect(try await [refreshA, refreshB] == [1, 1])
        releaseGate.finish()
        #expect(try await slow.value == 2)
        #expect(fetcher.fetches == 2)
        // The older fetch, finishing last, did not replace the newer value.
        #expect(try await cache.value(for: "a", fetchedAfter: expiredAt) { fetcher.fetch() } == 1)
    }
}
