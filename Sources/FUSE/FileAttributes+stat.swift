import CFUSE

#if canImport(Glibc)
import Glibc
#endif

extension FileAttributes {
    /// The attributes as a C `struct stat`.
    var stat: stat {
        var st = Glibc.stat()
        st.st_ino = UInt(inode)
        let type = kind == .directory ? Glibc.S_IFDIR : Glibc.S_IFREG
        st.st_mode = mode_t(type) | mode_t(permissions)
        st.st_nlink = UInt(linkCount)
        st.st_uid = uid
        st.st_gid = gid
        st.st_size = Int(clamping: size)
        st.st_blksize = 65536
        st.st_blocks = Int((size + 511) / 512)
        let time = timespec(tv_sec: Int(modificationTime.seconds), tv_nsec: Int(modificationTime.nanoseconds))
        st.st_mtim = time
        st.st_atim = time
        st.st_ctim = time
        return st
    }
}

extension Entry {
    /// The entry as libfuse's `fuse_entry_param`.
    var entryParam: fuse_entry_param {
        var param = fuse_entry_param()
        param.ino = attributes.inode
        param.generation = 1
        param.attr = attributes.stat
        param.attr_timeout = attributeTimeout
        param.entry_timeout = entryTimeout
        return param
    }
}
