#!/usr/bin/env bash
# How fast `flint bench` loads a server, next to wrk, in closed loop on the same target, in one run:
# interleaved rounds (wrk, flint bench, then flint bench, wrk, ...), medians, and the ratio of the
# request rates, flint bench / wrk. Goal (issue: load generator): at least 0.8 of wrk's rate. On a
# small machine the client shares the cores with the server it loads, so the client's CPU per
# request decides the rate either reaches.
#
#   nginx      a small static file from nginx (2 workers, its own temp config, a free port)
#   flint-go   Flint serving examples/circle/go (its handler built with go; logging at Warning)
#
#   bench/loadgen-vs-wrk.sh          # TARGETS="nginx flint-go" ROUNDS=3 DURATION=5 CONNECTIONS=16 THREADS=2
#   RECORD=1 bench/loadgen-vs-wrk.sh # also appends the report to docs/performance.md ("Load generator")
#
# wrk runs as `wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s URL`; flint bench as
# `flint bench URL -c $CONNECTIONS --threads $THREADS -d ${DURATION}s --warmup 1s` (its own 1 s
# warm-up is not measured; wrk measures from its first request). Both from a copy of the built jar.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
TARGETS="${TARGETS:-nginx flint-go}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-5}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
RECORD="${RECORD:-0}"
LABEL="${LABEL:-}"
KEEP_TMP="${KEEP_TMP:-0}"
URL_PATH="/api/circle?radius=2"
EXPECTED_BODY='{"radius":2,"area":12.566370614359172}'
source "$BENCH/lib/common.sh"

need_tools loadgen-vs-wrk "nothing was measured" curl python3
TMP="$(mktemp -d /tmp/flint-loadgen-bench.XXXXXX)"
PIDS=()
on_exit stop_pids_and_end

log "building Flint"
(cd "$ROOT" && mvn -B -q -o -Dmaven.test.skip=true -pl flint-cli -am package 2>/dev/null \
  || mvn -B -q -Dmaven.test.skip=true -pl flint-cli -am package)
copy_flint "$ROOT/flint-cli/target/flint-cli.jar" "$TMP/flint"
flint_java loadgen-vs-wrk
FLINT=("$JAVA" --enable-native-access=ALL-UNNAMED -jar "$TMP/flint/flint-cli.jar")

declare -A URL
ACTIVE=()
NOTES=()

start_nginx() {
  if ! command -v nginx >/dev/null 2>&1; then
    log "nginx is not installed: its row is skipped"
    NOTES+=("- nginx is not installed (apt-get install nginx): its row is missing")
    return 1
  fi
  local port; port="$(free_port)"
  mkdir -p "$TMP/nginx/logs" "$TMP/nginx/tmp" "$TMP/nginx/html/api"
  printf '%s' "$EXPECTED_BODY" >"$TMP/nginx/html/api/circle"
  # nginx's workers may run as another user (nobody, when started as root): let them read the file.
  chmod a+rx "$TMP" "$TMP/nginx" "$TMP/nginx/html" "$TMP/nginx/html/api"
  chmod a+r "$TMP/nginx/html/api/circle"
  cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path $TMP/nginx/tmp/body;
  proxy_temp_path $TMP/nginx/tmp/proxy;
  fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
  uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
  scgi_temp_path $TMP/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $TMP/nginx/html;
    default_type application/json;
    location / { }
  }
}
EOF
  nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" -g 'daemon off;' >"$TMP/nginx.log" 2>&1 &
  PIDS+=($!)
  URL[nginx]="http://127.0.0.1:$port$URL_PATH"
  wait_ready nginx "${URL[nginx]}" "$!"
}

start_flint_go() {
  if ! command -v go >/dev/null 2>&1; then
    log "go is not installed: the flint-go row is skipped"
    NOTES+=("- go is not installed: the flint-go row is missing")
    return 1
  fi
  local app="$TMP/apps/circle-go" port; port="$(free_port)"
  mkdir -p "$app/circle"
  (cd "$ROOT/examples/circle/go" && go build -o "$TMP/circle-go-handler" .)
  cp "$ROOT/examples/circle/go/circle/function.json" "$app/circle/"
  cat >"$app/host.json" <<JSON
{"version": "2.0", "logging": {"logLevel": {"default": "Warning"}},
 "customHandler": {"description": {"defaultExecutablePath": "$TMP/circle-go-handler"},
                   "enableForwardingHttpRequest": true}}
JSON
  "${FLINT[@]}" start "$app" --port "$port" --data-dir "$TMP/data-flint-go" >"$TMP/flint-go.log" 2>&1 &
  PIDS+=($!)
  URL[flint-go]="http://127.0.0.1:$port$URL_PATH"
  wait_ready flint-go "${URL[flint-go]}" "$!"
}

for t in $TARGETS; do
  case "$t" in
    nginx) if start_nginx; then ACTIVE+=(nginx); else NOTES+=("- nginx did not start: its row is missing"); fi ;;
    flint-go) if start_flint_go; then ACTIVE+=(flint-go); else NOTES+=("- flint-go did not start: its row is missing"); fi ;;
    *) echo "loadgen-vs-wrk: unknown target $t (known: nginx flint-go)" >&2; exit 2 ;;
  esac
