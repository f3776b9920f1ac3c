# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one script of the CPython comparison suite under loopscope and checks the result
# (see README.md in this folder). Usage:
#   cmake -DLOOPSCOPE=<command> -DCASE=<script.py> [-DMODE=compare|syntax-error|unsupported]
#         [-DWORK_DIR=<dir>] [-DTIMEOUT=<seconds>] -P run_case.cmake
#
# LOOPSCOPE  the executable, optionally followed by arguments as a ;-list (a wrapper for testing
#            this driver). The command run is: <LOOPSCOPE> run <script.py> <loopscope-args...>
#            where the loopscope-args come from a `# loopscope-args: ...` line in the script's
#            leading comment block (shell-style quoting).
# MODE       compare (default; cases/): stdout must equal <case>.out byte for byte and the exit
#            status must equal <case>.status.
#            syntax-error (errors/): the exit status must equal <name>.status (CPython's), stdout
#            must be empty (nothing runs), and stderr must contain every non-empty line of
#            <name>.expect (a line starting with `re:` is a CMake regular expression instead).
#            unsupported (unsupported/): the exit status must be 1 and stderr must contain every
#            line of <name>.expect; stdout is not checked (a construct may be detected only when
#            it runs).
# WORK_DIR   where the actual stdout and stderr are kept (default: $TMPDIR or /tmp, then
#            /loopscope-script-suite); it is also the working directory of the run.
# TIMEOUT    seconds before the run is killed and the test fails (default 25, below CTest's 30).
#
# Fails when the run is killed by a signal or times out, unless CPython itself died from that
# signal (then <case>.status holds 128 + the signal number, as a shell reports it).

cmake_minimum_required(VERSION 3.25)

foreach(var LOOPSCOPE CASE)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_case.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT DEFINED MODE)
  set(MODE compare)
endif()
if(NOT MODE MATCHES "^(compare|syntax-error|unsupported)$")
  message(FATAL_ERROR "run_case.cmake: MODE must be compare, syntax-error or unsupported, not '${MODE}'")
endif()
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 25)
endif()
if(NOT DEFINED WORK_DIR)
  set(WORK_DIR "/tmp")
  if(DEFINED ENV{TMPDIR} AND IS_DIRECTORY "$ENV{TMPDIR}")
    set(WORK_DIR "$ENV{TMPDIR}")
  endif()
  string(APPEND WORK_DIR "/loopscope-script-suite")
endif()
# The run happens in WORK_DIR, so relative paths given on the command line are made absolute.
get_filename_component(CASE "${CASE}" ABSOLUTE)
if(NOT EXISTS "${CASE}")
  message(FATAL_ERROR "run_case.cmake: no such script: ${CASE}")
endif()
list(GET LOOPSCOPE 0 program)
if(program MATCHES "/" AND EXISTS "${program}")
  get_filename_component(program "${program}" ABSOLUTE)
  list(REMOVE_AT LOOPSCOPE 0)
  list(PREPEND LOOPSCOPE "${program}")
endif()

cmake_path(GET CASE PARENT_PATH case_dir)
cmake_path(GET CASE STEM LAST_ONLY case_name)
cmake_path(GET case_dir FILENAME case_group)
set(case_base "${case_dir}/${case_name}")
set(label "${case_group}/${case_name}.py")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(actual_out "${WORK_DIR}/${case_name}.stdout")
set(actual_err "${WORK_DIR}/${case_name}.stderr")

# --- the case's extra options: `# loopscope-args:` in the leading comment block
set(case_args "")
file(STRINGS "${CASE}" head_lines LIMIT_COUNT 20)
foreach(line IN LISTS head_lines)
  if(NOT line MATCHES "^#")
    break()
  endif()
  if(line MATCHES "^#[ \t]*loopscope-args:(.*)$")
    separate_arguments(case_args UNIX_COMMAND "${CMAKE_MATCH_1}")
    break()
  endif()
endforeach()

# --- the expectations
set(expected_out "${case_base}.out")
if(MODE STREQUAL "compare")
  set(required "${expected_out}" "${case_base}.status")
