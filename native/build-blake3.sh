#!/usr/bin/env bash
# Compiles the official BLAKE3 C implementation (with its x86-64 assembly) into libgdblake3.so.
# The sources come from Debian's librust-blake3-dev package; nothing is copied into this repository.
set -euo pipefail
out_dir=$1
src=$(ls -d /usr/share/cargo/registry/blake3-*/c 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$src" ] || [ ! -f "$src/blake3.c" ]; then
  echo "error: the BLAKE3 C sources are missing; install them with: apt-get install -y librust-blake3-dev" >&2
  exit 1
fi
command -v gcc >/dev/null || { echo "error: gcc is missing; install it with: apt-get install -y gcc" >&2; exit 1; }
lib="$out_dir/libgdblake3.so"
stamp="$out_dir/.source"
mkdir -p "$out_dir"
if [ -f "$lib" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$src" ] && [ "$lib" -nt "$(dirname "$0")/src/main/c/gd_blake3.c" ]; then
  exit 0
fi
gcc -O3 -shared -fPIC -I"$src" -o "$lib.tmp" "$(dirname "$0")/src/main/c/gd_blake3.c" \
  "$src/blake3.c" "$src/blake3_dispatch.c" "$src/blake3_portable.c" \
  "$src/blake3_sse2_x86-64_unix.S" "$src/blake3_sse41_x86-64_unix.S" \
  "$src/blake3_avx2_x86-64_unix.S" "$src/blake3_avx512_x86-64_unix.S"
mv "$lib.tmp" "$lib"
echo "$src" > "$stamp"
echo "built $lib from $src"
