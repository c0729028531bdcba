#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# The main job: install what is missing, build, and run the demo on the embedded Kafka cluster: the
# desktop (`peakwatch --demo`) where there is a display, else the same pipeline in the terminal
# (`peakwatch-cli demo`). Extra arguments go to the program (try --help); PEAKWATCH_DEMO=terminal picks
# the terminal demo anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
if [ "${PEAKWATCH_DEMO:-}" != terminal ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
    exec ./build/app/peakwatch --demo "$@"
fi
echo "No display: running the terminal demo (the desktop needs one; see README)." >&2
exec ./build/app/peakwatch-cli demo "$@"
