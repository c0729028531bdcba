#!/usr/bin/env bash
# Configure once, then build incrementally, with the release preset (build/).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || cmake --preset release
cmake --build --preset release
