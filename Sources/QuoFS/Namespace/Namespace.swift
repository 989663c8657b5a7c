import FUSE
import Logging
import QuoAPI
import Synchronization

/// The mount's directory tree, fetched lazily from the Quo API through
/// ``QuoWorkspace`` (which picks each level's cheapest listing for the API version).
///
/// A directory's children are fetched when it is first listed or looked up in, then
/// cached: for `directoryCacheTime`, or for good when they can no longer change (a
/// finished call whose recordings are all final). Concurrent requests for one directory
/// share one fetch; a failed refresh keeps serving the previous listing. Every listing
/// is in byte order of its names, so every walker (`find`, `rsync`, `ls`) goes through
/// a directory in the same order, and ``fetchAhead`` can predict it.
final class Namespace: Sendable {
    private let workspace: QuoWorkspace
    private let table: InodeTable
    private let listings: AsyncCache<Inode, Listing>
    /// One walk of the whole workspace's calls (where the API version has one): the
    /// listing of `_unassigned`, from which number listings made meanwhile are derived.
    private let wholeWorkspace: AsyncCache<Int, [CallGroup]>
    /// When a program last read the root directory, and until when number listings come
    /// from one walk of the whole workspace (see ``demanded(_:)``).
    private let rootWalk = Mutex<(rootRead: ContinuousClock.Instant?, wholeUntil: ContinuousClock.Instant?)>((nil, nil))
    private let directoryCacheTime: Duration
    /// What quofs remembers across mounts (nil: nothing, `--no-catalog`).
    private let store: (any ListingStore)?
    /// Listings served from ``store`` in this mount, and when: their recordings have no
    /// URL yet (see ``recordingWithURL(of:)``).
    private let servedFromStore = Mutex<[Inode: ContinuousClock.Instant]>([:])
    /// The store's key of the whole workspace's walk (not a path: paths start with `/`).
    static let wholeWorkspaceKey = ":workspace"
    /// The workspace's own numbers, from the last root listing.
    private let ownNumbers = Mutex<(numbers: Set<String>, ids: Set<String>, listed: [PhoneNumber])>(([], [], []))
    /// Which of a call's content to ask the API for (`--no-transcripts`, `--no-summaries`).
    private let contentKinds: Set<CallContentKind>
    /// The names of users and contacts.
    private let peopleSource: PeopleSource
    /// Each directory's children as last listed, for questions that must not wait (the
    /// walk order of ``filesFollowing(_:limit:)``).
    private let lastChildren = Mutex<[Inode: [Node]]>([:])
    /// Told after each listing fetched (not from the catalog's), outside any lock: the
    /// walk order (``filesFollowing(_:limit:isWanted:)``) may reach further now.
    private let listingObserver = Mutex<(@Sendable () -> Void)?>(nil)
    private let logger: Logger
    let mountTime: QuoTimestamp
    /// Fetches listings ahead of a program walking the tree.
    let fetchAhead: ListingFetchAhead

    /// A directory's children as last fetched.
    struct Listing: Sendable {
        var children: [Node]
        /// Nothing in it can change any more: cache for good.
        var isFinal: Bool
        /// The creation time a later refresh asks after (``QuoWorkspace/highWater(of:)``).
        var highWater: String? = nil
        /// A call's listing: the content it was made with.
        var contentKinds: Set<CallContentKind>? = nil
    }

    init(workspace: QuoWorkspace, store: (any ListingStore)?, directoryCacheTime: Duration, mountTime: QuoTimestamp,
         fetchAheadWindow: Int, contentKinds: Set<CallContentKind> = Set(CallContentKind.allCases), logger: Logger) {
        self.workspace = workspace
        self.contentKinds = contentKinds
        self.peopleSource = PeopleSource(workspace: workspace, store: store, logger: logger)
        self.store = store
        self.mountTime = mountTime
        self.logger = logger
        self.table = InodeTable(root: Node(inode: rootInode, parent: rootInode, name: "", content: .root, modificationTime: mountTime))
        self.directoryCacheTime = directoryCacheTime
        self.listings = AsyncCache { $0.isFinal ? nil : directoryCacheTime }
        self.wholeWorkspace = AsyncCache { _ in directoryCacheTime }
        self.fetchAhead = ListingFetchAhead(window: fetchAheadWindow, logger: logger)
    }