elseif(MODE STREQUAL "syntax-error")
  set(required "${case_base}.expect" "${case_base}.status")
else()
  set(required "${case_base}.expect")
endif()
foreach(file IN LISTS required)
  if(NOT EXISTS "${file}")
    if(file MATCHES "\\.expect$")
      message(FATAL_ERROR "${label}: ${file} is missing; write the stderr substrings there")
    endif()
    message(FATAL_ERROR "${label}: ${file} is missing; record it with "
                        "scripts/record-script-expectations.sh ${case_group}/${case_name}.py")
  endif()
endforeach()
set(expected_status 1)
if(NOT MODE STREQUAL "unsupported")
  file(STRINGS "${case_base}.status" expected_status LIMIT_COUNT 1)
  string(STRIP "${expected_status}" expected_status)
endif()
if(NOT expected_status MATCHES "^[0-9]+$")
  message(FATAL_ERROR "${label}: ${case_base}.status does not hold an exit status")
endif()

# --- the run
set(command ${LOOPSCOPE} run "${CASE}" ${case_args})
list(JOIN command " " command_text)
execute_process(
  COMMAND ${command}
  WORKING_DIRECTORY "${WORK_DIR}"
  INPUT_FILE /dev/null
  OUTPUT_FILE "${actual_out}"
  ERROR_FILE "${actual_err}"
  RESULT_VARIABLE result
  TIMEOUT ${TIMEOUT})

# Prints the last lines of the run's stderr, for context.
function(show_stderr)
  file(READ "${actual_err}" err)
  if(err STREQUAL "")
    message("--- stderr: (empty)")
    return()
  endif()
  string(LENGTH "${err}" length)
  if(length GREATER 4000)
    math(EXPR from "${length} - 4000")
    string(SUBSTRING "${err}" ${from} -1 err)
    set(err "[...]${err}")
  endif()
  message("--- stderr (${actual_err}):\n${err}")
endfunction()

# The signals execute_process names, as the shell numbers them.
set(signal_names
    "User interrupt=2=SIGINT" "Subprocess terminated=15=SIGTERM" "Subprocess killed=9=SIGKILL"
    "Subprocess aborted=6=SIGABRT" "Segmentation fault=11=SIGSEGV" "Illegal instruction=4=SIGILL"
    "Bus error=7=SIGBUS" "Floating-point exception=8=SIGFPE")
set(status "")
set(failures "")
if(result MATCHES "^-?[0-9]+$")
  set(status ${result})
elseif(result MATCHES "timeout")
  list(APPEND failures "killed after ${TIMEOUT} s (timeout), expected exit status ${expected_status}")
else()
  set(signal "")
  foreach(entry IN LISTS signal_names)
    if(entry MATCHES "^([^=]+)=([0-9]+)=(.*)$" AND result STREQUAL CMAKE_MATCH_1)
      math(EXPR status "128 + ${CMAKE_MATCH_2}")
      set(signal "${CMAKE_MATCH_3}")
    endif()
  endforeach()
  if(NOT status STREQUAL expected_status)
    if(signal STREQUAL "")
      list(APPEND failures "did not run or died abnormally (${result}), expected exit status ${expected_status}")
    else()
      list(APPEND failures "killed by ${signal} (${result}), expected exit status ${expected_status}")
    endif()
    set(status "")
  endif()
endif()
if(NOT status STREQUAL "" AND NOT status STREQUAL expected_status)
  list(APPEND failures "exit status ${status}, expected ${expected_status}")
endif()

