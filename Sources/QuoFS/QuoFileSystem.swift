import AsyncHTTPClient
import FUSE
import Logging
import NIOCore
import QuoAPI
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A read that took longer than ``QuoFSConfiguration/readTimeout``.
struct ReadTimeout: Error {}

/// True for the first ``claim()`` only, from any thread.
final class OnceFlag: Sendable {
    private let claimed = Atomic<Bool>(false)

    func claim() -> Bool {
        !claimed.exchange(true, ordering: .acquiringAndReleasing)
    }
}

/// The Quo workspace as a read-only filesystem: the namespace (lazily fetched from the
/// API), file attributes, and the read path (ranged GETs through the block cache).
///
/// The operations are plain async functions; the FUSE binding only translates them.
public final class QuoFileSystem: FileSystemOperations {
    private let configuration: QuoFSConfiguration
    private let namespace: Namespace
    private let host: RecordingHost
    private let cache: BlockCache<Block>
    private let arena: BlockArena
    /// Size and version of each recording, probed once: completed recordings never change.
    private let objects = AsyncCache<String, RemoteObject> { _ in nil }
    /// The sizes in ``objects``, for questions that must not wait (the walk order of
    /// ``crossFile``).
    private let knownSizes = Mutex<[String: UInt64]>([:])
    /// Fetches the next recordings ahead of a walker (set once, at the end of `init`).
    private let crossFileHolder = Mutex<CrossFileReadahead?>(nil)
    private var crossFile: CrossFileReadahead? { crossFileHolder.withLock { $0 } }
    private let recordings = Mutex<[String: RemoteRecording]>([:])
    private let handles = Mutex<(next: UInt64, open: [UInt64: OpenFile])>((1, [:]))
    private let logger: Logger
    /// The API client (for its counters), open handles and failed reads: ``statistics``.
    private let client: QuoClient
    private let openFiles = StatisticsCounter()
    private let readErrors = StatisticsCounter()

    /// An open file: audio streamed through the block cache, or bytes in memory.
    private enum OpenFile: Sendable {
        case recording(RecordingReader)
        case text([UInt8])
    }

    private let store: (any ListingStore)?

    /// - Parameter store: what quofs remembers across mounts (the catalog), or nil.
    public init(
        workspace: QuoWorkspace, store: (any ListingStore)? = nil, httpClient: HTTPClient,
        configuration: QuoFSConfiguration, logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        self.client = workspace.client
        let mountTime = QuoTimestamp(seconds: Int64(now.tv_sec))
        self.namespace = Namespace(
            workspace: workspace, store: store, directoryCacheTime: configuration.directoryCacheTime,
            mountTime: mountTime, fetchAheadWindow: configuration.fetchAheadWindow,
            contentKinds: configuration.callContent, logger: logger)
        self.host = RecordingHost(httpClient: httpClient, timeout: .seconds(30), policy: configuration.urlPolicy)
        self.cache = BlockCache(capacityBytes: configuration.cacheSize, blockSize: configuration.blockSize)
        self.arena = BlockArena(
            slotBytes: configuration.blockSize, hugePages: configuration.hugePages,
            preparedBytes: configuration.preparedBlockMemory, limitBytes: configuration.cacheSize)
        self.logger = logger
        let namespace = self.namespace
        crossFileHolder.withLock {
            $0 = CrossFileReadahead(
                maxFilesAhead: configuration.filesAhead,
                maxBytesAhead: UInt64(min(8 << 20, configuration.cacheSize / 8)), blockSize: configuration.blockSize,
                logger: logger,
                following: { [weak self] inode, count in
                    let sizes = self?.knownSizes.withLock { $0 } ?? [:]
                    return namespace.filesFollowing(inode, limit: count) { node in
                        if case .recording = node.content { return true }
                        return false
                    }.map { node in
                        guard case .recording(let file) = node.content else { return .init(node.inode, size: nil) }
                        return .init(node.inode, size: sizes[file.recording.id])
                    }
                },
                fetch: { [weak self] inode, length in try await self?.fetchAhead(inode, length: length) })
        }
        namespace.observeListings { [weak self] in self?.crossFile?.listed() }
    }

