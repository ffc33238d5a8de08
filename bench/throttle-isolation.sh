#!/usr/bin/env bash
# Throttle isolation: does a saturated function leave another function of the same app alone?
#
# One Flint, one app (bench/apps/throttle, handler bench/handlers/throttle-go, forwarding mode) with
# host.json extensions.http maxConcurrentRequests 4 and maxOutstandingRequests 8, which Flint applies
# per function (Azure applies them to the whole host). Two functions: `slow` sleeps SLOW_MS (50 ms),
# `fast` answers at once. In each round, the same wrk on `fast` runs in every phase:
#
#   A  fast alone                                                          (the baseline)
#   B  fast, while a second wrk saturates slow: SLOW_CONNECTIONS (64) connections that send the
#      next request as soon as the last one is answered, so most get a 429 at once and retry at
#      once (a "429 storm", bounded only by CPU)
#   C  fast, while slow is saturated by the same connections pausing THINK_MS (20 ms) before each
#      request (wrk's delay()): slow is still over its limit and gets 429s, at a rate a client
#      that backs off a little would cause
#
# Rounds are interleaved (A B C, A B C, ...); the report gives the medians over the rounds for fast
# (req/s, p50, p99, non-2xx) and slow (2xx/s, 429/s, other), Flint's CPU, and the ratios of each
# loaded phase to A. Only 127.0.0.1 is loaded; every process started here is stopped on exit.
#
# Settings (environment):
#   DURATION=10         seconds of each measured wrk run on fast       ROUNDS=3   interleaved rounds
#   PHASES="A B C"      which phases, in this order (A is needed for the ratios)
#   WARMUP=15           seconds of warm-up (fast and a slow storm at once) before the rounds
#   SETTLE=1            seconds of pause before each phase, and of slow load before and after fast's run
#   FAST_CONNECTIONS=8  FAST_THREADS=1     wrk on fast
#   SLOW_CONNECTIONS=64 SLOW_THREADS=1     wrk on slow
#   SLOW_MS=50          how long slow sleeps (the handler reads it from its environment)
#   THINK_MS=20         phase C: the pause of each slow connection before each request
#   QUIET_WAIT=0        > 0: before each phase, wait up to that many seconds for a second in which the
#                       whole machine is under QUIET_BELOW=0.3 vCPU busy (for a machine shared with
#                       builds and tests; the interleaving stays the same)
#   FLINT_JAVA_OPTS     JVM flags for Flint (as for ./flint)
#   RECORD=1            append the result to docs/performance.md, under "Front door: throttle isolation"
#   LABEL=""            a note for the recorded section
#   KEEP_TMP=0          1 keeps the temp dir (Flint's log, raw wrk output)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
APP="$BENCH/apps/throttle"
LUA="$BENCH/wrk/count-status.lua"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-3}"
PHASES="${PHASES:-A B C}"
WARMUP="${WARMUP:-15}"
SETTLE="${SETTLE:-1}"
FAST_CONNECTIONS="${FAST_CONNECTIONS:-8}"
FAST_THREADS="${FAST_THREADS:-1}"
SLOW_CONNECTIONS="${SLOW_CONNECTIONS:-64}"
SLOW_THREADS="${SLOW_THREADS:-1}"
SLOW_MS="${SLOW_MS:-50}"
THINK_MS="${THINK_MS:-20}"
QUIET_WAIT="${QUIET_WAIT:-0}"
QUIET_BELOW="${QUIET_BELOW:-0.3}"
FLINT_JAVA_OPTS="${FLINT_JAVA_OPTS:-}"
RECORD="${RECORD:-1}"
LABEL="${LABEL:-}"
KEEP_TMP="${KEEP_TMP:-0}"
FAST_BODY='{"function":"fast"}'

# shellcheck source=lib/common.sh # log, stop_pid, free_port, ticks, to_ms, wait_quiet, record_section...
source "$BENCH/lib/common.sh"

