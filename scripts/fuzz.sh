#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets (the `fuzz` preset, clang) and runs each for SECONDS (default 60),
# seeded with the script test suite. Installs clang and its runtime (libclang-rt-16-dev) when
# they are missing. Crashes are written to build/fuzz/findings/; see fuzz/README.md.
#   scripts/fuzz.sh            # 60 s per target
#   scripts/fuzz.sh 3600       # the longer run
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds=${1:-60}
ensure_deps
if ! dpkg-query -W -f='${Status}' clang-16 libclang-rt-16-dev 2>/dev/null | grep -qv "not-installed" ||
   [[ $(dpkg-query -W -f='${Status}\n' clang-16 libclang-rt-16-dev 2>/dev/null | grep -c "install ok installed") -ne 2 ]]; then
  if [[ $EUID -ne 0 ]]; then
    echo "fuzz.sh: needs clang and libclang-rt-16-dev: run it with sudo once to install them" >&2
    exit 1
  fi
  echo "fuzz.sh: installing clang and libclang-rt-16-dev" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang-16 libclang-rt-16-dev >&2
fi
continue_as_invoking_user "${BASH_SOURCE[0]}" "$@"
build_preset fuzz -j2

cd "$LOOPSCOPE_ROOT"
status=0
for target in fuzz_parser; do
  corpus=build/fuzz/corpus/$target
  findings=build/fuzz/findings/$target
  mkdir -p "$corpus" "$findings"
  echo "fuzz.sh: $target for ${seconds} s"
  if ! "build/fuzz/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$findings/" -print_final_stats=1 \
      "$corpus" tests/script/cases tests/script/errors tests/script/unsupported \
      resources/scenarios; then
    echo "fuzz.sh: $target found a problem; the input is in $findings/" >&2
    status=1
  fi
done
exit "$status"