    /// How many listings and calls the tree holds (for `quofs status`).
    var counters: InodeCounters { table.counters }

    /// The node with this inode; `ENOENT` if the kernel names one we never handed out.
    func node(_ inode: Inode) throws -> Node {
        guard let node = table[inode] else { throw FUSEError.noEntry }
        return node
    }

    /// Fills the root listing with phone numbers already fetched (at mount time, to check
    /// the key), so the first `ls` of the mount costs no request.
    func seedRoot(with phoneNumbers: [PhoneNumber]) async throws {
        let root = try node(rootInode)
        let listing = try await listings.value(for: rootInode) { self.rootListing(root, phoneNumbers) }
        lastChildren.withLock { $0[rootInode] = listing.children }
        fetchAhead.listed(rootInode, children: listing.children)
    }

    /// The directory's children; with `fetchedAfter`, from a listing fetched at or after
    /// that instant (see ``AsyncCache``).
    func children(of directory: Node, fetchedAfter: ContinuousClock.Instant? = nil) async throws -> [Node] {
        guard directory.isDirectory else { throw FUSEError.notDirectory }
        do {
            return try await listings.value(for: directory.inode, fetchedAfter: fetchedAfter) {
                // The first time in this mount (not a refresh), start from what the catalog
                // knows; a refresh, from the last listing (a number's or a group's then asks
                // only for calls since its high-water mark, not for every page again). Not a
                // call's, whose refresh is for what a listing has and the catalog does not
                // keep (fresh recording URLs).
                let last = await self.listings.lastValue(for: directory.inode)
                let stored: StoredListing?
                if let last {
                    if case .call = directory.content { stored = nil } else { stored = Self.record(of: last) }
                } else {
                    stored = fetchedAfter == nil ? await self.storedListing(of: directory) : nil
                }
                let listing = try await self.fetchListing(directory, stored: stored, firstListing: last == nil)
                self.lastChildren.withLock { $0[directory.inode] = listing.children }
                self.fetchAhead.listed(directory.inode, children: listing.children)
                self.persist(listing, of: directory, unchangedFrom: stored)
                self.listingObserver.withLock { $0 }?()
                return listing
            }.children
        } catch let error as QuoAPIError {
            logger.error("listing \(describe(directory)) failed: \(error)")
            throw FUSEError.io
        }
    }

    /// Calls `observer` after each listing fetched from now on (replacing any before).
    func observeListings(_ observer: @escaping @Sendable () -> Void) {
        listingObserver.withLock { $0 = observer }
    }

    /// Up to `limit` files after `inode` in the order a walker reads the tree — depth
    /// first, each directory in listing order: the next names of its directory, then the
    /// files of the following directories — that `isWanted` keeps, from listings already
    /// known (no request, no wait). Stops at the first directory not listed yet.
    func filesFollowing(_ inode: Inode, limit: Int, isWanted: (Node) -> Bool) -> [Node] {
        guard limit > 0, let start = table[inode] else { return [] }
        let known = lastChildren.withLock { $0 }
        var found: [Node] = []
        /// Visits `nodes` depth first; false once done (limit reached, or an unknown listing).
        func visit(_ nodes: ArraySlice<Node>) -> Bool {
            for node in nodes {
                if node.isDirectory {
                    guard let children = known[node.inode] else { return false }
                    if !visit(children[...]) { return false }
                } else if isWanted(node) {
                    found.append(node)
                    if found.count >= limit { return false }
                }
            }
            return true
        }
        var current = start
        while current.inode != rootInode {
            guard let siblings = known[current.parent], let index = siblings.firstIndex(where: { $0.inode == current.inode })
            else { break }
            if !visit(siblings[(index + 1)...]) { break }
            guard let parent = table[current.parent] else { break }
            current = parent
        }
        return found
    }

    /// How soon after reading the root a program must read a number's directory for it
    /// to count as walking the whole tree (a person types slower than this).
    static let rootWalkEvidence: Duration = .seconds(2)

