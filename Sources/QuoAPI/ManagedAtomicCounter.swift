import Synchronization

/// An `Int` counter safe to bump from any thread.
final class ManagedAtomicCounter: Sendable {
    private let storage = Atomic<Int>(0)
    func add(_ n: Int = 1) { storage.add(n, ordering: .relaxed) }
    func load() -> Int { storage.load(ordering: .relaxed) }
}
