// C shim over libfuse3's low-level API for Swift.
//
// FUSE_USE_VERSION must be 312 or later (not "35": 35 < 312 numerically, and the
// loop functions then become macros Swift cannot see). Anything libfuse exposes as a
// function-like macro, or may turn into one in a later version, is wrapped in a
// `cfuse_` static inline function so Swift always sees a plain function.
#ifndef QUOFS_CFUSE_SHIM_H
#define QUOFS_CFUSE_SHIM_H

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <sys/stat.h>
#include <errno.h>
#include <stddef.h>

static inline struct fuse_session *cfuse_session_new(struct fuse_args *args,
                                                     const struct fuse_lowlevel_ops *ops,
                                                     void *userdata) {
    return fuse_session_new(args, ops, sizeof(*ops), userdata);
}

static inline int cfuse_session_loop_mt(struct fuse_session *se, unsigned max_threads) {
    struct fuse_loop_config *config = fuse_loop_cfg_create();
    if (config == NULL) return -ENOMEM;
    fuse_loop_cfg_set_clone_fd(config, 0);
    fuse_loop_cfg_set_max_threads(config, max_threads);
    fuse_loop_cfg_set_idle_threads(config, max_threads / 2 > 0 ? max_threads / 2 : 1);
    int result = fuse_session_loop_mt(se, config);
    fuse_loop_cfg_destroy(config);
    return result;
}

/// The capability bits quofs sets or clears in `fuse_conn_info.want`.
static const unsigned cfuse_cap_readdirplus = FUSE_CAP_READDIRPLUS;
static const unsigned cfuse_cap_readdirplus_auto = FUSE_CAP_READDIRPLUS_AUTO;
static const unsigned cfuse_cap_async_read = FUSE_CAP_ASYNC_READ;
static const unsigned cfuse_cap_parallel_dirops = FUSE_CAP_PARALLEL_DIROPS;
static const unsigned cfuse_cap_auto_inval_data = FUSE_CAP_AUTO_INVAL_DATA;

static inline void cfuse_file_info_set_open_flags(struct fuse_file_info *fi,
                                                  int keep_cache, int direct_io) {
    fi->keep_cache = keep_cache ? 1 : 0;
    fi->direct_io = direct_io ? 1 : 0;
}

static inline void cfuse_file_info_set_cache_readdir(struct fuse_file_info *fi, int cache) {
    fi->cache_readdir = cache ? 1 : 0;
    fi->keep_cache = cache ? 1 : 0;
}

#endif
