# SPDX-License-Identifier: GPL-3.0-or-later
# loopscope_add_test(NAME <tst_name> SOURCES <files...> [LIBS <targets...>])
#   Builds a Qt Test executable <tst_name> (AUTOMOC on, linked to Qt6::Test and LIBS, project
#   warnings applied) and registers it with CTest. Tests run on the offscreen Qt platform, so no
#   display is needed, and are killed after 120 s.
include_guard(GLOBAL)
include(LoopscopeWarnings)

function(loopscope_add_test)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME" "SOURCES;LIBS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "loopscope_add_test: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_NAME OR NOT arg_SOURCES)
    message(FATAL_ERROR "loopscope_add_test: NAME and SOURCES are required")
  endif()

  add_executable(${arg_NAME} ${arg_SOURCES})
  # moc follows engine headers into libstdc++'s <concepts>, which it cannot parse when given the
  # compiler's predefined macros ("concept:46: Parse error at std"); test classes need none.
  set_target_properties(${arg_NAME} PROPERTIES AUTOMOC ON AUTOMOC_COMPILER_PREDEFINES OFF)
  target_link_libraries(${arg_NAME} PRIVATE Qt6::Test ${arg_LIBS})
  loopscope_set_warnings(${arg_NAME})
  # Test code is compiled without optimisation in every build but release: the sanitizer presets
  # build the libraries at -O1, and at -O1 the big data-driven tables and coroutine-heavy engine
  # tests took about twice as long to compile for no benefit (the code under test keeps -O1).
  target_compile_options(${arg_NAME} PRIVATE $<$<NOT:$<CONFIG:Release>>:-O0>)

  add_test(NAME ${arg_NAME} COMMAND ${arg_NAME})
  set_tests_properties(${arg_NAME} PROPERTIES
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen"
    TIMEOUT 120)
endfunction()
