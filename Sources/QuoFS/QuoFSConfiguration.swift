/// Settings of a ``QuoFileSystem``; docs/READ-PATH.md explains the read path's defaults.
public struct QuoFSConfiguration: Sendable {
    /// How long a directory listing is reused before the API is asked again. Finished
    /// calls whose recordings are all final are cached for the life of the mount.
    public var directoryCacheTime: Duration = .seconds(60)
    /// Byte budget of the in-memory block cache.
    public var cacheSize: Int = 256 << 20
    /// Whether the block cache's memory asks for transparent huge pages: one page fault
    /// per 2 MiB instead of 512. Off by default: in virtual machines whose balloon hands
    /// free memory back to the host, a fresh huge page costs the host far more than the
    /// small pages it saves (measured in docs/READ-PATH.md).
    public var hugePages = false
    /// Fresh memory for blocks that a background thread maps and faults in ahead of
    /// need while the cache grows, and keeps as spare (within ``cacheSize``): the HTTP
    /// client's event loop then fills blocks without stopping for page faults.
    public var preparedBlockMemory: Int = 8 << 20
    /// Size of one cached block: the least a read fetches (so small random reads stay
    /// cheap) and the unit handed from a streaming request to readers.
    public var blockSize: Int = 256 << 10
    /// Most blocks a sequential reader keeps requested ahead of its position (64 MiB):
    /// enough to hide a 30 ms first-byte latency at over 1 GB/s.
    public var maxReadaheadBlocks: Int = 256
    /// Most blocks one streaming ranged GET covers (16 MiB). Fewer, longer streams
    /// rather than many short ones in parallel: parallel streams share the bandwidth, so
    /// the blocks a reader needs next would arrive no sooner than everything in flight.
    public var maxRequestBlocks: Int = 64
    /// Most directory listings fetched ahead of a program walking the tree at once
    /// (docs/FETCH-AHEAD.md); 0 turns fetching ahead off. 8 keeps the API's 10
    /// requests/second busy up to ~800 ms of API latency.
    public var fetchAheadWindow: Int = 8
    /// Which of a call's content besides audio to ask the API for (transcripts,
    /// summaries); both by default. `call.json` and voicemail transcripts cost nothing
    /// extra and are always there.
    public var callContent: Set<CallContentKind> = Set(CallContentKind.allCases)
    /// Most recordings fetched ahead of a program reading the tree file after file
    /// (`rsync -a`, `cp -r`; docs/READ-PATH.md, "Readahead across files"); 0 turns it
    /// off. Their bytes ahead: at most 8 MiB, and an eighth of ``cacheSize``. 8 keeps a
    /// copy of 200 KiB recordings at over 5 times the speed of fetching them one after
    /// another at 30–100 ms first-byte latency; 4 does not (docs/BENCHMARKS-FILES.md).
    public var filesAhead: Int = 8
    /// How many size probes of one directory run at once.
    public var sizeProbeConcurrency: Int = 8
    /// How long the kernel may cache directory entries and attributes (seconds): short,
    /// so new calls show up, but never 0.
    public var directoryKernelTimeout: Double = 1
    /// How long the kernel may cache recording files' entries and attributes (seconds):
    /// long, since completed recordings never change.
    public var fileKernelTimeout: Double = 3600
    /// How long one read may take before it fails with `EIO`, whatever the network does.
    public var readTimeout: Duration = .seconds(60)
    /// Which recording URLs may be fetched.
    public var urlPolicy = URLPolicy()
    /// Owner of every file and directory (the mounting user).
    public var uid: UInt32
    public var gid: UInt32

    public init(uid: UInt32, gid: UInt32) {
        self.uid = uid
        self.gid = gid
    }
}
