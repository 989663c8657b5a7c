/// The state shared by a server's routes: the prepared workspace, options,
/// rate limiter, counters and the base URL (known once the port is bound).
final class MockServerState: Sendable {
    let index: WorkspaceIndex
    let options: MockOptions
    let rateLimiter: MockRateLimiter
    private let stats = Locked(MockStats())
    private let base = Locked("")

    init(workspace: MockWorkspace, options: MockOptions) {
        index = WorkspaceIndex(workspace)
        self.options = options
        rateLimiter = MockRateLimiter(limit: options.requestsPerSecond)
    }

    /// `http://host:port`, without trailing slash.
    var baseURL: String {
        get { base.withLock { $0 } }
        set { base.withLock { $0 = newValue } }
    }

    var currentStats: MockStats { stats.withLock { $0 } }

    func resetStats() {
        stats.withLock { $0 = MockStats() }
        rateLimiter.reset()
    }

    func recordAPIRequest(_ line: String) {
        stats.withLock {
            $0.apiRequests += 1
            $0.apiRequestLog.append(line)
        }
    }

    func recordRateLimited() {
        stats.withLock { $0.rateLimited += 1 }
    }

    func recordIndexRequest() {
        stats.withLock { $0.indexRequests += 1 }
    }

    func recordMediaRequest(withAuthorization: Bool) {
        stats.withLock {
            $0.mediaRequests += 1
            if withAuthorization { $0.mediaRequestsWithAuthorization += 1 }
        }
    }
}
