import ArgumentParser
import AsyncHTTPClient
import FUSE
import Foundation
import Logging
import QuoAPI
import QuoCatalog
import QuoFS
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `quofs catalog info|clear|warm`: the catalog, for people.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Look at, fill or remove the catalog: what quofs remembers of a workspace across mounts.",
        discussion: """
            Each subcommand checks the API key with one request (the workspace is named by
            its oldest phone number). Same key, URL, version and catalog options as `mount`.
            """,
        subcommands: [Info.self, Clear.self, Warm.self]
    )

    /// The workspace's numbers (one request: the key check) and the catalog's name.
    static func identify(_ api: APIOptions, logger: Logger) throws -> (name: String, phoneNumbers: [PhoneNumber]) {
        let key = try api.key()
        let baseURL = api.baseURL
        if let problem = api.urlPolicy.problem(with: baseURL) { throw CommandError("API URL \(baseURL): \(problem)") }
        let version = try api.version()
        return try runBlocking {
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { Task { try? await http.shutdown() } }
            let client = QuoClient(httpClient: http, configuration: QuoClientConfiguration(baseURL: baseURL, apiKey: key, version: version), logger: logger)
            do {
                let numbers = try await QuoWorkspace(client: client).phoneNumbers(maxRetries: 1)
                return (APIOptions.catalogName(baseURL: baseURL, version: version, phoneNumbers: numbers), numbers)
            } catch let error as QuoAPIError {
                throw CommandError(describe(error, baseURL: baseURL, version: version))
            }
        }
    }

    static func describe(_ error: QuoAPIError, baseURL: String, version: APIVersion) -> String {
        switch error.kind {
        case .unauthorized, .forbidden: "the Quo API rejected the API key (HTTP \(error.status ?? 0)): \(error.message)"
        case .transport: "cannot reach the Quo API at \(baseURL): \(error.message)"
        case .versionRefused:
            "the Quo API at \(baseURL) does not serve API version \(version.rawValue) (HTTP \(error.status ?? 0): \(error.message)); try --api-version v1"
        default: "\(error)"
        }
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "quofs")
        logger.logLevel = .warning
        return logger
    }

    /// `quofs catalog info`
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Where the catalog is, its size, what it holds, when it was last refreshed.")

        @OptionGroup var api: APIOptions

        func run() throws {
            let (name, _) = try CatalogCommand.identify(api, logger: CatalogCommand.quietLogger)
            guard let summary = try Catalog.summary(in: api.catalogDirectory, name: name) else {
                print("no catalog yet for this workspace (it would be \(api.catalogDirectory)/\(name).sqlite)")
                return
            }
            let when = summary.lastStored.map { Date(timeIntervalSince1970: $0).ISO8601Format() } ?? "never"
            print("""
                catalog:        \(summary.path)\(summary.inUse ? " (in use by a mount)" : "")
                size:           \(summary.bytes) bytes
                listings:       \(summary.listings) (\(summary.finalListings) final)
                recording sizes:\(" ")\(summary.sizes)
                last refreshed: \(when)
                """)
        }
    }

    /// `quofs catalog clear`
    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the workspace's catalog (the next mount starts from the API).")

        @OptionGroup var api: APIOptions

        func run() throws {
            let (name, _) = try CatalogCommand.identify(api, logger: CatalogCommand.quietLogger)
            do {
                if try Catalog.remove(in: api.catalogDirectory, name: name) {
                    print("removed \(api.catalogDirectory)/\(name).sqlite")
                } else {
                    print("no catalog for this workspace in \(api.catalogDirectory)")
                }
            } catch {
                throw CommandError("\(api.catalogDirectory)/\(name).sqlite \(error)")
            }
        }
    }

    /// `quofs catalog warm`
    struct Warm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fill the catalog with the whole workspace's metadata and recording sizes, without mounting.",
            discussion: """
                Walks the workspace as a mount would, at the API's limit (listings fetched
                ahead), for the first backup of a big workspace or a cron job before rsync.
                Progress goes to stderr (one line kept up to date on a terminal). Ctrl-C
                keeps what was fetched; a second run continues from it.
                """)

        @OptionGroup var api: APIOptions
        @OptionGroup(title: "Call content") var content: ContentOptions

        func run() throws {
            let logger = CatalogCommand.quietLogger
            let kinds = content.kinds
            guard !api.noCatalog else { throw CommandError("--no-catalog: there is no catalog to warm") }
            let key = try api.key()
            let baseURL = api.baseURL
            if let problem = api.urlPolicy.problem(with: baseURL) { throw CommandError("API URL \(baseURL): \(problem)") }
            let version = try api.version()
            let directory = api.catalogDirectory
            let api = self.api
            let interrupted = Atomic<Bool>(false)
            signal(SIGINT, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
            source.setEventHandler { interrupted.store(true, ordering: .relaxed) }
            source.resume()
            try runBlocking {
                let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .quofs)
                let client = QuoClient(httpClient: http, configuration: QuoClientConfiguration(baseURL: baseURL, apiKey: key, version: version), logger: logger)
                let workspace = QuoWorkspace(client: client)
                do {
                    let numbers: [PhoneNumber]
                    do {
                        numbers = try await workspace.phoneNumbers(maxRetries: 1)
                    } catch let error as QuoAPIError {
                        throw CommandError(CatalogCommand.describe(error, baseURL: baseURL, version: version))
                    }
                    guard let catalog = api.openCatalog(baseURL: baseURL, version: version, phoneNumbers: numbers, logger: logger) else {
                        throw CommandError("no catalog could be opened in \(directory) (see the warning above)")
                    }
                    var configuration = QuoFSConfiguration(uid: getuid(), gid: getgid())
                    configuration.urlPolicy = api.urlPolicy
                    configuration.callContent = kinds
                    let fileSystem = QuoFileSystem(workspace: workspace, store: catalog, httpClient: http, configuration: configuration, logger: logger)
                    try await fileSystem.seedRoot(with: numbers)
                    let progress = WarmProgress(client: client, terminal: isatty(2) == 1)
                    let finished = try await CatalogCommand.walk(fileSystem, progress: progress) { interrupted.load(ordering: .relaxed) }
                    await catalog.flush()
                    progress.finish(interrupted: !finished, path: catalog.path)
                    try await http.shutdown()
                    if !finished { throw ExitCode(130) }
                } catch {
                    try? await http.shutdown()
                    throw error
                }
            }
        }
    }

    /// Lists every directory depth first, as `find` would (so listings are fetched
    /// ahead); false if `stop` said to stop first.
    static func walk(_ fileSystem: QuoFileSystem, progress: WarmProgress, stop: @escaping @Sendable () -> Bool) async throws -> Bool {
        var pending: [(Inode, depth: Int)] = [(rootInode, 0)]
        while let (inode, depth) = pending.popLast() {
            if stop() { return false }
            let listing: DirectoryListing
            do {
                listing = try await fileSystem.listDirectory(inode)
            } catch {
                progress.failed()
                continue
            }
            // Depth 2: a participants directory (its entries are calls); depth 3: a call.
            progress.listed(calls: depth == 2 ? listing.entries.count : 0, isCall: depth == 3)
            for entry in listing.entries.reversed() where entry.entry.attributes.kind == .directory {
                pending.append((entry.entry.attributes.inode, depth + 1))
            }
        }
        return true
    }
}

