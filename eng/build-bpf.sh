#!/usr/bin/env bash
# Builds the bpf backend's kernel program (src/Advisor.Linux/Bpf/Program/syscalls.bpf.c) into the object the
# tool embeds, as cilium/ebpf's bpf2go does: the object is committed, so no machine that runs or builds the tool
# needs clang. Needs clang 14 and libbpf's headers (Debian: apt-get install clang-14 libbpf-dev).
#
#   bash eng/build-bpf.sh           rebuild syscalls.bpf.o
#   bash eng/build-bpf.sh --check   rebuild into a temporary file and fail if it differs from the committed one
set -euo pipefail
cd "$(dirname "$0")/.."

src=src/Advisor.Linux/Bpf/Program/syscalls.bpf.c
obj=src/Advisor.Linux/Bpf/Program/syscalls.bpf.o
clang=$(command -v clang-14 || command -v clang || true)
strip=$(command -v llvm-strip-14 || command -v llvm-strip || true)
[[ -n "$clang" && -n "$strip" ]] || { echo "build-bpf: clang and llvm-strip are needed (apt-get install clang-14 libbpf-dev)" >&2; exit 2; }

build() {
    # -g for the BTF that describes the maps (and the CO-RE relocations); the DWARF is stripped after, which
    # keeps .BTF and .BTF.ext. The debug prefix map keeps the source path relative, so the object is the same wherever the repository is.
    # The program reads no registers, so the object is the same for every architecture; the multiarch include
    # folder only supplies asm/types.h, whose types are the same on x86_64 and arm64.
    "$clang" -O2 -g -target bpf -D__TARGET_ARCH_x86 -I"/usr/include/$(gcc -dumpmachine)" -fdebug-prefix-map="$PWD"=. -Wall -Werror -c "$src" -o "$1"
    "$strip" -g "$1"
}

if [[ "${1:-}" == "--check" ]]; then
    tmp=$(mktemp)
    trap 'rm -f "$tmp"' EXIT
    build "$tmp"
    if ! cmp -s "$tmp" "$obj"; then
        echo "build-bpf: $obj does not match $src: run bash eng/build-bpf.sh and commit the object" >&2
        exit 1
    fi
    echo "build-bpf: $obj matches its source"
else
    build "$obj"
    echo "build-bpf: wrote $obj ($(stat -c %s "$obj") bytes)"
fi
