#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian package on a clean Debian 12 (bookworm) and checks that it works there.
#
# Usage (as root; it uses debootstrap and chroot):
#   sudo scripts/check-deb-clean.sh [--rebuild] [--refresh-root] [--with-recommends] [--keep]
#                                   [--mirror URL] [--deb FILE]
#
# Builds build/release/package/loopscope_*.deb with scripts/package.sh when it is missing (or with
# --rebuild; --deb checks another file), makes a minimal Debian 12 root file system with
# `debootstrap --variant=minbase` (cached as build/clean-root-cache/bookworm-minbase-amd64.tar, the .debs apt downloads in
# build/clean-root-cache/apt-archives; --refresh-root makes the root again and empties that),
# unpacks a fresh copy of it, and inside it (chroot, /proc and /dev mounted, unmounted on exit):
#   apt-get install ./loopscope_*.deb  -- must pull every dependency by itself; by default with
#                                         --no-install-recommends, so Depends alone must suffice
#                                         (--with-recommends: as a plain `apt install` does)
#   loopscope --version; loopscope run --list; loopscope run timeouts.py (headless, by name);
#   loopscope run timeouts.py --image (PNG, JPEG, SVG, PDF); the main window (--screenshot);
#   ldd on the binary and the Qt plugins a desktop loads; the main window on X11 (xcb, Xvfb);
#   desktop-file-validate on the desktop entry, the SVG icon; apt-get remove loopscope.
# Prints a PASS/FAIL summary and the figures (times, sizes, the packages apt pulled in); exits
# non-zero when a check fails. Logs: build/clean-root-cache/last-run/. --keep leaves the chroot
# (unmounted) in build/clean-root-cache/root for a look.
# The mirror is the host's Debian mirror from /etc/apt/sources.list*, or --mirror, or
# $LOOPSCOPE_DEBIAN_MIRROR. Needs debootstrap (installed with apt-get when missing).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

rebuild=0 refresh_root=0 with_recommends=0 keep=0 deb=
mirror=${LOOPSCOPE_DEBIAN_MIRROR:-}
while [[ $# -gt 0 ]]; do
  case $1 in
    --rebuild) rebuild=1 ;;
    --refresh-root) refresh_root=1 ;;
    --with-recommends) with_recommends=1 ;;
    --keep) keep=1 ;;
    --deb)
      deb=$(realpath "${2:?--deb needs a .deb}")
      shift
      ;;
    --mirror)
      mirror=${2:?--mirror needs a URL}
      shift
      ;;
    -h | --help)
      sed -n '3,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "check-deb-clean.sh: unknown argument '$1' (--help)" >&2
      exit 2
      ;;
  esac
  shift
done

if [[ $EUID -ne 0 ]]; then
  echo "check-deb-clean.sh: needs root (debootstrap, chroot, mount): sudo $0 $*" >&2
  exit 2
fi
if [[ $LOOPSCOPE_ROOT =~ [[:space:]] ]]; then
  echo "check-deb-clean.sh: the checkout path must not contain white space: $LOOPSCOPE_ROOT" >&2
  exit 2
fi

cache=$LOOPSCOPE_ROOT/build/clean-root-cache
tarball=$cache/bookworm-minbase-amd64.tar
info=$cache/bookworm-minbase-amd64.info
root=$cache/root
logs=$cache/last-run
mkdir -p "$cache"

log() { printf '\n== %s\n' "$*" >&2; }
now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- Mounts: tracked, and anything under a directory of ours unmounted on exit ------------------