    /// The least gap between two directory reads that ends a walk of the whole tree (it
    /// goes on while reads come within ``walkWindow(_:)`` of each other): a walker reads
    /// directories continuously, and a short `--dir-cache-time` must not end its walk in
    /// a slow moment (then numbers would be listed one by one, and differently from run
    /// to run). The same 10 s as fetching ahead's idle timeout.
    static let minimumWalkWindow: Duration = .seconds(10)

    /// How long a walk of the whole tree goes on after a directory read.
    static func walkWindow(_ directoryCacheTime: Duration) -> Duration {
        max(directoryCacheTime, minimumWalkWindow)
    }

    /// A program opened `directory` to read it: the signal ``fetchAhead`` watches.
    ///
    /// At the root it decides how numbers are listed. Reading the root and then, within
    /// ``rootWalkEvidence``, a number's directory is a program walking the whole tree
    /// (`find`, `rsync -a`, `ls -R`). Where the API version can list the whole workspace
    /// at once, every number's listing then comes from that one walk of all calls
    /// (⌈calls/50⌉ requests), which lists `_unassigned` too — cheaper than a walk per
    /// number plus the whole walk `_unassigned` needs anyway. Anyone else listing a
    /// number pays for that number's calls only.
    func demanded(_ directory: Node) {
        let now = ContinuousClock.now
        let window = Self.walkWindow(directoryCacheTime)
        let listsWhole = workspace.listsWholeWorkspace
        rootWalk.withLock { state in
            switch directory.content {
            case .root:
                state.rootRead = now
            case .phoneNumber where listsWhole:
                if let read = state.rootRead, now - read <= Self.rootWalkEvidence {
                    state.wholeUntil = now + window
                }
            default:
                break
            }
            // The walk goes on while it reads directories within the walk window of each
            // other: every number (and `_unassigned`) takes its listing from the same walk
            // of the whole workspace, however long the tree takes to walk.
            if let until = state.wholeUntil, until > now {
                state.wholeUntil = now + window
            }
        }
        fetchAhead.demanded(directory, in: self)
    }

    /// Whether number listings come from the whole workspace's walk now.
    private var walkingWholeWorkspace: Bool {
        rootWalk.withLock { $0.wholeUntil.map { $0 > .now } ?? false }
    }

    /// The directory's children for a program reading it (`readdir`): its listing, or
    /// the one fetched ahead for this first read however old (``ListingFetchAhead``).
    func childrenForReading(_ directory: Node) async throws -> [Node] {
        if fetchAhead.takeUnread(directory.inode), let fetchedAhead = await listings.lastValue(for: directory.inode) {
            return fetchedAhead.children
        }
        return try await children(of: directory)
    }

    /// The child `name` of `directory`; `ENOENT` if it has none.
    ///
    /// A name found in the directory's last listing is answered from it even when that
    /// listing is older than `directoryCacheTime`: the kernel re-checks names every
    /// second during a long walk, and re-listing a directory for each would list it
    /// many times. Reading the directory (`ls`) refreshes it; an unknown name does too.
    func child(of directory: Node, named name: String) async throws -> Node {
        guard directory.isDirectory else { throw FUSEError.notDirectory }
        if let known = await listings.lastValue(for: directory.inode)?.children.first(where: { $0.name == name }) {
            return known
        }
        guard let child = try await children(of: directory).first(where: { $0.name == name }) else {
            throw FUSEError.noEntry
        }
        return child
    }

    /// The audio file's recording as a listing of its call fetched at or after `instant`
    /// describes it: e.g. with a fresh URL, when the one used at `instant` had expired.
    /// Readers that hit the same expired URL at about the same time share one request.
    func refreshedRecording(of fileNode: Node, fetchedAfter instant: ContinuousClock.Instant) async throws -> CallRecording {
        guard case .recording(let file) = fileNode.content else { throw FUSEError.io }
        let call = try node(fileNode.parent)
        let children = try await children(of: call, fetchedAfter: instant)
        for child in children {
            if case .recording(let fresh) = child.content, fresh.recording.id == file.recording.id {
                return fresh.recording
            }
        }
        throw FUSEError.noEntry
    }

