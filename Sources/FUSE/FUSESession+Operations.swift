import CFUSE

#if canImport(Glibc)
import Glibc
#endif

// The libfuse low-level operations table. Each callback copies what it needs out of its
// pointer arguments (they die when the callback returns), then hands the work to a task
// via `respond`, so no libfuse worker thread ever waits on the filesystem. Callbacks are
// non-capturing closures: the session comes from the request's userdata.
extension FUSESession {
    static let operations: fuse_lowlevel_ops = {
        var ops = fuse_lowlevel_ops()

        ops.`init` = { userdata, connection in
            guard let userdata, let connection else { return }
            let session = Unmanaged<FUSESession>.fromOpaque(userdata).takeUnretainedValue()
            connection.pointee.max_background = session.options.maxBackground
            connection.pointee.congestion_threshold = session.options.maxBackground * 3 / 4
            connection.pointee.max_write = session.options.maxRequestSize
            // Always send readdirplus (attributes with names), so `ls -l` costs no
            // per-entry lookups.
            if connection.pointee.capable & cfuse_cap_readdirplus != 0 {
                connection.pointee.want |= cfuse_cap_readdirplus
                connection.pointee.want &= ~cfuse_cap_readdirplus_auto
            }
            if connection.pointee.capable & cfuse_cap_parallel_dirops != 0 {
                connection.pointee.want |= cfuse_cap_parallel_dirops
            }
            // Files never change while mounted; don't drop the page cache on mtime checks.
            connection.pointee.want &= ~cfuse_cap_auto_inval_data
        }

        ops.lookup = { request, parent, name in
            let session = FUSESession.owner(of: request)
            guard let name else { return fuse_reply_err_void(request, EINVAL) }
            let nameString = String(cString: name)
            session.respond(request, "lookup") { reply in
                let entry = try await session.fileSystem.lookup(parent: parent, name: nameString)
                var param = entry.entryParam
                reply.send { fuse_reply_entry($0, &param) }
            }
        }

        ops.forget = { request, inode, count in
            FUSESession.owner(of: request).fileSystem.forget(inode, count: count)
            fuse_reply_none(request)
        }

        ops.forget_multi = { request, count, forgets in
            let fileSystem = FUSESession.owner(of: request).fileSystem
            if let forgets {
                for index in 0..<count {
                    fileSystem.forget(forgets[index].ino, count: forgets[index].nlookup)
                }
            }
            fuse_reply_none(request)
        }

        ops.getattr = { request, inode, _ in
            let session = FUSESession.owner(of: request)
            session.respond(request, "getattr") { reply in
                let result = try await session.fileSystem.attributes(of: inode)
                var st = result.attributes.stat
                reply.send { fuse_reply_attr($0, &st, result.timeout) }
            }
        }

        ops.open = { request, inode, info in
            let session = FUSESession.owner(of: request)
            guard let info else { return fuse_reply_err_void(request, EINVAL) }
            let flags = info.pointee.flags
            session.respond(request, "open") { reply in
                let opened = try await session.fileSystem.open(inode, flags: flags)
                var answer = fuse_file_info()
                answer.flags = flags
                answer.fh = opened.handle
                cfuse_file_info_set_open_flags(&answer, opened.keepCache ? 1 : 0, 0)
                reply.send { fuse_reply_open($0, &answer) }
            }
        }

        ops.read = { request, inode, size, offset, info in
            let session = FUSESession.owner(of: request)
            guard let info, offset >= 0 else { return fuse_reply_err_void(request, EINVAL) }
            let handle = info.pointee.fh
            session.respond(request, "read") { reply in
                let pieces = try await session.fileSystem.read(
                    inode, handle: handle, offset: UInt64(offset), size: size)
                withIOVecs(pieces[...], []) { vectors in
                    reply.send { fuse_reply_iov($0, vectors, Int32(vectors.count)) }
                }
            }
        }

        ops.release = { request, inode, info in
            let session = FUSESession.owner(of: request)
            let handle = info?.pointee.fh ?? 0
            session.respond(request, "release") { reply in
                await session.fileSystem.release(inode, handle: handle)
                reply.send { fuse_reply_err($0, 0) }
            }
        }

        ops.opendir = { request, inode, info in
            let session = FUSESession.owner(of: request)
            let flags = info?.pointee.flags ?? 0
            session.respond(request, "opendir") { reply in
                let listing = try await session.fileSystem.listDirectory(inode)
                var answer = fuse_file_info()
                answer.flags = flags
                answer.fh = session.directories.insert(DirectorySnapshot(directory: inode, listing: listing))
                reply.send { fuse_reply_open($0, &answer) }
            }
        }

        ops.readdir = { request, _, size, offset, info in
            FUSESession.owner(of: request).serveDirectory(request, size: size, offset: offset, info: info, plus: false)
        }

        ops.readdirplus = { request, _, size, offset, info in
            FUSESession.owner(of: request).serveDirectory(request, size: size, offset: offset, info: info, plus: true)
        }

        ops.releasedir = { request, _, info in
            if let info { FUSESession.owner(of: request).directories.remove(info.pointee.fh) }
            fuse_reply_err(request, 0)
        }

        ops.getxattr = { request, inode, name, size in
            let session = FUSESession.owner(of: request)
            guard let name else { return fuse_reply_err_void(request, EINVAL) }
            let nameString = String(cString: name)
            session.respond(request, "getxattr") { reply in
                let attributes = try await session.fileSystem.extendedAttributes(of: inode)
                guard let attribute = attributes.first(where: { $0.name == nameString }) else {
                    return reply.fail(ENODATA)
                }
                reply.send(ExtendedAttributeReply(bytes: attribute.value, bufferSize: size))
            }
        }

        ops.listxattr = { request, inode, size in
            let session = FUSESession.owner(of: request)
            session.respond(request, "listxattr") { reply in
                let attributes = try await session.fileSystem.extendedAttributes(of: inode)
                reply.send(ExtendedAttributeReply(bytes: ExtendedAttributeReply.nameList(attributes), bufferSize: size))
            }
        }

        // The mount is read-only: so are its attributes (the kernel answers most writes
        // itself on an `ro` mount; these say so too if one gets here).
        ops.setxattr = { request, _, _, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.removexattr = { request, _, _ in fuse_reply_err(request, EROFS) }

        return ops
    }()

    /// Answers readdir/readdirplus from the snapshot taken at opendir. Synchronous: the
    /// snapshot is in memory. Offsets are the index of the next item.
    func serveDirectory(
        _ request: fuse_req_t?, size: Int, offset: off_t,
        info: UnsafeMutablePointer<fuse_file_info>?, plus: Bool
    ) {
        guard let info, let snapshot = directories.snapshot(info.pointee.fh) else {
            return fuse_reply_err_void(request, EBADF)
        }
        var buffer = [CChar](repeating: 0, count: size)
        var used = 0
        var index = max(0, Int(offset))
        buffer.withUnsafeMutableBufferPointer { out in
            while index < snapshot.items.count {
                let item = snapshot.items[index]
                let next = off_t(index + 1)
                let remaining = size - used
                let needed: Int
                if plus {
                    var param = fuse_entry_param()
                    if let entry = item.entry {
                        param = entry.entryParam
                    } else {
                        // `.` and `..`: no lookup reference, only the type and inode.
                        param.attr.st_ino = UInt(item.inode)
                        param.attr.st_mode = mode_t(Glibc.S_IFDIR)
                    }
                    needed = fuse_add_direntry_plus(request, out.baseAddress! + used, remaining, item.name, &param, next)
                } else {
                    var st = Glibc.stat()
                    st.st_ino = UInt(item.inode)
                    st.st_mode = mode_t(item.isDirectory ? Glibc.S_IFDIR : Glibc.S_IFREG)
                    needed = fuse_add_direntry(request, out.baseAddress! + used, remaining, item.name, &st, next)
                }
                // An entry that does not fit is not sent; for readdirplus the kernel then
                // takes no lookup reference on it, so there is nothing to undo.
                if needed > remaining { break }
                used += needed
                index += 1
            }
        }
        _ = buffer.withUnsafeBufferPointer { fuse_reply_buf(request, $0.baseAddress, used) }
    }
}

/// Calls `body` with an iovec per non-empty piece, each pointing into the piece's storage,
/// valid for the duration of the call.
private func withIOVecs<R>(_ pieces: ArraySlice<any ReplyBytes>, _ vectors: [iovec], _ body: ([iovec]) -> R) -> R {
    guard let first = pieces.first else { return body(vectors) }
    if first.count == 0 { return withIOVecs(pieces.dropFirst(), vectors, body) }
    return first.withReplyBytes { raw in
        let vector = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress), iov_len: raw.count)
        return withIOVecs(pieces.dropFirst(), vectors + [vector], body)
    }
}

/// `fuse_reply_err` for callbacks that return `Void`.
private func fuse_reply_err_void(_ request: fuse_req_t?, _ errno: Int32) {
    fuse_reply_err(request, errno)
}
