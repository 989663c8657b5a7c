import ArgumentParser
import Foundation
import QuoMock

#if canImport(Glibc)
import Glibc
#endif

/// `quofs demo-server`: serves the demo (or benchmark, or generated walk) workspace over
/// HTTP on loopback
/// without mounting it, for benchmarks and for trying other clients (curl, rclone,
/// httpdirfs) against the same bytes.
struct DemoServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-server",
        abstract: "Serve the built-in demo workspace (fake Quo API and recording host) on loopback.",
        discussion: """
            Prints `url <base URL>` and `key <API key>` lines, then serves until killed.
            Mount it with
              QUO_API_KEY=demo-key quofs mount MOUNTPOINT --api-url <printed URL>
            The API answers under <URL>/v1/ and, with the header
            `Quo-Api-Version: 2026-03-30`, on unprefixed paths (<URL>/calls, …).
            Other endpoints: <URL>/files/ (an HTML index of the recordings, for rclone's
            http backend or httpdirfs), <URL>/_mock/stats (request counters, JSON),
            `POST <URL>/_mock/media-latency?ms=N` (the recording host's first-byte latency
            from then on) and `POST <URL>/_mock/media-bandwidth?bytes_per_second=N` (its
            bandwidth, shared by all its transfers; 0: unlimited).
            """
    )

    /// Which built-in workspace to serve.
    enum Workspace: String, ExpressibleByArgument, CaseIterable {
        case demo
        case benchmark
        case walk
        case files

        /// The workspace; `calls` sizes the generated `walk` one, and `files`' trees.
        func mock(calls: Int, fileSize: Int) -> MockWorkspace {
            switch self {
            case .demo: return .demo
            case .benchmark: return .benchmark
            case .walk: return .generated(calls: calls)
            case .files: return .files(count: calls, size: fileSize)
            }
        }
    }

    @Option(help: "TCP port on 127.0.0.1 (0: any free port).")
    var port: Int = 0

    @Option(help: "Requests per second allowed on the API (the real limit is 10; 0: unlimited).")
    var rateLimit: Int = 10

    @Option(help: """
        demo, benchmark (the demo plus a 1 GiB and sixteen 16 MiB recordings), walk \
        (a generated workspace of --calls calls on 4 numbers, for walk benchmarks), or files \
        (two trees of --calls recordings of --file-size bytes each, for copy benchmarks).
        """)
    var workspace: Workspace = .demo

    @Option(help: "Number of calls of the walk workspace (of each tree of the files workspace).")
    var calls: Int = 1000

    @Option(help: ArgumentHelp("Size of each recording of the files workspace.", valueName: "bytes"))
    var fileSize: Int = 200 << 10

    @Option(help: ArgumentHelp("Delay before every API response (both API versions).", valueName: "ms"))
    var apiLatencyMs: Int = 0

    @Option(help: ArgumentHelp("Delay before the first byte of every recording-host response.", valueName: "ms"))
    var mediaLatencyMs: Int = 0

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard rateLimit >= 0 else { throw ValidationError("--rate-limit must be 0 or more") }
        guard (0...60_000).contains(mediaLatencyMs) else { throw ValidationError("--media-latency-ms must be 0...60000") }
        guard (0...60_000).contains(apiLatencyMs) else { throw ValidationError("--api-latency-ms must be 0...60000") }
        guard (0...1_000_000).contains(calls) else { throw ValidationError("--calls must be 0...1000000") }
        guard (44...(1 << 30)).contains(fileSize) else { throw ValidationError("--file-size must be 44 bytes…1 GiB") }
    }

    func run() throws {
        let options = MockOptions(
            requestsPerSecond: rateLimit > 0 ? rateLimit : nil,
            mediaLatency: .milliseconds(mediaLatencyMs),
            apiLatency: .milliseconds(apiLatencyMs)
        )
        let port = self.port
        let workspace = self.workspace.mock(calls: calls, fileSize: fileSize)
        let server = try runBlocking { try await QuoMockServer.start(workspace: workspace, options: options, port: port) }
        // Unbuffered, so a script reading our stdout sees the lines at once.
        FileHandle.standardOutput.write(Data("url \(server.baseURL)\nkey \(server.options.apiKey)\n".utf8))
        while true { sleep(3600) }
    }
}
