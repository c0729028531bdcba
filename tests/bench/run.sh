#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# Builds and runs every benchmark (`make bench`): replay, load simulator, consume filters (against kcat | jq),
# gateway, desktop, the Topics view's live tail, alert delivery, sell-out prediction. Extra arguments go to bench_replay, e.g.
#   ./tests/bench/run.sh --runs 5
# BUILD_DIR selects another build tree than the release preset's build/ (it must be configured).
set -eu
cd "$(dirname "$0")/../.."

BUILD_DIR=${BUILD_DIR:-build}
if [ "$BUILD_DIR" = build ]; then
    [ -f build/build.ninja ] || cmake --preset release
    cmake --build --preset release --target benchmarks
else
    cmake --build "$BUILD_DIR" --target benchmarks -j2
fi

# Each benchmark reports its figures against a peer measured in the same run (docs/benchmarks.md).
"$BUILD_DIR/tests/bench/bench_replay" --cli "$BUILD_DIR/app/peakwatch-cli" "$@"
./tests/bench/bench_simulate.sh "$BUILD_DIR"
./tests/bench/bench_consume.sh "$BUILD_DIR"
"$BUILD_DIR/tests/bench/bench_gateway" --cli "$BUILD_DIR/app/peakwatch-cli"
"$BUILD_DIR/tests/bench/bench_ui" --seconds "${BENCH_UI_SECONDS:-60}"
"$BUILD_DIR/tests/bench/bench_tail"
"$BUILD_DIR/tests/bench/bench_alerts"
"$BUILD_DIR/tests/bench/bench_prediction"
