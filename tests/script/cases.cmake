# SPDX-License-Identifier: GPL-3.0-or-later
# The CPython comparison suite (README.md in this folder): one CTest test per script.
#   cases/<case>.py        -> script.<case>              stdout and exit status as CPython's
#   errors/<name>.py       -> script.errors.<name>       a SyntaxError: status, stderr substrings
#   unsupported/<name>.py  -> script.unsupported.<name>  rejected: status 1, stderr substrings
# Each test runs run_case.cmake with the loopscope executable; new scripts are picked up when the
# build re-runs CMake (the globs are CONFIGURE_DEPENDS).
if(TARGET loopscope)
  set(_script_suite_dir "${CMAKE_CURRENT_LIST_DIR}")
  set(_script_suite_work "${CMAKE_CURRENT_BINARY_DIR}/suite")

  # _script_suite_add(<test name> <script> <mode> <work subfolder>)
  function(_script_suite_add name script mode work)
    add_test(
      NAME ${name}
      COMMAND
        "${CMAKE_COMMAND}" "-DLOOPSCOPE=$<TARGET_FILE:loopscope>" "-DCASE=${script}"
        "-DMODE=${mode}" "-DWORK_DIR=${_script_suite_work}/${work}" -DTIMEOUT=25
        -P "${_script_suite_dir}/run_case.cmake")
    set_tests_properties(${name} PROPERTIES
      TIMEOUT 30
      LABELS script
      ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
  endfunction()

  file(GLOB _script_cases CONFIGURE_DEPENDS "${_script_suite_dir}/cases/*.py")
  foreach(_script IN LISTS _script_cases)
    cmake_path(GET _script STEM LAST_ONLY _name)
    _script_suite_add(script.${_name} "${_script}" compare cases)
  endforeach()

  foreach(_group errors unsupported)
    if(_group STREQUAL "errors")
      set(_mode syntax-error)
    else()
      set(_mode unsupported)
    endif()
    file(GLOB _script_cases CONFIGURE_DEPENDS "${_script_suite_dir}/${_group}/*.py")
    foreach(_script IN LISTS _script_cases)
      cmake_path(GET _script STEM LAST_ONLY _name)
      _script_suite_add(script.${_group}.${_name} "${_script}" ${_mode} ${_group})
    endforeach()
  endforeach()
endif()
