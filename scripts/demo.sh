#!/usr/bin/env bash
# The main job: install what is missing, build, and run the demo on the embedded Kafka cluster.
# Extra arguments go to `peakwatch-cli demo` (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
exec ./build/app/peakwatch-cli demo "$@"
