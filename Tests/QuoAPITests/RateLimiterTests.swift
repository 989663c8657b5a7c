import Testing
@testable import QuoAPI

@Suite("Rate limiter schedule")
struct RateLimiterTests {
    typealias Instant = ContinuousClock.Instant
    let start = ContinuousClock.now

    func at(_ milliseconds: Int) -> Instant { start.advanced(by: .milliseconds(milliseconds)) }

    @Test("at most `limit` requests in flight or completed within the window")
    func window() {
        var schedule = SlidingWindowSchedule<Instant>(limit: 3, window: .seconds(1))
        #expect(schedule.admit(now: at(0)) == .go)
        #expect(schedule.admit(now: at(0)) == .go)
        #expect(schedule.admit(now: at(0)) == .go)
        #expect(schedule.admit(now: at(0)) == .waitForCompletion)
        schedule.complete(at: at(200))
        // Counted until one window after its response arrived.
        #expect(schedule.admit(now: at(300)) == .waitUntil(at(1200)))
        #expect(schedule.admit(now: at(1200)) == .go)
        #expect(schedule.inFlight == 3)
    }

    @Test("a steady stream never exceeds the limit in any window, however late responses are")
    func steady() {
        var schedule = SlidingWindowSchedule<Instant>(limit: 10, window: .seconds(1))
        var now = 0
        var starts: [Int] = []
        var completions: [(Int, Int)] = []  // (time, index)
        while starts.count < 60 {
            completions.sort { $0.0 < $1.0 }
            while let first = completions.first, first.0 <= now {
                schedule.complete(at: at(first.0))
                completions.removeFirst()
            }
            switch schedule.admit(now: at(now)) {
            case .go:
                starts.append(now)
                completions.append((now + 5 + (starts.count * 37) % 200, starts.count))  // 5–205 ms latency
            case .waitUntil(let instant):
                now = Int((instant - start) / .milliseconds(1))
            case .waitForCompletion:
                now = completions.map(\.0).min()!
            }
        }
        for (index, time) in starts.enumerated() where index >= 10 {
            #expect(time - starts[index - 10] >= 1000)
        }
    }

    @Test("a pause after a 429 holds back everyone, and only extends")
    func pause() {
        var schedule = SlidingWindowSchedule<Instant>(limit: 10, window: .seconds(1))
        #expect(schedule.admit(now: at(0)) == .go)
        schedule.pause(until: at(3000))
        schedule.pause(until: at(2000))
        #expect(schedule.admit(now: at(100)) == .waitUntil(at(3000)))
        #expect(schedule.admit(now: at(3500)) == .go)
    }

    @Test("the actor waits on the real clock")
    func actorWaits() async throws {
        let limiter = RequestRateLimiter(limit: 3, window: .milliseconds(200), clock: ContinuousClock())
        let clock = ContinuousClock()
        let began = clock.now
        for _ in 0..<7 {
            try await limiter.acquire()
            await limiter.release()
        }
        // 7 requests at 3 per 200 ms need at least two full windows.
        #expect(clock.now - began >= .milliseconds(400))
    }

    @Test("a request fetched ahead waits while a foreground request waits, then goes")
    func foregroundFirst() async throws {
        let limiter = RequestRateLimiter(limit: 1, window: .milliseconds(20), clock: ContinuousClock())
        try await limiter.acquire()  // the one slot is taken
        let order = OrderLog()
        let background = Task {
            try await limiter.acquire(priority: .background)
            await order.append("background")
            await limiter.release()
        }
        // Whichever of the two reaches the limiter first, the foreground one goes first.
        try await Task.sleep(for: .milliseconds(20))
        let foreground = Task {
            try await limiter.acquire(priority: .foreground)
            await order.append("foreground")
            await limiter.release()
        }
        while await limiter.waiting.foreground == 0 { await Task.yield() }
        await limiter.release()
        try await foreground.value
        try await background.value
        #expect(await order.entries == ["foreground", "background"])
        let waiting = await limiter.waiting
        #expect(waiting.foreground == 0 && waiting.background == 0)
    }
}

actor OrderLog {
    var entries: [String] = []
    func append(_ entry: String) { entries.append(entry) }
}
