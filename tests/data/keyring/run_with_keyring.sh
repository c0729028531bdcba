#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# Runs a command on a private D-Bus session bus with a GNOME Keyring of its own, unlocked, in a temporary
# home: the real secret store of a Linux desktop, without touching the user's.
# Usage: run_with_keyring.sh COMMAND [ARG]...
set -e
home=$(mktemp -d)
runtime=$(mktemp -d)
trap 'rm -rf "$home" "$runtime"' EXIT
export HOME="$home" XDG_RUNTIME_DIR="$runtime" XDG_DATA_HOME="$home/.local/share" PEAKWATCH_KEYRING_HOME="$home"
dbus-run-session -- sh -c 'printf peakwatch | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "$@"' sh "$@"