need_tools throttle-isolation "nothing was measured" go curl python3
case " $PHASES " in *" A "*) ;; *) echo "throttle-isolation: PHASES must include A (the baseline)" >&2; exit 2 ;; esac
for p in $PHASES; do
  case "$p" in A|B|C) ;; *) echo "throttle-isolation: unknown phase $p (A, B or C)" >&2; exit 2 ;; esac
done

TMP="$(mktemp -d /tmp/flint-throttle.XXXXXX)"
FLINT_PID=""
WRK_PIDS=()

cleanup() {
  local status=$? p
  trap - EXIT INT TERM
  for p in "${WRK_PIDS[@]}"; do # only those still running as this shell's jobs (a pid may be reused)
    if jobs -p | grep -qx "$p"; then kill "$p" 2>/dev/null || true; fi
  done
  if [ -n "$FLINT_PID" ]; then stop_pid "$FLINT_PID"; fi
  end_run "$status"
}
on_exit cleanup

# --- build -------------------------------------------------------------------------------------
log "building Flint (./flint --version) and the Go handler"
"$ROOT/flint" --version >&2
(cd "$BENCH/handlers/throttle-go" && go build -o handler .)

# Run Flint from a copy of the jar and its libraries, so that a rebuild by someone else's ./flint in
# the middle of the run cannot change what is measured; with the JVM ./flint would run.
copy_flint "$ROOT/flint-cli/target/flint-cli.jar" "$TMP/flint"
flint_java throttle-isolation

