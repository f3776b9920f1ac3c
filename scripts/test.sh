#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, then builds and runs every test for each CMake preset in
# LOOPSCOPE_TEST_PRESETS (default: "asan tsan"), then runs each libFuzzer target for
# LOOPSCOPE_CI_FUZZ_SECONDS (default 30; 0 skips the fuzzing; see fuzz/README.md). Already-built
# trees are only brought up to date. Exits non-zero if any preset fails to configure, build or
# pass its tests, or the fuzzing finds a problem.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_deps
continue_as_invoking_user "${BASH_SOURCE[0]}" "$@"

read -r -a presets <<<"${LOOPSCOPE_TEST_PRESETS:-asan tsan}"
if [[ ${#presets[@]} -eq 0 ]]; then
  echo "test.sh: LOOPSCOPE_TEST_PRESETS names no preset" >&2
  exit 1
fi
fuzz_seconds=${LOOPSCOPE_CI_FUZZ_SECONDS:-30}
if ! [[ $fuzz_seconds =~ ^[0-9]+$ ]]; then
  echo "test.sh: LOOPSCOPE_CI_FUZZ_SECONDS must be a whole number of seconds, not '$fuzz_seconds'" >&2
  exit 1
fi

export QT_QPA_PLATFORM=offscreen
cd "$LOOPSCOPE_ROOT"
start=$SECONDS
results=()
status=0
# .clang-format is enforced: a formatting difference fails the run like a failing test.
if bash scripts/check-format.sh; then
  results+=("format: ok")
else
  results+=("format: FAILED")
  status=1
fi
for preset in "${presets[@]}"; do
  echo "test.sh: === $preset ==="
  if ! build_preset "$preset" -j2; then
    results+=("$preset: build FAILED")
    status=1
  elif ! ctest --preset "$preset" -j2; then
    results+=("$preset: tests FAILED")
    status=1
  else
    results+=("$preset: passed")
  fi
done

# A bounded fuzz run: the fuzz preset is built (clang), then every target runs fuzz_seconds.
if [[ $fuzz_seconds -eq 0 ]]; then
  results+=("fuzz: skipped")
else
  echo "test.sh: === fuzz (${fuzz_seconds} s per target) ==="
  fuzz_start=$SECONDS
  if LOOPSCOPE_DEPS_CHECKED=1 bash scripts/fuzz.sh "$fuzz_seconds"; then
    results+=("fuzz: no finding ($((SECONDS - fuzz_start)) s)")
  else
    results+=("fuzz: FAILED (inputs in build/fuzz/findings/)")
    status=1
  fi
fi

summary=$(printf '%s, ' "${results[@]}")
echo "test.sh: ${summary%, } ($((SECONDS - start)) s)"
exit "$status"