    /// What fetching recordings ahead of a walker has done so far.
    var crossFileStatistics: CrossFileReadahead.Planner.Statistics? { crossFile?.statistics }

    /// Starts fetching bytes `0..<length` of the recording `inode` into the block cache,
    /// as readahead for a reader that has not opened it yet (``CrossFileReadahead``).
    ///
    /// Only a recording whose URL is known: one the catalog served has none until its
    /// call is listed again, and that API request is left to a reader that opens it (an
    /// incremental `rsync` reads a few changed files, whose walk order runs on through
    /// files it skips: fetching ahead must not cost API requests for those).
    private func fetchAhead(_ inode: Inode, length: UInt64) async throws {
        let node = try namespace.node(inode)
        guard case .recording(let file) = node.content, file.recording.url != nil else { throw FUSEError.noEntry }
        // A size not known yet is learnt by the request that brings the first bytes.
        let head = wholeBlocks(length)
        let recording = try await QuoClient.$priority.withValue(.background) {
            try await self.remoteRecording(for: node, readingHead: head)
        }
        let bytes = min(length, recording.object.size)
        guard bytes > 0 else { return }
        let blocks = Int(wholeBlocks(bytes) / UInt64(configuration.blockSize))
        let arena = self.arena
        let maxRequestBlocks = configuration.maxRequestBlocks
        await cache.loadMissing(needed: [], readahead: (0..<blocks).map(recording.key), minimumReadahead: 1) { missing in
            RecordingReader.streamLoads(for: missing.map(\.index), of: recording, into: arena, maxRequestBlocks: maxRequestBlocks)
        }
    }

    /// The first bytes of `inode` to fetch with its size probe: those being fetched ahead
    /// of a walker (whole blocks), else 1 (the probe's byte).
    private func headFetchedAhead(_ inode: Inode) -> UInt64 {
        guard let length = crossFile?.lengthAhead(inode), length > 0 else { return 1 }
        return wholeBlocks(length)
    }

    /// `bytes` rounded up to whole blocks.
    private func wholeBlocks(_ bytes: UInt64) -> UInt64 {
        let blockSize = UInt64(configuration.blockSize)
        return (bytes + blockSize - 1) / blockSize * blockSize
    }

    /// What fetching listings ahead has done so far (see ``ListingFetchAhead``).
    var fetchAheadStatistics: ListingPrefetchPlanner<Inode, ContinuousClock.Instant>.Statistics {
        namespace.fetchAhead.statistics
    }

    /// Bytes of memory mapped for cached blocks (see ``BlockArena``).
    var blockMemoryBytes: Int { arena.mappedBytes }

    /// The API version the mount speaks.
    public var apiVersion: APIVersion { client.version }

    /// What the mount holds and has done so far, from counters: never waits for an
    /// operation in progress, and never asks the API.
    public var statistics: FileSystemStatistics {
        var statistics = FileSystemStatistics()
        statistics.listingsKnown = namespace.counters.listings.load()
        statistics.callsKnown = namespace.counters.calls.load()
        statistics.cacheBytes = cache.counters.usedBytes.load()
        statistics.cacheBudgetBytes = configuration.cacheSize
        statistics.cacheHits = cache.counters.hits.load()
        statistics.cacheMisses = cache.counters.misses.load()
        statistics.openFiles = openFiles.load()
        statistics.recordingBytesRead = host.counters.bytesReceived.load()
        statistics.readErrors = readErrors.load()
        statistics.recordingRequests = host.counters.requests.load()
        if let ahead = crossFile?.statistics {
            statistics.walksRecognized = ahead.walks
            statistics.filesFetchedAhead = ahead.prefetches
            statistics.filesAheadHits = ahead.hits
            statistics.filesAheadWasted = ahead.wasted
        }
        statistics.api = client.statistics
        return statistics
    }

