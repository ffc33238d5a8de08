#!/usr/bin/env bash
# Front-door A/B: what keys, limits and the connection tracker cost a forwarded request. The same Go
# handler (bench/handlers/circle-go) behind three Flints, measured side by side in one run, on
# GET /api/circle?radius=2:
#
#   old       Flint built from BEFORE_REV (default b62cadf~1, the commit before the front door), in a
#             temporary git worktree; app bench/apps/forward (anonymous, forwarding mode, logging Warning)
#   new       Flint built from this tree (as ./flint builds it); the same app; keys not enforced
#             (loopback, no --enable-auth), so the key check is skipped
#   new-auth  the same build with --enable-auth; app bench/apps/forward-auth (the same, authLevel
#             function); every request carries the host key in x-functions-key, so every request
#             pays the SHA-256 and the constant-time compare against every key
#
# Every target gets the same request, x-functions-key header included (old and new ignore it), so
# that the key check is the only difference between new and new-auth. Each target is warmed up,
# then measured in interleaved rounds (old new new-auth, old new new-auth, ...); the medians, the
# ratios new/old and new-auth/new, and Flint's CPU per request are printed as markdown and
# (RECORD=1) added to docs/performance.md. Only 127.0.0.1 is loaded; every process started here
# is stopped, and the worktree removed, on exit.
#
# Settings (environment):
#   DURATION=10      seconds per measured wrk run          ROUNDS=3        interleaved rounds
#   CONNECTIONS=50   wrk connections                       THREADS=2       wrk threads
#   WARMUP=20        seconds of wrk per target before the rounds
#   TARGETS="old new new-auth"
#   BEFORE_REV=b62cadf~1   the "old" commit            BEFORE_DIR=/tmp/flint-before   its worktree
#   BEFORE_JAR       an already built old flint-cli.jar (with lib/ beside it): no worktree, no build
#   PERF=0           1: after the rounds, one more DURATION-long run per Flint target under
#                    `perf record -e cpu-clock -g`, with the JIT's symbols (jcmd Compiler.perfmap),
#                    and the top symbols of each in the report
#   QUIET_WAIT=0     > 0: before each measured run, wait up to that many seconds for a second in which
#                    the whole machine is under QUIET_BELOW=0.3 vCPU busy (for a machine shared with
#                    builds and tests; the interleaving stays the same)
#   FLINT_JAVA_OPTS  JVM flags for every Flint (as for ./flint)
#   RECORD=1         append the result to docs/performance.md, under "Front door: cost of keys and limits"
#   LABEL=""         a note for the recorded section
#   KEEP_TMP=0       1 keeps the temp dir (logs, raw wrk output, perf data)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-50}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-20}"
TARGETS="${TARGETS:-old new new-auth}"
BEFORE_REV="${BEFORE_REV:-b62cadf~1}"
BEFORE_DIR="${BEFORE_DIR:-/tmp/flint-before}"
BEFORE_JAR="${BEFORE_JAR:-}"
PERF="${PERF:-0}"
QUIET_WAIT="${QUIET_WAIT:-0}"
QUIET_BELOW="${QUIET_BELOW:-0.3}"
FLINT_JAVA_OPTS="${FLINT_JAVA_OPTS:-}"
RECORD="${RECORD:-1}"
LABEL="${LABEL:-}"
KEEP_TMP="${KEEP_TMP:-0}"
URL_PATH="/api/circle?radius=2"
EXPECTED_BODY='{"radius":2,"area":12.566370614359172}'

# shellcheck source=lib/common.sh # log, stop_pid, free_port, wait_ready, ticks, to_ms, wait_quiet, record_section...
source "$BENCH/lib/common.sh"

need_tools front-door-ab "nothing was measured" go curl python3 git mvn
for t in $TARGETS; do
  case "$t" in old|new|new-auth) ;; *) echo "front-door-ab: unknown target $t (old, new, new-auth)" >&2; exit 2 ;; esac
done
if [ "$PERF" = 1 ] && ! command -v perf >/dev/null 2>&1; then
  echo "front-door-ab: PERF=1 needs perf (apt-get install linux-perf)" >&2; exit 1
fi

TMP="$(mktemp -d /tmp/flint-frontdoor.XXXXXX)"
PIDS=()          # Flint processes started here, stopped in reverse order on exit
WORKTREE=""      # the worktree made here, removed on exit
WRK_PID=""
PERF_MAPS=()     # /tmp/perf-<pid>.map files written for PERF=1, removed on exit

