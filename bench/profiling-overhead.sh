#!/usr/bin/env bash
# What profiling costs a function: the same Go circle handler behind Flint with profiling off, at
# 200 Hz and at 1000 Hz (perf record -e cpu-clock -g -k mono on the handler, in 10 s windows), in one
# run, interleaved rounds (off, 200, 1000, off, ...), wrk on loopback, medians. Goal (issue 5): at
# most 3 % fewer requests a second at 200 Hz. perf must be able to sample (root here).
#
#   bench/profiling-overhead.sh          # ROUNDS=3 DURATION=10 RECORD=1
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-50}"
RECORD="${RECORD:-1}"
LABEL="${LABEL:-}"
KEEP_TMP="${KEEP_TMP:-0}"
URL_PATH="/api/circle?radius=2"
EXPECTED_BODY='{"radius":2,"area":12.566370614359172}'
source "$BENCH/lib/common.sh"

need_tools profiling-overhead "nothing was measured" go curl python3 perf
TMP="$(mktemp -d /tmp/flint-profiling-bench.XXXXXX)"
PIDS=()
on_exit stop_pids_and_end

log "building the handler and Flint"
(cd "$BENCH/handlers/circle-go" && go build -o handler .)
(cd "$ROOT" && mvn -B -q -o -Dmaven.test.skip=true -pl flint-cli -am package 2>/dev/null \
  || mvn -B -q -Dmaven.test.skip=true -pl flint-cli -am package)
copy_flint "$ROOT/flint-cli/target/flint-cli.jar" "$TMP/flint"
flint_java profiling-overhead

# One app folder per setting, each pointing at the same handler binary.
make_app() { # name frequency|off [sampling]
  local dir="$TMP/apps/$1"
  mkdir -p "$dir/circle"
  cp "$BENCH/apps/forward/circle/function.json" "$dir/circle/"
  local profiling=""
  [ "$2" != off ] && profiling=", \"profiling\": {\"enabled\": true, \"frequency\": $2, \"window\": \"00:00:10\", \"sampling\": \"${3:-auto}\"}"
  cat >"$dir/host.json" <<JSON
{"version": "2.0", "logging": {"logLevel": {"default": "Warning"}},
 "customHandler": {"description": {"defaultExecutablePath": "$BENCH/handlers/circle-go/handler"},
                   "enableForwardingHttpRequest": true}$profiling}
JSON
}
# 200hz and 1000hz sample the handler's cgroup where the machine gives it one (perf -a -G), as Flint
# does by default; 200hz-pid samples its pid, to show what the system-wide sideband costs.
TARGETS=(off 200hz 200hz-pid 1000hz)
make_app off off
make_app 200hz 200
make_app 200hz-pid 200 pid
make_app 1000hz 1000

declare -A PORT
for target in "${TARGETS[@]}"; do
  PORT[$target]="$(free_port)"
  "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$TMP/flint/flint-cli.jar" start "$TMP/apps/$target" \
    --port "${PORT[$target]}" --data-dir "$TMP/data-$target" >"$TMP/$target.log" 2>&1 &
  PIDS+=($!)
  wait_ready "$target" "http://127.0.0.1:${PORT[$target]}$URL_PATH" "$!"
done
log "warming up"
for target in "${TARGETS[@]}"; do
  wrk -t2 -c"$CONNECTIONS" -d5s "http://127.0.0.1:${PORT[$target]}$URL_PATH" >/dev/null
done

for round in $(seq 1 "$ROUNDS"); do
  for target in "${TARGETS[@]}"; do
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:${PORT[$target]}$URL_PATH" >"$TMP/$target.$round.wrk"
    log "round $round $target: $(wrk_rps "$TMP/$target.$round.wrk") req/s, p99 $(wrk_ms "$TMP/$target.$round.wrk" 99) ms"
  done
done

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
REPORT="$TMP/report.md"
{
  echo "| profiling | req/s (median of $ROUNDS) | vs off | p99 | windows stored |"
  echo "|---|---|---|---|---|"
} >"$REPORT"
off_rps="$(for r in $(seq 1 "$ROUNDS"); do wrk_rps "$TMP/off.$r.wrk"; done | median)"
for target in "${TARGETS[@]}"; do
  rps="$(for r in $(seq 1 "$ROUNDS"); do wrk_rps "$TMP/$target.$r.wrk"; done | median)"
  p99="$(for r in $(seq 1 "$ROUNDS"); do echo "$(wrk_ms "$TMP/$target.$r.wrk" 99)"; done | median)"
  stored="$(find "$TMP/data-$target/traces" -name '*.trace' 2>/dev/null | wc -l)"
  ratio="$(awk -v a="$rps" -v b="$off_rps" 'BEGIN {printf "%.3f", a / b}')"
  echo "| $target | $rps | $ratio | $p99 ms | $stored |" >>"$REPORT"
done
print_summary "Profiling overhead, $(date -u '+%Y-%m-%d %H:%M UTC')" "$REPORT"
if [ "$RECORD" = 1 ]; then
  write_section "$TMP/section.md" "$(command_line bench/profiling-overhead.sh ROUNDS=3 DURATION=10 CONNECTIONS=50 LABEL)" \
    "$REPORT" "- JVM: $JDK; $(perf --version); wrk -t2 -c$CONNECTIONS -d${DURATION}s"
  record_section "$ROOT/docs/performance.md" "Profiling overhead" "$TMP/section.md"
fi
