#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages needed to build, test, run and screenshot loopscope.
# Idempotent: when everything is installed it only asks dpkg and never runs apt.
set -euo pipefail

packages=(
  build-essential g++ cmake ninja-build pkg-config git
  qt6-base-dev qt6-svg-dev                # Qt 6 Core/Gui/Widgets/PrintSupport/Test, Qt Svg
  libqcustomplot-dev libqcustomplot2.1-qt6
  libgl-dev                               # Qt6Gui's CMake package requires OpenGL headers
  xvfb xauth imagemagick x11-utils        # headless runs and screenshots
  fonts-dejavu-core                       # text in plots and screenshots
  clang-format                            # scripts/check-format.sh (run by test.sh)
  clang-16 libclang-rt-16-dev             # the fuzz preset: clang with libFuzzer (scripts/fuzz.sh)
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  if [[ $status != "install ok installed" ]]; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "deps.sh: all ${#packages[@]} packages are installed"
  exit 0
fi

echo "deps.sh: installing ${#missing[@]} missing packages: ${missing[*]}"
as_root=()
if [[ $EUID -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "deps.sh: installing packages needs root, and sudo is not available." >&2
    echo "deps.sh: run this as root, e.g. 'su -c \"bash scripts/deps.sh\"', then run it again." >&2
    exit 1
  fi
fi

"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"
echo "deps.sh: done"
