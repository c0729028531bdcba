#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# Install what is missing, build, and run every test (benchmarks excluded: see docs/benchmarks.md); then the core
# tests once more under AddressSanitizer and UndefinedBehaviorSanitizer, and every fuzz harness for a bounded time
# (docs/reliability.md). Arguments go to the first ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
ctest --preset release "$@"
./scripts/sanitize.sh
./scripts/fuzz.sh