read -r MAX_CONCURRENT MAX_OUTSTANDING < <(python3 -c '
import json, sys
h = json.load(open(sys.argv[1]))["extensions"]["http"]
print(h.get("maxConcurrentRequests", -1), h.get("maxOutstandingRequests", -1))' "$APP/host.json")

# --- start -------------------------------------------------------------------------------------
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT/api"
# The same command line as ./flint start (see ../flint), from the copied jar; keys in the temp dir.
# shellcheck disable=SC2086 # FLINT_JAVA_OPTS is a list of flags, as in ./flint
SLOW_MS="$SLOW_MS" "$JAVA" --enable-native-access=ALL-UNNAMED $FLINT_JAVA_OPTS -jar "$TMP/flint/flint-cli.jar" \
    start "$APP" --port "$PORT" --data-dir "$TMP/data" >"$TMP/flint.log" 2>&1 &
FLINT_PID=$!
ready=0
for i in $(seq 1 600); do
  kill -0 "$FLINT_PID" 2>/dev/null || break
  if [ "$(curl -s --max-time 1 "$BASE/fast" 2>/dev/null || true)" = "$FAST_BODY" ]; then ready=1; break; fi
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  log "Flint did not answer $BASE/fast; its output:"; tail -n 30 "$TMP/flint.log" >&2
  exit 1
fi
HANDLER_PID="$(pgrep -P "$FLINT_PID" | head -n 1 || true)"
log "Flint pid $FLINT_PID (handler ${HANDLER_PID:-?}) on $BASE; maxConcurrentRequests $MAX_CONCURRENT, maxOutstandingRequests $MAX_OUTSTANDING per function"
t0="$(date +%s%N)"
curl -s -o /dev/null --max-time 5 "$BASE/slow"
t1="$(date +%s%N)"
log "one slow request alone: $(( (t1 - t0) / 1000000 )) ms (SLOW_MS=$SLOW_MS)"

# --- load --------------------------------------------------------------------------------------
slow_load() { # seconds think_ms out: wrk saturating slow, in the background (pid in SLOW_WRK)
  THINK_MS="$2" wrk -t"$SLOW_THREADS" -c"$SLOW_CONNECTIONS" -d"$1s" --timeout 5s -s "$LUA" "$BASE/slow" >"$3" 2>&1 &
  SLOW_WRK=$!
  WRK_PIDS+=("$SLOW_WRK")
}

fast_load() { # seconds out: wrk on fast, waited for (in the background, so that a signal stops it at once)
  wrk -t"$FAST_THREADS" -c"$FAST_CONNECTIONS" -d"$1s" --timeout 5s --latency "$BASE/fast" >"$2" 2>&1 &
  local pid=$!
  WRK_PIDS+=("$pid")
  wait "$pid" || true
}

QUIET_MISSED=0 # phases that started without a quiet second (wait_quiet)

RESULTS="$TMP/results.tsv" # round phase fast_rps p50 p99 non2xx slow_200/s slow_429/s slow_other flint_vcpu rest_vcpu
: >"$RESULTS"
HZ="$(getconf CLK_TCK)"

run_phase() { # round phase
  local round="$1" phase="$2" fout="$TMP/fast-$2-$1.txt" sout="$TMP/slow-$2-$1.txt" c0 c1 s0 s1
  local b0 b1 o0 o1 w0 w1 t0 t1
  wait_quiet
  sleep "$SETTLE"
  # The whole phase (both wrks), for the CPU the rest of the machine used: busy - Flint - handler - wrk.
  b0="$(busy_ticks)"; o0="$(total_ticks "$FLINT_PID" "$HANDLER_PID")"; t0="$(date +%s%N)"
  times >"$TMP/times0"
  case "$phase" in
    B) slow_load $((DURATION + 2 * SETTLE)) 0 "$sout"; sleep "$SETTLE" ;;
    C) slow_load $((DURATION + 2 * SETTLE)) "$THINK_MS" "$sout"; sleep "$SETTLE" ;;
  esac
  c0="$(total_ticks "$FLINT_PID")"; s0="$(date +%s%N)"
  fast_load "$DURATION" "$fout"
  c1="$(total_ticks "$FLINT_PID")"; s1="$(date +%s%N)"
  if [ "$phase" != A ]; then wait "$SLOW_WRK" || true; fi
  times >"$TMP/times1"
  b1="$(busy_ticks)"; o1="$(total_ticks "$FLINT_PID" "$HANDLER_PID")"; t1="$(date +%s%N)"
  w0="$(children_seconds "$TMP/times0")"; w1="$(children_seconds "$TMP/times1")"
  local rps p50 p99 non2xx s200=0 s429=0 sother=0
  rps="$(wrk_rps "$fout")"
  if [ -z "$rps" ]; then log "wrk gave no result for fast in phase $phase:"; cat "$fout" >&2; rps=0; fi
  p50="$(wrk_ms "$fout" 50)"
  p99="$(wrk_ms "$fout" 99)"
  non2xx="$(wrk_errors "$fout")"
  if [ "$phase" != A ]; then
    read -r s200 s429 sother < <(awk '/^STATUS / {
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "%.1f %.1f %d\n", v["200"] / v["seconds"], v["429"] / v["seconds"], v["other"] }' "$sout")
    if [ -z "$s200" ]; then log "wrk gave no status counts for slow in phase $phase:"; cat "$sout" >&2; s200=0; s429=0; sother=0; fi
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$phase" "$rps" "$p50" "$p99" "$non2xx" "$s200" "$s429" "$sother" \
      "$(awk -v t=$((c1 - c0)) -v h="$HZ" -v ns=$((s1 - s0)) 'BEGIN {printf "%.2f", t / h / (ns / 1e9)}')" \
      "$(awk -v b=$((b1 - b0)) -v o=$((o1 - o0)) -v w0="$w0" -v w1="$w1" -v h="$HZ" -v ns=$((t1 - t0)) \
           'BEGIN {r = ((b - o) / h - (w1 - w0)) / (ns / 1e9); printf "%.2f", r < 0 ? 0 : r}')" >>"$RESULTS"
  log "$(tail -n 1 "$RESULTS" | awk -F'\t' '{printf "round %s phase %s: fast %9s req/s  p50 %7s ms  p99 %7s ms  non-2xx %s | slow 2xx %s/s  429 %s/s  other %s | Flint %s vCPU, rest %s",
      $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11}')"
}

