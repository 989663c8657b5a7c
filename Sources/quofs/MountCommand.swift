import ArgumentParser
import AsyncHTTPClient
import CMalloc
import FUSE
import Foundation
import Logging
import NIOCore
import QuoAPI
import QuoCatalog
import QuoFS
import QuoMock

/// `quofs mount MOUNTPOINT`
struct MountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mount",
        abstract: "Mount a Quo workspace's calls at MOUNTPOINT.",
        discussion: """
            Returns once the mount is ready (or fails with one clear line), leaving a daemon
            serving it; `quofs unmount MOUNTPOINT` stops it. With --foreground it stays
            attached instead, and Ctrl-C (SIGINT) or SIGTERM unmount cleanly.

            Environment: QUO_API_KEY (the API key), QUO_API_URL (the API base URL),
            QUO_API_VERSION (the API version).

            Every option can also be given mount(8)-style, as `-o name[=value],…` with
            underscores or dashes (`-o api_key_file=/etc/quofs/key,allow_other`), which is
            what `mount -t fuse.quofs` and /etc/fstab pass; fstab's own options (`_netdev`,
            `nofail`, `x-systemd.*`, …) are accepted and ignored. See the README.
            """
    )

    @Argument(help: "An existing, empty directory to mount on.", completion: .directory)
    var mountpoint: String

    @OptionGroup var api: APIOptions


    @Option(help: ArgumentHelp("Memory budget of the recording block cache, e.g. 256M, 1G.", valueName: "size"))
    var cacheSize: ByteSize = ByteSize(bytes: 256 << 20)

    @Option(help: ArgumentHelp("Seconds a directory listing is reused before the API is asked again.", valueName: "seconds"))
    var dirCacheTime: Double = 60

    @Flag(help: "Back the block cache with transparent huge pages (fewer page faults on cold reads; see docs/READ-PATH.md).")
    var hugePages = false

    @Flag(help: "Stay in the foreground instead of daemonizing.")
    var foreground = false

    @Flag(help: "Let other users access the mount (see the README's security notes).")
    var allowOther = false

    @Flag(help: "Log every API request and FUSE failure (to stderr, or --log-file).")
    var debug = false

    @Option(help: ArgumentHelp("Where the daemon writes its log once mounted (default: nowhere in the background, stderr with --foreground).", valueName: "file"))
    var logFile: String?

    @Option(help: ArgumentHelp(
        "Most directory listings fetched ahead of a program walking the tree (find, rsync); 0: none (see docs/FETCH-AHEAD.md).",
        valueName: "n"))
    var fetchAhead: Int = 8

    @Option(help: ArgumentHelp(
        "Most recordings fetched ahead of a program copying the tree file after file (rsync, cp -r); 0: none (see docs/READ-PATH.md).",
        valueName: "n"))
    var filesAhead: Int = 8

    @Option(help: ArgumentHelp("Seconds after which a read that cannot be served fails with EIO.", valueName: "seconds"))
    var readTimeout: Double = 60


    @OptionGroup(title: "Call content")
    var content: ContentOptions

    @Flag(help: "Mount the built-in demo workspace (no API key, no network; no catalog unless --catalog-dir).")
    var demo = false

    func validate() throws {
        guard cacheSize.bytes >= 1 << 20 else { throw ValidationError("--cache-size must be at least 1M") }
        guard dirCacheTime >= 0, dirCacheTime.isFinite else { throw ValidationError("--dir-cache-time must be 0 or more seconds") }
        guard readTimeout >= 1, readTimeout.isFinite else { throw ValidationError("--read-timeout must be at least 1 second") }
        guard (0...64).contains(fetchAhead) else { throw ValidationError("--fetch-ahead must be 0...64") }
        guard (0...32).contains(filesAhead) else { throw ValidationError("--files-ahead must be 0...32") }
    }


    func run() throws {
        let path = Mountpoint.absolute(mountpoint)
        if let problem = Mountpoint.problem(with: path) ?? Mountpoint.fuseProblem() {
            throw CommandError(problem)
        }
        if !demo { _ = try api.key() }  // fail before daemonizing

        if !foreground {
            let arguments = Array(Quofs.arguments.dropFirst())
            try Daemon.launchAndWait(arguments: arguments)
        }
        if Daemon.isChild { Daemon.detach() }
        FUSESession.reserveStopSignalsForLoopThread()
        // Allocations above 128 KiB get their own mappings, returned to the system when
        // freed, instead of growing heap arenas that never shrink. (Cached blocks have
        // their own memory, BlockArena; docs/READ-PATH.md has what this still saves.)
        _ = cmalloc_set_mmap_threshold(128 * 1024)

        let journal = JournalLogHandler.standardErrorIsJournal()
        let level: Logger.Level = debug ? .debug : .info
        LoggingSystem.bootstrap { label in
            if journal {
                var handler = JournalLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "quofs")

        let service = try runBlocking { try await self.start(logger: logger) }
        let session = FUSESession(fileSystem: service.fileSystem, options: mountOptions, logger: logger)
        do {
            try session.mount(at: path)
        } catch {
            try? runBlocking { try await service.shutdown() }
            throw CommandError("\(error)")
        }
        // `quofs status` (a socket outside the tree); removed when the loop below ends.
        let statusServer = StatusServer.start(for: service, mountPoint: path, apiURL: service.mock?.baseURL ?? api.baseURL, logger: logger)
        // Ready once the mount answers: a stat of its root, from another thread, returns
        // only when the loop below has taken the kernel's INIT and answered.
        let logFile = self.logFile
        let description = service.description
        Thread.detachNewThread {
            var info = stat()
            if stat(path, &info) != 0 {
                // Mounted, but the root does not answer: say so, and don't keep the parent waiting.
                logger.warning("the mount at \(path) does not answer: \(String(cString: strerror(errno)))")
            }
            if Daemon.isChild {
                Daemon.notifyReady(logFile: logFile)
            } else {
                logger.info("mounted \(description) at \(path); stop with Ctrl-C or `quofs unmount \(path)`")
                if let logFile { Daemon.redirectStandardError(to: logFile) }
            }
            SystemdNotify.send("READY=1\nSTATUS=Serving \(description) at \(path)")
        }
        session.run()
        statusServer?.stop()
        SystemdNotify.send("STOPPING=1")
        session.close()
        try? runBlocking { try await service.shutdown() }
        logger.info("unmounted \(path)")
    }

    private var mountOptions: MountOptions {
        var options = MountOptions()
        options.fsName = "quofs"
        options.subtype = "quofs"
        options.allowOther = allowOther
        return options
    }



    /// Starts the HTTP client (and the demo server), checks the key with one request, and
    /// builds the filesystem.
    private func start(logger: Logger) async throws -> RunningService {
        var mock: QuoMockServer?
        let baseURL: String
        let key: String
        if demo {
            let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions())
            mock = server
            baseURL = server.baseURL
            key = server.options.apiKey
        } else {
            baseURL = api.baseURL
            if let problem = api.urlPolicy.problem(with: baseURL) {
                throw CommandError("API URL \(baseURL): \(problem)")
            }
            key = try api.key()
        }

        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .quofs)

        let version = try api.version()
        let client = QuoClient(
            httpClient: httpClient, configuration: QuoClientConfiguration(baseURL: baseURL, apiKey: key, version: version),
            logger: logger)
        let workspace = QuoWorkspace(client: client)

        do {
            // The only request at mount time: check the key (and keep the answer as the
            // root listing). Retried once only, so an unreachable API fails the mount in
            // seconds rather than after the full backoff. Through the same client as all
            // later requests, so it counts against the same rate limit.
            let phoneNumbers = try await workspace.phoneNumbers(maxRetries: 1)
            var configuration = QuoFSConfiguration(uid: getuid(), gid: getgid())
            configuration.cacheSize = cacheSize.bytes
            configuration.hugePages = hugePages
            configuration.directoryCacheTime = .milliseconds(Int64(dirCacheTime * 1000))
            configuration.readTimeout = .milliseconds(Int64(readTimeout * 1000))
            configuration.urlPolicy = api.urlPolicy
            configuration.fetchAheadWindow = fetchAhead
            configuration.callContent = content.kinds
            configuration.filesAhead = filesAhead
            let catalog = (demo && api.catalogDir == nil)
                ? nil : api.openCatalog(baseURL: baseURL, version: version, phoneNumbers: phoneNumbers, logger: logger)
            let fileSystem = QuoFileSystem(
                workspace: workspace, store: catalog, httpClient: httpClient, configuration: configuration, logger: logger)
            try await fileSystem.seedRoot(with: phoneNumbers)
            return RunningService(
                fileSystem: fileSystem, httpClient: httpClient, mock: mock, catalog: catalog,
                description: (demo ? "the demo workspace" : "\(baseURL)") + " (API version \(version.rawValue))")
        } catch {
            try? await httpClient.shutdown()
            await mock?.stop()
            switch error {
            case let error as QuoAPIError where error.kind == .unauthorized || error.kind == .forbidden:
                throw CommandError("the Quo API rejected the API key (HTTP \(error.status ?? 0)): \(error.message)")
            case let error as QuoAPIError where error.kind == .versionRefused:
                throw CommandError(
                    "the Quo API at \(baseURL) does not serve API version \(version.rawValue) (HTTP \(error.status ?? 0): \(error.message)); try --api-version v1")
            case let error as QuoAPIError where error.kind == .transport:
                throw CommandError("cannot reach the Quo API at \(baseURL): \(error.message)")
            default:
                throw CommandError("\(error)")
            }
        }
    }
}

/// What runs behind a mount, to shut down after it.
struct RunningService: Sendable {
    let fileSystem: QuoFileSystem
    let httpClient: HTTPClient
    let mock: QuoMockServer?
    let catalog: Catalog?
    let description: String

    func shutdown() async throws {
        await catalog?.flush()
        try await httpClient.shutdown()
        await mock?.stop()
    }
}

extension APIVersion: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument)
    }
}
