import Foundation
import MountHelper
import QuoMock
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// quofs installed and run the way Linux users run mounts: `scripts/install`,
/// `mount -t fuse.quofs`, `mount --fstab`, `umount`, the systemd unit, `--version`.
///
/// Everything goes into temporary folders but the two mount helpers: mount(8) looks for
/// `mount.fuse.quofs` in /sbin only, so these tests install them there (as CI's root)
/// and `scripts/install --uninstall` removes them again.
@Suite("Real mounts: install, mount -t, fstab, systemd", .serialized, .enabled(if: MountedWorkspace.canMount, "needs /dev/fuse and the built quofs"))
struct InstallMountTests {
    /// The package's root folder.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Installs the tested binary into a fresh prefix (helpers in /sbin), runs `body`,
    /// and uninstalls.
    static func withInstall(_ body: (String) async throws -> Void) async throws {
        let prefix = MountedWorkspace.makeMountpoint()
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let install = try await run([root + "/scripts/install", "--prefix", prefix, "--binary", MountedWorkspace.quofs])
        #expect(install.status == 0, "\(install)")
        do {
            try await body(prefix)
        } catch {
            _ = try? await run([root + "/scripts/install", "--prefix", prefix, "--uninstall"])
            throw error
        }
        let uninstall = try await run([root + "/scripts/install", "--prefix", prefix, "--uninstall"])
        #expect(uninstall.status == 0, "\(uninstall)")
    }

