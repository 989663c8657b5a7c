import QuoAPI

/// Between the tree's nodes and what the catalog keeps of them: everything but signed
/// URLs (recordings' and voicemails'), which expire and must never be persisted.
extension StoredContent {
    init(_ content: Node.Content) {
        switch content {
        case .root: self = .unassigned  // never stored: the root is listed at every mount
        case .phoneNumber(let number): self = .phoneNumber(number)
        case .unassigned: self = .unassigned
        case .callGroup(var group):
            group.calls = group.calls?.map(Self.withoutURLs)
            self = .callGroup(group)
        case .call(let call): self = .call(Self.withoutURLs(call))
        case .recording(let file):
            var recording = file.recording
            recording.url = nil
            self = .recording(recording, callID: file.callID, isVoicemail: file.isVoicemail)
        case .text(let text): self = .text(text.bytes, callID: text.callID, kind: text.kind.rawValue)
        }
    }

    var nodeContent: Node.Content {
        switch self {
        case .phoneNumber(let number): .phoneNumber(number)
        case .unassigned: .unassigned
        case .callGroup(let group): .callGroup(group)
        case .call(let call): .call(call)
        case .recording(let recording, let callID, let isVoicemail):
            .recording(RecordingFile(recording: recording, callID: callID, isVoicemail: isVoicemail))
        case .text(let bytes, let callID, let kind):
            .text(TextFile(bytes: bytes, callID: callID ?? "", kind: kind.flatMap(TextFile.Kind.init(rawValue:)) ?? .metadata))
        }
    }

    /// A call as stored: its voicemail's URL left out.
    static func withoutURLs(_ call: Call) -> Call {
        var call = call
        call.voicemail?.recordingUrl = nil
        return call
    }
}

extension Voicemail {
    /// Whether the voicemail has audio once its URL is known: completed (or no status).
    /// (``isAvailable`` also needs the URL, which a stored call does not have.)
    var isAvailableOnceListed: Bool {
        status == nil || status == "completed"
    }
}
