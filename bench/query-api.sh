#!/usr/bin/env bash
# The query API over HTTP, as the web UI will call it, on a large perf file: `flint collector` on
# loopback, the file posted once, then each request timed with curl (time_total, median of ROUNDS):
# the first heat map (the trace is parsed for it: the cold request), a second heat map (cached),
# the whole-range flame graph, a 2-second range, and a differential of two 10-second ranges.
# FlameScope's figures for the same requests are in ../shared/reference/anchors.md.
#
#   bench/query-api.sh          # MB=73 ROUNDS=5 RECORD=1
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
MB="${MB:-73}"
ROUNDS="${ROUNDS:-5}"
RECORD="${RECORD:-1}"
LABEL="${LABEL:-}"
KEEP_TMP="${KEEP_TMP:-0}"
RECORDING="${RECORDING:-$ROOT/flint-trace/src/test/resources/traces/java-loop-200hz.perf.gz}"
source "$BENCH/lib/common.sh"

for tool in curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "query-api: $tool is required" >&2; exit 1; }
done
TMP="$(mktemp -d /tmp/flint-query-bench.XXXXXX)"
PIDS=()
on_exit stop_pids_and_end

(cd "$ROOT" && mvn -B -q -o -Dmaven.test.skip=true -pl flint-cli -am package 2>/dev/null \
  || mvn -B -q -Dmaven.test.skip=true -pl flint-cli -am package)
copy_flint "$ROOT/flint-cli/target/flint-cli.jar" "$TMP/flint"
flint_java query-api
python3 "$BENCH/trace/generate-perf.py" "$RECORDING" "$TMP/big.perf" --mb "$MB" >&2

PORT="$(free_port)"
"$JAVA" --enable-native-access=ALL-UNNAMED -jar "$TMP/flint/flint-cli.jar" collector --dir "$TMP/store" --port "$PORT" \
  >"$TMP/collector.log" 2>&1 &
PIDS+=($!)
BASE="http://127.0.0.1:$PORT/admin/traces"
for i in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/admin/host/ping" && break; sleep 0.1; done

# Warm the JVM on a copy, so that the cold request measures the trace, not the JIT.
python3 "$BENCH/trace/generate-perf.py" "$RECORDING" "$TMP/warm.perf" --mb 20 --seed 2 >&2
WARM="$(curl -s -X POST -H 'X-name: warm' --data-binary @"$TMP/warm.perf" "$BASE" | python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])')"
for i in $(seq 1 5); do
  curl -s -o /dev/null "$BASE/$WARM/heatmap"; curl -s -o /dev/null "$BASE/$WARM/flamegraph"
  curl -s -o /dev/null "$BASE/$WARM/flamegraph?start=2&end=4"; curl -s -o /dev/null "$BASE/$WARM/diff?with=$WARM&start=0&end=5&withStart=5&withEnd=10"
done

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
timed() { curl -s -o /dev/null -w '%{time_total}\n' "$1"; }

: >"$TMP/cold"; : >"$TMP/warm"; : >"$TMP/full"; : >"$TMP/range"; : >"$TMP/diff"
for round in $(seq 1 "$ROUNDS"); do
  ID="$(curl -s -X POST -H 'X-name: big' --data-binary @"$TMP/big.perf" "$BASE" | python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])')"
  timed "$BASE/$ID/heatmap" >>"$TMP/cold"
  timed "$BASE/$ID/heatmap" >>"$TMP/warm"
  timed "$BASE/$ID/flamegraph" >>"$TMP/full"
  timed "$BASE/$ID/flamegraph?start=10&end=12" >>"$TMP/range"
  timed "$BASE/$ID/diff?with=$ID&start=10&end=20&withStart=30&withEnd=40" >>"$TMP/diff"
  curl -s -o /dev/null -X DELETE "$BASE/$ID"
  log "round $round: cold heat map $(tail -n 1 "$TMP/cold") s"
done

ms() { median <"$1" | awk '{printf "%.1f ms", $1 * 1000}'; }
REPORT="$TMP/report.md"
{
  echo "| request (${MB} MB perf file, over HTTP on loopback) | Flint, median of $ROUNDS | FlameScope (anchors.md, 73 MB) |"
  echo "|---|---|---|"
  echo "| heat map, first request (the trace is parsed) | $(ms "$TMP/cold") | 1.48 s |"
  echo "| heat map, again (cached) | $(ms "$TMP/warm") | 1.48 s (it re-reads the file) |"
  echo "| flame graph, whole range | $(ms "$TMP/full") | 1.7-1.9 s |"
  echo "| flame graph, 2 s range | $(ms "$TMP/range") | 0.05 s |"
  echo "| differential of two 10 s ranges | $(ms "$TMP/diff") | 1.0 s |"
} >"$REPORT"
print_summary "Query API, $(date -u '+%Y-%m-%d %H:%M UTC')" "$REPORT"
if [ "$RECORD" = 1 ]; then
  write_section "$TMP/section.md" "$(command_line bench/query-api.sh MB=73 ROUNDS=5 LABEL)" "$REPORT" "- JVM: $JDK"
  record_section "$ROOT/docs/performance.md" "Query API" "$TMP/section.md"
fi