    /// A private key file for the mock's key.
    static func keyFile(_ key: String) throws -> String {
        let path = MountedWorkspace.makeMountpoint() + "/key"
        FileManager.default.createFile(atPath: path, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600])
        return path
    }

    /// Waits until no process runs `binary` with `mountpoint` among its arguments; false
    /// after 10 s.
    static func daemonGone(_ mountpoint: String) async throws -> Bool {
        for _ in 0..<200 {
            let found = try await run(["pgrep", "-f", "quofs.* " + mountpoint])
            if found.status != 0 { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test("scripts/install puts every file in place, twice the same, --version names the commit; --uninstall removes exactly them")
    func installAndUninstall() async throws {
        try await Self.withInstall { prefix in
            let manifest = try String(contentsOfFile: prefix + "/share/quofs/install-manifest", encoding: .utf8)
            let files = manifest.split(separator: "\n").map(String.init)
            for expected in ["/bin/quofs", "/share/man/man1/quofs.1", "/share/bash-completion/completions/quofs",
                             "/share/zsh/site-functions/_quofs", "/share/fish/vendor_completions.d/quofs.fish",
                             "/lib/systemd/system/quofs@.service"] {
                #expect(files.contains(prefix + expected), "\(expected) not installed: \(files)")
            }
            #expect(files.contains("/sbin/mount.fuse.quofs") && files.contains("/sbin/mount.quofs"))
            for file in files { #expect(FileManager.default.fileExists(atPath: file), "\(file)") }
            let again = try await run([Self.root + "/scripts/install", "--prefix", prefix, "--binary", MountedWorkspace.quofs])
            #expect(again.status == 0, "\(again)")
            #expect(try String(contentsOfFile: prefix + "/share/quofs/install-manifest", encoding: .utf8) == manifest)

            let version = try await run([prefix + "/bin/quofs", "--version"])
            let line = version.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(line.range(of: #"^quofs \d+\.\d+\.\d+ \(commit [0-9a-f]{12}(-modified)?\)$"#, options: .regularExpression) != nil, "\(line)")
            let head = try await run(["git", "-C", Self.root, "rev-parse", "--short=12", "HEAD"])
            if head.status == 0 { #expect(line.contains(head.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(line)") }
            let manual = try String(contentsOfFile: prefix + "/share/man/man1/quofs.1", encoding: .utf8)
            #expect(manual.contains(".Dt QUOFS 1") && manual.contains("mount"), "not a man page")
            let bash = try await run(["bash", "-n", prefix + "/share/bash-completion/completions/quofs"])
            #expect(bash.status == 0, "\(bash)")
            let unit = try String(contentsOfFile: prefix + "/lib/systemd/system/quofs@.service", encoding: .utf8)
            #expect(unit.contains("ExecStart=\(prefix)/bin/quofs mount --foreground") && unit.contains("Type=notify"))
        }
    }

    @Test("the systemd unit passes systemd-analyze verify (where systemd-analyze exists)")
    func unitVerifies() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") else { return }
        try await Self.withInstall { prefix in
            // An instance of the template, for the mount point /mnt/calls.
            let folder = MountedWorkspace.makeMountpoint()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let instance = folder + "/quofs@mnt-calls.service"
            try FileManager.default.copyItem(atPath: prefix + "/lib/systemd/system/quofs@.service", toPath: instance)
            let verify = try await run(["systemd-analyze", "verify", "--man=no", instance])
            #expect(verify.status == 0, "\(verify)")
            #expect(!verify.stderr.contains("quofs@"), "\(verify.stderr)")
        }
    }

    @Test("mount -t fuse.quofs with -o options mounts in the background; umount stops the daemon")
    func mountType() async throws {
        let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions())
        let key = try Self.keyFile(server.options.apiKey)
        defer { try? FileManager.default.removeItem(atPath: (key as NSString).deletingLastPathComponent) }
        try await Self.withInstall { _ in
            let mountpoint = MountedWorkspace.makeMountpoint()
            let log = mountpoint + ".log"
            defer { rmdir(mountpoint); unlink(log) }
            let options = "api_key_file=\(key),api_url=\(server.baseURL),allow_other,cache_size=512M,no_catalog,log_file=\(log),nodev,nosuid"
            let mount = try await run(["mount", "-t", "fuse.quofs", "quofs", mountpoint, "-o", options],
                                      environment: MountedWorkspace.environment(key: nil))
            #expect(mount.status == 0, "\(mount)")
            // It returned once the mount answers.
            let listing = try await run(["ls", mountpoint])
            #expect(listing.stdout == "+15550100001\n+15550100002\n_unassigned\n", "\(listing)")
            let table = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
            let line = table.split(separator: "\n").first { $0.contains(" \(mountpoint) ") }.map(String.init) ?? ""
            #expect(line.contains(" - fuse.quofs quofs ") && line.contains("allow_other"), "\(line)")
            let umount = try await run(["umount", mountpoint])
            #expect(umount.status == 0, "\(umount)")
            #expect(try await Self.daemonGone(mountpoint), "the daemon did not exit after umount")
            let written = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(written.contains("unmounted \(mountpoint)"), "\(written)")

            // An unknown option: one line, nothing mounted.
            let bad = try await run(["mount", "-t", "fuse.quofs", "quofs", mountpoint, "-o", "api_key_file=\(key),cache_sise=1G"])
            #expect(bad.status != 0 && bad.stderr.contains("unknown mount option 'cache_sise'"), "\(bad)")
            #expect(!MountedWorkspace.isMounted(mountpoint))
        }
        await server.stop()
    }

    @Test("an fstab line (quofs MOUNTPOINT fuse.quofs api_key_file=…,_netdev,nofail 0 0) mounts with mount --fstab")
    func fstab() async throws {
        let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions())
        let key = try Self.keyFile(server.options.apiKey)
        let folder = (key as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await Self.withInstall { _ in
            let mountpoint = MountedWorkspace.makeMountpoint()
            defer { rmdir(mountpoint) }
            let fstab = folder + "/fstab"
            let line = "quofs \(mountpoint) fuse.quofs api_key_file=\(key),api_url=\(server.baseURL),no_catalog,_netdev,nofail,x-systemd.automount 0 0\n"
            try line.write(toFile: fstab, atomically: true, encoding: .utf8)
            let mount = try await run(["mount", "--fstab", fstab, mountpoint], environment: MountedWorkspace.environment(key: nil))
            #expect(mount.status == 0, "\(mount)")
            #expect(MountedWorkspace.isMounted(mountpoint))
            let files = try await sh("find \(quoted(mountpoint)) -name '*.mp3' | wc -l")
            #expect(Int(files.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 10, "\(files)")
            let umount = try await run(["umount", mountpoint])
            #expect(umount.status == 0, "\(umount)")
            #expect(try await Self.daemonGone(mountpoint))
        }
        await server.stop()
    }

    @Test("every quofs mount option (from --help) has an -o spelling, and the committed manual page (docs/man) has it")
    func optionTable() async throws {
        let help = try await run([MountedWorkspace.quofs, "mount", "--help"])
        let names = Set(help.stdout.matches(of: /--([a-z][a-z-]+)/).map { String($0.1) }).subtracting(["help", "version"])
        #expect(names == Set(MountHelperArguments.mountOptions.keys), "\(names.symmetricDifference(MountHelperArguments.mountOptions.keys))")
        let page = try String(contentsOfFile: Self.root + "/docs/man/quofs.mount.1", encoding: .utf8)
        for name in names {
            #expect(page.contains("Fl -" + name), "docs/man/quofs.mount.1 lacks --\(name): run scripts/generate-manual")
        }
    }
}