    /// The audio file's recording with a URL to read it from: as listed, or, for a
    /// listing the catalog served (URLs are never stored), from one listing of its call
    /// fetched now — shared by every reader of the call's files.
    func recordingWithURL(of fileNode: Node) async throws -> CallRecording {
        guard case .recording(let file) = fileNode.content else { throw FUSEError.io }
        if file.recording.url != nil { return file.recording }
        let served = servedFromStore.withLock { $0[fileNode.parent] } ?? .now
        return try await refreshedRecording(of: fileNode, fetchedAfter: served.advanced(by: .nanoseconds(1)))
    }

    // MARK: People

    /// The names of users and contacts, if loaded yet (extended attributes never wait
    /// for the API).
    var knownPeople: PeopleDirectory? { peopleSource.known }

    /// The names of the workspace's users and contacts (``PeopleSource``).
    func people() async throws -> PeopleDirectory {
        try await peopleSource.people(numbers: ownNumbers.withLock { $0.listed })
    }

    // MARK: The catalog

    private func storedListing(of directory: Node) async -> StoredListing? {
        guard let store, directory.inode != rootInode, let path = table.path(of: directory.inode) else { return nil }
        return await store.listing(at: path)
    }

    /// Hands a fetched listing to the catalog (which writes it in the background),
    /// unless it is the stored one unchanged.
    private func persist(_ listing: Listing, of directory: Node, unchangedFrom stored: StoredListing?) {
        guard let store, directory.inode != rootInode, let path = table.path(of: directory.inode) else { return }
        let record = Self.record(of: listing)
        if record != stored { store.store(record, at: path) }
    }

    /// A listing as the catalog stores it.
    private static func record(of listing: Listing) -> StoredListing {
        StoredListing(
            entries: listing.children.map { child in
                StoredEntry(name: child.name, content: StoredContent(child.content),
                            seconds: child.modificationTime.seconds, nanoseconds: child.modificationTime.nanoseconds)
            },
            isFinal: listing.isFinal, highWater: listing.highWater,
            contentKinds: listing.contentKinds.map { $0.map(\.rawValue).sorted() })
    }

    /// A stored listing as nodes, for a directory whose stored listing is all there is to
    /// know (a final call) or the base of a refresh.
    private func listing(from stored: StoredListing, in directory: Node) -> Listing {
        let children = stored.entries.map { entry in
            table.upsertChild(of: directory.inode, name: entry.name, content: entry.content.nodeContent,
                              modificationTime: QuoTimestamp(seconds: entry.seconds, nanoseconds: entry.nanoseconds))
        }
        servedFromStore.withLock { $0[directory.inode] = .now }
        return Listing(children: children, isFinal: stored.isFinal, highWater: stored.highWater,
                       contentKinds: stored.contentKinds.map { Set($0.compactMap(CallContentKind.init(rawValue:))) })
    }

    private static func groups(in stored: StoredListing?) -> [CallGroup]? {
        stored.map { $0.entries.compactMap { entry in
            if case .callGroup(let group) = entry.content { return group }
            return nil
        } }
    }

    // MARK: Fetching

    /// The directory's listing, from the API, starting from what the catalog stored
    /// (`stored`) where that saves requests: a final call's listing is used as it is;
    /// a number's (or the whole workspace's) asks only for calls created since its
    /// high-water mark; a v1 group's only when its conversation had activity since.
    /// `firstListing`: the directory was not listed before in this mount.
    private func fetchListing(_ directory: Node, stored: StoredListing?, firstListing: Bool) async throws -> Listing {
        switch directory.content {
        case .root:
            return rootListing(directory, try await workspace.phoneNumbers())
        case .phoneNumber(let phoneNumber):
            // The names its groups (extended attributes) and their calls' files show.
            async let names = people()
            let own = ownNumbers.withLock { $0 }
            let groups: [CallGroup]
            if workspace.listsWholeWorkspace, walkingWholeWorkspace {
                groups = try await wholeWorkspaceGroups(duringWalk: firstListing).filter { $0.phoneNumberID == phoneNumber.id }
            } else if workspace.listsWholeWorkspace, let all = try await wholeWorkspace.freshOrRunningValue(for: 0) {
                // A walk of the whole workspace is fresh or under way: it has this number's calls.
                groups = all.filter { $0.phoneNumberID == phoneNumber.id }
            } else if let known = Self.groups(in: stored), let highWater = stored?.highWater {
                groups = try await workspace.callGroups(of: phoneNumber, ownNumbers: own.numbers, known: known, highWater: highWater)
            } else {
                groups = try await workspace.callGroups(of: phoneNumber, ownNumbers: own.numbers)
            }
            _ = try await names
            return groupListing(directory, groups)
        case .unassigned:
            async let names = people()
            let all = try await wholeWorkspaceGroups(duringWalk: walkingWholeWorkspace && firstListing)
            _ = try await names
            return groupListing(directory, all.filter { $0.phoneNumberID == nil })
        case .callGroup(let group):
            return callListing(directory, try await calls(of: group, in: directory, stored: stored, firstListing: firstListing))
        case .call(let call):
            // A final call's stored listing, made with (at least) the content this mount wants.
            if let stored, stored.isFinal,
               contentKinds.isSubset(of: Set((stored.contentKinds ?? []).compactMap(CallContentKind.init(rawValue:)))) {
                return listing(from: stored, in: directory)
            }
            return try await callDirectoryListing(directory, call, firstListing: firstListing)
        case .recording, .text:
            throw FUSEError.notDirectory
        }
    }

