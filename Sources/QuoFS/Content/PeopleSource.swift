import FUSE
import Logging
import QuoAPI
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Where the names of a workspace's users and contacts come from: the catalog when it
/// has them from the last ``maxAge``, else the API (users: none with v1, whose numbers
/// carry them, ⌈users/50⌉ with 2026-03-30; contacts: ⌈contacts/50⌉) — once per mount.
///
/// A 403 or 404 (a key or plan without contacts) leaves names out; any other failure
/// fails the listing that needed them (and is not remembered: the next listing asks
/// again), so no file is made with names missing by accident.
final class PeopleSource: Sendable {
    /// The catalog's document name.
    static let documentName = "people"
    /// How old the catalog's names may be: contacts change rarely, and a day keeps
    /// names current enough.
    static let maxAge: Double = 24 * 3600

    private let workspace: QuoWorkspace
    private let store: (any ListingStore)?
    private let logger: Logger
    private let load = AsyncCache<Int, PeopleDirectory> { _ in nil }
    private let loaded = Mutex<PeopleDirectory?>(nil)

    init(workspace: QuoWorkspace, store: (any ListingStore)?, logger: Logger) {
        self.workspace = workspace
        self.store = store
        self.logger = logger
    }

    /// The names, if loaded yet.
    var known: PeopleDirectory? { loaded.withLock { $0 } }

    /// The names; `numbers`: the workspace's phone numbers as listed (v1's carry the users).
    func people(numbers: [PhoneNumber]) async throws -> PeopleDirectory {
        if let known { return known }
        let directory = try await load.value(for: 0) {
            let now = Double(time(nil))
            if let stored = await self.store?.document(named: Self.documentName),
               now - stored.fetchedAt < Self.maxAge, now >= stored.fetchedAt,
               let people = PeopleDirectory(json: stored.bytes) {
                return people
            }
            let users: [User]
            let contacts: [Contact]
            do {
                async let usersFetch = self.list { try await self.workspace.users(numbers: numbers) }
                async let contactsFetch = self.list { try await self.workspace.contacts() }
                users = try await usersFetch
                contacts = try await contactsFetch
            } catch let error as QuoAPIError {
                self.logger.error("listing the workspace's users and contacts failed: \(error)")
                throw FUSEError.io
            }
            let people = PeopleDirectory(users: users, contacts: contacts)
            self.store?.storeDocument(StoredDocument(bytes: people.json, fetchedAt: now), named: Self.documentName)
            return people
        }
        loaded.withLock { $0 = directory }
        return directory
    }

    /// A list of people, or none when the key may not read it (403/404).
    private func list<Element>(_ fetch: () async throws -> [Element]) async throws -> [Element] {
        do {
            return try await fetch()
        } catch let error as QuoAPIError where error.kind == .forbidden || error.kind == .notFound {
            logger.info("names: \(error.request) is not available to this key (\(error.message)); numbers are shown instead")
            return []
        }
    }
}
