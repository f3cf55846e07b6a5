/* One call per hash: keeps the Java-to-C crossing to a single downcall per chunk. */
#include <stddef.h>
#include <stdint.h>
#include "blake3.h"

void gd_blake3_hash(const uint8_t *input, size_t length, uint8_t *out) {
  blake3_hasher hasher;
  blake3_hasher_init(&hasher);
  blake3_hasher_update(&hasher, input, length);
  blake3_hasher_finalize(&hasher, out, BLAKE3_OUT_LEN);
}
