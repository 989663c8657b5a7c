import AsyncHTTPClient
import FUSE
import Logging
import QuoAPI
import QuoMock
@testable import QuoFS

/// A QuoFileSystem over a QuoMock server (real HTTP on loopback), without a kernel.
struct Fixture {
    let fileSystem: QuoFileSystem
    let server: QuoMockServer
    let http: HTTPClient

    func close() async {
        try? await http.shutdown()
        await server.stop()
    }

    /// Resolves a path from the root by lookups.
    func resolve(_ path: String) async throws -> Entry {
        var entry = Entry(
            attributes: FileAttributes(inode: rootInode, kind: .directory, permissions: 0, size: 0,
                                       modificationTime: Timestamp(seconds: 0), linkCount: 2, uid: 0, gid: 0),
            entryTimeout: 1, attributeTimeout: 1)
        for component in path.split(separator: "/") {
            entry = try await fileSystem.lookup(parent: entry.attributes.inode, name: String(component))
        }
        return entry
    }

    /// A filesystem over the demo workspace. Fetching ahead is off unless `configure`
    /// turns it on, so request counts are those of the operations alone.
    static func make(
        version: APIVersion = .v1, workspace: MockWorkspace = .demo, options: MockOptions = MockOptions(),
        configure: (inout QuoFSConfiguration) -> Void = { _ in }
    ) async throws -> Fixture {
        let server = try await QuoMockServer.start(workspace: workspace, options: options)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .quofs)
        let client = QuoClient(
            httpClient: http, configuration: QuoClientConfiguration(baseURL: server.baseURL, apiKey: options.apiKey, version: version),
            logger: Logger(label: "test"))
        var configuration = QuoFSConfiguration(uid: 1000, gid: 1000)
        configuration.fetchAheadWindow = 0
        configure(&configuration)
        let quo = QuoWorkspace(client: client)
        let fileSystem = QuoFileSystem(workspace: quo, httpClient: http, configuration: configuration, logger: Logger(label: "test"))
        try await fileSystem.seedRoot(with: try await quo.phoneNumbers())
        return Fixture(fileSystem: fileSystem, server: server, http: http)
    }
}

extension Array where Element == any ReplyBytes {
    /// The pieces of a read's answer, one after the other.
    func joined() -> [UInt8] {
        var bytes: [UInt8] = []
        for piece in self { piece.withReplyBytes { bytes.append(contentsOf: $0) } }
        return bytes
    }
}

extension DirectoryListing {
    /// The entries but a call's content files (`*.vtt`, `transcript.txt`, `summary.md`,
    /// `call.json`): the audio and voicemail files tests written before them check.
    var withoutCallContent: [DirectoryEntry] {
        entries.filter { !isCallContent($0.name) }
    }
}

/// Whether `name` is one of a call's content files.
func isCallContent(_ name: String) -> Bool {
    name.hasSuffix(".vtt") || ["transcript.txt", "summary.md", "call.json"].contains(name)
}

/// Whether a request-log line is one of the once-per-mount requests for people's names
/// (`GET /users`, `GET /v1/contacts`), made with the first listing of a number.
func isPeopleRequest(_ line: String) -> Bool {
    line.hasPrefix("GET /users") || line.hasPrefix("GET /v1/contacts")
}
