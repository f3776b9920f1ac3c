# shellcheck shell=bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the scripts in this folder; not meant to be run on its own.

LOOPSCOPE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Installs missing Debian packages (a fast no-op when all are present).
ensure_deps() {
  if [[ ${LOOPSCOPE_DEPS_CHECKED:-} != 1 ]]; then
    bash "$LOOPSCOPE_ROOT/scripts/deps.sh"
  fi
}

# Under `sudo scripts/...`, packages are installed as root, but the build tree, the app's settings
# and the app's window belong to the user who ran sudo: a root-owned build/ in that user's clone
# breaks their later builds, and root usually cannot open their X display. So once packages are
# in place, a script re-runs itself as that user (when the clone is theirs). No-op otherwise.
# Usage: continue_as_invoking_user "${BASH_SOURCE[0]}" "$@"
continue_as_invoking_user() {
  local script=$1
  shift
  if [[ $EUID -ne 0 || -z ${SUDO_USER:-} || $SUDO_USER == root ]]; then
    return 0
  fi
  if [[ $(stat -c %U "$LOOPSCOPE_ROOT") != "$SUDO_USER" ]]; then
    return 0
  fi
  local -a env=(LOOPSCOPE_DEPS_CHECKED=1)
  # sudo drops XDG_RUNTIME_DIR; Qt wants it, and the user's own is the right one.
  local runtime_dir
  runtime_dir=/run/user/$(id -u "$SUDO_USER")
  if [[ -d $runtime_dir ]]; then
    env+=("XDG_RUNTIME_DIR=$runtime_dir")
  fi
  echo "${script##*/}: packages are in place; continuing as $SUDO_USER" >&2
  exec runuser -u "$SUDO_USER" -- env "${env[@]}" bash "$script" "$@"
}

# Configures the CMake preset unless its build tree exists (after that, ninja re-runs CMake by
# itself when a CMakeLists.txt changes), then builds it. Extra arguments go to `cmake --build`.
build_preset() {
  local preset=$1
  shift
  if [[ ! -f $LOOPSCOPE_ROOT/build/$preset/build.ninja ]]; then
    (cd "$LOOPSCOPE_ROOT" && cmake --preset "$preset") || return
  fi
  (cd "$LOOPSCOPE_ROOT" && cmake --build --preset "$preset" "$@")
}
