// glibc malloc tuning, which Swift's Glibc module does not expose (<malloc.h>).
#ifndef QUOFS_CMALLOC_H
#define QUOFS_CMALLOC_H

/// Fixes glibc's mmap threshold at `bytes` (disabling its adaptive growth), so larger
/// allocations get their own mappings and return to the system when freed.
/// Returns 1 on success.
int cmalloc_set_mmap_threshold(int bytes);

#endif