# Warm-up: fast and a slow storm at once, so that both paths (invoke and refuse) are compiled. Half
# way through, one request to slow shows what a refused caller gets.
log "warm-up: ${WARMUP} s of fast and a slow storm at once"
slow_load "$WARMUP" 0 "$TMP/slow-warmup.txt"
( sleep $(( WARMUP / 2 > 0 ? WARMUP / 2 : 1 ))
  for i in $(seq 1 20); do # a slot may be free at the moment of a request: up to 20 tries for a 429
    curl -s -i --max-time 5 "$BASE/slow" -o "$TMP/probe.txt" || true
    head -n 1 "$TMP/probe.txt" 2>/dev/null | grep -q ' 429 ' && break
  done ) &
PROBE=$!
fast_load "$WARMUP" "$TMP/fast-warmup.txt"
wait "$SLOW_WRK" || true
wait "$PROBE" || true
PROBE_STATUS="$(head -n 1 "$TMP/probe.txt" 2>/dev/null | tr -d '\r' || true)"
PROBE_HEADERS="$( (grep -i -E '^(X-FUNCTION-SCALEOUT|Retry-After):' "$TMP/probe.txt" || true) | tr -d '\r' | paste -sd ';' - | sed 's/;/; /g')"
log "a request to slow during the storm: $PROBE_STATUS; $PROBE_HEADERS"

RUN_START="$(date +%s)"
for r in $(seq 1 "$ROUNDS"); do
  for p in $PHASES; do run_phase "$r" "$p"; done
done
RUN_SECONDS=$(( $(date +%s) - RUN_START ))

# --- report ------------------------------------------------------------------------------------
REJECTED="$(grep -c 'Rejected GET /api/slow with 429' "$TMP/flint.log" || true)"
REJECTED_MAX="$(grep 'Rejected GET /api/slow with 429' "$TMP/flint.log" | cut -c2-20 | sort | uniq -c | sort -rn | awk 'NR == 1 {print $1}' || true)"
REJECTED_OTHER="$(grep 'Rejected' "$TMP/flint.log" | grep -vc 'Rejected GET /api/slow with 429' || true)"
FAILED="$(grep -c -E '\(Failed,|Unhandled exception' "$TMP/flint.log" || true)"

REPORT="$TMP/report.md"
python3 - "$RESULTS" "$REPORT" "$PHASES" "$MAX_CONCURRENT" "$SLOW_MS" "$THINK_MS" "$SLOW_CONNECTIONS" <<'EOF'
import statistics, sys
results, report, phases, max_concurrent, slow_ms, think_ms, slow_conns = sys.argv[1:8]
phases = phases.split()
rows = [l.rstrip("\n").split("\t") for l in open(results) if l.strip()]
names = {
    "A": "A: fast alone",
    "B": f"B: fast + slow storm ({slow_conns} conns, no pause)",
    "C": f"C: fast + slow paced ({slow_conns} conns, {think_ms} ms pause)",
}
med, per = {}, {}
for p in phases:
    rs = [r for r in rows if r[1] == p]
    col = lambda i: statistics.median(float(r[i]) for r in rs)
    med[p] = dict(rps=col(2), p50=col(3), p99=col(4), non2xx=sum(int(r[5]) for r in rs),
                  s200=col(6), s429=col(7), sother=sum(int(r[8]) for r in rs), cpu=col(9), rest=col(10),
                  rest_max=max(float(r[10]) for r in rs))
    per[p] = [(float(r[2]), float(r[4])) for r in rs]
k = lambda v: f"{v / 1000:.1f}k"
out = ["| phase | fast req/s | fast p50 | fast p99 | fast non-2xx (all rounds) | slow 2xx/s | slow 429/s | slow other | Flint vCPU | rest vCPU | fast per round: req/s, p99 |",
       "|---|---|---|---|---|---|---|---|---|---|---|"]
for p in phases:
    m = med[p]
    slow = ("-", "-", "-") if p == "A" else (f"{m['s200']:.0f}", f"{m['s429']:,.0f}", str(m["sother"]))
    rounds = " / ".join(f"{k(a)}, {b:.2f} ms" for a, b in per[p])
    out.append(f"| {names[p]} | {k(m['rps'])} | {m['p50']:.2f} ms | {m['p99']:.2f} ms | {m['non2xx']} | "
               f"{slow[0]} | {slow[1]} | {slow[2]} | {m['cpu']:.2f} | {m['rest']:.2f} | {rounds} |")
