#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# `peakwatch-cli consume -f FILTER` against its peer `kcat -C | jq -c 'select(FILTER)'`, in the same run, on
# the same topic of Shopify products/update webhooks written by `peakwatch-cli simulate` to the embedded
# cluster. For each filter (three on the simdjson fast path, one through libjq): the matches (checked equal
# on both sides), the median wall time of R runs of each, taken in turns, and the ratio peer/ours (target:
# at least 5). `kcat -C` alone, reading without a filter, is timed too: the peer's share that jq does not add.
# Usage: tests/bench/bench_consume.sh [BUILD_DIR] [--messages N] [--runs R]   (default build, 200000, 3)
set -euo pipefail
build=build; messages=200000; runs=3
while (($#)); do
    case $1 in
        --messages) messages=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        -*) echo "usage: $0 [BUILD_DIR] [--messages N] [--runs R]" >&2; exit 2 ;;
        *) build=$1; shift ;;
    esac
done
cli=$build/app/peakwatch-cli
"$cli" --help | grep -q '^  consume ' || { echo "$cli has no consume command" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# The embedded (librdkafka mock) cluster keeps only the newest ~4.3 MB of each partition: with payloads of
# ~3000 bytes, spread the messages so that each partition holds at most 3.5 MB; 256 partitions at most.
payload=3000; per_partition=$((3500000 / payload)); max_partitions=256
if ((messages > max_partitions * per_partition)); then
    echo "--messages $messages does not fit in the embedded cluster; capped at $((max_partitions * per_partition))" >&2
    messages=$((max_partitions * per_partition))
fi
partitions=$(((messages + per_partition - 1) / per_partition)); ((partitions >= 8)) || partitions=8

"$cli" broker --brokers 1 --topic "bench:$partitions" > "$work/broker.out" 2> /dev/null &
for _ in $(seq 50); do [ -s "$work/broker.out" ] && break; sleep 0.1; done
bootstrap=$(head -1 "$work/broker.out")

# The steady peak of bench_simulate.sh: it never ends before --events, and restocks keep stock levels varied.
cat > "$work/peak.json" <<'SCENARIO'
{"name": "endless-peak", "base": "black-friday", "curve": [{"at_minutes": 0, "orders_per_hour": 18000}],
 "duration_minutes": 0, "restock_chance": 0.2}
SCENARIO
# Keyed by shop, 3 shops would fill 3 partitions: the random partitioner spreads them over all.
"$cli" simulate -b "$bootstrap" -t bench --scenario "$work/peak.json" --rate max --events "$messages" --seed 7 \
    --quiet -X partitioner=random > /dev/null
# topics exits 1 when it misses a partition's timestamps; the counts are all this needs.
count=$("$cli" topics -b "$bootstrap" -t bench --format json 2> "$work/topics.err" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["messages"])') || true
[ -s "$work/topics.err" ] && sed 's/^/  (topics) /' "$work/topics.err" >&2
if [ "$count" != "$messages" ]; then
    echo "the topic holds '$count' messages, not $messages (the cluster dropped some? more partitions)" >&2
    exit 1
fi

now() { date +%s.%N; }
elapsed() { # the wall time of a command, its output discarded
    local start; start=$(now)
    "$@" > /dev/null || { echo "failed: $*" >&2; return 1; }
    echo "$(now) - $start" | bc -l
}
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ours() { "$cli" consume -b "$bootstrap" -t bench -e -q -f "$1" --format value; }
kcat_alone() { kcat -C -b "$bootstrap" -t bench -e -q -f '%s\n'; }
peer_value() { kcat_alone | jq -c "select($1)"; }
# A header filter needs the headers beside the value: kcat -J (the value as a JSON string, which jq reads
# without parsing it), then the value alone as ours prints it.
peer_json() { kcat -C -b "$bootstrap" -t bench -e -q -J | jq -r "select($1) | .payload"; }

labels=(variant_qty vendor shop_header qty_sum)
filters=('.value.variants[0].inventory_quantity < 5'
         '.value.vendor == "Fabrikam Home"'
         '.headers["X-Shopify-Shop-Domain"] == "northwind-apparel.myshopify.com"'
         '.value.variants | map(.inventory_quantity) | add < 20')
peers=(peer_value peer_value peer_json peer_value)
peer_filters=('.variants[0].inventory_quantity < 5'
              '.vendor == "Fabrikam Home"'
              '.headers as $h | ($h | index("X-Shopify-Shop-Domain")) as $i | $i != null and $h[$i + 1] == "northwind-apparel.myshopify.com"'
              '.variants | map(.inventory_quantity) | add < 20')

mean=$(kcat_alone | LC_ALL=C awk '{ n += length($0) } END { printf "%d", n / NR }')
alone=()
for _ in $(seq "$runs"); do alone+=("$(elapsed kcat_alone)"); done
floor=$(median "${alone[@]}")
echo "$messages messages (mean payload $mean bytes) in $partitions partitions; medians of $runs runs, alternating"
printf 'kcat -C alone, no filter: %.2f s\n' "$floor"
printf '%-70s %8s %8s %8s %9s %11s\n' filter matches 'ours s' 'peer s' peer/ours 'ours msg/s'
status=0; bench=()
for i in "${!filters[@]}"; do
    f=${filters[i]}; peer=${peers[i]}; pf=${peer_filters[i]}
    matches=$(ours "$f" | wc -l); peer_matches=$($peer "$pf" | wc -l)
    if [ "$matches" != "$peer_matches" ]; then
        echo "MISMATCH on $f: ours $matches messages, the peer $peer_matches" >&2
        status=1
    fi
    t_ours=(); t_peer=()
    for run in $(seq "$runs"); do # alternate who goes first, so that neither always meets a fresher broker
        if ((run % 2)); then t_ours+=("$(elapsed ours "$f")"); t_peer+=("$(elapsed $peer "$pf")")
        else t_peer+=("$(elapsed $peer "$pf")"); t_ours+=("$(elapsed ours "$f")"); fi
    done
    m_ours=$(median "${t_ours[@]}"); m_peer=$(median "${t_peer[@]}")
    ratio=$(echo "$m_peer / $m_ours" | bc -l); rate=$(echo "$messages / $m_ours" | bc -l)
    printf '%-70s %8d %8.2f %8.2f %8.2fx %11.0f\n' "$f" "$matches" "$m_ours" "$m_peer" "$ratio" "$rate"
    bench+=("$(printf 'BENCH consume_%s_over_peer %.2f\nBENCH consume_%s_msgs_per_s %.0f' \
        "${labels[i]}" "$ratio" "${labels[i]}" "$rate")")
done
printf 'BENCH consume_kcat_alone_s %.3f\n' "$floor"
printf '%s\n' "${bench[@]}"
exit "$status"
