# SPDX-License-Identifier: GPL-3.0-or-later
# loopscope_set_warnings(<target>)
#   Applies the project's warning flags to <target> (PRIVATE, so they do not leak to consumers).
#   With LOOPSCOPE_WERROR=ON (the dev preset) warnings are errors. Qt and QCustomPlot headers come
#   from imported targets, which CMake passes as system includes, so only our code is checked.
include_guard(GLOBAL)

function(loopscope_set_warnings target)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "loopscope_set_warnings: '${target}' is not a target")
  endif()
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE
      -Wall
      -Wextra
      -Wpedantic
      -Wnon-virtual-dtor
      -Woverloaded-virtual
      -Wcast-align
      -Wformat=2
      $<$<BOOL:${LOOPSCOPE_WERROR}>:-Werror>)
  elseif(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive- $<$<BOOL:${LOOPSCOPE_WERROR}>:/WX>)
  endif()
endfunction()