# The mount points at or under $1, deepest first.
mounts_under() {
  findmnt -rn -o TARGET | awk -v d="$1" '$0 == d || index($0, d "/") == 1' | sort -r
}
unmount_under() {
  local target
  while read -r target; do
    [[ -n $target ]] || continue
    umount "$target" 2>/dev/null || umount -l "$target" || true
  done < <(mounts_under "$1")
}
# rm -rf only a directory with nothing mounted under it (never through a bind mount of /dev).
safe_remove() {
  local dir=$1
  [[ -e $dir ]] || return 0
  unmount_under "$dir"
  if [[ -n $(mounts_under "$dir") ]]; then
    echo "check-deb-clean.sh: still mounted under $dir, not removing it:" >&2
    mounts_under "$dir" >&2
    return 1
  fi
  rm -rf --one-file-system "$dir"
}
cleanup() {
  local rc=$?
  unmount_under "$root"
  unmount_under "$cache/bootstrap.tmp"
  if [[ -n $(mounts_under "$cache") ]]; then
    echo "check-deb-clean.sh: WARNING: could not unmount:" >&2
    mounts_under "$cache" >&2
  elif [[ $keep -eq 0 ]]; then
    rm -rf --one-file-system "$root" "$cache/bootstrap.tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- The package --------------------------------------------------------------------------------

# shellcheck disable=SC2012 # the newest; the names are CPack's
find_deb() { ls -t "$LOOPSCOPE_ROOT"/build/release/package/loopscope_*_amd64.deb 2>/dev/null | head -n 1; }
[[ -n $deb ]] || deb=$(find_deb || true)
if [[ $rebuild -eq 1 || -z $deb ]]; then
  log "building the package (scripts/package.sh)"
  CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} bash "$LOOPSCOPE_ROOT/scripts/package.sh" >&2
  deb=$(find_deb)
fi
binary=$LOOPSCOPE_ROOT/build/release/app/loopscope
if [[ -f $binary && $binary -nt $deb ]]; then
  echo "check-deb-clean.sh: note: $deb is older than $binary (--rebuild makes it again)" >&2
fi
deb_version=$(dpkg-deb --field "$deb" Version)
echo "package: $deb (version $deb_version, $(du -k "$deb" | cut -f1) KiB)" >&2

# --- The clean root file system ----------------------------------------------------------------

# The first URI of the host's APT sources that ends in /$1 (debian, debian-security).
host_uri() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -r $f ]] || continue
    sed -nE -e 's/^[[:space:]]*URIs:[[:space:]]*//p' \
      -e 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' "$f" |
      tr ' ' '\n' | grep -E "^https?://[^[:space:]]+/$1/?\$" | sed 's:/$::' | head -n 1
  done | head -n 1
}
[[ -n $mirror ]] || mirror=$(host_uri debian)
[[ -n $mirror ]] || mirror=http://deb.debian.org/debian
security=$(host_uri debian-security)
[[ -n $security ]] || security=${mirror%/debian}/debian-security

if [[ $refresh_root -eq 1 || ! -f $tarball ]]; then
  if ! command -v debootstrap >/dev/null; then
    log "installing debootstrap"
    apt-get install -y debootstrap >&2
  fi
  log "debootstrap --variant=minbase bookworm from $mirror"
  rm -rf "$cache/apt-archives"
  tmp=$cache/bootstrap.tmp
  safe_remove "$tmp"
  started=$(now)
  debootstrap --variant=minbase --arch=amd64 bookworm "$tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 || {
    tail -n 30 "$cache/debootstrap.log" >&2
    echo "check-deb-clean.sh: debootstrap failed (log: $cache/debootstrap.log)" >&2
    exit 1
  }
  debootstrap_seconds=$(seconds_since "$started")
  unmount_under "$tmp"
  rm -f "$tmp"/var/cache/apt/archives/*.deb
  tar --numeric-owner --xattrs -C "$tmp" -cpf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  safe_remove "$tmp"
  printf 'made=%s\nbootstrap_mirror=%s\ndebootstrap_seconds=%s\nsize_kib=%s\n' "$(date -Is)" "$mirror" \
    "$debootstrap_seconds" "$(du -k "$tarball" | cut -f1)" >"$info"
fi
info_value() { sed -n "s/^$1=//p" "$info"; }
made=$(info_value made) bootstrap_mirror=$(info_value bootstrap_mirror)
debootstrap_seconds=$(info_value debootstrap_seconds) size_kib=$(info_value size_kib)

safe_remove "$root"
safe_remove "$logs"
mkdir -p "$root" "$logs"
started=$(now)
tar --numeric-owner --xattrs -C "$root" -xpf "$tarball"
unpack_seconds=$(seconds_since "$started")

# A clean Debian 12 as installed: the release, its updates and the security archive.
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# dpkg without an fsync per file (as in Debian's container images): the install takes half the
# time on a slow disk, and what gets installed is the same.
echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/check-deb-clean-unsafe-io"
# No daemons started in the chroot by maintainer scripts.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
cp "$deb" "$root/root/"
# The .debs downloaded by earlier runs (apt checks them against the fresh indexes): faster reruns.
archives=$cache/apt-archives
mkdir -p "$archives"
find "$archives" -name '*.deb' -exec cp -l -t "$root/var/cache/apt/archives/" {} +
deb_in_root=/root/${deb##*/}

mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --make-private "$root/dev"

in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive "$@"
}
# KiB used in the chroot, apt's cache of downloaded .debs aside.
root_kib() { echo $(($(du -skx "$root" | cut -f1) - $(du -sk "$root/var/cache/apt/archives" | cut -f1))); }
# shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
packages_in_root() { in_root dpkg-query -W -f '${db:Status-Status} ${Package} ${Version}\n' | awk '$1 == "installed" { print $2, $3 }' | sort; }

# --- The checks ---------------------------------------------------------------------------------

names=() results=() details=()
record() { # name PASS|FAIL|SKIP detail
  names+=("$1") results+=("$2") details+=("${3:-}")
  printf '%s: %s%s\n' "$2" "$1" "${3:+ -- $3}" >&2
}
# Qt's complaints about plugins, fonts and the like in a log: worth failing for.
qt_trouble() { grep -E -i "could not (load|find)|cannot load|failed to load|no such plugin|QFontDatabase|qt.qpa.plugin|undefined symbol|error while loading" "$1" | head -n 3 || true; }
# A check that runs a command in the chroot, logs it, and wants exit status 0.
run_logged() { # log-name command...
  local name=$1
  shift
  in_root timeout 120 "$@" >"$logs/$name.out" 2>"$logs/$name.err"
}
png_size() { # "WxH" of a PNG, or nothing
  [[ -s $1 && $(head -c 8 "$1" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || return 0
  local hex
  hex=$(od -An -tx1 -j 16 -N 8 "$1" | tr -d ' \n')
  echo "$((16#${hex:0:8}))x$((16#${hex:8:8}))"
}
# After a run (logged as <log-name>) that should have written the PNG <png> (a path in the
# chroot): PASS with its size when it is there and Qt did not complain on stderr; with
# <copy-name>, a copy goes to the logs under that name.
record_png() { # check-name png log-name [copy-name]
  local size trouble detail
  size=$(png_size "$root$2")
  trouble=$(qt_trouble "$logs/$3.err")
  if [[ -z $size ]]; then
    record "$1" FAIL "no PNG written"
  elif [[ -n $trouble ]]; then
    record "$1" FAIL "stderr: $trouble"
  else
    detail="PNG $size, $(du -k "$root$2" | cut -f1) KiB"
    if [[ -n ${4:-} ]]; then
      cp "$root$2" "$logs/$4"
      detail+=" (copy: $logs/$4)"
    fi
    record "$1" PASS "$detail"
  fi
}

log "apt-get update"
base_packages=$(packages_in_root)
du_before=$(root_kib)
started=$(now)
installed=0
if in_root apt-get update >"$logs/apt-update.log" 2>&1; then
  update_seconds=$(seconds_since "$started")
  log "apt-get install $deb_in_root"
  install_options=(-y)
  [[ $with_recommends -eq 1 ]] || install_options+=(--no-install-recommends)
  started=$(now)
  if in_root apt-get install "${install_options[@]}" "$deb_in_root" >"$logs/apt-install.log" 2>&1; then
    install_seconds=$(seconds_since "$started")
    installed=1
    record "apt-get install ./${deb##*/} (${install_options[*]})" PASS "${install_seconds} s"
  else
    record "apt-get install ./${deb##*/} (${install_options[*]})" FAIL \
      "$(grep -E '^(E:|dpkg:| [^ ].*Depends)' "$logs/apt-install.log" | head -n 5 | tr '\n' ' ')(log: $logs/apt-install.log)"
  fi
else
  record "apt-get update" FAIL "$(tail -n 3 "$logs/apt-update.log" | tr '\n' ' ')"
fi

if [[ $installed -eq 1 ]]; then
  du_after=$(root_kib)
  comm -13 <(echo "$base_packages") <(packages_in_root) >"$logs/pulled-in.txt"
  grep -E '^(Need to get|After this operation)' "$logs/apt-install.log" >"$logs/apt-sizes.txt" || true
  dpkg_files=$(in_root dpkg -L loopscope)

  # 1. --version
  if run_logged version loopscope --version && grep -qx "loopscope $deb_version" "$logs/version.out"; then
    record "loopscope --version" PASS "$(head -n 1 "$logs/version.out")"
  else
    record "loopscope --version" FAIL "wanted 'loopscope $deb_version': $(cat "$logs/version.out" "$logs/version.err" | head -c 300 | tr '\n' ' ')"
  fi

  # 2. run --list names every installed example
  examples=$(in_root sh -c 'ls /usr/share/doc/loopscope/examples/' || true)
  if run_logged list env QT_QPA_PLATFORM=offscreen loopscope run --list; then
    missing_examples=()
    for e in $examples; do
      grep -q "^ *$e " "$logs/list.out" || missing_examples+=("$e")
    done
    if [[ -z $examples ]]; then
      record "loopscope run --list" FAIL "no examples in /usr/share/doc/loopscope/examples"
    elif [[ ${#missing_examples[@]} -gt 0 ]]; then
      record "loopscope run --list" FAIL "does not list ${missing_examples[*]}"
    else
      record "loopscope run --list" PASS "$(echo "$examples" | wc -w) examples listed"
    fi
  else
    record "loopscope run --list" FAIL "exit status $?: $(head -c 300 "$logs/list.err" | tr '\n' ' ')"
  fi

  # 3. an installed example by name, headless, from a directory without it
  if run_logged run-timeouts env -C /tmp QT_QPA_PLATFORM=offscreen loopscope run timeouts.py; then
    if grep -q "timed out after 1 s" "$logs/run-timeouts.out" && grep -q "got report: 42 rows" "$logs/run-timeouts.out" &&
      [[ $(tail -n 1 "$logs/run-timeouts.out") == success ]]; then
      trouble=$(qt_trouble "$logs/run-timeouts.err")
      if [[ -n $trouble ]]; then
        record "loopscope run timeouts.py" FAIL "stderr: $trouble"
      else
        record "loopscope run timeouts.py" PASS "$(wc -l <"$logs/run-timeouts.out") lines, ends 'success'"
      fi
    else
      record "loopscope run timeouts.py" FAIL "unexpected output: $(head -c 300 "$logs/run-timeouts.out" | tr '\n' ' ')"
    fi
  else
    record "loopscope run timeouts.py" FAIL "exit status $?: $(head -c 300 "$logs/run-timeouts.err" | tr '\n' ' ')"
  fi

  # 4. the timeline as an image: PNG (the check asked for), and JPEG, SVG and PDF
  rm -f "$root"/tmp/x.*
  if run_logged image-png env -C /tmp QT_QPA_PLATFORM=offscreen loopscope run timeouts.py --image /tmp/x.png; then
    record_png "run --image /tmp/x.png" /tmp/x.png image-png
  else
    record "run --image /tmp/x.png" FAIL "exit status $?: $(head -c 300 "$logs/image-png.err" | tr '\n' ' ')"
  fi
  for suffix in jpg svg pdf; do
    case $suffix in
      jpg) magic='^ffd8ff' ;;
      svg) magic='3c73766720|3c3f786d6c' ;; # "<svg " or "<?xml" somewhere at the start
      pdf) magic='^255044462d' ;;           # %PDF-
    esac
    if run_logged "image-$suffix" env -C /tmp QT_QPA_PLATFORM=offscreen loopscope run timeouts.py --image "/tmp/x.$suffix" &&
      [[ -s $root/tmp/x.$suffix ]] && head -c 200 "$root/tmp/x.$suffix" | od -An -tx1 | tr -d ' \n' | grep -Eq "$magic"; then
      trouble=$(qt_trouble "$logs/image-$suffix.err")
      if [[ -n $trouble ]]; then
        record "run --image /tmp/x.$suffix" FAIL "stderr: $trouble"
      else
        record "run --image /tmp/x.$suffix" PASS "$(du -k "$root/tmp/x.$suffix" | cut -f1) KiB"
      fi
    else
      record "run --image /tmp/x.$suffix" FAIL "$(head -c 300 "$logs/image-$suffix.err" | tr '\n' ' ')"
    fi
  done

  # 5. the GUI: the main window drawn offscreen (window icon from the SVG, fonts, widgets)
  if run_logged screenshot env -C /tmp QT_QPA_PLATFORM=offscreen loopscope --run --screenshot /tmp/window.png --screenshot-delay 1500; then
    record_png "main window (--screenshot)" /tmp/window.png screenshot window.png
  else
    record "main window (--screenshot)" FAIL "exit status $?: $(head -c 300 "$logs/screenshot.err" | tr '\n' ' ')"
  fi

  # 6. every library of the binary and of the Qt plugins a desktop session loads resolves, before
  #    any test tool below brings more libraries in
  plugins=/usr/lib/x86_64-linux-gnu/qt6/plugins
  unresolved=$(in_root sh -c "for f in /usr/bin/loopscope $plugins/platforms/libqxcb.so \
      $plugins/platforms/libqoffscreen.so $plugins/xcbglintegrations/*.so $plugins/imageformats/*.so \
      $plugins/iconengines/*.so $plugins/platforminputcontexts/*.so; do
      [ -e \"\$f\" ] || { echo \"\$f: missing\"; continue; }
      ldd \"\$f\" | sed -n \"s|^|\$f: |; /not found/p\"
    done" 2>&1 || true)
  if [[ -z $unresolved ]]; then
    record "ldd: binary and Qt plugins (xcb, offscreen, image formats, SVG icons)" PASS
  else
    record "ldd: binary and Qt plugins (xcb, offscreen, image formats, SVG icons)" FAIL "$(echo "$unresolved" | head -n 5 | tr '\n' ' ')"
  fi

  # 7. the GUI on X11 (the xcb platform plugin, as on a desktop) under Xvfb, installed only now.
  #    The chroot shares the host's abstract socket names: take a display number the host is not using.
  if in_root apt-get install -y --no-install-recommends xvfb xauth >"$logs/xvfb-install.log" 2>&1; then
    display=7300
    while grep -q "X11-unix/X$display\$" /proc/net/unix || [[ -e /tmp/.X$display-lock ]]; do
      display=$((display + 1))
    done
    if run_logged xcb env -C /tmp xvfb-run --server-num="$display" \
      --server-args="-screen 0 1600x1000x24 -nolisten tcp" \
      loopscope --run --screenshot /tmp/xcb.png --screenshot-delay 1500; then
      record_png "main window on X11 (xcb, Xvfb)" /tmp/xcb.png xcb window-xcb.png
    else
      record "main window on X11 (xcb, Xvfb)" FAIL "exit status $?: $(head -c 300 "$logs/xcb.err" | tr '\n' ' ')"
    fi
  else
    record "main window on X11 (xcb, Xvfb)" SKIP "xvfb did not install"
  fi

  # 8. the desktop entry and the icon
  desktop=/usr/share/applications/loopscope.desktop
  icon=/usr/share/icons/hicolor/scalable/apps/loopscope.svg
  if in_root apt-get install -y --no-install-recommends desktop-file-utils >"$logs/desktop-file-utils.log" 2>&1; then
    if run_logged desktop-file-validate desktop-file-validate "$desktop" && [[ ! -s $logs/desktop-file-validate.out ]]; then
      record "desktop-file-validate $desktop" PASS
    else
      record "desktop-file-validate $desktop" FAIL "$(cat "$logs/desktop-file-validate.out" "$logs/desktop-file-validate.err" | head -n 5 | tr '\n' ' ')"
    fi
  else
    record "desktop-file-validate $desktop" SKIP "desktop-file-utils did not install"
  fi
  exec_name=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$root$desktop" 2>/dev/null | head -n 1)
  if [[ -n $exec_name ]] && in_root sh -c "command -v '$exec_name'" >/dev/null; then
    record "desktop entry Exec=$exec_name is on PATH" PASS
  else
    record "desktop entry Exec is on PATH" FAIL "Exec='$exec_name'"
  fi
  if [[ -s $root$icon ]] && head -c 300 "$root$icon" | grep -q '<svg'; then
    record "icon $icon" PASS "$(du -k "$root$icon" | cut -f1) KiB"
  else
    record "icon $icon" FAIL "missing or not SVG"
  fi

  # 9. removal
  log "apt-get remove loopscope"
  if in_root apt-get remove -y loopscope >"$logs/apt-remove.log" 2>&1; then
    # shellcheck disable=SC2016
    status=$(in_root dpkg-query -W -f '${db:Status-Status}' loopscope 2>/dev/null || echo not-installed)
    left=()
    while read -r f; do
      [[ -n $f && ! -d $root$f && -e $root$f ]] && left+=("$f")
    done <<<"$dpkg_files"
    if [[ $status != not-installed && $status != config-files ]]; then
      record "apt-get remove -y loopscope" FAIL "dpkg status afterwards: $status"
    elif [[ ${#left[@]} -gt 0 ]]; then
      record "apt-get remove -y loopscope" FAIL "files left: ${left[*]}"
    else
      autoremovable=$(in_root apt-get autoremove -s 2>/dev/null | grep -c '^Remv ' || true)
      record "apt-get remove -y loopscope" PASS "status $status, no files left; autoremove would take $autoremovable packages"
    fi
  else
    record "apt-get remove -y loopscope" FAIL "$(tail -n 3 "$logs/apt-remove.log" | tr '\n' ' ')"
  fi
fi

find "$root/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -exec cp -ln -t "$archives/" {} + 2>/dev/null || true

# --- Summary ------------------------------------------------------------------------------------

failed=0
for result in "${results[@]}"; do
  [[ $result != FAIL ]] || failed=$((failed + 1))
done
{
  echo
  echo "== check-deb-clean: ${deb##*/} on a clean Debian 12 (debootstrap minbase, $mirror)"
  for i in "${!names[@]}"; do
    printf '  %-4s %s%s\n' "${results[$i]}" "${names[$i]}" "${details[$i]:+ -- ${details[$i]}}"
  done
  echo "== figures"
  echo "  debootstrap: ${debootstrap_seconds} s on $made from $bootstrap_mirror (cached: $tarball, $((size_kib / 1024)) MiB); unpacking the cached root: ${unpack_seconds} s"
  if [[ $installed -eq 1 ]]; then
    echo "  apt-get update: ${update_seconds} s; apt-get install: ${install_seconds} s"
    sed 's/^/  apt: /' "$logs/apt-sizes.txt"
    echo "  root file system: $((du_before / 1024)) MiB before, $((du_after / 1024)) MiB after the install (+$(((du_after - du_before) / 1024)) MiB; apt's cache of .debs not counted)"
    echo "  packages pulled in: $(wc -l <"$logs/pulled-in.txt") besides loopscope (list: $logs/pulled-in.txt)"
    grep -v '^loopscope ' "$logs/pulled-in.txt" | awk '{ print $1 }' | fmt -w 98 | sed 's/^/    /'
  fi
  echo "  logs: $logs"
  if [[ $failed -eq 0 && ${#names[@]} -gt 0 ]]; then
    echo "== PASS: all ${#names[@]} checks"
  else
    echo "== FAIL: $failed of ${#names[@]} checks failed"
  fi
} | tee "$logs/summary.txt"
[[ $failed -eq 0 && ${#names[@]} -gt 0 ]]
