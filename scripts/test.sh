#!/usr/bin/env bash
# Install what is missing, build, and run every test (benchmarks excluded: see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
ctest --preset release "$@"
