# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# Install rules and a Debian package: `cpack -G DEB` in the build directory.
include(GNUInstallDirs)
install(FILES ${PROJECT_SOURCE_DIR}/resources/io.github.peakwatch.Peakwatch.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/io.github.peakwatch.Peakwatch.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/peakwatch.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
# The PNG sizes (scripts/render-icons.sh), for desktops and menus that do not draw SVG.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/icons/hicolor/ DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor
        FILES_MATCHING PATTERN "*.png")
# Debian's machine-readable copyright file, where Debian looks for it: /usr/share/doc/<package>/copyright.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/peakwatch)
set(CPACK_PACKAGE_NAME peakwatch)
set(CPACK_PACKAGE_VENDOR "Peakwatch")
set(CPACK_PACKAGE_CONTACT "Peakwatch developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_RPM_PACKAGE_LICENSE "GPL-3.0-or-later")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "kcat")
set(CPACK_GENERATOR DEB)
include(CPack)
