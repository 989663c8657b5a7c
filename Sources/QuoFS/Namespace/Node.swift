import FUSE
import QuoAPI

/// One file or directory of the mount.
///
/// The tree is `<root>/<workspace number>/<participants>/<call>/<file>`, plus
/// `<root>/_unassigned/<participants>/<call>/<file>` for calls on no workspace number;
/// each level's node carries the API object it stands for.
struct Node: Sendable {
    /// `indirect`: each case's API object is boxed once and shared by every copy of the
    /// node (the inode table's, each listing's), instead of being copied inline: a
    /// `Call` is several hundred bytes, and a mount holds a few copies of every node.
    indirect enum Content: Sendable {
        case root
        /// A workspace phone number.
        case phoneNumber(PhoneNumber)
        /// Calls on no workspace number (where the API version can list them).
        case unassigned
        /// The calls of a number with the same external parties.
        case callGroup(CallGroup)
        /// A call.
        case call(Call)
        /// Audio streamed from a URL: a recording segment, or a voicemail.
        case recording(RecordingFile)
        /// A small file whose bytes are known when its directory is listed.
        case text(TextFile)
    }

    let inode: Inode
    let parent: Inode
    let name: String
    var content: Content
    /// Shown as the node's modification time.
    var modificationTime: QuoTimestamp

    var isDirectory: Bool {
        switch content {
        case .recording, .text: false
        default: true
        }
    }
}

/// Audio of a call served from a (signed) URL: a recording segment, or the call's
/// voicemail (then ``recording`` stands for it: its id is the voicemail's `VM…`).
struct RecordingFile: Sendable {
    var recording: CallRecording
    var callID: String
    var isVoicemail = false
}

/// A file whose bytes are in memory: a call's transcripts, summary, metadata, or its
/// voicemail's transcript.
struct TextFile: Sendable {
    /// What the file holds.
    enum Kind: String, Sendable, CaseIterable {
        /// `voicemail.txt`
        case voicemailTranscript
        /// `<segment>.vtt`
        case segmentSubtitles
        /// `transcript.txt`
        case callTranscript
        /// `summary.md`
        case summary
        /// `call.json`
        case metadata

        /// Its `user.mime_type`.
        var mimeType: String {
            switch self {
            case .voicemailTranscript, .callTranscript: "text/plain"
            case .segmentSubtitles: "text/vtt"
            case .summary: "text/markdown"
            case .metadata: "application/json"
            }
        }
    }

    var bytes: [UInt8]
    /// The call (`AC…`) whose file it is.
    var callID: String
    var kind: Kind
}
