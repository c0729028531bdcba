# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# One INTERFACE target carries the language level, warnings and Qt's strict defines;
# every Peakwatch target links it.
add_library(peakwatch_options INTERFACE)
target_compile_features(peakwatch_options INTERFACE cxx_std_20)
target_compile_options(peakwatch_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                                   -Wnon-virtual-dtor -Wno-missing-field-initializers)
target_compile_definitions(peakwatch_options INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_CONTEXTLESS_CONNECT
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_USE_QSTRINGBUILDER
  QT_NO_KEYWORDS)

# Sanitized builds (the "asan" preset, build-asan/): the tests once more under AddressSanitizer and
# UndefinedBehaviorSanitizer, and the libFuzzer harnesses of tests/fuzz/ (clang only), all on one instrumented
# core. Instrumenting for coverage (fuzzer-no-link) costs the tests little and saves a second build of core.
option(PEAKWATCH_SANITIZE "Build everything with -fsanitize=address,undefined" OFF)
option(PEAKWATCH_FUZZ "Also build the libFuzzer harnesses of tests/fuzz (clang; implies PEAKWATCH_SANITIZE)" OFF)
if(PEAKWATCH_SANITIZE OR PEAKWATCH_FUZZ)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
if(PEAKWATCH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PEAKWATCH_FUZZ needs clang (libFuzzer): configure with CMAKE_CXX_COMPILER=clang++")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