/// `quofs catalog warm`'s progress: calls known, listings done, requests per second and
/// the time left (from the calls known and not yet listed, at the measured rate).
final class WarmProgress: Sendable {
    private struct State {
        var listings = 0
        var calls = 0
        var callsListed = 0
        var failures = 0
        var lastPrint = ContinuousClock.now
    }

    private let client: QuoClient
    private let terminal: Bool
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    init(client: QuoClient, terminal: Bool) {
        self.client = client
        self.terminal = terminal
    }

    func listed(calls: Int, isCall: Bool) {
        let line = state.withLock { state -> String? in
            state.listings += 1
            state.calls += calls
            if isCall { state.callsListed += 1 }
            let now = ContinuousClock.now
            guard now - state.lastPrint >= (terminal ? .milliseconds(200) : .seconds(5)) else { return nil }
            let seconds = Double((now - started).components.seconds) + Double((now - started).components.attoseconds) / 1e18
            let requests = client.requestsSent
            let rate = seconds > 0 ? Double(requests) / seconds : 0
            // Call directories are about a request each: what is left of them, at this rate.
            let left = max(0, state.calls - state.callsListed)
            let eta = rate > 0 ? Int(Double(left) / rate) : 0
            state.lastPrint = now
            return "calls known \(state.calls), listings done \(state.listings), \(String(format: "%.1f", rate)) requests/s"
                + (eta > 0 ? ", about \(eta / 60)m\(eta % 60)s left" : "")
        }
        if let line { emit(line) }
    }

    func failed() {
        state.withLock { $0.failures += 1 }
    }

    func finish(interrupted: Bool, path: String) {
        let summary = state.withLock { "\($0.calls) calls known, \($0.listings) listings, \(client.requestsSent) API requests"
            + ($0.failures > 0 ? ", \($0.failures) listings failed (run again to retry them)" : "") }
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let verb = interrupted ? "interrupted: kept" : "done:"
        FileHandle.standardError.write(Data("\(verb) \(summary) in \(path)\n".utf8))
    }

    private func emit(_ line: String) {
        FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }
}
