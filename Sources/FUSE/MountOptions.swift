/// How a ``FUSESession`` mounts and tunes the kernel side of the connection.
public struct MountOptions: Sendable {
    /// The filesystem name shown in `/proc/mounts` and `df`.
    public var fsName: String = "fuse"
    /// The subtype shown as `fuse.<subtype>` in `/proc/mounts`.
    public var subtype: String = "fuse"
    /// Mount read-only: the kernel itself answers writes with `EROFS`.
    public var readOnly: Bool = true
    /// Let users other than the mounting one see the mount (needs `user_allow_other`
    /// in /etc/fuse.conf for non-root users).
    public var allowOther: Bool = false
    /// Let the kernel check permission bits (so mode 0444 means what it says).
    public var defaultPermissions: Bool = true
    /// How many background (readahead, async) requests the kernel keeps in flight.
    /// The kernel default of 12 starves a filesystem that answers from the network.
    public var maxBackground: UInt32 = 64
    /// Largest request the kernel may send, in bytes (it sets the kernel's `max_pages`,
    /// which bounds reads as well as writes). 1 MiB: a quarter as many round trips as the
    /// kernel's 128 KiB default.
    public var maxRequestSize: UInt32 = 1 << 20
    /// The kernel's readahead for this mount, in KiB, written to
    /// `/sys/class/bdi/<device>/read_ahead_kb` after mounting (needs root; skipped
    /// otherwise). The kernel default of 128 KiB keeps only one small request in flight.
    public var readAheadKB: Int? = 4096
    /// Worker threads of libfuse's multi-threaded loop. They only dispatch: handlers
    /// reply later from tasks, so few are needed.
    public var maxThreads: UInt32 = 8

    public init() {}

    /// The `-o` option string passed to libfuse.
    var optionString: String {
        var options = ["fsname=\(fsName)", "subtype=\(subtype)"]
        if readOnly { options.append("ro") }
        if allowOther { options.append("allow_other") }
        if defaultPermissions { options.append("default_permissions") }
        return options.joined(separator: ",")
    }
}
