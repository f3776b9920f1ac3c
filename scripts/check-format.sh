#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails, listing the files, when any C++ source under engine/, views/, app/, bench/ or tests/
# differs from what the committed .clang-format produces. Fix with:
#   clang-format -i $(git ls-files '*.h' '*.cpp')
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v clang-format >/dev/null; then
  echo "check-format.sh: clang-format is not installed (scripts/deps.sh installs it)" >&2
  exit 1
fi
bad=()
while IFS= read -r -d '' f; do
  if ! clang-format --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
    bad+=("$f")
  fi
done < <(find engine views app bench tests \( -name '*.h' -o -name '*.cpp' \) -print0 | sort -z)
if ((${#bad[@]})); then
  echo "check-format.sh: not formatted with .clang-format: ${bad[*]}" >&2
  echo "check-format.sh: run  clang-format -i ${bad[*]}" >&2
  exit 1
fi
echo "check-format.sh: all sources match .clang-format"
