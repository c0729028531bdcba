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
# The package's changelog, compressed as Debian's policy asks (gzip -9n: the same file, the same bytes).
set(peakwatch_changelog ${PROJECT_BINARY_DIR}/changelog.gz)
add_custom_command(OUTPUT ${peakwatch_changelog}
  COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/packaging/changelog > ${peakwatch_changelog}
  DEPENDS ${PROJECT_SOURCE_DIR}/packaging/changelog VERBATIM)
add_custom_target(package_changelog ALL DEPENDS ${peakwatch_changelog})
install(FILES ${peakwatch_changelog} DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/peakwatch)
# bash completion for peakwatch-cli, where bash-completion loads it on demand.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/peakwatch-cli.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME peakwatch-cli)
include(${CMAKE_CURRENT_LIST_DIR}/ManPages.cmake)

set(CPACK_PACKAGE_NAME peakwatch)
set(CPACK_PACKAGE_VENDOR "The Peakwatch authors")
# Who answers for a package built from this tree: whoever builds one for others sets their own address.
set(PEAKWATCH_PACKAGE_MAINTAINER "The Peakwatch authors <peakwatch@users.noreply.github.com>"
    CACHE STRING "The Maintainer of the Debian package: Name <address>")
set(CPACK_PACKAGE_CONTACT "${PEAKWATCH_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "live stock and sell-out prediction for Shopify shops on Kafka")
# The extended description (the synopsis, CPACK_PACKAGE_DESCRIPTION_SUMMARY, comes first on its own).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Peakwatch reads a shop's Shopify webhooks from Kafka (Amazon MSK or any
cluster) and shows, live, which products are about to sell out, with the
predicted time and its uncertainty, and warns on the desktop and in Slack
before it happens. It load-tests the webhook-to-alert pipeline at Black
Friday scale with a simulator, browses Kafka topics, and runs on its own
with an embedded Kafka cluster for a demo.

The package holds the desktop application (peakwatch) and the command
line (peakwatch-cli).")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The libraries the programs link come from dpkg-shlibdeps; what they load at run time is named here: the SQLite
# driver of the alert outbox, the SVG plugins that draw the icon, D-Bus for notifications and the keychain.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6, dbus")
# The window's platform plugins come with libqt6gui6, which shlibdeps names: on Debian 12 it holds xcb and offscreen,
# and qt6-qpa-plugins only VNC and TUIO touch, so that is no Depends. A Wayland session without qt6-wayland (its
# wayland-egl and wayland-generic plugins) is served through XWayland by xcb.
# The keychain needs a Secret Service on the session bus; Wayland sessions draw natively with qt6-wayland; GNOME's
# dark style is read with gsettings (libglib2.0-bin), which every GNOME desktop has.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager | keepassxc, qt6-wayland, libglib2.0-bin")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "kcat")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
include(CPack)
