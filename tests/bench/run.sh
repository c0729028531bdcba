#!/bin/sh
# Builds and runs the benchmarks (`make bench`). Extra arguments go to bench_replay, e.g.
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

exec "$BUILD_DIR/tests/bench/bench_replay" --cli "$BUILD_DIR/app/peakwatch-cli" "$@"
