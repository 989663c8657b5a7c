import Foundation

/// Turns mount(8)-style arguments into `quofs mount` arguments, so quofs can be run as
/// `mount -t fuse.quofs`, from /etc/fstab and by mount.fuse3:
///
/// - as `mount.quofs` or `mount.fuse.quofs` (argv[0], symlinks the installer makes),
///   or as `quofs SOURCE MOUNTPOINT -o OPTIONS` (how mount.fuse3 runs a `fuse.quofs`
///   type): `SOURCE MOUNTPOINT [-sfnv] [-o OPTIONS]`; SOURCE is ignored (write `quofs`);
/// - `quofs mount MOUNTPOINT -o OPTIONS` (any `-o` among the arguments).
///
/// OPTIONS is a comma-separated list; each quofs mount option has a spelling there, with
/// underscores or dashes: `api_key_file=/etc/quofs/key`, `cache_size=512M`, `allow_other`
/// (flags take no value). The options mount(8), fstab and systemd pass are accepted and
/// ignored (``ignoredOptions``, `x-*`, `comment=…`), or honoured: `ro` (a quofs mount is
/// always read-only). Anything else is one clear error.
public enum MountHelperArguments {
    /// How a quofs mount option is given.
    public enum Kind: Equatable, Sendable {
        case flag
        case value
    }

    /// Every `quofs mount` option (its long name) and whether it takes a value. A test
    /// checks it against `quofs mount --help`, so no option is left without an `-o`
    /// spelling.
    public static let mountOptions: [String: Kind] = [
        "api-url": .value, "api-version": .value, "api-key-file": .value, "allow-insecure-http": .flag,
        "catalog-dir": .value, "no-catalog": .flag,
        "cache-size": .value, "dir-cache-time": .value, "huge-pages": .flag, "foreground": .flag,
        "allow-other": .flag, "debug": .flag, "log-file": .value, "fetch-ahead": .value, "files-ahead": .value, "read-timeout": .value,
        "no-transcripts": .flag, "no-summaries": .flag, "demo": .flag,
    ]

    /// Options mount(8), fstab and mount.fuse3 pass that mean nothing to quofs (or are
    /// always so: `ro`, `nosuid`, `nodev`, `default_permissions`). `rw` is accepted too:
    /// the mount stays read-only.
    public static let ignoredOptions: Set<String> = [
        "ro", "rw", "defaults", "auto", "noauto", "nofail", "_netdev", "user", "nouser", "users", "owner", "group",
        "dev", "nodev", "suid", "nosuid", "exec", "noexec", "async", "sync", "atime", "noatime", "relatime",
        "norelatime", "strictatime", "nostrictatime", "lazytime", "nolazytime", "diratime", "nodiratime",
        "iversion", "noiversion", "mand", "nomand", "silent", "loud", "default_permissions",
    ]

    /// A problem with the arguments, reported as one line.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// The names `mount.quofs` runs under.
    public static let helperNames: Set<String> = ["mount.quofs", "mount.fuse.quofs"]

    /// The subcommands and options `quofs` itself takes: a first argument that is none of
    /// them (nor an option) is a mount(8) SOURCE.
    public static let subcommands: Set<String> = ["mount", "unmount", "catalog", "demo-server", "status", "help"]

    /// What to run for `arguments` (argv, with argv[0]): unchanged unless one of the forms
    /// above. `nil` means "do nothing and succeed" (`-f`, mount(8)'s fake mount).
    public static func rewrite(_ arguments: [String]) throws -> [String]? {
        guard let program = arguments.first else { return arguments }
        let name = (program as NSString).lastPathComponent
        let rest = Array(arguments.dropFirst())
        if helperNames.contains(name) {
            return try helper(rest).map { [program] + $0 }
        }
        // mount.fuse3's form always carries options (it adds at least `dev,suid`); without
        // any, a mistyped subcommand must not become a mount.
        if let first = rest.first, !first.hasPrefix("-"), !subcommands.contains(first), rest.count >= 2,
           rest.contains(where: { $0.hasPrefix("-o") }) {
            return try helper(rest).map { [program] + $0 }
        }
        if rest.first == "mount", rest.contains(where: { $0 == "-o" || ($0.hasPrefix("-o") && !$0.hasPrefix("--")) }) {
            return [program, "mount"] + (try translate(Array(rest.dropFirst()), sloppy: false))
        }
        return arguments
    }

