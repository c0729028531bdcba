#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# Every test suite (the desktop's too, offscreen; no benchmarks) once more under AddressSanitizer and
# UndefinedBehaviorSanitizer, built with clang in build-asan/ (the asan preset), with the libFuzzer harnesses, whose
# committed corpora CTest replays.
# Extra arguments go to ctest. Suppressions, each documented: tests/sanitizers/.
set -euo pipefail
cd "$(dirname "$0")/.."
tests=(tst_parsing tst_engine tst_predictor tst_forecast tst_rules tst_simulator tst_cli tst_kafka tst_gateway
       tst_profiles tst_doctor tst_load tst_pipeline tst_keychain tst_alerts tst_slack tst_aws tst_notify tst_faults
       tst_browse tst_cli_browse tst_email_sink tst_jira_sink tst_webhook_sink
       tst_ui_dashboard tst_ui_topics tst_ui_simulator tst_ui_window tst_ui_delivery tst_ui_rules tst_ui_doctor
       tst_ui_group_lag tst_ui_message_detail)
[ -f build-asan/build.ninja ] || cmake --preset asan
cmake --build build-asan -j "${PEAKWATCH_JOBS:-2}" --target peakwatch-cli fuzzers "${tests[@]}"

root=$PWD
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/tests/sanitizers/ubsan.supp"
regex="^($(IFS='|'; echo "${tests[*]}")|fuzz_.*_(corpus|known))\$"
ctest --test-dir build-asan --output-on-failure -j 2 --timeout 1200 -R "$regex" "$@"
