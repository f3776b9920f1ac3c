#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, then builds and runs every test for each CMake preset in
# LOOPSCOPE_TEST_PRESETS (default: "asan tsan"). Already-built trees are only brought up to date.
# Exits non-zero if any preset fails to configure, build or pass its tests.
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

summary=$(printf '%s, ' "${results[@]}")
echo "test.sh: ${summary%, } ($((SECONDS - start)) s)"
exit "$status"