    /// `SOURCE MOUNTPOINT [-sfnv] [-o OPTIONS]` → `mount MOUNTPOINT --…`.
    public static func helper(_ arguments: [String]) throws -> [String]? {
        var positional: [String] = []
        var options: [String] = []
        var sloppy = false
        var fake = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "-o" {
                guard index + 1 < arguments.count else { throw Problem(description: "-o needs a list of options") }
                options.append(arguments[index + 1])
                index += 2
                continue
            }
            if argument.hasPrefix("-o") {
                options.append(String(argument.dropFirst(2)))
            } else if argument == "-t" {
                index += 1  // the type (fuse.quofs): known already
            } else if argument.hasPrefix("-"), !argument.hasPrefix("--"), argument.count > 1 {
                // util-linux's helper flags: -s sloppy, -f fake, -n no mtab, -v verbose.
                for flag in argument.dropFirst() {
                    switch flag {
                    case "s": sloppy = true
                    case "f": fake = true
                    case "n", "v": break
                    default: throw Problem(description: "unknown mount helper flag -\(flag)")
                    }
                }
            } else if argument.hasPrefix("--") {
                options.append(String(argument.dropFirst(2)))
            } else {
                positional.append(argument)
            }
            index += 1
        }
        guard positional.count == 2 else {
            throw Problem(description: "usage: mount.quofs SOURCE MOUNTPOINT [-o OPTIONS] (SOURCE is ignored: write quofs)")
        }
        if fake { return nil }
        return ["mount", positional[1]] + (try quofsOptions(options, sloppy: sloppy))
    }

    /// `quofs mount` arguments with every `-o LIST` (or `-oLIST`) replaced by long options.
    public static func translate(_ arguments: [String], sloppy: Bool) throws -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "-o" {
                guard index + 1 < arguments.count else { throw Problem(description: "-o needs a list of options") }
                result += try quofsOptions([arguments[index + 1]], sloppy: sloppy)
                index += 2
                continue
            }
            if argument.hasPrefix("-o"), !argument.hasPrefix("--") {
                result += try quofsOptions([String(argument.dropFirst(2))], sloppy: sloppy)
            } else {
                result.append(argument)
            }
            index += 1
        }
        return result
    }

    /// Each comma-separated `key[=value]` of `lists` as `--key[=value]`.
    public static func quofsOptions(_ lists: [String], sloppy: Bool) throws -> [String] {
        var result: [String] = []
        for list in lists {
            for item in list.split(separator: ",", omittingEmptySubsequences: true).map(String.init) {
                let (rawKey, value) = item.firstIndex(of: "=").map { (String(item[..<$0]), Optional(String(item[item.index(after: $0)...]))) }
                    ?? (item, nil)
                if ignoredOptions.contains(rawKey) || rawKey.hasPrefix("x-") || rawKey == "comment" { continue }
                let key = rawKey.replacingOccurrences(of: "_", with: "-")
                guard let kind = mountOptions[key] else {
                    if sloppy { continue }
                    throw Problem(description: "unknown mount option '\(rawKey)' (the options are those of `quofs mount --help`, e.g. api_key_file=FILE, cache_size=512M, allow_other)")
                }
                switch (kind, value) {
                case (.flag, nil): result.append("--" + key)
                case (.flag, let value?):
                    throw Problem(description: "mount option '\(rawKey)' takes no value (got '\(value)')")
                case (.value, let value?) where !value.isEmpty: result.append("--\(key)=\(value)")
                case (.value, _):
                    throw Problem(description: "mount option '\(rawKey)' needs a value: \(rawKey)=…")
                }
            }
        }
        return result
    }
}
