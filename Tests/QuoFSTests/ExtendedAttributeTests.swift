import FUSE
import QuoAPI
import QuoMock
import Testing
@testable import QuoFS

#if canImport(Glibc)
import Glibc
#endif

/// The binding's size-probe contract and what each node of the tree carries as extended
/// attributes.
@Suite("Extended attributes")
struct ExtendedAttributeTests {
    @Test("size 0 asks for the size; a buffer that holds the value gets it; a smaller one is ERANGE")
    func sizeProbe() {
        let value = Array("ACdemoA2".utf8)
        #expect(ExtendedAttributeReply(bytes: value, bufferSize: 0) == .size(8))
        #expect(ExtendedAttributeReply(bytes: value, bufferSize: 8) == .bytes(value))
        #expect(ExtendedAttributeReply(bytes: value, bufferSize: 4096) == .bytes(value))
        #expect(ExtendedAttributeReply(bytes: value, bufferSize: 7) == .error(ERANGE))
        #expect(ExtendedAttributeReply(bytes: [], bufferSize: 0) == .size(0))
        let names = ExtendedAttributeReply.nameList([
            ExtendedAttribute(name: "user.quo.id", text: "x"), ExtendedAttribute(name: "user.mime_type", text: "y"),
        ])
        #expect(names == Array("user.quo.id\0user.mime_type\0".utf8))
    }

    @Test("every node below the root has user.quo.id; names, call details and MIME types where they exist",
          arguments: APIVersion.allCases)
    func attributesOfTheTree(version: APIVersion) async throws {
        let fixture = try await Fixture.make(version: version)
        defer { Task { await fixture.close() } }
        func attributes(_ path: String) async throws -> [String: String] {
            let entry = try await fixture.resolve(path)
            let list = try await fixture.fileSystem.extendedAttributes(of: entry.attributes.inode)
            #expect(Set(list.map(\.name)).count == list.count, "\(path): a name twice")
            return Dictionary(uniqueKeysWithValues: list.map { ($0.name, String(decoding: $0.value, as: UTF8.self)) })
        }
        #expect(try await fixture.fileSystem.extendedAttributes(of: rootInode).isEmpty)
        #expect(try await attributes("+15550100001") == ["user.quo.id": "PNdemoSales1", "user.quo.name": "Sales"])
        let call = "+15550100001/+15550109001/2025-01-13T15-02-10Z_ACdemoA2"
        _ = try await fixture.fileSystem.listDirectory(try await fixture.resolve(call).attributes.inode)
        #expect(try await attributes("+15550100001/+15550109001") == ["user.quo.id": "+15550109001", "user.quo.name": "Alice Archer"])
        let details = try await attributes(call)
        #expect(details["user.quo.id"] == "ACdemoA2")
        #expect(details["user.quo.direction"] == "outgoing")
        #expect(details["user.quo.status"] == "completed")
        #expect(details["user.quo.created"] == "2025-01-13T15:02:10.000Z")  // as the API sent it
        #expect(details["user.quo.duration"].flatMap(Int.init) != nil)
        #expect(try await attributes(call + "/2025-01-13T15-02-12Z.mp3") == ["user.quo.id": "CRdemoA2a", "user.mime_type": "audio/mpeg"])
        #expect(try await attributes(call + "/call.json") == ["user.quo.id": "ACdemoA2", "user.mime_type": "application/json"])
    }
}
