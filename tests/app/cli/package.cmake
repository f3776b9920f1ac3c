# SPDX-License-Identifier: GPL-3.0-or-later
# `cmake --install` and the Debian package of a build tree: the files a desktop install needs are
# there, and the package depends on every library the binary links (dpkg-shlibdeps, where
# installed, is the judge; sanitizer runtimes of the asan/tsan presets aside). Usage:
#   cmake -DBUILD_DIR=<build tree> -DWORK_DIR=<dir> -P package.cmake
cmake_minimum_required(VERSION 3.25)
foreach(var BUILD_DIR WORK_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "package.cmake: -D${var}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# 1. cmake --install into a staging directory.
execute_process(COMMAND ${CMAKE_COMMAND} -E env DESTDIR=${WORK_DIR}/root
                        ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix /usr
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc}):\n${out}\n${err}")
endif()
set(expected
  usr/bin/loopscope
  usr/share/applications/loopscope.desktop
  usr/share/icons/hicolor/scalable/apps/loopscope.svg
  usr/share/doc/loopscope/examples/timeouts.py
  usr/share/doc/loopscope/README.md
  usr/share/doc/loopscope/copyright)
foreach(f IN LISTS expected)
  if(NOT EXISTS "${WORK_DIR}/root/${f}")
    message(FATAL_ERROR "cmake --install did not install ${f}")
  endif()
endforeach()
file(READ "${WORK_DIR}/root/usr/share/applications/loopscope.desktop" desktop)
foreach(key "Exec=loopscope %f" "Icon=loopscope" "Type=Application")
  string(FIND "${desktop}" "${key}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "loopscope.desktop lacks '${key}'")
  endif()
endforeach()
find_program(VALIDATE desktop-file-validate)
if(VALIDATE)
  execute_process(COMMAND ${VALIDATE} "${WORK_DIR}/root/usr/share/applications/loopscope.desktop"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "desktop-file-validate:\n${out}${err}")
  endif()
endif()

# 2. The Debian package.
find_program(DPKG_DEB dpkg-deb)
if(NOT DPKG_DEB)
  message(STATUS "dpkg-deb not found: the package itself is not checked")
  return()
endif()
execute_process(COMMAND cpack --config "${BUILD_DIR}/CPackConfig.cmake" -B "${WORK_DIR}/deb"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cpack failed (${rc}):\n${out}\n${err}")
endif()
file(GLOB debs "${WORK_DIR}/deb/*.deb")
list(LENGTH debs n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "cpack made ${n} .deb files: ${debs}")
endif()
execute_process(COMMAND ${DPKG_DEB} --field ${debs} Package Depends Version
  OUTPUT_VARIABLE fields RESULT_VARIABLE rc)
execute_process(COMMAND ${DPKG_DEB} --field ${debs} Description OUTPUT_VARIABLE description)
# A synopsis, then the extended description: not the synopsis again, no verbatim (two-space) lines.
if(description MATCHES "\n  " OR NOT description MATCHES "^[^\n]+\n [^ ]")
  message(FATAL_ERROR "the package's Description is not formatted as Debian's:\n${description}")
endif()
string(REGEX MATCH "^[^\n]*" synopsis "${description}")
string(FIND "${description}" "\n ${synopsis}" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "the package's extended description repeats the synopsis:\n${description}")
endif()
execute_process(COMMAND ${DPKG_DEB} --contents ${debs} OUTPUT_VARIABLE contents)
foreach(f IN LISTS expected)
  string(FIND "${contents}" "./${f}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the package lacks /${f}:\n${contents}")
  endif()
endforeach()
string(REGEX MATCH "Depends: [^\n]*" depends "${fields}")
foreach(pkg libqcustomplot2.1-qt6 libqt6widgets6 libqt6svg6)
  string(FIND "${depends}" "${pkg}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the package does not depend on ${pkg}: ${depends}")
  endif()
endforeach()

# 3. Every library the binary links comes from a package it depends on.
find_program(SHLIBDEPS dpkg-shlibdeps)
if(NOT SHLIBDEPS)
  message(STATUS "dpkg-shlibdeps not found (dpkg-dev): the dependencies were not cross-checked")
  return()
endif()
file(MAKE_DIRECTORY "${WORK_DIR}/shlib/debian")
file(WRITE "${WORK_DIR}/shlib/debian/control" "Source: loopscope\n\nPackage: loopscope\nArchitecture: any\n")
execute_process(COMMAND ${SHLIBDEPS} -O "${WORK_DIR}/root/usr/bin/loopscope"
  WORKING_DIRECTORY "${WORK_DIR}/shlib"
  RESULT_VARIABLE rc OUTPUT_VARIABLE shlib ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "dpkg-shlibdeps failed:\n${err}")
endif()
string(REGEX REPLACE "^shlibs:Depends=" "" shlib "${shlib}")
string(REPLACE "," ";" needed "${shlib}")
foreach(item IN LISTS needed)
  string(STRIP "${item}" item)
  string(REGEX REPLACE " .*" "" pkg "${item}")
  if(pkg MATCHES "^lib(asan|ubsan|tsan|lsan)[0-9]*$" OR pkg STREQUAL "")
    continue()
  endif()
  string(FIND "${depends}" "${pkg} " at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the binary links a library of ${pkg}, which the package does not "
                        "depend on.\n  dpkg-shlibdeps: ${shlib}\n  package: ${depends}")
  endif()
endforeach()
message(STATUS "package: ${debs}\n${depends}")