out.append("")
a = med["A"]
for p in phases:
    if p == "A":
        continue
    m = med[p]
    per_round = ", ".join(f"{pb / pa:.2f}" for (_, pa), (_, pb) in zip(per["A"], per[p]))
    out.append(f"- {names[p]} / A: fast p99 **{m['p99'] / a['p99']:.2f}x** (per round {per_round}), "
               f"fast req/s **{m['rps'] / a['rps']:.2f}**, fast p50 {m['p50'] / a['p50']:.2f}x; "
               f"fast non-2xx {m['non2xx']}; slow 2xx {m['s200']:.0f}/s "
               f"(at most maxConcurrentRequests / {slow_ms} ms = {int(max_concurrent) * 1000 / float(slow_ms):.0f}/s), "
               f"429 {m['s429']:,.0f}/s")
rest_max = max(m["rest_max"] for m in med.values())
out.append(f"- the rest of the machine (other processes, unattributed kernel time) used up to {rest_max:.2f} vCPU in a phase"
           + (": the machine was not quiet, figures are less reliable" if rest_max > 0.25 else ""))
open(report, "w").write("\n".join(out) + "\n")
EOF
{
  echo "- a request to slow during the storm got \`$PROBE_STATUS\` with \`$PROBE_HEADERS\`"
  echo "- Flint logged $REJECTED refusal lines for slow over the ${RUN_SECONDS} s of rounds plus the warm-up (at most ${REJECTED_MAX:-0} in one wall-clock second; the limit is 5 per second per function and kind, in windows not aligned to the clock), $REJECTED_OTHER other refusal lines, $FAILED failed invocations or unhandled exceptions"
} >>"$REPORT"
if [ "$QUIET_MISSED" -gt 0 ]; then
  echo "- $QUIET_MISSED of the phases started without a quiet second in ${QUIET_WAIT} s (other processes were busy)" >>"$REPORT"
fi
if [ "$FAILED" -gt 0 ] || [ "$REJECTED_OTHER" -gt 0 ]; then KEEP_TMP=1; fi

HEAD_LINE="Throttle isolation: maxConcurrentRequests $MAX_CONCURRENT, maxOutstandingRequests $MAX_OUTSTANDING per function; slow sleeps $SLOW_MS ms; fast: wrk -t$FAST_THREADS -c$FAST_CONNECTIONS -d${DURATION}s --latency; slow: wrk -t$SLOW_THREADS -c$SLOW_CONNECTIONS for the whole phase; $ROUNDS interleaved rounds ($PHASES), medians; warm-up ${WARMUP} s"
print_summary "$HEAD_LINE" "$REPORT"

if [ "$RECORD" = 1 ]; then
  DOC="$ROOT/docs/performance.md"
  GIT_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  DIRTY="$(uncommitted flint-host flint-cli)"
  COMMAND="$(command_line bench/throttle-isolation.sh DURATION=10 ROUNDS=3 PHASES="A B C" WARMUP=15 SETTLE=1 \
      FAST_CONNECTIONS=8 FAST_THREADS=1 SLOW_CONNECTIONS=64 SLOW_THREADS=1 SLOW_MS=50 THINK_MS=20 \
      QUIET_WAIT=0 QUIET_BELOW=0.3 FLINT_JAVA_OPTS)"
  SECTION="$TMP/section.md"
  write_section "$SECTION" "$COMMAND" "$REPORT" \
      "- JDK: $JDK; Flint at $GIT_REV${DIRTY:+ (with uncommitted changes in flint-host/flint-cli)}; $(go version | awk '{print $3}'); $(wrk --version 2>&1 | head -n 1 | awk '{print $1, $2}')" \
      "- $HEAD_LINE"
  record_section "$DOC" "Front door: throttle isolation" "$SECTION"
fi
