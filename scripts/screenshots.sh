#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# Screenshots of each view of the real application, running the demo under Xvfb, into docs/screenshots/,
# and of the dashboard on a dark desktop.
# Usage: scripts/screenshots.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ -x "$build/app/peakwatch" ] || { cmake --preset release >/dev/null && cmake --build --preset release --target peakwatch; }
out=docs/screenshots
mkdir -p "$out"
# A private settings directory, so that the shots show the defaults and not this machine's layout.
# The same for the data folder: the alert history starts empty.
export XDG_CONFIG_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"' EXIT
shoot() { xvfb-run -a -s "-screen 0 1440x900x24 -dpi 96" "$build/app/peakwatch" --demo --screenshots "$1"; }
PEAKWATCH_THEME=light shoot "$out"
# The dashboard once more on a dark desktop.
dark=$(mktemp -d)
PEAKWATCH_THEME=dark shoot "$dark"
cp "$dark/dashboard.png" "$out/dashboard-dark.png"
rm -rf "$dark"
echo "Screenshots in $out"
