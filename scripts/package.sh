#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds the release preset and makes the Debian package with CPack.
# Prints the path of the .deb (under build/release/package/). Install it with
#   sudo apt install ./build/release/package/loopscope_<version>_amd64.deb
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_deps
continue_as_invoking_user "${BASH_SOURCE[0]}" "$@"
build_preset release --target loopscope
cd "$LOOPSCOPE_ROOT"
rm -rf build/release/package
cpack --config build/release/CPackConfig.cmake -B build/release/package >&2
ls build/release/package/*.deb
