import Testing
@testable import QuoAPI

@Suite("Rate limiter schedule")
struct RateLimiterTests {
    typealias Instant = ContinuousClock.Instant
    let start = ContinuousClock.now

    func at(_ milliseconds: Int) -> Instant { start.advanced(by: .milliseconds(milliseconds)) }

    @Test("never more than the limit within any window")
    func slidingWindow() {
        var schedule = SlidingWindowSchedule<Instant>(limit: 10, window: .seconds(1))
        // 35 requests all asked for at once.
        let slots = (0..<35).map { _ in schedule.reserve(now: at(0)) }
        #expect(slots[0..<10].allSatisfy { $0 == at(0) })
        #expect(slots[10] == at(1000))
        #expect(slots[20] == at(2000))
        for i in 10..<slots.count {
            #expect(slots[i] >= slots[i - 10].advanced(by: .seconds(1)))
        }
        #expect(zip(slots, slots.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test("requests spread out in time go immediately")
    func noDelayWhenUnderLimit() {
        var schedule = SlidingWindowSchedule<Instant>(limit: 10, window: .seconds(1))
        for i in 0..<50 {
            #expect(schedule.reserve(now: at(i * 100)) == at(i * 100))
        }
    }

    @Test("a pause after a 429 holds back everyone, and only extends")
    func pause() {
        var schedule = SlidingWindowSchedule<Instant>(limit: 10, window: .seconds(1))
        #expect(schedule.reserve(now: at(0)) == at(0))
        schedule.pause(until: at(3000))
        schedule.pause(until: at(2000))
        #expect(schedule.reserve(now: at(100)) == at(3000))
        #expect(schedule.reserve(now: at(3500)) == at(3500))
    }

    @Test("the actor waits on the real clock")
    func actorWaits() async throws {
        let limiter = RequestRateLimiter(limit: 3, window: .milliseconds(200), clock: ContinuousClock())
        let clock = ContinuousClock()
        let began = clock.now
        for _ in 0..<7 { try await limiter.acquire() }
        // 7 requests at 3 per 200 ms need at least two full windows.
        #expect(clock.now - began >= .milliseconds(400))
    }
}