remove_worktree() {
  if [ -n "$WORKTREE" ]; then
    git -C "$ROOT" worktree remove --force "$WORKTREE" >&2 || log "could not remove the worktree $WORKTREE"
    WORKTREE=""
  fi
}

cleanup() {
  local status=$? i
  trap - EXIT INT TERM
  if [ -n "$WRK_PID" ]; then kill "$WRK_PID" 2>/dev/null || true; fi
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do stop_pid "${PIDS[$i]}"; done
  remove_worktree
  for m in "${PERF_MAPS[@]}"; do rm -f "$m"; done
  end_run "$status"
}
on_exit cleanup

# --- build -------------------------------------------------------------------------------------
log "building Flint from this tree (./flint --version) and the Go handler"
"$ROOT/flint" --version >&2
(cd "$BENCH/handlers/circle-go" && go build -o handler .)
# Run every Flint from a copy of its jar and libraries: ./flint rebuilds whenever a source is newer
# than the jar, and a rebuild in the middle of the run would change what is measured.
mkdir -p "$TMP/old"
copy_flint "$ROOT/flint-cli/target/flint-cli.jar" "$TMP/new"
NEW_REV="$(git -C "$ROOT" rev-parse --short HEAD)"
OLD_REV=""
NEW_DIRTY="$(uncommitted flint-host flint-cli pom.xml)"

if [[ " $TARGETS " == *" old "* ]]; then
  if [ -n "$BEFORE_JAR" ]; then
    copy_flint "$BEFORE_JAR" "$TMP/old"
    OLD_REV="$(basename "$BEFORE_JAR") (BEFORE_JAR)"
  else
    if [ -e "$BEFORE_DIR" ]; then
      echo "front-door-ab: $BEFORE_DIR exists already; remove it (git worktree remove $BEFORE_DIR) or set BEFORE_DIR" >&2
      exit 1
    fi
    OLD_REV="$(git -C "$ROOT" rev-parse --short "$BEFORE_REV")"
    log "building Flint at $BEFORE_REV ($OLD_REV) in a worktree at $BEFORE_DIR"
    git -C "$ROOT" worktree add --detach "$BEFORE_DIR" "$BEFORE_REV" >&2
    WORKTREE="$BEFORE_DIR"
    (cd "$BEFORE_DIR" && mvn -B -q -o package -DskipTests >&2)
    copy_flint "$BEFORE_DIR/flint-cli/target/flint-cli.jar" "$TMP/old"
    remove_worktree # the jar is copied: the worktree is not needed any more
  fi
fi

flint_java front-door-ab

# --- start -------------------------------------------------------------------------------------
declare -A URL PID_OF CHILD_OF
KEY=""

start_flint() { # target
  local t="$1" jar app flags=() port
  case "$t" in
    old) jar="$TMP/old/flint-cli.jar"; app=forward ;;
    new) jar="$TMP/new/flint-cli.jar"; app=forward; flags=(--data-dir "$TMP/data-new") ;;
    new-auth) jar="$TMP/new/flint-cli.jar"; app=forward-auth; flags=(--enable-auth --data-dir "$TMP/data-new-auth") ;;
  esac
  port="$(free_port)"
  # The same command line as ./flint start (see ../flint), from the copied jar.
  # shellcheck disable=SC2086 # FLINT_JAVA_OPTS is a list of flags, as in ./flint
  "$JAVA" --enable-native-access=ALL-UNNAMED $FLINT_JAVA_OPTS -jar "$jar" \
      start "$BENCH/apps/$app" --port "$port" "${flags[@]}" >"$TMP/$t.log" 2>&1 &
  PIDS+=("$!"); PID_OF[$t]=$!
  URL[$t]="http://127.0.0.1:$port$URL_PATH"
  if [ "$t" = new-auth ]; then
    local keys="$TMP/data-new-auth/keys.json" i
    for i in $(seq 1 600); do [ -s "$keys" ] && break; sleep 0.1; done
    KEY="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["host"]["default"])' "$keys")"
    wait_ready "$t" "${URL[$t]}" "${PID_OF[$t]}" -H "x-functions-key: $KEY"
  else
    wait_ready "$t" "${URL[$t]}" "${PID_OF[$t]}"
  fi
  CHILD_OF[$t]="$(pgrep -P "${PID_OF[$t]}" | head -n 1 || true)"
}

