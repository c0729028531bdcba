# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# One man page from a program's --help, by help2man (cmake -P, run by packaging/ManPages.cmake):
#   -DHELP2MAN= -DPROGRAM= -DCLI_COMMAND= (a peakwatch-cli command, or empty) -DSUMMARY= (for a command: empty, its line
#   in the program's --help) -DSEE_ALSO= (pages, by commas)
#   -DOUTPUT= (x.1.gz)
# A command's page (peakwatch-cli-analyze(1), as git names its commands' pages) is help2man's page of
# "peakwatch-cli analyze --help" with its title and name made the command's.
get_filename_component(program_name "${PROGRAM}" NAME)
set(page_name "${program_name}")
set(help_option "--help")
if(CLI_COMMAND)
  set(page_name "${program_name}-${CLI_COMMAND}")
  set(help_option "${CLI_COMMAND} --help")
endif()
# A command's summary is its line in the program's own list of commands ("  analyze    replay NDJSON …").
if(CLI_COMMAND AND NOT SUMMARY)
  execute_process(COMMAND "${PROGRAM}" --help OUTPUT_VARIABLE help RESULT_VARIABLE listed)
  string(REGEX MATCH "\n  ${CLI_COMMAND}  +([^\n]+)" line "${help}")
  if(NOT listed EQUAL 0 OR NOT CMAKE_MATCH_1)
    message(FATAL_ERROR "${PROGRAM} --help does not list the command ${CLI_COMMAND}")
  endif()
  set(SUMMARY "${CMAKE_MATCH_1}")
endif()
set(include_file "${OUTPUT}.include")
string(REPLACE "," ";" see_also "${SEE_ALSO}")
list(TRANSFORM see_also APPEND " (1)")
list(TRANSFORM see_also PREPEND ".BR ")
string(JOIN ",\n" see_also ${see_also})
file(WRITE "${include_file}" "[SEE ALSO]\n${see_also}\n")
# The desktop's --help needs a platform, none of which opens a window: offscreen.
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
          "${HELP2MAN}" --no-info "--name=${SUMMARY}" "--help-option=${help_option}" --version-option=--version
          "--include=${include_file}" "${PROGRAM}"
  OUTPUT_VARIABLE page
  ERROR_VARIABLE errors
  RESULT_VARIABLE result)
if(NOT result EQUAL 0 OR page STREQUAL "")
  message(FATAL_ERROR "help2man could not make ${page_name}(1) from ${PROGRAM} ${help_option}: ${errors}")
endif()
if(CLI_COMMAND)
  string(TOUPPER "${page_name}" title)
  string(TOUPPER "${program_name}" program_title)
  string(REPLACE ".TH ${program_title} " ".TH ${title} " page "${page}")
  string(REGEX REPLACE "\n\\.SH NAME\n[^\n]*\n" "\n.SH NAME\n${page_name} \\\\- ${SUMMARY}\n" page "${page}")
endif()
string(REGEX REPLACE "\\.gz$" "" uncompressed "${OUTPUT}")
file(WRITE "${uncompressed}" "${page}")
file(REMOVE "${include_file}")
# Compressed as Debian's policy asks: gzip -9, no name or time stamp inside (-n), so the same page, the same bytes.
execute_process(COMMAND gzip -9nf "${uncompressed}" RESULT_VARIABLE gzipped)
if(NOT gzipped EQUAL 0)
  message(FATAL_ERROR "gzip could not compress ${uncompressed}")
endif()
