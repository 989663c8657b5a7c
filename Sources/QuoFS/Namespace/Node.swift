import FUSE
import QuoAPI

/// One file or directory of the mount.
///
/// The tree is `<root>/<workspace number>/<participant>/<call>/<segment>`; each level's
/// node carries the API object it stands for.
struct Node: Sendable {
    enum Content: Sendable {
        case root
        /// A workspace phone number.
        case phoneNumber(PhoneNumber)
        /// A 1:1 participant (E.164) of a phone number's conversations.
        case participant(phoneNumberID: String, participant: String)
        /// A call between a phone number and a participant.
        case call(Call)
        /// A recording segment of a call: a file.
        case segment(Segment)
    }

    let inode: Inode
    let parent: Inode
    let name: String
    var content: Content
    /// Shown as the node's modification time.
    var modificationTime: QuoTimestamp

    var isDirectory: Bool {
        if case .segment = content { return false }
        return true
    }
}

/// A recording segment as a file: the recording and the call it belongs to.
struct Segment: Sendable {
    var recording: CallRecording
    var callID: String
}