# Describes the first difference between two files when diff is not available.
function(first_difference expected actual out_var)
  file(READ "${expected}" want HEX)
  file(READ "${actual}" got HEX)
  string(LENGTH "${want}" want_len)
  string(LENGTH "${got}" got_len)
  set(len ${want_len})
  if(got_len LESS len)
    set(len ${got_len})
  endif()
  set(offset 0)
  while(offset LESS len)
    string(SUBSTRING "${want}" ${offset} 2 a)
    string(SUBSTRING "${got}" ${offset} 2 b)
    if(NOT a STREQUAL b)
      break()
    endif()
    math(EXPR offset "${offset} + 2")
  endwhile()
  math(EXPR byte "${offset} / 2")
  # The line holding that byte, in both files (file(READ) with LIMIT is not byte-exact, so the
  # whole files are read and cut here).
  file(READ "${expected}" expected_text)
  file(READ "${actual}" actual_text)
  string(SUBSTRING "${expected_text}" 0 ${byte} prefix)
  string(REGEX MATCHALL "\n" newlines "${prefix}")
  list(LENGTH newlines count)
  math(EXPR line "${count} + 1")
  string(FIND "${prefix}" "\n" last_newline REVERSE)
  math(EXPR line_start "${last_newline} + 1")
  foreach(which expected actual)
    string(SUBSTRING "${${which}_text}" ${line_start} 200 text)
    string(FIND "${text}" "\n" end)
    if(end GREATER -1)
      string(SUBSTRING "${text}" 0 ${end} text)
    endif()
    if(text STREQUAL "")
      set(text "(end of output)")
    endif()
    set(${which}_line "${text}")
  endforeach()
  math(EXPR column "${byte} - ${line_start} + 1")
  string(CONCAT report "first difference at line ${line}, byte ${column} of the line:\n"
                "  expected: ${expected_line}\n  actual:   ${actual_line}")
  set(${out_var} "${report}" PARENT_SCOPE)
endfunction()

# --- stdout
if(MODE STREQUAL "compare")
  file(SHA256 "${expected_out}" want_hash)
  file(SHA256 "${actual_out}" got_hash)
  if(NOT want_hash STREQUAL got_hash)
    list(APPEND failures "stdout differs from ${case_name}.out")
    find_program(DIFF_EXECUTABLE diff)
    if(DIFF_EXECUTABLE)
      execute_process(
        COMMAND "${DIFF_EXECUTABLE}" -u --label "expected (CPython): ${case_name}.out"
                --label "actual (loopscope)" "${expected_out}" "${actual_out}"
        OUTPUT_VARIABLE stdout_report)
      string(LENGTH "${stdout_report}" length)
      if(length GREATER 12000)
        string(SUBSTRING "${stdout_report}" 0 12000 stdout_report)
        string(APPEND stdout_report "\n[... diff truncated]\n")
      endif()
    else()
      first_difference("${expected_out}" "${actual_out}" stdout_report)
    endif()
  endif()
else()
  file(SIZE "${actual_out}" out_size)
  if(MODE STREQUAL "syntax-error" AND out_size GREATER 0)
    file(READ "${actual_out}" stdout_report LIMIT 2000)
    list(APPEND failures "stdout should be empty (the script must not start)")
    set(stdout_report "--- stdout:\n${stdout_report}")
  endif()
  # --- stderr substrings
  file(READ "${actual_err}" err)
  file(STRINGS "${case_base}.expect" wanted)
  foreach(want IN LISTS wanted)
    if(want STREQUAL "")
      continue()
    endif()
    if(want MATCHES "^re:(.*)$")
      set(pattern "${CMAKE_MATCH_1}")
      if(NOT err MATCHES "${pattern}")
        list(APPEND failures "stderr does not match the regular expression '${pattern}'")
      endif()
    else()
      string(FIND "${err}" "${want}" at)
      if(at EQUAL -1)
        list(APPEND failures "stderr does not contain '${want}'")
      endif()
    endif()
  endforeach()
endif()

if(failures)
  message("${label} FAILED\n--- command: ${command_text}")
  foreach(failure IN LISTS failures)
    message("--- ${failure}")
  endforeach()
  if(DEFINED stdout_report AND NOT stdout_report STREQUAL "")
    message("${stdout_report}")
  endif()
  show_stderr()
  message(FATAL_ERROR "${label}: loopscope does not behave like CPython")
endif()
message("${label}: ok (exit status ${status})")
