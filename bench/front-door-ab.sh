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

log() { printf '[bench] %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null 2>&1; then
  echo "front-door-ab: wrk is not installed (apt-get install wrk); nothing was measured."
  exit 0
fi
for tool in go curl python3 git mvn; do
  command -v "$tool" >/dev/null 2>&1 || { echo "front-door-ab: $tool is required" >&2; exit 1; }
done
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

stop_pid() { # TERM, up to 10 s of grace, then KILL; the children it leaves (handlers) too
  local pid="$1" kids i
  kill -0 "$pid" 2>/dev/null || return 0
  kids="$(pgrep -P "$pid" 2>/dev/null || true)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for k in $kids; do kill -KILL "$k" 2>/dev/null || true; done
}

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
  if [ "$KEEP_TMP" = 1 ] || [ "$status" -ne 0 ]; then
    log "temp dir kept: $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# --- build -------------------------------------------------------------------------------------
log "building Flint from this tree (./flint --version) and the Go handler"
"$ROOT/flint" --version >&2
(cd "$BENCH/handlers/circle-go" && go build -o handler .)
# Run every Flint from a copy of its jar and libraries: ./flint rebuilds whenever a source is newer
# than the jar, and a rebuild in the middle of the run would change what is measured.
mkdir -p "$TMP/new" "$TMP/old"
cp -r "$ROOT/flint-cli/target/flint-cli.jar" "$ROOT/flint-cli/target/lib" "$TMP/new/"
NEW_REV="$(git -C "$ROOT" rev-parse --short HEAD)"
OLD_REV=""
NEW_DIRTY="$(git -C "$ROOT" --no-optional-locks status --porcelain -- flint-host flint-cli pom.xml 2>/dev/null | head -n 1)"

if [[ " $TARGETS " == *" old "* ]]; then
  if [ -n "$BEFORE_JAR" ]; then
    cp -r "$BEFORE_JAR" "$(dirname "$BEFORE_JAR")/lib" "$TMP/old/"
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
    cp -r "$BEFORE_DIR/flint-cli/target/flint-cli.jar" "$BEFORE_DIR/flint-cli/target/lib" "$TMP/old/"
    remove_worktree # the jar is copied: the worktree is not needed any more
  fi
fi

JAVA_HOME_USED="$(FLINT_JAVA_OPTS="-XshowSettings:properties -version" "$ROOT/flint" 2>&1 | sed -n 's/^ *java\.home = //p' | head -n 1)"
JAVA="$JAVA_HOME_USED/bin/java"
[ -x "$JAVA" ] || { echo "front-door-ab: could not find the JVM ./flint uses" >&2; exit 1; }
JDK="$("$JAVA" -version 2>&1 | sed -n '2p')"

# --- start -------------------------------------------------------------------------------------
declare -A URL PID_OF CHILD_OF
KEY=""

wait_ready() { # name url pid [curl args...]: until the url answers the expected body, for up to 60 s
  local name="$1" url="$2" pid="$3" i body
  shift 3
  for i in $(seq 1 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$name exited before it answered; its output:"; tail -n 30 "$TMP/$name.log" >&2 || true
      return 1
    fi
    body="$(curl -s --max-time 1 "$@" "$url" 2>/dev/null || true)"
    if [ "$body" = "$EXPECTED_BODY" ]; then return 0; fi
    sleep 0.1
  done
  log "$name did not answer $url within 60 s (last answer: $body)"; tail -n 30 "$TMP/$name.log" >&2 || true
  return 1
}

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
ticks() { # "user sys" clock ticks of one process (all its threads)
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || { echo "0 0"; return; }
  sed 's/.*) //' "/proc/$1/stat" | awk '{print $12, $13}'
}
busy_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
children_seconds() { # user+sys seconds of this shell's finished children, from the output of `times`
  awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); sub(/s$/, "", a[2]); t += a[1] * 60 + a[2] }
    printf "%.3f", t }' "$1"
}
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else printf "%.3f", v }'
}

QUIET_MISSED=0
wait_quiet() { # QUIET_WAIT > 0: wait up to that many seconds for a second in which the machine is under QUIET_BELOW vCPU busy
  [ "$QUIET_WAIT" -gt 0 ] || return 0
  local i b0 b1
  for i in $(seq 1 "$QUIET_WAIT"); do
    b0="$(busy_ticks)"; sleep 1; b1="$(busy_ticks)"
    if awk -v b=$((b1 - b0)) -v h="$HZ" -v q="$QUIET_BELOW" 'BEGIN {exit !(b / h < q)}'; then return 0; fi
  done
  QUIET_MISSED=$((QUIET_MISSED + 1))
  log "the machine was not quiet for ${QUIET_WAIT} s (other processes are busy): measuring anyway"
}

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
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  if [ -z "$rps" ]; then log "wrk gave no result for $t:"; cat "$out" >&2; rps=0; fi
  p50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
  errors="$(awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i} END {print n + 0}' "$out")"
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
{ echo; echo "$HEAD_LINE"; echo; cat "$REPORT"; } | tee "$TMP/summary.txt"

if [ "$RECORD" = 1 ]; then
  DOC="$ROOT/docs/performance.md"
  CPU_MODEL="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  COMMAND="bench/front-door-ab.sh"
  for v in DURATION ROUNDS CONNECTIONS THREADS WARMUP TARGETS BEFORE_REV BEFORE_JAR PERF QUIET_WAIT QUIET_BELOW FLINT_JAVA_OPTS; do
    default=""
    case $v in DURATION) default=10;; ROUNDS) default=3;; CONNECTIONS) default=50;; THREADS) default=2;;
      WARMUP) default=20;; TARGETS) default="old new new-auth";; BEFORE_REV) default="b62cadf~1";; PERF) default=0;; QUIET_WAIT) default=0;; QUIET_BELOW) default=0.3;; esac
    if [ "${!v}" != "$default" ]; then COMMAND="$v=\"${!v}\" $COMMAND"; fi
  done
  SECTION="$TMP/section.md"
  {
    echo "### $(date -u '+%Y-%m-%d %H:%M UTC')${LABEL:+: $LABEL}"
    echo
    echo "- command: \`$COMMAND\`"
    echo "- machine: $(nproc) vCPU, $CPU_MODEL; $(uname -sr)"
    echo "- JDK: $JDK; old Flint at ${OLD_REV:-none}, new at $NEW_REV${NEW_DIRTY:+ (with uncommitted changes in flint-host/flint-cli)}; $(go version | awk '{print $3}'); $(wrk --version 2>&1 | head -n 1 | awk '{print $1, $2}')"
    echo "- $HEAD_LINE"
    echo
    cat "$REPORT"
    echo
  } >"$SECTION"
  [ -f "$DOC" ] || printf '# Performance\n' >"$DOC"
  grep -q '^## Front door: cost of keys and limits' "$DOC" || printf '\n## Front door: cost of keys and limits\n\n' >>"$DOC"
  python3 - "$DOC" "$SECTION" <<'EOF'
import re, sys
doc, section = sys.argv[1], open(sys.argv[2]).read()
lines = open(doc).read().split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith("## Front door: cost of keys and limits"))
end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
while end > start + 1 and lines[end - 1] == "":
    end -= 1
new = lines[:end] + [""] + section.rstrip("\n").split("\n") + [""] + lines[end:]
open(doc, "w").write(re.sub(r"\n{3,}", "\n\n", "\n".join(new)).rstrip("\n") + "\n")
EOF
  log "recorded in docs/performance.md"
fi
