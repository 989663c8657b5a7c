import Hummingbird
import Logging

/// A fake Quo (OpenPhone) API and recording host, served over real HTTP on
/// loopback by Hummingbird: `/v1/*` speaks the documented v1 JSON (auth, rate
/// limit, pagination, error bodies), the unprefixed paths (`/calls`, `/phone-numbers`,
/// …) the dated version `2026-03-30` (header `Quo-Api-Version`, cursor pagination), both
/// from the same workspace and under one rate limit; `/media/*` serves recording and
/// voicemail bytes with byte ranges, and `/_mock/stats` reports what was asked.
///
/// ```swift
/// let server = try await QuoMockServer.start()
/// // point a client at server.baseURL with API key "demo-key"
/// await server.stop()
/// ```
public final class QuoMockServer: Sendable {
    /// The served workspace (as last set by ``replaceWorkspace(_:)``).
    public var workspace: MockWorkspace { state.index.workspace }
    /// The options the server runs with.
    public let options: MockOptions
    /// The bound TCP port.
    public let port: Int
    /// `http://HOST:PORT` (no trailing slash): the API base URL, also the host of recording URLs.
    public let baseURL: String

    private let state: MockServerState
    private let runTask: Task<Void, Never>

    private init(options: MockOptions, port: Int, baseURL: String, state: MockServerState, runTask: Task<Void, Never>) {
        self.options = options
        self.port = port
        self.baseURL = baseURL
        self.state = state
        self.runTask = runTask
    }

    /// Starts a server and returns once it is listening.
    ///
    /// - Parameters:
    ///   - workspace: What to serve; ``MockWorkspace/demo`` by default.
    ///   - options: API key, rate limit, page size cap.
    ///   - host: Address to bind; loopback by default.
    ///   - port: Port to bind; 0 picks a free one (see ``port``).
    ///   - logger: Hummingbird's logger; by default one at `critical` level, so a stop during a download stays quiet.
    public static func start(
        workspace: MockWorkspace = .demo,
        options: MockOptions = MockOptions(),
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger? = nil
    ) async throws -> QuoMockServer {
        let state = MockServerState(workspace: workspace, options: options)
        let router = Router()
        router.add(middleware: APIGate(state: state))
        APIRoutes(state: state).register(on: router)
        DatedAPIRoutes(state: state).register(on: router)
        MediaRoutes(state: state).register(on: router)

        let started = StartupSignal()
        let urlHost = Self.urlHost(for: host)
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let boundPort = channel.localAddress?.port ?? port
                state.baseURL = "http://\(urlHost):\(boundPort)"
                started.resolve(.success(boundPort))
            },
            logger: logger ?? Self.defaultLogger
        )
        let runTask = Task {
            do {
                try await app.run()
                started.resolve(.failure(QuoMockServerError.stoppedBeforeListening))
            } catch {
                started.resolve(.failure(error))
            }
        }
        let boundPort: Int
        do {
            boundPort = try await started.wait()
        } catch {
            runTask.cancel()
            await runTask.value
            throw error
        }
        return QuoMockServer(
            options: options,
            port: boundPort,
            baseURL: state.baseURL,
            state: state,
            runTask: runTask
        )
    }

    /// What the server has served so far.
    public func stats() -> MockStats {
        state.currentStats
    }

    /// Zeroes the stats and empties the rate limiter's window.
    public func resetStats() {
        state.resetStats()
    }

    /// Serves `workspace` from now on, as the real API would after calls were made or
    /// finished: tests of what a remount notices.
    public func replaceWorkspace(_ workspace: MockWorkspace) {
        state.replaceWorkspace(workspace)
    }

    /// Injects faults from now on (see ``MockFaults``); `MockFaults()` turns them off.
    public func setFaults(_ faults: MockFaults) {
        state.setFaults(faults)
    }

    /// Makes every recording URL handed out so far answer 403, as expired signed URLs
    /// do; recording lists list fresh ones from now on.
    public func expireRecordingURLs() {
        state.expireURLs()
    }

    /// Stops listening, ends open connections and waits for the server to finish.
    public func stop() async {
        runTask.cancel()
        await runTask.value
    }

    private static var defaultLogger: Logger {
        var logger = Logger(label: "QuoMock")
        logger.logLevel = .critical
        return logger
    }

    /// The host as written in a URL: wildcard binds become loopback, IPv6 gets brackets.
    private static func urlHost(for host: String) -> String {
        switch host {
        case "0.0.0.0", "": return "127.0.0.1"
        case "::", "[::]": return "[::1]"
        default: return host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        }
    }
}

/// Errors of ``QuoMockServer``.
public enum QuoMockServerError: Error, Sendable {
    /// The server stopped before it ever listened.
    case stoppedBeforeListening
}
