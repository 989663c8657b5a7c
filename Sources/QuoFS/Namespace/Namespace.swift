import FUSE
import Logging
import QuoAPI

/// The mount's directory tree, fetched lazily from the Quo API.
///
/// A directory's children are fetched when it is first listed or looked up in, then
/// cached: for `directoryCacheTime`, or for good when they can no longer change (a
/// finished call whose recordings are all final). Concurrent requests for one directory
/// share one fetch; a failed refresh keeps serving the previous listing.
final class Namespace: Sendable {
    private let client: QuoClient
    private let table: InodeTable
    private let listings: AsyncCache<Inode, Listing>
    private let logger: Logger
    let mountTime: QuoTimestamp

    /// A directory's children as last fetched.
    struct Listing: Sendable {
        var children: [Node]
        /// Nothing in it can change any more: cache for good.
        var isFinal: Bool
    }

    init(client: QuoClient, directoryCacheTime: Duration, mountTime: QuoTimestamp, logger: Logger) {
        self.client = client
        self.mountTime = mountTime
        self.logger = logger
        self.table = InodeTable(root: Node(inode: rootInode, parent: rootInode, name: "", content: .root, modificationTime: mountTime))
        self.listings = AsyncCache { $0.isFinal ? nil : directoryCacheTime }
    }

    /// The node with this inode; `ENOENT` if the kernel names one we never handed out.
    func node(_ inode: Inode) throws -> Node {
        guard let node = table[inode] else { throw FUSEError.noEntry }
        return node
    }

    /// Fills the root listing with phone numbers already fetched (at mount time, to check
    /// the key), so the first `ls` of the mount costs no request.
    func seedRoot(with phoneNumbers: [PhoneNumber]) async throws {
        let root = try node(rootInode)
        _ = try await listings.value(for: rootInode) { self.phoneNumberListing(root, phoneNumbers) }
    }

    /// The directory's children; with `fetchedAfter`, from a listing fetched at or after
    /// that instant (see ``AsyncCache``).
    func children(of directory: Node, fetchedAfter: ContinuousClock.Instant? = nil) async throws -> [Node] {
        guard directory.isDirectory else { throw FUSEError.notDirectory }
        do {
            return try await listings.value(for: directory.inode, fetchedAfter: fetchedAfter) {
                try await self.fetchListing(directory)
            }.children
        } catch let error as QuoAPIError {
            logger.error("listing \(describe(directory)) failed: \(error)")
            throw FUSEError.io
        }
    }

    /// The child `name` of `directory`; `ENOENT` if it has none.
    func child(of directory: Node, named name: String) async throws -> Node {
        guard directory.isDirectory else { throw FUSEError.notDirectory }
        guard let child = try await children(of: directory).first(where: { $0.name == name }) else {
            throw FUSEError.noEntry
        }
        return child
    }

    /// The segment's recording as a listing of its call fetched at or after `instant`
    /// describes it: e.g. with a fresh URL, when the one used at `instant` had expired.
    /// Readers that hit the same expired URL at about the same time share one request.
    func refreshedRecording(of segmentNode: Node, fetchedAfter instant: ContinuousClock.Instant) async throws -> CallRecording {
        guard case .segment(let segment) = segmentNode.content else { throw FUSEError.io }
        let call = try node(segmentNode.parent)
        let children = try await children(of: call, fetchedAfter: instant)
        for child in children {
            if case .segment(let fresh) = child.content, fresh.recording.id == segment.recording.id {
                return fresh.recording
            }
        }
        throw FUSEError.noEntry
    }

    // MARK: Fetching

    private func fetchListing(_ directory: Node) async throws -> Listing {
        switch directory.content {
        case .root:
            return phoneNumberListing(directory, try await client.phoneNumbers())
        case .phoneNumber(let phoneNumber):
            return participantListing(directory, phoneNumber, try await client.conversations(phoneNumber: phoneNumber.id))
        case .participant(let phoneNumberID, let participant):
            return callListing(directory, try await client.calls(phoneNumberID: phoneNumberID, participant: participant))
        case .call(let call):
            return segmentListing(directory, call, try await client.recordings(callID: call.id))
        case .segment:
            throw FUSEError.notDirectory
        }
    }

    private func phoneNumberListing(_ root: Node, _ phoneNumbers: [PhoneNumber]) -> Listing {
        let names = Naming.uniqued(phoneNumbers.map { Naming.sanitize($0.number) })
        let children = zip(names, phoneNumbers).map { name, phoneNumber in
            table.upsertChild(of: root.inode, name: name, content: .phoneNumber(phoneNumber),
                              modificationTime: timestamp(phoneNumber.createdAt) ?? mountTime)
        }
        return Listing(children: children, isFinal: false)
    }

    private func participantListing(_ directory: Node, _ phoneNumber: PhoneNumber, _ conversations: [Conversation]) -> Listing {
        // Only 1:1 conversations: calls can be listed for exactly one participant. A
        // participant may have several conversations; the earliest gives the mtime.
        var earliest: [String: QuoTimestamp] = [:]
        var order: [String] = []
        for conversation in conversations where conversation.participants.count == 1 {
            let participant = conversation.participants[0]
            let created = timestamp(conversation.createdAt) ?? directory.modificationTime
            if let known = earliest[participant] {
                earliest[participant] = min(known, created)
            } else {
                earliest[participant] = created
                order.append(participant)
            }
        }
        let names = Naming.uniqued(order.map(Naming.sanitize))
        let children = zip(names, order).map { name, participant in
            table.upsertChild(of: directory.inode, name: name,
                              content: .participant(phoneNumberID: phoneNumber.id, participant: participant),
                              modificationTime: earliest[participant]!)
        }
        return Listing(children: children, isFinal: false)
    }

    private func callListing(_ directory: Node, _ calls: [Call]) -> Listing {
        let names = Naming.uniqued(calls.map(Naming.callDirectoryName))
        let children = zip(names, calls).map { name, call in
            table.upsertChild(of: directory.inode, name: name, content: .call(call),
                              modificationTime: timestamp(call.createdAt) ?? directory.modificationTime)
        }
        return Listing(children: children, isFinal: false)
    }

    private func segmentListing(_ directory: Node, _ call: Call, _ recordings: [CallRecording]) -> Listing {
        let available = recordings.filter(\.isAvailable)
        let names = Naming.segmentNames(available)
        let children = zip(names, available).map { name, recording in
            table.upsertChild(of: directory.inode, name: name,
                              content: .segment(Segment(recording: recording, callID: call.id)),
                              modificationTime: timestamp(recording.startTime) ?? directory.modificationTime)
        }
        let isFinal = call.isFinished && !recordings.contains(where: \.isPending)
        return Listing(children: children, isFinal: isFinal)
    }

    private func timestamp(_ text: String?) -> QuoTimestamp? {
        text.flatMap(QuoTimestamp.init(iso8601:))
    }

    private func describe(_ node: Node) -> String {
        switch node.content {
        case .root: "/"
        case .phoneNumber(let phoneNumber): "phone number \(phoneNumber.number)"
        case .participant(_, let participant): "participant \(participant)"
        case .call(let call): "call \(call.id)"
        case .segment(let segment): "recording \(segment.recording.id)"
        }
    }
}
