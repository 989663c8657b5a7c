import FUSE
import QuoAPI

/// The extended attributes of the tree's nodes (`getfattr -d`, `rsync -aX`): what the
/// API says a node stands for, served from memory (the kernel asks for every `getxattr`).
///
/// - `user.quo.id`: the API object's id on every node below the root — `PN…`, the
///   participants string (`_internal` for calls with no external party, `_unassigned`
///   for the directory of calls on no workspace number), `AC…`, `CR…`, `VM…`, and the
///   call's `AC…` on its text files.
/// - `user.quo.name`: a human name where one exists — a number's name (`Sales`), a 1:1
///   group's contact name.
/// - `user.quo.direction`, `user.quo.status`, `user.quo.duration` (seconds),
///   `user.quo.created` (ISO 8601 as the API sent it): on call directories.
/// - `user.mime_type` (the freedesktop convention): on every file.
///
/// Values are UTF-8 without a trailing NUL, and the same on every mount, so a second
/// `rsync -aX` rewrites none.
extension Node {
    func extendedAttributes(people: PeopleDirectory?) -> [ExtendedAttribute] {
        var attributes: [ExtendedAttribute] = []
        func add(_ name: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            attributes.append(ExtendedAttribute(name: "user.quo." + name, text: value))
        }
        switch content {
        case .root:
            break
        case .phoneNumber(let phoneNumber):
            add("id", phoneNumber.id)
            add("name", phoneNumber.name)
        case .unassigned:
            add("id", Naming.unassignedDirectoryName)
        case .callGroup(let group):
            add("id", group.parties.isEmpty ? Naming.internalCallsName : group.parties.joined(separator: ","))
            if group.parties.count == 1 {
                add("name", people?.contactName(number: group.parties[0]))
            }
        case .call(let call):
            add("id", call.id)
            add("direction", call.direction)
            add("status", call.status)
            add("duration", call.duration.map(String.init))
            add("created", call.createdAt)
        case .recording(let file):
            add("id", file.recording.id)
        case .text(let text):
            add("id", text.callID)
        }
        if let mimeType {
            attributes.append(ExtendedAttribute(name: "user.mime_type", text: mimeType))
        }
        return attributes
    }

    /// A file's MIME type: a text file's kind's, an audio file's by its name's extension
    /// (the name is what players go by, and it is the same whether the API or the
    /// catalog described the recording).
    private var mimeType: String? {
        switch content {
        case .text(let text):
            return text.kind.mimeType
        case .recording:
            guard let dot = name.lastIndex(of: ".") else { return nil }
            return Self.audioTypes[name[dot...].lowercased()]
        default:
            return nil
        }
    }

    static let audioTypes: [String: String] = [
        ".mp3": "audio/mpeg", ".wav": "audio/wav", ".ogg": "audio/ogg", ".opus": "audio/opus",
        ".m4a": "audio/mp4", ".aac": "audio/aac", ".webm": "audio/webm", ".flac": "audio/flac",
    ]
}
