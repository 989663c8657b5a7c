import MountHelper
import Testing

/// mount(8)'s ways of running quofs, turned into `quofs mount` arguments.
@Suite("mount helper arguments")
struct MountHelperArgumentsTests {
    @Test("mount.quofs SOURCE MOUNTPOINT -o …: quofs options with underscores or dashes, flags without values")
    func helperForm() throws {
        let rewritten = try MountHelperArguments.rewrite([
            "/sbin/mount.fuse.quofs", "quofs", "/mnt/calls", "-o", "api_key_file=/etc/quofs/key,allow_other,cache-size=512M",
        ])
        #expect(rewritten == ["/sbin/mount.fuse.quofs", "mount", "/mnt/calls", "--api-key-file=/etc/quofs/key", "--allow-other",
                              "--cache-size=512M"])
        // As mount.fuse3 runs it: `quofs SOURCE MOUNTPOINT -o OPTIONS` (with dev,suid added).
        #expect(try MountHelperArguments.rewrite(["quofs", "quofs", "/mnt/calls", "-o", "dev,suid,rw,no_transcripts"])
                == ["quofs", "mount", "/mnt/calls", "--no-transcripts"])
        // -oLIST, -n, -v, the type, and the daemon child's own --foreground.
        #expect(try MountHelperArguments.rewrite(["mount.quofs", "x", "/m", "-n", "-v", "-t", "fuse.quofs", "-oro", "--foreground"])
                == ["mount.quofs", "mount", "/m", "--foreground"])
        // -f: mount(8)'s fake mount does nothing.
        #expect(try MountHelperArguments.rewrite(["mount.quofs", "quofs", "/m", "-f", "-o", "allow_other"]) == nil)
    }

    @Test("fstab's and systemd's options are accepted and ignored")
    func standardOptions() throws {
        let standard = ["rw", "ro", "dev", "nodev", "suid", "nosuid", "exec", "noexec", "auto", "noauto", "nofail", "_netdev",
                        "user", "users", "defaults", "noatime", "relatime", "x-systemd.automount", "x-systemd.idle-timeout=60",
                        "x-systemd.requires=network-online.target", "comment=systemd.automount", "default_permissions"]
        #expect(try MountHelperArguments.quofsOptions([standard.joined(separator: ",")], sloppy: false) == [])
    }

    @Test("every quofs mount option has an -o spelling; values where needed, none for flags")
    func everyOption() throws {
        for (name, kind) in MountHelperArguments.mountOptions {
            let underscored = name.replacingOccurrences(of: "-", with: "_")
            switch kind {
            case .flag:
                #expect(try MountHelperArguments.quofsOptions([underscored], sloppy: false) == ["--" + name])
                #expect(throws: MountHelperArguments.Problem.self) { try MountHelperArguments.quofsOptions([underscored + "=1"], sloppy: false) }
            case .value:
                #expect(try MountHelperArguments.quofsOptions([underscored + "=v"], sloppy: false) == ["--\(name)=v"])
                #expect(throws: MountHelperArguments.Problem.self) { try MountHelperArguments.quofsOptions([underscored], sloppy: false) }
            }
        }
    }

    @Test("an unknown option is one clear error (skipped with -s); other forms pass through")
    func unknown() throws {
        #expect(throws: MountHelperArguments.Problem(description:
            "unknown mount option 'cache_sise' (the options are those of `quofs mount --help`, e.g. api_key_file=FILE, cache_size=512M, allow_other)")) {
            try MountHelperArguments.rewrite(["quofs", "mount", "/m", "-o", "cache_sise=1G"])
        }
        #expect(try MountHelperArguments.rewrite(["mount.quofs", "q", "/m", "-s", "-o", "bogus,allow_other"])
                == ["mount.quofs", "mount", "/m", "--allow-other"])
        #expect(try MountHelperArguments.rewrite(["quofs", "mount", "/m", "--cache-size", "1G"]) == ["quofs", "mount", "/m", "--cache-size", "1G"])
        #expect(try MountHelperArguments.rewrite(["quofs", "catalog", "info"]) == ["quofs", "catalog", "info"])
        // A mistyped subcommand is not a mount: only mount.fuse3's form (with -o) is.
        #expect(try MountHelperArguments.rewrite(["quofs", "mout", "/m"]) == ["quofs", "mout", "/m"])
        #expect(throws: MountHelperArguments.Problem.self) { try MountHelperArguments.rewrite(["mount.quofs", "/m"]) }
        #expect(throws: MountHelperArguments.Problem.self) { try MountHelperArguments.rewrite(["quofs", "mount", "/m", "-o"]) }
    }
}