    /// Uses phone numbers fetched at mount time as the first root listing.
    public func seedRoot(with phoneNumbers: [PhoneNumber]) async throws {
        try await namespace.seedRoot(with: phoneNumbers)
    }

    // MARK: FileSystemOperations

    public func lookup(parent: Inode, name: String) async throws -> Entry {
        if name.utf8.count > Naming.maxNameBytes { throw FUSEError.nameTooLong }
        let child = try await namespace.child(of: try namespace.node(parent), named: name)
        return try await entry(for: child)
    }

    public func attributes(of inode: Inode) async throws -> AttributesReply {
        let node = try namespace.node(inode)
        let entry = try await entry(for: node)
        return AttributesReply(attributes: entry.attributes, timeout: entry.attributeTimeout)
    }

    public func listDirectory(_ inode: Inode) async throws -> DirectoryListing {
        let directory = try namespace.node(inode)
        namespace.demanded(directory)
        let children = try await namespace.childrenForReading(directory)
        // Probe the sizes of the directory's recordings in parallel (bounded), so `ls -l`
        // waits for about one round trip, not one per file.
        let entries = try await withThrowingTaskGroup(of: (Int, Entry).self) { group in
            var results = [Entry?](repeating: nil, count: children.count)
            var next = 0
            func addNext() {
                guard next < children.count else { return }
                let index = next
                next += 1
                group.addTask { (index, try await self.entry(for: children[index])) }
            }
            for _ in 0..<configuration.sizeProbeConcurrency { addNext() }
            while let (index, entry) = try await group.next() {
                results[index] = entry
                addNext()
            }
            return results.map { $0! }
        }
        return DirectoryListing(
            parent: directory.parent,
            entries: zip(children, entries).map { DirectoryEntry(name: $0.name, entry: $1) })
    }

    public func open(_ inode: Inode, flags: Int32) async throws -> OpenedFile {
        let node = try namespace.node(inode)
        guard !node.isDirectory else { throw FUSEError.isDirectory }
        guard flags & O_ACCMODE == O_RDONLY, flags & O_TRUNC == 0 else { throw FUSEError.readOnly }
        if case .text(let text) = node.content {
            return OpenedFile(handle: register(.text(text.bytes)), keepCache: true)
        }
        let recording = try await remoteRecording(for: node)
        crossFile?.opened(inode, size: recording.object.size)
        // A window larger than a quarter of the cache would evict blocks before they are read.
        let readaheadBlocks = max(1, min(configuration.maxReadaheadBlocks, configuration.cacheSize / configuration.blockSize / 4))
        let reader = RecordingReader(
            recording: recording, cache: cache, arena: arena, maxReadaheadBlocks: readaheadBlocks,
            maxRequestBlocks: configuration.maxRequestBlocks)
        return OpenedFile(handle: register(.recording(reader)), keepCache: true)
    }

    private func register(_ file: OpenFile) -> UInt64 {
        handles.withLock { state in
            let handle = state.next
            state.next += 1
            state.open[handle] = file
            openFiles.add()
            return handle
        }
    }

    public func read(_ inode: Inode, handle: UInt64, offset: UInt64, size: Int) async throws -> [any ReplyBytes] {
        let reader: RecordingReader
        switch handles.withLock({ $0.open[handle] }) {
        case .recording(let recordingReader): reader = recordingReader
        case .text(let bytes):
            let start = Int(min(offset, UInt64(bytes.count)))
            return [bytes[start..<min(bytes.count, start + size)]]
        case nil: throw FUSEError.badHandle
        }
        crossFile?.read(inode, offset: offset, length: size)
        do {
            return try await withDeadline(configuration.readTimeout) {
                try await reader.read(offset: offset, size: size)
            }
        } catch is ReadTimeout {
            readErrors.add()
            logger.error("read timed out", metadata: [
                "recording": "\(reader.recording.recordingID)", "offset": "\(offset)", "size": "\(size)",
                "timeout": "\(configuration.readTimeout)",
            ])
            throw FUSEError.io
        } catch let error as RecordingHostError {
            readErrors.add()
            logger.error("read failed", metadata: [
                "recording": "\(reader.recording.recordingID)", "offset": "\(offset)", "size": "\(size)",
                "error": "\(error)",
            ])
            throw FUSEError.io
        }
    }

