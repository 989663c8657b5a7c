import ArgumentParser
import Foundation

/// `quofs unmount MOUNTPOINT`
struct UnmountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmount",
        abstract: "Unmount a quofs mount (also a stale one left by a killed daemon)."
    )

    @Argument(help: "The mountpoint to unmount.", completion: .directory)
    var mountpoint: String

    func run() throws {
        let path = Mountpoint.absolute(mountpoint)
        guard Mountpoint.isMounted(path) else {
            throw CommandError("\(path) is not mounted")
        }
        var result = try Mountpoint.unmount(path, lazy: false)
        if result.status != 0 && result.output.contains("not connected") {
            // A killed daemon left a stale mount: detach it.
            result = try Mountpoint.unmount(path, lazy: true)
        }
        guard result.status == 0 else {
            let reason = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
            throw CommandError("could not unmount \(path): \(reason.isEmpty ? "fusermount3 failed" : reason)")
        }
    }
}
