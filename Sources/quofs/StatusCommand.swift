import ArgumentParser
import Foundation
import QuoFS

#if canImport(Glibc)
import Glibc
#endif

/// `quofs status [MOUNTPOINT] [--json]`
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what a running mount is doing, or list your running mounts.",
        discussion: """
            Asks the mount's daemon over its status socket (never through the mounted tree, \
            never costing an API request): API version and host, requests sent, their rate \
            over the last minute, 429s and retries, listings and calls known, the catalog, \
            the block cache's use and hit ratio, open files, bytes read from the recording \
            host, read errors. Without MOUNTPOINT: your running mounts, from the sockets \
            that answer (those of dead daemons are removed).

            The sockets are in $RUNTIME_DIRECTORY if set (systemd's RuntimeDirectory=), else \
            $XDG_RUNTIME_DIR/quofs, else /tmp/quofs-<uid>: run this with the daemon's \
            environment. The packaged systemd unit's /run/quofs is looked in too.
            """
    )

    @Argument(help: "A quofs mount point (none: list your running mounts).", completion: .directory)
    var mountpoint: String?

    @Flag(help: "Print one JSON object (a JSON array of them without MOUNTPOINT), keys sorted.")
    var json = false

    func run() throws {
        let directories: [String]
        do {
            directories = try Self.directories()
        } catch {
            throw CommandError("\(error)")
        }
        if let mountpoint {
            let status = try Self.status(of: mountpoint, directories: directories)
            print(json ? status.json : status.humanReadable, terminator: "")
        } else {
            list(directories.flatMap(Self.running(in:)).sorted { $0.mountPoint < $1.mountPoint })
        }
    }

    /// The status directories to look in that exist: this user's (``StatusSocket``; an
    /// unusable one is an error), then the packaged systemd unit's `/run/quofs` when it
    /// is this user's too and `$RUNTIME_DIRECTORY` is not set.
    static func directories() throws -> [String] {
        let environment = ProcessInfo.processInfo.environment
        let primary = StatusSocket.directory(environment: environment)
        var directories = try StatusSocket.prepareDirectory(primary, create: false) ? [primary] : []
        if !StatusSocket.isSystemdDirectory(environment: environment), primary != StatusSocket.packagedUnitDirectory,
           (try? StatusSocket.prepareDirectory(StatusSocket.packagedUnitDirectory, create: false)) == true {
            directories.append(StatusSocket.packagedUnitDirectory)
        }
        return directories
    }

    /// The status of the mount at `mountpoint`, or why there is none as one line.
    static func status(of mountpoint: String, directories: [String]) throws -> MountStatus {
        let path = StatusSocket.canonicalMountPoint(Mountpoint.absolute(mountpoint))
        let socket = StatusSocket.path(forMountPoint: path, in: StatusSocket.directory())
        var problem: CommandError?
        for directory in directories {
            let socket = StatusSocket.path(forMountPoint: path, in: directory)
            switch StatusSocket.ask(socket) {
            case .success(let answer):
                guard let status = try? MountStatus(json: answer) else {
                    problem = problem ?? CommandError("the daemon at \(socket) sent an answer this quofs cannot read (another quofs version?)")
                    continue
                }
                guard status.mountPoint == path else {
                    problem = problem ?? CommandError("the status socket \(socket) answers for \(status.mountPoint), not \(path)")
                    continue
                }
                return status
            case .failure(.stale):
                unlink(socket)
            case .failure(.missing):
                continue
            case .failure(.permissionDenied):
                problem = problem ?? CommandError("cannot connect to \(socket): Permission denied")
            case .failure(.noAnswer):
                problem = problem ?? CommandError(
                    "the daemon at \(socket) closed the connection without answering (it answers its own user only)")
            case .failure(.failed(let reason)):
                problem = problem ?? CommandError("cannot ask the daemon at \(socket): \(reason)")
            }
        }
        if let problem { throw problem }
        if isQuofsMount(path) {
            throw CommandError(
                "\(path) is a quofs mount, but no daemon answers at \(socket) (a stale mount, or a daemon started with another RUNTIME_DIRECTORY or XDG_RUNTIME_DIR)")
        }
        throw CommandError("\(path) is not a quofs mount")
    }

    /// The mounts whose sockets in `directory` answer; sockets nothing listens on any
    /// more (their daemon died) are removed.
    static func running(in directory: String) -> [MountStatus] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var mounts: [MountStatus] = []
        for name in names.sorted() where name.hasSuffix(".sock") {
            let socket = directory + "/" + name
            switch StatusSocket.ask(socket) {
            case .success(let answer):
                if let status = try? MountStatus(json: answer) { mounts.append(status) }
            case .failure(.stale):
                var info = stat()
                if lstat(socket, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK { unlink(socket) }
            case .failure:
                continue
            }
        }
        return mounts
    }

    private func list(_ mounts: [MountStatus]) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = (try? encoder.encode(mounts)) ?? Data("[]".utf8)
            print(String(decoding: data, as: UTF8.self))
            return
        }
        guard !mounts.isEmpty else {
            FileHandle.standardError.write(Data("no running quofs mounts (status sockets in \(StatusSocket.directory()))\n".utf8))
            return
        }
        let rows = [["MOUNT POINT", "API HOST", "API VERSION", "PID"]]
            + mounts.map { [$0.mountPoint, $0.apiHost, $0.apiVersion, "\($0.pid)"] }
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let padded = (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
            print((padded + [row[3]]).joined(separator: "  "))
        }
    }

    /// Whether /proc/self/mountinfo has a quofs mount (`fuse.quofs`) at `path`.
    static func isQuofsMount(_ path: String) -> Bool {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return false }
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4, Mountpoint.unescape(String(fields[4])) == path,
                  let separator = fields.firstIndex(of: "-"), separator + 1 < fields.count
            else { continue }
            if fields[separator + 1] == "fuse.quofs" { return true }
        }
        return false
    }
}