    /// The whole workspace's groups: one walk of all calls, fresh for `directoryCacheTime`;
    /// `duringWalk` (the first listing of a directory in a walk of the tree), the last one
    /// however old, so a long walk lists the workspace once. A directory read again
    /// later gets a fresh one.
    private func wholeWorkspaceGroups(duringWalk: Bool = false) async throws -> [CallGroup] {
        if duringWalk, let last = await wholeWorkspace.lastValue(for: 0) { return last }
        let own = ownNumbers.withLock { $0 }
        return try await wholeWorkspace.value(for: 0) {
            let stored = await self.store?.listing(at: Self.wholeWorkspaceKey)
            // A refresh starts from the last walk; the first from what the catalog knows.
            let last = await self.wholeWorkspace.lastValue(for: 0)
            let groups: [CallGroup]
            if let last, let highWater = QuoWorkspace.highWater(of: last.flatMap { $0.calls ?? [] }) {
                groups = try await self.workspace.allCallGroups(
                    ownNumbers: own.numbers, numberIDs: own.ids, known: last, highWater: highWater)
            } else if let known = Self.groups(in: stored), let highWater = stored?.highWater {
                groups = try await self.workspace.allCallGroups(
                    ownNumbers: own.numbers, numberIDs: own.ids, known: known, highWater: highWater)
            } else {
                groups = try await self.workspace.allCallGroups(ownNumbers: own.numbers, numberIDs: own.ids)
            }
            let record = StoredListing(
                entries: groups.map { StoredEntry(name: "", content: StoredContent(.callGroup($0)), seconds: 0, nanoseconds: 0) },
                isFinal: false, highWater: QuoWorkspace.highWater(of: groups.flatMap { $0.calls ?? [] }))
            if record != stored { self.store?.store(record, at: Self.wholeWorkspaceKey) }
            return groups
        }
    }

    /// A group's calls: those its parent's listing came with when it lists them (a fresh
    /// parent listing costs nothing; an expired one is fetched again), else a request.
    private func calls(of group: CallGroup, in directory: Node, stored: StoredListing?, firstListing: Bool) async throws -> [Call] {
        // The first listing of a group whose calls came with it: those (however long ago
        // its parent was listed: the group is what that listing said).
        if let calls = group.calls, firstListing {
            return calls
        }
        guard group.calls != nil else {
            let own = ownNumbers.withLock { $0 }
            if let stored, let highWater = stored.highWater {
                let known = stored.entries.compactMap { entry -> Call? in
                    if case .call(let call) = entry.content { return call }
                    return nil
                }
                return try await workspace.calls(of: group, ownNumbers: own.numbers, numberIDs: own.ids, known: known, highWater: highWater)
            }
            return try await workspace.calls(of: group, ownNumbers: own.numbers, numberIDs: own.ids)
        }
        let siblings = try await children(of: try node(directory.parent))
        for sibling in siblings where sibling.name == directory.name {
            if case .callGroup(let current) = sibling.content { return current.calls ?? [] }
        }
        return []
    }

