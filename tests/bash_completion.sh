#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# The bash completion of peakwatch-cli (packaging/peakwatch-cli.bash-completion) as bash runs it, with the real
# program: commands, a command's options, --format's values, profile's actions, file names after --input.
# Usage: bash_completion.sh PEAKWATCH_CLI COMPLETION_FILE
set -uo pipefail
cli=$(realpath "$1")
completion=$(realpath "$2")
if ! source /usr/share/bash-completion/bash_completion 2>/dev/null; then
    echo "bash-completion is not installed (Debian package bash-completion)"
    exit 1
fi
source "$completion"
PATH=$(dirname "$cli"):$PATH
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
cd "$workdir" && touch black-friday.ndjson rules.json

failures=0
# Runs the completion on the words given, the last being the one completed; COMPREPLY holds what it offers.
complete_words()
{
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _peakwatch_cli
}
# expect "WHAT THE COMPLETION MUST OFFER" WORDS… (the words, in the order offered)
expect()
{
    local want=$1
    shift
    complete_words "$@"
    local got="${COMPREPLY[*]}"
    if [[ $got == "$want" ]]; then
        echo "ok: [$*] -> $got"
    else
        echo "FAIL: [$*] offered \"$got\", expected \"$want\""
        failures=$((failures + 1))
    fi
}
# contains WORD WORDS…: the completion offers WORD among others
contains()
{
    local word=$1
    shift
    complete_words "$@"
    if printf '%s\n' "${COMPREPLY[@]}" | grep -qx -- "$word"; then
        echo "ok: [$*] offers $word"
    else
        echo "FAIL: [$*] does not offer $word (offered: ${COMPREPLY[*]})"
        failures=$((failures + 1))
    fi
}

expect "broker analyze simulate gateway demo doctor msk-token profile topics consume produce lag filter" peakwatch-cli ""
expect "msk-token" peakwatch-cli ms
expect "--help --version" peakwatch-cli --
expect "ndjson csv" peakwatch-cli analyze --format ""
expect "properties kcat" peakwatch-cli profile export shop --format ""
expect "table json" peakwatch-cli topics --format ""
expect "jsonl json csv value" peakwatch-cli consume --format ""
expect "beginning end stored" peakwatch-cli consume -o ""
expect "list show save remove" peakwatch-cli filter ""
contains "--saved-filter" peakwatch-cli consume --sa
expect "list show import export remove" peakwatch-cli profile ""
expect "--scenario" peakwatch-cli simulate --sc
expect "black-friday.ndjson" peakwatch-cli analyze --input bl
contains "--bootstrap" peakwatch-cli analyze --
contains "-e" peakwatch-cli analyze -
contains "--slack-webhook-env" peakwatch-cli analyze --sl
contains "--listen" peakwatch-cli gateway --
contains "--rate" peakwatch-cli simulate --
contains "--timeout" peakwatch-cli topics --
contains "-t" peakwatch-cli topics -

echo "$failures failed"
[[ $failures -eq 0 ]]
