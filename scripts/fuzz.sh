#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# Fuzzes every libFuzzer harness of tests/fuzz/ for a bounded time (PEAKWATCH_FUZZ_SECONDS, default 60 each; two
# at a time), starting from its committed seed corpus, and prints what each tried. New inputs go to
# build-asan/fuzz/<target>/corpus (not the committed one); a crash leaves its input in build-asan/fuzz/<target>/
# and fails the script: copy it into tests/fuzz/corpus/<target>/ once fixed, and CTest replays it from then on.
# Needs the asan preset built (scripts/sanitize.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${PEAKWATCH_FUZZ_SECONDS:-60}
root=$PWD
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
out=build-asan/fuzz
mkdir -p "$out"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/tests/sanitizers/ubsan.supp"
export ASAN_OPTIONS=${ASAN_OPTIONS:-}
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"

fuzz_one() {
  local target=$1 dict=$2 max_len=$3 dir="$out/$1"
  rm -rf "$dir" && mkdir -p "$dir/corpus"
  local rc=0
  # libjq is built without frame pointers: LeakSanitizer needs the slow unwinder to see that a leak is libjq's own
  # (tests/sanitizers/lsan.supp).
  local asan=$ASAN_OPTIONS
  [ "$target" = fuzz_message_filter ] && asan="$asan:fast_unwind_on_malloc=0"
  ASAN_OPTIONS=$asan "build-asan/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -max_len="$max_len" \
    -dict="tests/fuzz/$dict" -artifact_prefix="$dir/" -print_final_stats=1 \
    "$dir/corpus" "tests/fuzz/corpus/$target" >"$dir/log" 2>&1 || rc=$?
  local execs new
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  new=$(find "$dir/corpus" -type f | wc -l)
  printf '%-24s %s s  %10s inputs  %5s new in the corpus  %s\n' "$target" "$seconds" "${execs:-?}" "$new" \
    "$([ $rc -eq 0 ] && echo ok || echo "FAILED (see $dir/log)")"
  return $rc
}
export -f fuzz_one
export out seconds

printf '%s\n' \
  "fuzz_event_parser json.dict 16384" \
  "fuzz_ndjson_reader json.dict 65536" \
  "fuzz_client_properties properties.dict 8192" \
  "fuzz_alert_rules rules.dict 8192" \
  "fuzz_scenario rules.dict 8192" \
  "fuzz_http_request http.dict 8192" \
  "fuzz_message_filter filter.dict 4096" |
  xargs -P 2 -L 1 bash -c 'fuzz_one "$@"' _
