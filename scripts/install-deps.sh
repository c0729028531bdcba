#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# Installs every Debian 12 package Peakwatch needs to build, test and run (clang and its sanitizer and libFuzzer
# runtimes, and llvm-symbolizer for their stack traces, for the sanitized build and the fuzz harnesses; debootstrap
# for the Debian package's install test in a clean root; python3-aiosmtpd for the SMTP server the e-mail alerts are
# tested against).
# Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-qpa-plugins libqt6sql6-sqlite
  qt6-charts-dev qt6-httpserver-dev qt6-websockets-dev qt6-svg-dev qt6-image-formats-plugins
  qtkeychain-qt6-dev libgl-dev libqt6opengl6-dev
  librdkafka-dev libsimdjson-dev libssl-dev libgsl-dev libjq-dev libcurl4-openssl-dev kcat jq
  dbus dbus-x11 gnome-keyring libsecret-1-0 xvfb xauth x11-utils fonts-dejavu-core
  libglib2.0-bin gsettings-desktop-schemas dconf-service dconf-gsettings-backend
  python3 python3-aiosmtpd bc appstream locales
  help2man lintian bash-completion dpkg-dev fakeroot file debootstrap
  clang libclang-rt-14-dev llvm-14
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
