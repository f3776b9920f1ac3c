#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets (the `fuzz` preset: clang 16, ASan + UBSan) and runs each for
# SECONDS (default 60). Seeds: the script test suite and the example scripts (fuzz_parser,
# fuzz_script), and traces trace_seeds records from the example scripts (fuzz_trace). What
# libFuzzer learns is kept in build/fuzz/corpus/<target>/; a crash, hang or leak is written to
# build/fuzz/findings/<target>/ and makes the script fail. See fuzz/README.md.
#   scripts/fuzz.sh                 # 60 s per target
#   scripts/fuzz.sh 3600            # the longer run: an hour per target
#   LOOPSCOPE_FUZZ_TARGETS="fuzz_trace" scripts/fuzz.sh 600   # one target
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || [[ $seconds -eq 0 ]]; then
  echo "fuzz.sh: SECONDS must be a positive whole number, not '$seconds'" >&2
  exit 2
fi
read -r -a targets <<<"${LOOPSCOPE_FUZZ_TARGETS:-fuzz_parser fuzz_script fuzz_trace}"

ensure_deps  # clang-16 and libclang-rt-16-dev (libFuzzer) are among them
continue_as_invoking_user "${BASH_SOURCE[0]}" "$@"
start=$SECONDS
build_preset fuzz -j2
echo "fuzz.sh: built in $((SECONDS - start)) s"

cd "$LOOPSCOPE_ROOT"
# Seeds, made afresh: the scripts alone (not the expected outputs beside them), and a trace of
# each example script as loopscope writes it.
seeds=build/fuzz/seeds
rm -rf "$seeds"
mkdir -p "$seeds/script" "$seeds/trace"
cp tests/script/cases/*.py tests/script/errors/*.py tests/script/unsupported/*.py \
  resources/scenarios/*.py "$seeds/script/"
build/fuzz/fuzz/trace_seeds "$seeds/trace" resources/scenarios/*.py

status=0
for target in "${targets[@]}"; do
  corpus=build/fuzz/corpus/$target
  findings=build/fuzz/findings/$target
  mkdir -p "$corpus" "$findings"
  extra=()
  case $target in
    fuzz_trace) seed=$seeds/trace extra=(-dict=fuzz/trace.dict) ;;
    fuzz_parser | fuzz_script) seed=$seeds/script ;;
    *)
      echo "fuzz.sh: unknown target '$target'" >&2
      exit 2
      ;;
  esac
  echo "fuzz.sh: $target for ${seconds} s"
  # -timeout: one input may take 10 s (a hang otherwise); -rss_limit_mb: 2 GiB (an OOM
  # otherwise); the first directory is the corpus libFuzzer grows, the second the seeds.
  if ! "build/fuzz/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$findings/" -print_final_stats=1 "${extra[@]}" "$corpus" "$seed"; then
    echo "fuzz.sh: $target found a problem; the input is in $findings/" >&2
    status=1
  fi
done
echo "fuzz.sh: done in $((SECONDS - start)) s"
exit "$status"
