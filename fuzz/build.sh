#!/usr/bin/env bash
# Builds the libFuzzer targets into $1 (default build-fuzz): clang with
# libFuzzer, AddressSanitizer and UBSan over the core's formula and
# staffing sources (no OpenMP: the targets call with one thread).  Installs
# clang from Debian first when it is missing (`make fuzz` only; `make test`
# replays the corpus with gcc instead).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-build-fuzz}
if ! command -v clang >/dev/null || \
   [ -z "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null | grep /)" ]; then
  echo "fuzz: installing clang and its libFuzzer runtime (Debian)"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    clang libclang-rt-dev >/dev/null 2>&1 || \
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    clang "libclang-rt-$(clang --version | sed -n 's/.*version \([0-9]*\).*/\1/p' | head -1)-dev" >/dev/null
fi
mkdir -p "$OUT"
CORE="core/src/errors.c core/src/erlang.c core/src/staffing.c"
for t in erlang requirements; do
  clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -Wall -Wextra -Werror -Wno-unknown-pragmas -Icore/include -Icore/src \
    "fuzz/fuzz_$t.c" $CORE -lm -o "$OUT/fuzz_$t"
done
