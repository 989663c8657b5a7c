/// How the read path retries requests to the recording host (size probes and range
/// streams alike): an error that may pass (5xx, 429, a broken connection, a wrong
/// `Content-Range`) is retried with backoff, up to ``attempts`` tries per streak of
/// failures; an expired URL (401/403/404/410) is replaced by a fresh one, at most
/// ``refreshes`` times per streak (a fresh URL can expire again before it is used, when
/// URLs live only seconds). Anything else, or a failure past those limits, is final.
struct RecordingRetry {
    /// Tries per failure streak.
    static let attempts = 4
    /// Fresh URLs per failure streak.
    static let refreshes = 2
    private var attempt = 0
    private var refreshed = 0

    /// The last try made progress: the next failure starts a new streak.
    mutating func progressed() {
        attempt = 0
        refreshed = 0
    }

    /// Returns once the request may be tried again (after the backoff, or once
    /// `refreshURL` has found a fresh URL); rethrows `error` (or why the refresh failed)
    /// when it may not.
    mutating func recover(
        from error: any Error, refreshURL: () async throws -> Bool, logRetry: (String) -> Void
    ) async throws {
        switch error {
        case RecordingHostError.expired(let status) where refreshed < Self.refreshes:
            refreshed += 1
            guard try await refreshURL() else { throw RecordingHostError.expired(status: status) }
        case RecordingHostError.unavailable(let reason) where attempt + 1 < Self.attempts:
            attempt += 1
            logRetry(reason)
            try await Task.sleep(for: .milliseconds(100 << attempt))
        default:
            throw error
        }
    }
}