NOTES=()
for t in $TARGETS; do start_flint "$t"; done
if [[ " $TARGETS " == *" new-auth "* ]]; then
  no_key="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${URL[new-auth]}")"
  bad_key="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H 'x-functions-key: not-a-key-0123456789' "${URL[new-auth]}")"
  good_key="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "x-functions-key: $KEY" "${URL[new-auth]}")"
  NOTES+=("- new-auth answers $no_key without a key, $bad_key with a wrong key, $good_key with the host key (read from keys.json \"host\".\"default\" after start)")
  [ "$no_key" = 401 ] && [ "$good_key" = 200 ] || { log "new-auth does not check keys as expected: ${NOTES[-1]}"; exit 1; }
else
  KEY="0123456789abcdefghijklmnopqrstuvwxyzABCDEFG" # the same header for every target
fi
for t in $TARGETS; do log "  $t ${URL[$t]} (pid ${PID_OF[$t]}, handler ${CHILD_OF[$t]:-?})"; done

# --- measure -----------------------------------------------------------------------------------
QUIET_MISSED=0 # measured runs that started without a quiet second (wait_quiet)

RESULTS="$TMP/results.tsv" # round target rps p50 p99 errors flint_user flint_sys handler wrk rest (vCPU)
: >"$RESULTS"
HZ="$(getconf CLK_TCK)"

run_wrk() { # target seconds round|warmup
  local t="$1" secs="$2" round="$3" out="$TMP/wrk-$1-$3.txt"
  local fu0 fs0 fu1 fs1 hu0 hs0 hu1 hs1 b0 b1 w0 w1
  [[ $round == warmup ]] || wait_quiet
  read -r fu0 fs0 < <(ticks "${PID_OF[$t]}"); read -r hu0 hs0 < <(ticks "${CHILD_OF[$t]}")
  b0="$(busy_ticks)"; times >"$TMP/times0"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --timeout 5s --latency -H "x-functions-key: $KEY" "${URL[$t]}" >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || true
  WRK_PID=""
  times >"$TMP/times1"; b1="$(busy_ticks)"
  read -r fu1 fs1 < <(ticks "${PID_OF[$t]}"); read -r hu1 hs1 < <(ticks "${CHILD_OF[$t]}")
  w0="$(children_seconds "$TMP/times0")"; w1="$(children_seconds "$TMP/times1")"
  [[ $round == warmup ]] && return 0
  local rps p50 p99 errors
  rps="$(wrk_rps "$out")"
  if [ -z "$rps" ]; then log "wrk gave no result for $t:"; cat "$out" >&2; rps=0; fi
  p50="$(wrk_ms "$out" 50)"
  p99="$(wrk_ms "$out" 99)"
  errors="$(wrk_errors "$out")"
  awk -v r="$round" -v t="$t" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v e="$errors" -v h="$HZ" -v d="$secs" \
      -v fu=$((fu1 - fu0)) -v fs=$((fs1 - fs0)) -v hd=$((hu1 + hs1 - hu0 - hs0)) -v b=$((b1 - b0)) -v w0="$w0" -v w1="$w1" \
      'BEGIN { rest = ((b - fu - fs - hd) / h - (w1 - w0)) / d; if (rest < 0) rest = 0
               printf "%s\t%s\t%s\t%s\t%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n", r, t, rps, p50, p99, e,
                      fu / h / d, fs / h / d, hd / h / d, (w1 - w0) / d, rest }' >>"$RESULTS"
  log "$(tail -n 1 "$RESULTS" | awk -F'\t' '{printf "round %s %-8s %9s req/s  p50 %6s ms  p99 %6s ms  errors %s  vCPU: Flint %.2f (%.2f+%.2f) handler %.2f wrk %.2f rest %.2f",
      $1, $2, $3, $4, $5, $6, $7 + $8, $7, $8, $9, $10, $11}')"
}

ACTIVE=($TARGETS)
for t in "${ACTIVE[@]}"; do log "warm-up: $t, ${WARMUP} s"; run_wrk "$t" "$WARMUP" warmup; done
for r in $(seq 1 "$ROUNDS"); do
  for t in "${ACTIVE[@]}"; do run_wrk "$t" "$DURATION" "$r"; done
done