    private func rootListing(_ root: Node, _ phoneNumbers: [PhoneNumber]) -> Listing {
        ownNumbers.withLock { $0 = (Set(phoneNumbers.map(\.number)), Set(phoneNumbers.map(\.id)), phoneNumbers) }
        let names = Naming.uniqued(phoneNumbers.map { Naming.sanitize($0.number) })
        var entries: [Entry] = zip(names, phoneNumbers).map { name, phoneNumber in
            (name, .phoneNumber(phoneNumber), timestamp(phoneNumber.createdAt) ?? mountTime)
        }
        if workspace.listsCallsOutsideNumbers {
            // Its time: the workspace's first number's, so it is the same on every mount.
            let time = phoneNumbers.compactMap { timestamp($0.createdAt) }.min() ?? mountTime
            entries.append((Naming.unassignedDirectoryName, .unassigned, time))
        }
        return Listing(children: children(of: root, entries), isFinal: false)
    }

    private func groupListing(_ directory: Node, _ groups: [CallGroup]) -> Listing {
        let names = Naming.uniqued(groups.map { Naming.participantsDirectoryName($0.parties) })
        let entries: [Entry] = zip(names, groups).map { name, group in
            (name, .callGroup(group), timestamp(group.createdAt) ?? directory.modificationTime)
        }
        return Listing(children: children(of: directory, entries), isFinal: false, highWater: QuoWorkspace.highWater(ofGroups: groups))
    }

    private func callListing(_ directory: Node, _ calls: [Call]) -> Listing {
        let names = Naming.uniqued(calls.map(Naming.callDirectoryName))
        let entries: [Entry] = zip(names, calls).map { name, call in
            (name, .call(call), timestamp(call.createdAt) ?? directory.modificationTime)
        }
        return Listing(children: children(of: directory, entries), isFinal: false, highWater: QuoWorkspace.highWater(of: calls))
    }

    /// A call's files: its available segments, its voicemail's audio and transcript,
    /// and its content (``CallDirectoryContent``: subtitles, transcript, summary,
    /// `call.json`).
    ///
    /// A call never answered holds no recordings (``Call/wasNeverAnswered``): it costs
    /// no recordings, transcript or summary request. Its voicemail comes with the call
    /// where the listing included voicemails; otherwise it is asked for only when the
    /// call can have one (incoming, not answered), and again for a fresh URL when the
    /// directory is listed anew. Content once final is taken from the call's last
    /// listing (``finalContent(of:)``): listing the call again asks for recordings only.
    private func callDirectoryListing(_ directory: Node, _ call: Call, firstListing: Bool) async throws -> Listing {
        let workspace = self.workspace
        async let recordingsFetch: [CallRecording] = {
            call.wasNeverAnswered ? [] : try await workspace.recordings(of: call)
        }()
        let known = await finalContent(of: directory)
        // nil: not wanted (or known already); `.absent` for a call nobody answered
        // (nothing to transcribe or summarize, unless the listing brought a summary). A
        // plan without them (403) is asked per call, not once per mount: the answer is
        // then the same whatever order the tree is walked in, and is kept as final.
        async let transcriptsFetch: ArtifactAnswer<[Transcript]>? = {
            guard known == nil, self.contentKinds.contains(.transcripts) else { return nil }
            if call.wasNeverAnswered { return .absent }
            return try await workspace.transcripts(of: call)
        }()
        async let summaryFetch: ArtifactAnswer<CallSummary>? = {
            guard known == nil, self.contentKinds.contains(.summaries) else { return nil }
            // The listing's summary, unless it was still being made when listed (perhaps
            // mounts ago, for a call the catalog kept): then the call is asked again.
            let listed = firstListing && call.summary?.isPending != true
            if call.summaryIncluded, listed { return try await workspace.summary(of: call) }
            if call.wasNeverAnswered { return .absent }
            return try await workspace.summary(of: call, listed: listed)
        }()
        let voicemail: Voicemail?
        // An included voicemail whose URL was not stored (a call the catalog kept) is asked for again.
        let inlineUsable = call.voicemail.map { $0.recordingUrl != nil || !$0.isAvailableOnceListed } ?? true
        if call.voicemailIncluded, inlineUsable, firstListing {
            voicemail = call.voicemail
        } else if call.canHaveVoicemail || call.voicemail != nil {
            voicemail = try await workspace.voicemail(of: call)
        } else {
            voicemail = nil
        }
        let recordings = try await recordingsFetch
        let transcripts = try await transcriptsFetch
        let summary = try await summaryFetch

        let available = recordings.filter(\.isAvailable)
        let names = Naming.segmentNames(available)
        var entries: [Entry] = zip(names, available).map { name, recording in
            (name, .recording(RecordingFile(recording: recording, callID: call.id)),
             timestamp(recording.startTime) ?? directory.modificationTime)
        }
        if let voicemail, voicemail.isAvailable {
            let audio = CallRecording(
                id: voicemail.id ?? "VM-\(call.id)", duration: voicemail.duration, startTime: nil,
                status: voicemail.status, type: nil, url: voicemail.recordingUrl)
            entries.append((Naming.voicemailAudioName(url: voicemail.recordingUrl),
                            .recording(RecordingFile(recording: audio, callID: call.id, isVoicemail: true)),
                            directory.modificationTime))
        }
        if let transcript = voicemail?.transcript, !transcript.isEmpty {
            let text = transcript.hasSuffix("\n") ? transcript : transcript + "\n"
            entries.append((Naming.voicemailTranscriptName,
                            .text(TextFile(bytes: Array(text.utf8), callID: call.id, kind: .voicemailTranscript)),
                            directory.modificationTime))
        }

        let contentFiles: [(name: String, file: TextFile)]
        var contentPending = false
        if let known {
            contentFiles = known
        } else {
            let content = CallDirectoryContent(
                call: call, segments: Array(zip(names, available)), voicemail: voicemail,
                transcripts: transcripts, summary: summary,
                people: try await people(), ownNumbers: ownNumbers.withLock { $0.numbers })
            contentFiles = content.files
            contentPending = content.isPending
        }
        for (name, file) in contentFiles {
            entries.append((name, .text(file), directory.modificationTime))
        }
        let isFinal = call.isFinished && !recordings.contains(where: \.isPending) && voicemail?.isPending != true
            && !contentPending
        return Listing(children: children(of: directory, entries), isFinal: isFinal, contentKinds: contentKinds)
    }

