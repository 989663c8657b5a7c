import Foundation
import Logging
import QuoFS

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's status socket, which `quofs status` asks (see ``StatusSocket`` for where
/// it is and ``StatusListener`` for how it is served). Started once the mount is up,
/// stopped (and the socket removed) when the FUSE loop ends: unmount, SIGTERM, SIGINT.
enum StatusServer {
    /// Starts answering for the mount at `mountPoint`; nil (with a warning: the mount
    /// goes on without) when the status directory or socket cannot be used.
    static func start(for service: RunningService, mountPoint: String, apiURL: String, logger: Logger) -> StatusListener? {
        let environment = ProcessInfo.processInfo.environment
        let directory = StatusSocket.directory(environment: environment)
        let systemd = StatusSocket.isSystemdDirectory(environment: environment)
        do {
            try StatusSocket.prepareDirectory(directory, create: !systemd, tighten: systemd)
            let canonical = StatusSocket.canonicalMountPoint(mountPoint)
            let path = StatusSocket.path(forMountPoint: canonical, in: directory)
            let started = ContinuousClock.now
            let pid = Int(getpid())
            let fileSystem = service.fileSystem
            let apiVersion = fileSystem.apiVersion.rawValue
            let catalogPath = service.catalog?.path
            return try StatusListener.start(path: path, respond: { request in
                guard request == "status" else { return Array("{\"error\":\"unknown request\"}\n".utf8) }
                // Counters and two lstat calls: no lock a FUSE request holds for long, no
                // actor, no API request, no SQLite.
                let status = MountStatus(
                    mountPoint: canonical, socketPath: path, pid: pid,
                    uptimeSeconds: Int((ContinuousClock.now - started).components.seconds), apiVersion: apiVersion,
                    apiURL: apiURL, catalogPath: catalogPath, catalogBytes: catalogPath.map(onDiskSize),
                    statistics: fileSystem.statistics)
                return Array(status.json.utf8)
            }, log: { logger.warning("\($0)") })
        } catch {
            logger.warning("no status socket, `quofs status` will not see this mount: \(error)")
            return nil
        }
    }

    /// Bytes of an SQLite database and its write-ahead log.
    private static func onDiskSize(_ path: String) -> Int {
        [path, path + "-wal"].reduce(0) { total, file in
            var info = stat()
            return total + (lstat(file, &info) == 0 ? Int(info.st_size) : 0)
        }
    }
}