# --- profile (PERF=1) --------------------------------------------------------------------------
if [ "$PERF" = 1 ]; then
  for t in "${ACTIVE[@]}"; do
    pid="${PID_OF[$t]}"
    log "perf: $t (pid $pid), ${DURATION} s under load"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((DURATION + 2))s" --timeout 5s -H "x-functions-key: $KEY" "${URL[$t]}" >"$TMP/wrk-perf-$t.txt" 2>&1 &
    WRK_PID=$!
    sleep 1
    perf record -q -e cpu-clock -g -p "$pid" -o "$TMP/perf-$t.data" -- sleep "$DURATION" >/dev/null 2>&1 || true
    wait "$WRK_PID" || true
    WRK_PID=""
    # The JIT's code addresses -> Java method names, for perf report (written to /tmp/perf-<pid>.map).
    PERF_MAPS+=("/tmp/perf-$pid.map")
    "$JAVA_HOME_USED/bin/jcmd" "$pid" Compiler.perfmap >/dev/null 2>&1 || log "jcmd Compiler.perfmap failed for $t"
    perf report -i "$TMP/perf-$t.data" --no-children --sort symbol -g none --stdio 2>/dev/null \
        | grep -E '^ +[0-9.]+%' >"$TMP/perf-$t.symbols" || true
    # Self time by part (kernel, Netty, Vert.x, JDK, Flint, JVM and native code) and the top symbols.
    python3 - "$TMP/perf-$t.symbols" >"$TMP/perf-$t.top" <<'PY'
import re, sys
parts, rows = {}, []
for line in open(sys.argv[1]):
    m = re.match(r"\s*([0-9.]+)%\s+\[(.)\]\s+(.*?)\s*(?:-\s+-\s*)?$", line)
    if not m:
        continue
    pct, kind, sym = float(m.group(1)), m.group(2), m.group(3)
    sym = re.sub(r"\([^()]*\)", "", sym).strip()          # drop parameter lists
    sym = re.sub(r"^\S+\s+(?=\S+\.)", "", sym)              # drop a Java return type
    if kind == "k":
        part = "kernel"
    elif "dev.flint." in sym:
        part = "Flint"
    elif "io.netty." in sym:
        part = "Netty"
    elif "io.vertx." in sym:
        part = "Vert.x"
    elif re.match(r"(java|javax|jdk|sun)\.", sym):
        part = "JDK"
    elif "com.fasterxml." in sym:
        part = "Jackson"
    else:
        part = "other"
    parts[part] = parts.get(part, 0) + pct
    rows.append((pct, part, sym))
print("self time (other: JVM, libc, stubs): " + ", ".join(f"{p} {v:.1f} %" for p, v in sorted(parts.items(), key=lambda x: -x[1])))
print()
for pct, part, sym in rows[:22]:
    print(f"{pct:6.2f} %  {part:7.7s}  {sym[:150]}")
flint = [r for r in rows if r[1] == "Flint"]
if flint:
    print()
    print("Flint's own symbols:")
    for pct, part, sym in flint[:12]:
        print(f"{pct:6.2f} %  {sym[:150]}")
PY
  done
fi

# --- report ------------------------------------------------------------------------------------
REPORT="$TMP/report.md"
python3 - "$RESULTS" "$REPORT" "${ACTIVE[*]}" "$OLD_REV" "$NEW_REV${NEW_DIRTY:+ + uncommitted}" <<'EOF'
import statistics, sys
results, report, active, old_rev, new_rev = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4] if len(sys.argv) > 4 else "", sys.argv[5]
rows = [l.rstrip("\n").split("\t") for l in open(results) if l.strip()]
names = {"old": f"old: before the front door ({old_rev})", "new": f"new: front door, keys not enforced ({new_rev})",
         "new-auth": f"new-auth: --enable-auth, host key in x-functions-key ({new_rev})"}
med, per = {}, {}
for t in active:
    rs = [r for r in rows if r[1] == t]
    col = lambda i: statistics.median(float(r[i]) for r in rs)
    med[t] = dict(rps=col(2), p50=col(3), p99=col(4), errors=sum(int(r[5]) for r in rs), fu=col(6), fs=col(7),
                  h=col(8), wrk=col(9), rest=col(10),
                  # Flint CPU per request from each round's own rate, then the median
                  us=statistics.median((float(r[6]) + float(r[7])) / float(r[2]) * 1e6 for r in rs if float(r[2]) > 0))
    per[t] = [(float(r[2]), float(r[4])) for r in rs]
