#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The Peakwatch authors
# Load simulator benchmarks (issue: the Black Friday load simulator), each next to a peer in the same run:
#  1. Kafka sink: `simulate --rate max` generating fresh payloads, against `kcat -P` sending pre-generated
#     payloads of the same size (with the same headers) to the same embedded cluster; ratio of events/s.
#  2. End to end at 20k events/s: simulate -> Kafka -> analyze, the latency from a webhook's creation to
#     its analysis (p50, p99), next to kcat consuming the same stream (creation to kcat printing it).
# Usage: tests/bench/bench_simulate.sh BUILD_DIR [EVENTS] [RUNS]
set -euo pipefail
build=${1:-build}
events=${2:-500000}
runs=${3:-4}
cli=$build/app/peakwatch-cli
replay=$build/tests/bench/bench_replay
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

"$cli" broker --brokers 1 --topic sim:16 --topic kcat:16 --topic e2e:16 > "$work/broker.out" 2>/dev/null &
for _ in $(seq 50); do [ -s "$work/broker.out" ] && break; sleep 0.1; done
bootstrap=$(head -1 "$work/broker.out")

"$replay" --write "$work/payloads.ndjson" --events "$events" > /dev/null
# An endless steady peak, so that a run ends by its event count or duration, never by the scenario's end.
cat > "$work/peak.json" <<'SCENARIO'
{"name": "endless-peak", "base": "black-friday", "curve": [{"at_minutes": 0, "orders_per_hour": 18000}],
 "duration_minutes": 0, "restock_chance": 0.2}
SCENARIO
mean=$(awk -F'\t' '{ n += length($2) } END { printf "%d", n / NR }' "$work/payloads.ndjson")
headers=(-H X-Shopify-Topic=products/update -H X-Shopify-API-Version=2026-10
         -H X-Shopify-Webhook-Id=0237b59f-a5b9-4b6b-95a5-687d22b6a148
         -H X-Shopify-Event-Id=b70fc04d-6f09-46ed-ab21-4573d907dbc0
         -H X-Shopify-Triggered-At=2026-11-27T05:03:12Z -H X-Shopify-Shop-Domain=northwind-apparel.myshopify.com
         -H X-Peakwatch-Created-At=1795755792000000)
now() { date +%s.%N; }

echo "Kafka sink: $events events a run, mean payload $mean bytes (kcat's pre-generated file), best of $runs"
best_sim=0; best_kcat=0
run_sim() {
    local start; start=$(now)
    "$cli" simulate -b "$bootstrap" -t sim --scenario "$work/peak.json" --rate max --events "$events" --quiet > "$work/report.json"
    sim_s=$(echo "$(now) - $start" | bc -l)
}
run_kcat() {
    local start; start=$(now)
    kcat -b "$bootstrap" -P -t kcat -K $'\t' "${headers[@]}" < "$work/payloads.ndjson"
    kcat_s=$(echo "$(now) - $start" | bc -l)
}
for run in $(seq "$runs"); do
    # Alternate who goes first, so that neither always meets the broker fresher.
    if ((run % 2)); then run_sim; run_kcat; else run_kcat; run_sim; fi
    sim_rate=$(echo "$events / $sim_s" | bc -l); kcat_rate=$(echo "$events / $kcat_s" | bc -l)
    printf '  run %d: simulate %.0f events/s (%.2f s), kcat -P %.0f events/s (%.2f s)\n' "$run" "$sim_rate" "$sim_s" "$kcat_rate" "$kcat_s"
    best_sim=$(echo "if ($sim_rate > $best_sim) $sim_rate else $best_sim" | bc -l)
    best_kcat=$(echo "if ($kcat_rate > $best_kcat) $kcat_rate else $best_kcat" | bc -l)
done
ratio=$(echo "$best_sim / $best_kcat" | bc -l)
printf 'BENCH simulate_kafka_events_per_s %.0f\nBENCH kcat_produce_events_per_s %.0f\nBENCH simulate_over_kcat %.2f\n' "$best_sim" "$best_kcat" "$ratio"

echo "End to end at 20000 events/s for 20 s: simulate -> Kafka -> analyze, next to kcat -C on the same topic"
"$cli" analyze -b "$bootstrap" -t e2e -o end > /dev/null 2> "$work/analyze.err" &
analyze=$!
# The peer: kcat consuming the same topic, timed as each message's headers arrive; it stops 3 s after the
# stream goes quiet.
python3 -u - "$bootstrap" > "$work/kcat.lat" <<'PEER' &
import subprocess, sys, threading, time
kcat = subprocess.Popen(["kcat", "-b", sys.argv[1], "-C", "-t", "e2e", "-o", "end", "-u", "-q",
                         "-X", "fetch.wait.max.ms=20", "-f", "%h\n"],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
lat, last = [], [None]
def read():
    for line in kcat.stdout:
        now = time.time()
        last[0] = now
        i = line.find("X-Peakwatch-Created-At=")
        if i >= 0:
            lat.append((now * 1e6 - int(line[i + 23:].split(",")[0])) / 1000.0)
reader = threading.Thread(target=read, daemon=True)
reader.start()
while last[0] is None or time.time() - last[0] < 3:
    time.sleep(0.5)
kcat.terminate()
lat = sorted(lat)
print("%d %.1f %.1f" % (len(lat), lat[len(lat) // 2], lat[int(len(lat) * 0.99) - 1]) if lat else "0 0 0")
PEER
peer=$!
sleep 2
"$cli" simulate -b "$bootstrap" -t e2e --scenario "$work/peak.json" --rate 20000 --duration 20 --quiet > "$work/e2e.json"
wait "$peer"
kill -TERM "$analyze"; wait "$analyze" || true
read -r kcat_n kcat_p50 kcat_p99 < "$work/kcat.lat"
line=$(grep "end-to-end latency" "$work/analyze.err" || { cat "$work/analyze.err" >&2; exit 1; })
an_p50=$(echo "$line" | sed -E 's/.*p50 ([0-9.]+) ms.*/\1/'); an_p99=$(echo "$line" | sed -E 's/.*p99 ([0-9.]+) ms.*/\1/')
achieved=$(python3 -c "import json; print(round(json.load(open('$work/e2e.json'))['acknowledged_per_second']))")
echo "  simulate achieved $achieved events/s"; sed "s/^/  /" "$work/analyze.err"
echo "  kcat -C: $kcat_n messages, p50 $kcat_p50 ms, p99 $kcat_p99 ms"
printf 'BENCH e2e_events_per_s %s\nBENCH e2e_analyze_p50_ms %s\nBENCH e2e_analyze_p99_ms %s\nBENCH e2e_kcat_p50_ms %s\nBENCH e2e_kcat_p99_ms %s\n' \
    "$achieved" "$an_p50" "$an_p99" "$kcat_p50" "$kcat_p99"