    /// The content files of the call directory's last listing (this mount's, or the
    /// catalog's it served), if that listing was final: they cannot have changed, so a
    /// listing for fresh recording URLs asks for recordings only. The voicemail's
    /// transcript is not among them: it comes with the voicemail, which is asked again.
    private func finalContent(of directory: Node) async -> [(name: String, file: TextFile)]? {
        guard let last = await listings.lastValue(for: directory.inode), last.isFinal else { return nil }
        return last.children.compactMap { child in
            guard case .text(let file) = child.content, file.kind != .voicemailTranscript else { return nil }
            return (child.name, file)
        }
    }

    /// A listing's entry before it is a node: name, what it stands for, mtime.
    private typealias Entry = (name: String, content: Node.Content, time: QuoTimestamp)

    /// The directory's children as nodes, in byte order of their names; inode numbers are
    /// handed out in that order too, so a walker that goes by inode (`cp -r` sorts each
    /// directory by inode) walks in the same order as one that goes by name (`rsync`).
    private func children(of directory: Node, _ entries: [Entry]) -> [Node] {
        entries.sorted { Naming.byteOrder($0.name, $1.name) }.map { entry in
            table.upsertChild(of: directory.inode, name: entry.name, content: entry.content, modificationTime: entry.time)
        }
    }

    private func timestamp(_ text: String?) -> QuoTimestamp? {
        text.flatMap(QuoTimestamp.init(iso8601:))
    }

    private func describe(_ node: Node) -> String {
        switch node.content {
        case .root: "/"
        case .phoneNumber(let phoneNumber): "phone number \(phoneNumber.number)"
        case .unassigned: Naming.unassignedDirectoryName
        case .callGroup(let group): "calls with \(group.parties.joined(separator: ","))"
        case .call(let call): "call \(call.id)"
        case .recording(let file): "recording \(file.recording.id)"
        case .text: "text file \(node.name)"
        }
    }
}
