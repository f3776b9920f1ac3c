#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Records what CPython does with the script comparison suite (tests/script/README.md):
#   cases/<case>.py        -> cases/<case>.out (stdout, exact bytes) and cases/<case>.status
#   errors/<name>.py       -> errors/<name>.status; also checks that CPython's stderr contains
#                             every line of errors/<name>.expect
#   unsupported/<name>.py  -> nothing written; checks that CPython runs it and exits 0
# Each script runs under $LOOPSCOPE_PYTHON (default /usr/bin/python3, at least 3.11) with
# PYTHONHASHSEED=0, PYTHONUTF8=1, stdin from /dev/null, in a scratch directory, killed after
# LOOPSCOPE_RECORD_TIMEOUT seconds (default 20).
#
# Usage: scripts/record-script-expectations.sh [--check] [--repeat N] [CASE...]
#   CASE      a case name (stmt_try), a file name (stmt_try.py), a name under the suite
#             (errors/bad_indent) or a path; default: every script of the three folders.
#   --check   write nothing; exit 1 if any result differs from the recorded files.
#   --repeat  run every script N times (default 1) and fail if the runs disagree.
# Writing is idempotent: a file is only rewritten when its contents change, and each change is
# printed. Exit status: 0 when everything ran (and, with --check, matched), 1 otherwise.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
suite=$root/tests/script
python=${LOOPSCOPE_PYTHON:-/usr/bin/python3}
limit=${LOOPSCOPE_RECORD_TIMEOUT:-20}
check=0
repeat=1
names=()

usage() {
  sed -n '3,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --check) check=1 ;;
    --repeat)
      repeat=${2:?--repeat needs a count}
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*)
      echo "record-script-expectations: unknown option $1" >&2
      exit 2
      ;;
    *) names+=("$1") ;;
  esac
  shift
done

if ! [[ $repeat =~ ^[1-9][0-9]*$ ]]; then
  echo "record-script-expectations: --repeat needs a positive count" >&2
  exit 2
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "record-script-expectations: $python is missing or older than Python 3.11" >&2
  exit 1
fi
version=$("$python" -c 'import sys; print(sys.version.split()[0])')
echo "record-script-expectations: using $python ($version)"

# Resolves a command-line name to a script path.
resolve() {
  local name=$1 dir
  if [[ -f $name ]]; then
    realpath "$name"
    return
  fi
  name=${name%.py}
  for dir in "" cases/ errors/ unsupported/; do
    if [[ -f $suite/$dir$name.py ]]; then
      realpath "$suite/$dir$name.py"
      return
    fi
  done
  echo "record-script-expectations: no such case: $1" >&2
  return 1
}