done
[ "${#ACTIVE[@]}" -gt 0 ] || { echo "loadgen-vs-wrk: no target could be started" >&2; exit 1; }

# run_wrk target out; run_flint target out: one measurement each, with the client's CPU seconds
# (user + sys, from /usr/bin/time when installed) in out.cpu.
cpu_of() { # command... : runs it, its stdout to $OUT, its CPU seconds to $OUT.cpu
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%U %S' -o "$OUT.time" "$@" >"$OUT"
    awk '{printf "%.2f", $1 + $2}' "$OUT.time" >"$OUT.cpu"
  else
    "$@" >"$OUT"; echo "-" >"$OUT.cpu"
  fi
}
run_wrk() {
  OUT="$2" cpu_of wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "${URL[$1]}"
  wrk_rps "$2"
}
run_flint() {
  OUT="$2" cpu_of "${FLINT[@]}" bench "${URL[$1]}" -c "$CONNECTIONS" --threads "$THREADS" -d "${DURATION}s" \
    --warmup 1s --no-progress --no-store --json -
  python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["targets"][0]; print("%.2f" % t["requestsPerSecond"]) if t["failures"] == 0 else print("failed")' "$2"
}

log "warming up"
for t in "${ACTIVE[@]}"; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "${URL[$t]}" >/dev/null
  "${FLINT[@]}" bench "${URL[$t]}" -c "$CONNECTIONS" --threads "$THREADS" -d 2s --warmup 0 --no-progress --no-store >/dev/null
done

for round in $(seq 1 "$ROUNDS"); do
  for t in "${ACTIVE[@]}"; do
    # Alternate who goes first, so that neither always follows the other.
    if [ $((round % 2)) = 1 ]; then order="wrk flint"; else order="flint wrk"; fi
    for client in $order; do
      if [ "$client" = wrk ]; then
        rps="$(run_wrk "$t" "$TMP/$t.$round.wrk")"
      else
        rps="$(run_flint "$t" "$TMP/$t.$round.flint")"
      fi
      log "round $round $t $client: $rps req/s (client CPU $(cat "$TMP/$t.$round.$client.cpu") s)"
    done
  done
done

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
flint_rps() { python3 -c 'import json,sys; print("%.2f" % json.load(open(sys.argv[1]))["targets"][0]["requestsPerSecond"])' "$1"; }
REPORT="$TMP/report.md"
{
  echo "| target | wrk req/s | flint bench req/s | flint/wrk | per round (flint/wrk) | client CPU s, wrk / flint bench |"
  echo "|---|---|---|---|---|---|"
} >"$REPORT"
for t in "${ACTIVE[@]}"; do
  wrk_med="$(for r in $(seq 1 "$ROUNDS"); do wrk_rps "$TMP/$t.$r.wrk"; done | median)"
  flint_med="$(for r in $(seq 1 "$ROUNDS"); do flint_rps "$TMP/$t.$r.flint"; done | median)"
  per_round=""
  for r in $(seq 1 "$ROUNDS"); do
    per_round+="$(awk -v a="$(flint_rps "$TMP/$t.$r.flint")" -v b="$(wrk_rps "$TMP/$t.$r.wrk")" 'BEGIN {printf "%.3f", a / b}') "
  done
  cpu_wrk="$(for r in $(seq 1 "$ROUNDS"); do cat "$TMP/$t.$r.wrk.cpu"; echo; done | median)"
  cpu_flint="$(for r in $(seq 1 "$ROUNDS"); do cat "$TMP/$t.$r.flint.cpu"; echo; done | median)"
  ratio="$(awk -v a="$flint_med" -v b="$wrk_med" 'BEGIN {printf "%.3f", a / b}')"
  echo "| $t | $wrk_med | $flint_med | $ratio | ${per_round% } | $cpu_wrk / $cpu_flint |" >>"$REPORT"
done
{
  echo
  echo "Medians of $ROUNDS interleaved rounds; closed loop, $CONNECTIONS connections, $THREADS client threads, ${DURATION} s"
  echo "measured. flint bench's CPU includes its JVM start and 1 s warm-up."
  for n in "${NOTES[@]}"; do echo "$n"; done
} >>"$REPORT"
print_summary "flint bench vs wrk, $(date -u '+%Y-%m-%d %H:%M UTC')" "$REPORT"
if [ "$RECORD" = 1 ]; then
  write_section "$TMP/section.md" "$(command_line bench/loadgen-vs-wrk.sh TARGETS="nginx flint-go" ROUNDS=3 DURATION=5 \
      CONNECTIONS=16 THREADS=2 RECORD=0 LABEL)" "$REPORT" \
    "- JVM: $JDK; $(wrk --version 2>&1 | head -n 1 | cut -c1-60)"
  record_section "$ROOT/docs/performance.md" "Load generator" "$TMP/section.md"
fi
