#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# Renders resources/icons/peakwatch.svg to the PNG sizes desktops ask for (the freedesktop icon theme's hicolor
# sizes), into resources/icons/hicolor/<N>x<N>/apps/peakwatch.png. The PNGs are committed: run this after the
# SVG changes. Needs rsvg-convert (Debian: librsvg2-bin), which building Peakwatch does not.
set -euo pipefail
cd "$(dirname "$0")/../resources/icons"
command -v rsvg-convert >/dev/null || { echo "rsvg-convert not found: install the Debian package librsvg2-bin" >&2; exit 1; }
for size in 16 22 24 32 48 64 128 256 512; do
  mkdir -p "hicolor/${size}x${size}/apps"
  rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio peakwatch.svg \
    --output "hicolor/${size}x${size}/apps/peakwatch.png"
done