k = lambda v: f"{v / 1000:.1f}k"
out = ["| Flint | req/s | p50 | p99 | Flint CPU (user+sys) | Flint CPU per request | handler CPU | wrk CPU | rest | per round: req/s, p99 |",
       "|---|---|---|---|---|---|---|---|---|---|"]
for t in active:
    m = med[t]
    err = f", {m['errors']} errors" if m["errors"] else ""
    rounds = " / ".join(f"{k(a)}, {b:.2f} ms" for a, b in per[t])
    out.append(f"| {names[t]} | {k(m['rps'])}{err} | {m['p50']:.2f} ms | {m['p99']:.2f} ms | "
               f"{m['fu'] + m['fs']:.2f} ({m['fu']:.2f}+{m['fs']:.2f}) | {m['us']:.1f} µs | {m['h']:.2f} | {m['wrk']:.2f} | {m['rest']:.2f} | {rounds} |")
out.append("")
def pair(a, b, what):
    if a in med and b in med:
        ra = med[a]["rps"] / med[b]["rps"]
        rp = med[a]["p99"] / med[b]["p99"]
        rounds = ", ".join(f"{x[0] / y[0]:.2f}" for x, y in zip(per[a], per[b]))
        out.append(f"- {what}: req/s **{ra:.2f}** (per round {rounds}), p99 **{rp:.2f}x**, "
                   f"Flint CPU per request {med[a]['us']:.1f} against {med[b]['us']:.1f} µs ({med[a]['us'] - med[b]['us']:+.1f} µs)")
pair("new", "old", "new / old")
pair("new-auth", "new", "new-auth / new")
rest = max(float(r[10]) for r in rows)
out.append(f"- the rest of the machine (other processes, unattributed kernel time) used up to {rest:.2f} vCPU in a run"
           + (": the machine was not quiet, figures are less reliable" if rest > 0.25 else ""))
open(report, "w").write("\n".join(out) + "\n")
EOF
if [ "$QUIET_MISSED" -gt 0 ]; then
  NOTES+=("- $QUIET_MISSED of the measured runs started without a quiet second in ${QUIET_WAIT} s (other processes were busy)")
fi
for note in "${NOTES[@]}"; do echo "$note" >>"$REPORT"; done
for t in "${ACTIVE[@]}"; do
  failed="$(grep -c -E '\(Failed,|Unhandled exception' "$TMP/$t.log" || true)"
  if [ "$failed" -gt 0 ]; then
    echo "- $t logged $failed failed invocations or unhandled exceptions (see its log)" >>"$REPORT"
    KEEP_TMP=1
  fi
done
if [ "$PERF" = 1 ]; then
  for t in "${ACTIVE[@]}"; do
    {
      echo
      echo "perf, $t: \`perf record -e cpu-clock -g -p <pid>\` for ${DURATION} s under the same load (self time, % of Flint's samples):"
      echo
      echo '```'
      cat "$TMP/perf-$t.top"
      echo '```'
    } >>"$REPORT"
  done
fi

HEAD_LINE="Front door A/B: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -H 'x-functions-key: <host key>', $ROUNDS interleaved rounds ($TARGETS), medians; warm-up ${WARMUP} s per target"
print_summary "$HEAD_LINE" "$REPORT"

if [ "$RECORD" = 1 ]; then
  DOC="$ROOT/docs/performance.md"
  COMMAND="$(command_line bench/front-door-ab.sh DURATION=10 ROUNDS=3 CONNECTIONS=50 THREADS=2 WARMUP=20 \
      TARGETS="old new new-auth" BEFORE_REV="b62cadf~1" BEFORE_JAR PERF=0 QUIET_WAIT=0 QUIET_BELOW=0.3 FLINT_JAVA_OPTS)"
  SECTION="$TMP/section.md"
  write_section "$SECTION" "$COMMAND" "$REPORT" \
      "- JDK: $JDK; old Flint at ${OLD_REV:-none}, new at $NEW_REV${NEW_DIRTY:+ (with uncommitted changes in flint-host/flint-cli)}; $(go version | awk '{print $3}'); $(wrk --version 2>&1 | head -n 1 | awk '{print $1, $2}')" \
      "- $HEAD_LINE"
  record_section "$DOC" "Front door: cost of keys and limits" "$SECTION"
fi
