# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# Man pages made by help2man from the programs' own --help at build time, so that they say what the programs do:
# peakwatch(1), peakwatch-cli(1) and one page per command, peakwatch-cli-analyze(1) and so on.
find_program(HELP2MAN help2man)
if(NOT HELP2MAN)
  message(WARNING "help2man not found (Debian package help2man): no man pages, and the package check fails")
  return()
endif()

set(peakwatch_man_dir ${PROJECT_BINARY_DIR}/man)
file(MAKE_DIRECTORY ${peakwatch_man_dir})
# peakwatch-cli's commands; each page's summary is the command's line in `peakwatch-cli --help`.
set(peakwatch_cli_commands broker analyze simulate gateway demo doctor msk-token profile topics consume produce lag
  filter)
list(TRANSFORM peakwatch_cli_commands PREPEND "peakwatch-cli-" OUTPUT_VARIABLE command_pages)
string(JOIN "," cli_see_also ${command_pages})

function(peakwatch_man_page target command summary see_also)
  if(command)
    set(out ${peakwatch_man_dir}/peakwatch-cli-${command}.1.gz)
  else()
    set(out ${peakwatch_man_dir}/${target}.1.gz)
  endif()
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DHELP2MAN=${HELP2MAN} -DPROGRAM=$<TARGET_FILE:${target}> -DCLI_COMMAND=${command}
            "-DSUMMARY=${summary}" "-DSEE_ALSO=${see_also}" -DOUTPUT=${out}
            -P ${PROJECT_SOURCE_DIR}/packaging/make-man-page.cmake
    DEPENDS ${target} ${PROJECT_SOURCE_DIR}/packaging/make-man-page.cmake
    COMMENT "Man page ${out}" VERBATIM)
  set_property(GLOBAL APPEND PROPERTY PEAKWATCH_MAN_PAGES ${out})
endfunction()

peakwatch_man_page(peakwatch "" "live stock and sell-out of Shopify products from Kafka, a topic browser and a load simulator"
                   "peakwatch-cli")
peakwatch_man_page(peakwatch-cli "" "live stock, sell-out prediction and Kafka tooling for peak sales"
                   "peakwatch,${cli_see_also}")
foreach(command IN LISTS peakwatch_cli_commands)
  peakwatch_man_page(peakwatch-cli ${command} "" "peakwatch-cli")
endforeach()

get_property(pages GLOBAL PROPERTY PEAKWATCH_MAN_PAGES)
add_custom_target(man_pages ALL DEPENDS ${pages})
install(FILES ${pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
