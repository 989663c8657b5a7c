#include "cmalloc.h"
#include <malloc.h>

int cmalloc_set_mmap_threshold(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}