scripts=()
if [[ ${#names[@]} -eq 0 ]]; then
  shopt -s nullglob
  scripts=("$suite"/cases/*.py "$suite"/errors/*.py "$suite"/unsupported/*.py)
  shopt -u nullglob
else
  for name in "${names[@]}"; do
    scripts+=("$(resolve "$name")")
  done
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# run SCRIPT OUT ERR: runs SCRIPT under CPython and sets $status (128+N when killed by signal N,
# as the shell reports it; 124 on timeout).
run() {
  local script=$1 out=$2 err=$3
  mkdir -p "$scratch/cwd"
  set +e
  (cd "$scratch/cwd" &&
    env PYTHONHASHSEED=0 PYTHONUTF8=1 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED= \
      timeout --kill-after=5 "$limit" "$python" "$script" </dev/null >"$out" 2>"$err")
  status=$?
  set -e
}

# Prints why a recorded .out would be machine-specific, if it is.
machine_specific() {
  local out=$1
  local -a paths=(-e "$root" -e "$scratch")
  if [[ ${#HOME} -gt 1 ]]; then
    paths+=(-e "$HOME/")
  fi
  if grep -qF "${paths[@]}" "$out"; then
    echo "contains a path"
  elif grep -qE ' at 0x[0-9a-fA-F]+' "$out"; then
    echo "contains a memory address"
  fi
}

# Microseconds since the epoch.
now_us() {
  local t=${EPOCHREALTIME/[.,]/}
  echo "$((10#$t))"
}

# update FILE NEWFILE: installs NEWFILE as FILE if it differs (or checks it with --check).
update() {
  local file=$1 new=$2 rel=${1#"$root"/}
  if [[ -f $file ]] && cmp -s "$file" "$new"; then
    return 0
  fi
  if [[ $check == 1 ]]; then
    if [[ -f $file ]]; then
      echo "DIFFERS  $rel"
      diff -u --label "recorded" --label "now" "$file" "$new" | head -40 || true
    else
      echo "MISSING  $rel"
    fi
    failed=1
    return 0
  fi
  if [[ -f $file ]]; then
    echo "updated  $rel"
  else
    echo "new      $rel"
  fi
  cp "$new" "$file"
  changed=$((changed + 1))
}

# expect_lines FILE: prints the non-empty lines of an .expect file.
expect_lines() {
  local line
  while IFS= read -r line || [[ -n $line ]]; do
    [[ -n $line ]] && printf '%s\n' "$line"
  done <"$1"
}

failed=0
changed=0
count=0
for script in "${scripts[@]}"; do
  dir=$(basename "$(dirname "$script")")
  base=${script%.py}
  rel=${script#"$root"/}
  count=$((count + 1))
  start=$(now_us)
  run "$script" "$scratch/out" "$scratch/err"
  for ((i = 2; i <= repeat; i++)); do
    first_status=$status
    cp "$scratch/out" "$scratch/out.first"
    run "$script" "$scratch/out" "$scratch/err.again"
    if [[ $status != "$first_status" ]] || ! cmp -s "$scratch/out" "$scratch/out.first"; then
      echo "FLAKY    $rel (run $i differs from run 1: status $first_status vs $status)"
      diff -u --label "run 1" --label "run $i" "$scratch/out.first" "$scratch/out" | head -40 || true
      failed=1
    fi
  done
  elapsed=$(($(now_us) - start))
  if [[ $status == 124 ]]; then
    echo "TIMEOUT  $rel (more than ${limit} s)"
    failed=1
    continue
  fi
  if ((elapsed > 1500000 * repeat)); then
    echo "SLOW     $rel took $((elapsed / 1000)) ms for $repeat run(s); keep a case under 1.5 s"
  fi
  case $dir in
    cases)
      reason=$(machine_specific "$scratch/out")
      if [[ -n $reason ]]; then
        echo "REJECTED $rel: its stdout $reason"
        failed=1
        continue
      fi
      if ((status > 128)); then
        echo "note     $rel: CPython was killed by signal $((status - 128)); recorded as $status"
      fi
      update "$base.out" "$scratch/out"
      echo "$status" >"$scratch/status"
      update "$base.status" "$scratch/status"
      ;;
    errors)
      if [[ ! -f $base.expect ]]; then
        echo "MISSING  ${rel%.py}.expect"
        failed=1
        continue
      fi
      stderr=$(cat "$scratch/err")
      while IFS= read -r want; do
        if [[ $want == re:* ]]; then
          [[ $stderr =~ ${want#re:} ]] && continue
        else
          [[ $stderr == *"$want"* ]] && continue
        fi
        echo "MISMATCH $rel: CPython's stderr lacks '$want':"
        sed 's/^/    /' "$scratch/err"
        failed=1
      done < <(expect_lines "$base.expect")
      echo "$status" >"$scratch/status"
      update "$base.status" "$scratch/status"
      ;;
    unsupported)
      if [[ ! -f $base.expect ]]; then
        echo "MISSING  ${rel%.py}.expect"
        failed=1
      fi
      if [[ $status != 0 ]]; then
        echo "BROKEN   $rel: CPython exits $status; an unsupported case must be valid Python"
        sed 's/^/    /' "$scratch/err" | tail -5
        failed=1
      fi
      ;;
    *)
      echo "record-script-expectations: $rel is not in cases/, errors/ or unsupported/" >&2
      failed=1
      ;;
  esac
done

# Recorded files whose script is gone (only looked for when every script ran).
if [[ ${#names[@]} -eq 0 ]]; then
  shopt -s nullglob
  for file in "$suite"/cases/*.out "$suite"/cases/*.status "$suite"/errors/*.status \
    "$suite"/errors/*.expect "$suite"/unsupported/*.expect; do
    if [[ ! -f ${file%.*}.py ]]; then
      name=${file##*/}
      echo "ORPHAN   ${file#"$root"/}: ${name%.*}.py is gone; delete it"
      failed=1
    fi
  done
  shopt -u nullglob
fi

if [[ $check == 1 ]]; then
  echo "record-script-expectations: checked $count script(s) against CPython $version"
else
  echo "record-script-expectations: ran $count script(s) under CPython $version; $changed file(s) changed"
fi
exit "$failed"
