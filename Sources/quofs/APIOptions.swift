import ArgumentParser
import Foundation
import Logging
import QuoAPI
import QuoCatalog
import QuoFS

#if canImport(Glibc)
import Glibc
#endif

/// The options that say which workspace to reach and where its catalog is: shared by
/// `quofs mount` and `quofs catalog`.
struct APIOptions: ParsableArguments {
    @Option(help: "The Quo API base URL (default: $QUO_API_URL, else https://api.quo.com).")
    var apiURL: String?

    @Option(help: ArgumentHelp(
        "The API version: 2026-03-30 (the whole workspace, group calls included) or v1 (default: $QUO_API_VERSION, else 2026-03-30).",
        valueName: "version"))
    var apiVersion: APIVersion?

    @Option(help: ArgumentHelp(
        "Read the API key from this file instead of $QUO_API_KEY (must not be readable by group or others).",
        valueName: "file"))
    var apiKeyFile: String?

    @Flag(help: "Allow plain-HTTP API and recording URLs to hosts other than loopback (traffic, and the API key, then travel unencrypted).")
    var allowInsecureHTTP = false

    @Option(help: ArgumentHelp(
        "Where the catalog (what quofs remembers across mounts) lives (default: $CACHE_DIRECTORY under systemd, else ${XDG_CACHE_HOME:-~/.cache}/quofs).",
        valueName: "dir"), completion: .directory)
    var catalogDir: String?

    @Flag(help: "Remember nothing across mounts: every mount starts from the API.")
    var noCatalog = false

    func validate() throws {
        _ = try version()
        if let apiURL, let problem = urlPolicy.problem(with: apiURL) {
            throw ValidationError("--api-url \(apiURL): \(problem)")
        }
    }

    var urlPolicy: URLPolicy { URLPolicy(allowInsecureHTTP: allowInsecureHTTP) }

    /// --api-url, else $QUO_API_URL, else the default.
    var baseURL: String {
        apiURL ?? ProcessInfo.processInfo.environment["QUO_API_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://api.quo.com"
    }

    /// --api-version, else $QUO_API_VERSION, else the default.
    func version() throws -> APIVersion {
        if let apiVersion { return apiVersion }
        guard let text = ProcessInfo.processInfo.environment["QUO_API_VERSION"], !text.isEmpty else { return .default }
        guard let version = APIVersion(rawValue: text) else {
            throw ValidationError("QUO_API_VERSION=\(text): expected one of \(APIVersion.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return version
    }

    /// The API key from --api-key-file or QUO_API_KEY.
    func key() throws -> String {
        if let apiKeyFile {
            var info = stat()
            guard stat(apiKeyFile, &info) == 0 else {
                throw CommandError("cannot read --api-key-file \(apiKeyFile): \(String(cString: strerror(errno)))")
            }
            if info.st_mode & 0o077 != 0 {
                throw CommandError("--api-key-file \(apiKeyFile) is readable by group or others; run `chmod 600 \(apiKeyFile)`")
            }
            guard let text = try? String(contentsOfFile: apiKeyFile, encoding: .utf8) else {
                throw CommandError("cannot read --api-key-file \(apiKeyFile)")
            }
            let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !key.isEmpty else { throw CommandError("--api-key-file \(apiKeyFile) is empty") }
            return key
        }
        let key = (ProcessInfo.processInfo.environment["QUO_API_KEY"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else {
            throw CommandError("no API key: set QUO_API_KEY or pass --api-key-file (or try --demo)")
        }
        return key
    }

    /// The catalog folder: --catalog-dir, else `$CACHE_DIRECTORY` (what systemd's
    /// `CacheDirectory=` sets for a service: /var/cache/quofs), else
    /// `${XDG_CACHE_HOME:-~/.cache}/quofs`.
    var catalogDirectory: String {
        if let catalogDir { return Mountpoint.absolute(catalogDir) }
        let environment = ProcessInfo.processInfo.environment
        if let service = environment["CACHE_DIRECTORY"]?.split(separator: ":").first, service.hasPrefix("/") {
            return String(service)
        }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return cache + "/quofs"
    }

    /// The catalog's name for a workspace: one per API host, API version and workspace.
    /// A workspace is named by the id of its oldest phone number (`PN…`, from the key
    /// check): the key is never stored, nor anything derived from it.
    static func catalogName(baseURL: String, version: APIVersion, phoneNumbers: [PhoneNumber]) -> String {
        let oldest = phoneNumbers.min { a, b in
            let (ta, tb) = (a.createdAt.flatMap(QuoTimestamp.init(iso8601:)), b.createdAt.flatMap(QuoTimestamp.init(iso8601:)))
            if ta != tb, let ta, let tb { return ta < tb }
            return a.id < b.id
        }?.id ?? "no-numbers"
        var host = baseURL
        if let scheme = host.range(of: "://") { host = String(host[scheme.upperBound...]) }
        return String("\(host)-\(version.rawValue)-\(oldest)".map { $0.isLetter || $0.isNumber || "-.".contains($0) ? $0 : "_" })
    }

    /// The workspace's catalog, unless --no-catalog (nil also when there can be none:
    /// a warning says why).
    func openCatalog(baseURL: String, version: APIVersion, phoneNumbers: [PhoneNumber], logger: Logger) -> Catalog? {
        guard !noCatalog else { return nil }
        let name = Self.catalogName(baseURL: baseURL, version: version, phoneNumbers: phoneNumbers)
        return Catalog.open(in: catalogDirectory, name: name, logger: logger)
    }
}