    public func extendedAttributes(of inode: Inode) async throws -> [ExtendedAttribute] {
        let node = try namespace.node(inode)
        return node.extendedAttributes(people: namespace.knownPeople)
    }

    public func release(_ inode: Inode, handle: UInt64) async {
        if let file = handles.withLock({ $0.open.removeValue(forKey: handle) }) {
            openFiles.subtract()
            if case .recording = file { crossFile?.closed(inode) }
        }
    }

    public func forget(_ inode: Inode, count: UInt64) {
        // Nodes are kept for the life of the mount (see InodeTable).
    }

    /// Runs `body`, or throws ``ReadTimeout`` once `limit` has passed. Not a task group:
    /// a group would wait for its child, and a read waiting on a shared block fetch
    /// cannot be interrupted. The fetch goes on (it may serve a later read); only this
    /// wait ends.
    private func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let answered = OnceFlag()
        return try await withCheckedThrowingContinuation { continuation in
            let timer = Task {
                try await Task.sleep(for: limit)
                if answered.claim() {
                    continuation.resume(throwing: ReadTimeout())
                }
            }
            Task {
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                timer.cancel()
                if answered.claim() {
                    continuation.resume(with: result)
                }
            }
        }
    }

    // MARK: Attributes

    private func entry(for node: Node) async throws -> Entry {
        let time = Timestamp(seconds: node.modificationTime.seconds, nanoseconds: node.modificationTime.nanoseconds)
        if !node.isDirectory {
            let size: UInt64
            if case .text(let text) = node.content {
                size = UInt64(text.bytes.count)
            } else {
                // A file fetched ahead of a walker: the probe brings the bytes the fetch
                // ahead wants (one request, whichever of the two asks first).
                size = try await remoteObject(for: node, readingHead: headFetchedAhead(node.inode)).size
            }
            let attributes = FileAttributes(
                inode: node.inode, kind: .regularFile, permissions: 0o444, size: size,
                modificationTime: time, linkCount: 1, uid: configuration.uid, gid: configuration.gid)
            return Entry(attributes: attributes, entryTimeout: configuration.fileKernelTimeout,
                         attributeTimeout: configuration.fileKernelTimeout)
        }
        let attributes = FileAttributes(
            inode: node.inode, kind: .directory, permissions: 0o555, size: 4096,
            modificationTime: time, linkCount: 2, uid: configuration.uid, gid: configuration.gid)
        return Entry(attributes: attributes, entryTimeout: configuration.directoryKernelTimeout,
                     attributeTimeout: configuration.directoryKernelTimeout)
    }

    /// Size and version of an audio file's recording: from the catalog when it knows it,
    /// else probed once (and handed to the catalog); then cached for good. A probe is
    /// retried like a read (``RecordingRetry``: backoff on 5xx and broken connections, a
    /// fresh URL when the URL expired), and bounded by the read deadline.
    ///
    /// With `readingHead`, a probe this call makes asks for the first `readingHead` bytes
    /// too and puts them in the block cache (whole blocks) before anyone learns the size:
    /// so a reader that waited for the size finds them there. Readahead across files uses
    /// it, so a small file fetched ahead costs one request, not a probe and a read.
    private func remoteObject(for node: Node, readingHead: UInt64 = 1) async throws -> RemoteObject {
        guard case .recording(let file) = node.content else { throw FUSEError.io }
        let id = file.recording.id
        do {
            // The deadline bounds the probe, not the (usually cached) lookup.
            let object = try await objects.value(for: id) {
                if let known = await self.store?.object(recordingID: id) {
                    return RemoteObject(size: known.size, etag: known.etag)
                }
                let (object, head) = try await self.withDeadline(self.configuration.readTimeout) {
                    let url = try await self.namespace.recordingWithURL(of: node).url
                    guard let url else { throw FUSEError.io }
                    return try await self.probe(node, id: id, url: url, readingUpTo: max(1, readingHead))
                }
                if !head.isEmpty { await self.cacheHead(head, of: id, object: object) }
                self.store?.storeObject(StoredObject(size: object.size, etag: object.etag), recordingID: id)
                return object
            }
            knownSizes.withLock { $0[id] = object.size }
            return object
        } catch let error as RecordingHostError {
            logger.error("size probe failed", metadata: ["recording": "\(id)", "error": "\(error)"])
            throw FUSEError.io
        } catch is ReadTimeout {
            logger.error("size probe timed out", metadata: ["recording": "\(id)", "timeout": "\(configuration.readTimeout)"])
            throw FUSEError.io
        }
    }

    /// Puts the whole blocks of `head` (the recording's first bytes) in the block cache.
    private func cacheHead(_ head: [UInt8], of id: String, object: RemoteObject) async {
        let blockSize = configuration.blockSize
        var entries: [(key: BlockKey, bytes: Block)] = []
        var start = 0
        while start < head.count {
            let length = min(blockSize, Int(object.size) - start)
            // A block cut short by the head's end would be served as the whole block.
            guard length > 0, start + length <= head.count, let block = try? arena.allocate() else { break }
            head.withUnsafeBytes { raw in block.append(UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])) }
            entries.append((BlockKey(recordingID: id, version: object.version, index: start / blockSize), block))
            start += length
        }
        await cache.store(entries)
    }

    private func probe(_ node: Node, id: String, url: String, readingUpTo length: UInt64) async throws -> (RemoteObject, [UInt8]) {
        var url = url
        var retry = RecordingRetry()
        while true {
            let attemptStarted = ContinuousClock.now
            do {
                return try await host.probe(url: url, readingUpTo: length)
            } catch {
                try await retry.recover(from: error) {
                    guard let fresh = try await namespace.refreshedRecording(of: node, fetchedAfter: attemptStarted).url else {
                        return false
                    }
                    url = fresh
                    return true
                } logRetry: { reason in
                    logger.info("retrying size probe", metadata: ["recording": "\(id)", "reason": "\(reason)"])
                }
            }
        }
    }

    /// The shared ``RemoteRecording`` of a segment.
    private func remoteRecording(for node: Node, readingHead: UInt64 = 1) async throws -> RemoteRecording {
        let object = try await remoteObject(for: node, readingHead: readingHead)
        // The probe may have replaced an expired URL: take the node as it is now, so the
        // first read does not hit the expired URL and re-list the call again. A node the
        // catalog served has no URL yet: one listing of the call gives it.
        let current = try namespace.node(node.inode)
        let recording: CallRecording
        do {
            recording = try await namespace.recordingWithURL(of: current)
        } catch {
            logger.error("no URL for the recording", metadata: ["inode": "\(node.inode)", "error": "\(error)"])
            throw FUSEError.io
        }
        guard let url = recording.url else {
            logger.error("recording has no URL any more", metadata: ["inode": "\(node.inode)"])
            throw FUSEError.io
        }
        let id = recording.id
        return recordings.withLock { recordings in
            if let known = recordings[id], known.object == object { return known }
            let namespace = self.namespace
            let recording = RemoteRecording(
                recordingID: id, url: url, object: object, blockSize: configuration.blockSize, host: host,
                logger: logger, freshURL: { try await namespace.refreshedRecording(of: current, fetchedAfter: $0).url })
            recordings[id] = recording
            return recording
        }
    }
}
