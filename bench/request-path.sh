#!/usr/bin/env bash
# Request-path benchmark: the same Go handler (bench/handlers/circle-go), measured side by side in
# one run, on GET /api/circle?radius=2:
#
#   direct           wrk -> handler
#   nginx            wrk -> nginx reverse proxy (keep-alive upstream pool) -> handler   (when installed)
#   flint-forward    wrk -> Flint, enableForwardingHttpRequest=true -> handler          (logging: Warning)
#   flint-envelope   wrk -> Flint, JSON envelope (POST /circle) -> handler             (logging: Warning)
#   flint-forward-log / flint-envelope-log: the same with default logging (Information: an
#                    Executing and an Executed line per request, like `func start`), stdout to /dev/null
#
# Every target is warmed up, then measured in interleaved rounds (A B C D.., A B C D.., ...), and
# the medians and ratios are printed as a markdown table and (RECORD=1) added to
# docs/performance.md. Only 127.0.0.1 is loaded; every process started here is stopped on exit.
#
# Settings (environment):
#   DURATION=10      seconds per measured wrk run          ROUNDS=3        interleaved rounds
#   CONNECTIONS=50   wrk connections                       THREADS=2       wrk threads
#   WARMUP=20        seconds of wrk per target before the rounds (Flint's JIT needs ~15 s at ~30k req/s)
#   WARMUPS=1        warm-up passes over all targets (2 = a second warm-up, to see whether it matters)
#   TARGETS="direct nginx flint-forward flint-envelope flint-forward-log flint-envelope-log"
#                    (also: netty-ceiling, a minimal raw-Netty proxy from bench/ceiling, for comparison)
#   FLINT_JAVA_OPTS  JVM flags for Flint (as for ./flint), e.g. "-XX:+UseParallelGC -Xms256m -Xmx256m"
#   FLINT_EVENT_LOOPS  Flint's --event-loops (default: Flint's own default, one per core)
#   FLINT_ALT_JAR    another flint-cli.jar, for targets with the +alt variant (see below)
#   FLINT_ALT_OPTS   JVM flags for targets with the +opts variant (see below)
#   RECORD=1         append the result to docs/performance.md (0: print only)
#   LABEL=""         a note for the recorded section (e.g. what was varied)
#   KEEP_TMP=0       1 keeps the temp dir (logs, nginx config, raw wrk output)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-50}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-20}"
WARMUPS="${WARMUPS:-1}"
TARGETS="${TARGETS:-direct nginx flint-forward flint-envelope flint-forward-log flint-envelope-log}"
FLINT_JAVA_OPTS="${FLINT_JAVA_OPTS:-}"
FLINT_EVENT_LOOPS="${FLINT_EVENT_LOOPS:-}"
FLINT_ALT_JAR="${FLINT_ALT_JAR:-}"
FLINT_ALT_OPTS="${FLINT_ALT_OPTS:-}"
RECORD="${RECORD:-1}"
LABEL="${LABEL:-}"
KEEP_TMP="${KEEP_TMP:-0}"
URL_PATH="/api/circle?radius=2"
EXPECTED_BODY='{"radius":2,"area":12.566370614359172}'

# shellcheck source=lib/common.sh # log, stop_pid, free_port, wait_ready, ticks, to_ms, record_section...
source "$BENCH/lib/common.sh"

need_tools request-path "Flint has no load client of its own yet, so nothing was measured" go curl python3

TMP="$(mktemp -d /tmp/flint-bench.XXXXXX)"
PIDS=()        # processes started here, stopped in reverse order on exit
NGINX_PID=""
WRK_PID=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local i
  if [ -n "$WRK_PID" ]; then kill "$WRK_PID" 2>/dev/null || true; fi
  if [ -n "$NGINX_PID" ]; then stop_pid "$NGINX_PID"; fi
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do stop_pid "${PIDS[$i]}"; done
  end_run "$status"
}
on_exit cleanup

# --- build -------------------------------------------------------------------------------------
log "building Flint (./flint --version) and the Go handler"
"$ROOT/flint" --version >&2
(cd "$BENCH/handlers/circle-go" && go build -o handler .)
HANDLER="$BENCH/handlers/circle-go/handler"

# Run Flint from a copy of the jar and its libraries, with the JVM ./flint would run.
copy_flint "$ROOT/flint-cli/target/flint-cli.jar" "$TMP/flint"
flint_java request-path

# --- start -------------------------------------------------------------------------------------
declare -A URL PID_OF CHILD_OF
ACTIVE=()
NOTES=()

start_direct() {
  local port; port="$(free_port)"
  FUNCTIONS_CUSTOMHANDLER_PORT="$port" "$HANDLER" >"$TMP/direct.log" 2>&1 &
  PIDS+=("$!"); PID_OF[direct]=$!; CHILD_OF[direct]=""
  URL[direct]="http://127.0.0.1:$port$URL_PATH"
  DIRECT_PORT="$port"
  wait_ready direct "${URL[direct]}" "$!"
}

start_nginx() {
  if ! command -v nginx >/dev/null 2>&1; then
    log "nginx is not installed: its row is skipped"
    NOTES+=("- nginx is not installed (apt-get install nginx): its row and the Flint/nginx ratio are missing")
    return 1
  fi
  local port; port="$(free_port)"
  mkdir -p "$TMP/nginx/logs" "$TMP/nginx/tmp"
  cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/tmp/body;
  proxy_temp_path $TMP/nginx/tmp/proxy;
  fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
  uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
  scgi_temp_path $TMP/nginx/tmp/scgi;
  upstream handler {
    server 127.0.0.1:$DIRECT_PORT;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://handler;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
  nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" -g 'daemon off;' >"$TMP/nginx.log" 2>&1 &
  NGINX_PID=$!; PID_OF[nginx]=$!; CHILD_OF[nginx]=""
  URL[nginx]="http://127.0.0.1:$port$URL_PATH"
  wait_ready nginx "${URL[nginx]}" "$NGINX_PID"
}

start_ceiling() { # bench/ceiling/NettyProxy in front of the direct handler, on Flint's Netty jars
  local port classes="$TMP/ceiling"
  port="$(free_port)"
  mkdir -p "$classes"
  local cp; cp="$(find "$TMP/flint/lib" -name 'netty-*.jar' | tr '\n' ':')"
  "$JAVA_HOME_USED/bin/javac" -nowarn -cp "$cp" -d "$classes" "$BENCH/ceiling/NettyProxy.java" >&2
  # shellcheck disable=SC2086
  "$JAVA" $FLINT_JAVA_OPTS -cp "$cp$classes" NettyProxy "$port" "$DIRECT_PORT" "${FLINT_EVENT_LOOPS:-$(nproc)}" \
      >"$TMP/netty-ceiling.log" 2>&1 &
  PIDS+=("$!"); PID_OF[netty-ceiling]=$!; CHILD_OF[netty-ceiling]=""
  URL[netty-ceiling]="http://127.0.0.1:$port$URL_PATH"
  wait_ready netty-ceiling "${URL[netty-ceiling]}" "$!"
}

start_flint() { # name app stdout jar [extra JVM flags...] [-- extra flint flags...]
  local name="$1" app="$2" out="$3" jar="$4" port
  shift 4
  local jvm=() flags=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do jvm+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  flags=("$@")
  [ -n "$FLINT_EVENT_LOOPS" ] && flags=(--event-loops "$FLINT_EVENT_LOOPS" "${flags[@]}")
  port="$(free_port)"
  # The same command line as ./flint start (see ../flint), from the copied jar.
  # shellcheck disable=SC2086 # FLINT_JAVA_OPTS is a list of flags, as in ./flint
  "$JAVA" --enable-native-access=ALL-UNNAMED $FLINT_JAVA_OPTS "${jvm[@]}" -jar "$jar" \
      start "$BENCH/apps/$app" --port "$port" "${flags[@]}" >"$out" 2>"$TMP/$name.err" &
  PIDS+=("$!"); PID_OF[$name]=$!
  URL[$name]="http://127.0.0.1:$port$URL_PATH"
  if ! wait_ready "$name" "${URL[$name]}" "$!"; then
    tail -n 30 "$TMP/$name.err" >&2 || true
    echo "request-path: Flint did not start for target $name" >&2
    exit 1
  fi
  CHILD_OF[$name]="$(pgrep -P "${PID_OF[$name]}" | head -n 1 || true)"
}

# A Flint target is flint-forward, flint-envelope, flint-forward-log or flint-envelope-log, optionally
# with variants after '+', to compare settings side by side in one run:
#   +elN          --event-loops N
#   +parallelgc / +serialgc / +g1gc / +zgc   the JVM's collector
#   +heapN        -XmsNm -XmxNm (and -XX:+AlwaysPreTouch)
#   +alt          Flint from FLINT_ALT_JAR (a flint-cli.jar with its lib/ beside it, e.g. a patched
#                 build in a private copy of the tree), to compare a change with the current build
#   +opts         the JVM flags in FLINT_ALT_OPTS (in addition to FLINT_JAVA_OPTS)
# e.g. TARGETS="nginx flint-forward+el1 flint-forward+el2 flint-forward+parallelgc"
start_flint_target() {
  local t="$1" base="${1%%+*}" app out jvm=() flags=() v jar="$TMP/flint/flint-cli.jar"
  case "$base" in
    flint-forward) app=forward ;;
    flint-envelope) app=envelope ;;
    flint-forward-log) app=forward-logging ;;
    flint-envelope-log) app=envelope-logging ;;
    *) echo "request-path: unknown target $t" >&2; exit 2 ;;
  esac
  # With default logging, two lines per request: to /dev/null, not to a file that grows by GBs.
  case "$base" in *-log) out=/dev/null ;; *) out="$TMP/$t.log" ;; esac
  if [ "$t" != "$base" ]; then
    IFS='+' read -r -a variants <<<"${t#*+}"
    for v in "${variants[@]}"; do
      case "$v" in
        el[0-9]*) flags+=(--event-loops "${v#el}") ;;
        parallelgc) jvm+=(-XX:+UseParallelGC) ;;
        serialgc) jvm+=(-XX:+UseSerialGC) ;;
        g1gc) jvm+=(-XX:+UseG1GC) ;;
        zgc) jvm+=(-XX:+UseZGC) ;;
        heap[0-9]*) jvm+=("-Xms${v#heap}m" "-Xmx${v#heap}m" -XX:+AlwaysPreTouch) ;;
        opts)
          # shellcheck disable=SC2206 # a list of flags
          jvm+=(${FLINT_ALT_OPTS:?+opts needs FLINT_ALT_OPTS=<JVM flags>}) ;;
        alt)
          [ -f "${FLINT_ALT_JAR:-}" ] || { echo "request-path: +alt needs FLINT_ALT_JAR=<path to flint-cli.jar>" >&2; exit 2; }
          [ -f "$TMP/flint-alt/flint-cli.jar" ] || copy_flint "$FLINT_ALT_JAR" "$TMP/flint-alt"
          jar="$TMP/flint-alt/flint-cli.jar" ;;
        *) echo "request-path: unknown variant +$v in $t" >&2; exit 2 ;;
      esac
    done
  fi
  start_flint "$t" "$app" "$out" "$jar" "${jvm[@]}" -- "${flags[@]}"
}

# The direct handler is also nginx's upstream: start it whenever one of them is measured.
if [[ " $TARGETS " == *" direct "* || " $TARGETS " == *" nginx "* || " $TARGETS " == *" netty-ceiling "* ]]; then
  start_direct
fi
for t in $TARGETS; do
  case "$t" in
    direct) ACTIVE+=(direct) ;;
    nginx) if start_nginx; then ACTIVE+=(nginx); fi ;;
    netty-ceiling) start_ceiling; ACTIVE+=(netty-ceiling) ;;
    flint-*) start_flint_target "$t"; ACTIVE+=("$t") ;;
    *) echo "request-path: unknown target $t" >&2; exit 2 ;;
  esac
done
log "targets: ${ACTIVE[*]}"
for t in "${ACTIVE[@]}"; do log "  $t ${URL[$t]} (pid ${PID_OF[$t]}${CHILD_OF[$t]:+, handler ${CHILD_OF[$t]}})"; done

# --- measure -----------------------------------------------------------------------------------
proxy_pids() { # the processes doing the proxying work of a target (nginx: its workers)
  case "$1" in
    direct) echo "" ;;
    nginx) echo "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" ;;
    *) echo "${PID_OF[$1]}" ;;
  esac
}
handler_pid() {
  case "$1" in
    direct|nginx|netty-ceiling) echo "${PID_OF[direct]}" ;;
    *) echo "${CHILD_OF[$1]}" ;;
  esac
}

RESULTS="$TMP/results.tsv"   # round target rps p50 p99 errors proxy_user proxy_sys handler_user handler_sys wrk rest
# (CPU columns in vCPU = CPU seconds per second; rest = everything else on the machine, softirq included)
: >"$RESULTS"
HZ="$(getconf CLK_TCK)"

run_wrk() { # target seconds round|warmup
  local t="$1" secs="$2" round="$3" out="$TMP/wrk-$1-$3.txt"
  local ppids hpid pb hb pa ha
  ppids="$(proxy_pids "$t")"; hpid="$(handler_pid "$t")"
  # shellcheck disable=SC2086
  pb="$(sum_ticks $ppids)"; hb="$(sum_ticks $hpid)"
  local busy0 busy1 wrk0 wrk1
  busy0="$(busy_ticks)"
  times >"$TMP/times0"
  # In the background, so that a signal stops the run at once (bash runs traps only between commands).
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --timeout 5s --latency "${URL[$t]}" >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || true
  WRK_PID=""
  times >"$TMP/times1"
  busy1="$(busy_ticks)"
  # shellcheck disable=SC2086
  pa="$(sum_ticks $ppids)"; ha="$(sum_ticks $hpid)"
  wrk0="$(children_seconds "$TMP/times0")"; wrk1="$(children_seconds "$TMP/times1")"
  [[ $round == warmup* ]] && return 0
  local rps p50 p99 errors
  rps="$(wrk_rps "$out")"
  p50="$(wrk_ms "$out" 50)"
  p99="$(wrk_ms "$out" 99)"
  errors="$(wrk_errors "$out")"
  if [ -z "$rps" ]; then log "wrk gave no result for $t:"; cat "$out" >&2; rps=0; fi
  read -r pbu pbs <<<"$pb"; read -r pau pas <<<"$pa"; read -r hbu hbs <<<"$hb"; read -r hau has <<<"$ha"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$t" "$rps" "$p50" "$p99" "$errors" \
      "$(awk -v a=$((pau - pbu)) -v h="$HZ" -v d="$secs" 'BEGIN {printf "%.3f", a / h / d}')" \
      "$(awk -v a=$((pas - pbs)) -v h="$HZ" -v d="$secs" 'BEGIN {printf "%.3f", a / h / d}')" \
      "$(awk -v a=$((hau - hbu)) -v h="$HZ" -v d="$secs" 'BEGIN {printf "%.3f", a / h / d}')" \
      "$(awk -v a=$((has - hbs)) -v h="$HZ" -v d="$secs" 'BEGIN {printf "%.3f", a / h / d}')" \
      "$(awk -v a="$wrk0" -v b="$wrk1" -v d="$secs" 'BEGIN {printf "%.3f", (b - a) / d}')" \
      "$(awk -v busy=$((busy1 - busy0)) -v p=$((pau - pbu + pas - pbs + hau - hbu + has - hbs)) -v a="$wrk0" -v b="$wrk1" \
           -v h="$HZ" -v d="$secs" 'BEGIN {printf "%.3f", ((busy - p) / h - (b - a)) / d}')" >>"$RESULTS"
  log "$(tail -n 1 "$RESULTS" | awk -F'\t' '{printf "%-7s %-19s %9s req/s  p50 %7s ms  p99 %7s ms  errors %s  vCPU: proxy %.2f handler %.2f wrk %.2f rest %.2f",
      $1, $2, $3, $4, $5, $6, $7 + $8, $9 + $10, $11, $12}')"
}

for w in $(seq 1 "$WARMUPS"); do
  for t in "${ACTIVE[@]}"; do
    log "warm-up $w: $t, ${WARMUP} s"
    if [ "$WARMUPS" -gt 1 ]; then
      run_wrk "$t" "$WARMUP" "w$w"   # recorded as round w1, w2...: shows what a second warm-up changes
    else
      run_wrk "$t" "$WARMUP" "warmup$w"
    fi
  done
done
for r in $(seq 1 "$ROUNDS"); do
  for t in "${ACTIVE[@]}"; do run_wrk "$t" "$DURATION" "$r"; done
done

# --- report ------------------------------------------------------------------------------------
REPORT="$TMP/report.md"
python3 - "$RESULTS" "$REPORT" "${ACTIVE[*]}" <<'EOF'
import statistics, sys
results, report, active = sys.argv[1], sys.argv[2], sys.argv[3].split()
rows = [line.rstrip("\n").split("\t") for line in open(results) if line.strip()]
names = {
    "direct": "direct to the handler",
    "nginx": "nginx reverse proxy (keep-alive upstream, 2 workers)",
    "netty-ceiling": "raw-Netty proxy (bench/ceiling, not Flint)",
    "flint-forward": "Flint, forwarding mode",
    "flint-envelope": "Flint, envelope mode",
    "flint-forward-log": "Flint, forwarding mode, default logging",
    "flint-envelope-log": "Flint, envelope mode, default logging",
}
variant_names = {"parallelgc": "ParallelGC", "serialgc": "SerialGC", "g1gc": "G1", "zgc": "ZGC",
                 "alt": "FLINT_ALT_JAR build", "opts": "FLINT_ALT_OPTS"}
def variant(v):
    if v.startswith("el"):
        return f"{v[2:]} event loop{'s' if v[2:] != '1' else ''}"
    if v.startswith("heap"):
        return f"-Xms/-Xmx {v[4:]}m"
    return variant_names.get(v, v)
for t in active:
    if t not in names and "+" in t:
        base, *vs = t.split("+")
        names[t] = names.get(base, base) + ", " + ", ".join(variant(v) for v in vs)
med, per_round = {}, {}
for t in active:
    rs = [r for r in rows if r[1] == t and not r[0].startswith("w")]
    if not rs:
        continue
    col = lambda i: statistics.median(float(r[i]) for r in rs)
    med[t] = dict(rps=col(2), p50=col(3), p99=col(4), errors=sum(int(r[5]) for r in rs),
                  pu=col(6), ps=col(7), hu=col(8), hs=col(9), wrk=col(10), rest=max(0.0, col(11)))
    per_round[t] = [float(r[2]) for r in rs]
def ratio(a, b, key):
    return med[a][key] / med[b][key] if a in med and b in med and med[b][key] else None
def fmt_k(v):
    return f"{v / 1000:.1f}k"
out = []
out.append("| path | req/s | vs direct | p50 | p99 | proxy CPU (user+sys) | proxy vCPU per 1k req/s | handler CPU | wrk CPU | rest | per round (req/s) |")
out.append("|---|---|---|---|---|---|---|---|---|---|---|")
for t in active:
    if t not in med:
        continue
    m = med[t]
    vs = ratio(t, "direct", "rps")
    proxy_cpu = m["pu"] + m["ps"]
    cpu = "-" if t == "direct" else f"{proxy_cpu:.2f} ({m['pu']:.2f}+{m['ps']:.2f})"
    per_k = "-" if t == "direct" else f"{proxy_cpu / (m['rps'] / 1000):.3f}"
    err = f", {m['errors']} errors" if m["errors"] else ""
    rounds = " / ".join(fmt_k(v) for v in per_round[t])
    out.append(f"| {names.get(t, t)} | {fmt_k(m['rps'])}{err} | {'-' if vs is None else f'{vs:.2f}'} | "
               f"{m['p50']:.2f} ms | {m['p99']:.2f} ms | {cpu} | {per_k} | {m['hu'] + m['hs']:.2f} | {m['wrk']:.2f} | {m['rest']:.2f} | {rounds} |")
out.append("")
goals = []
def suffix(t):
    return t[t.index("+"):] if "+" in t else ""
for t in active:
    base = t.split("+")[0]
    if t not in med:
        continue
    if t == "netty-ceiling" and "nginx" in med:
        goals.append(f"- {names[t]} / nginx: req/s **{ratio(t, 'nginx', 'rps'):.2f}**, p99 {ratio(t, 'nginx', 'p99'):.2f}x nginx's")
    if base == "flint-forward" and "nginx" in med:
        r, p = ratio(t, "nginx", "rps"), ratio(t, "nginx", "p99")
        goals.append(f"- {names[t]} / nginx: req/s **{r:.2f}** (goal >= 1.00: {'met' if r >= 1 else 'NOT met'}), "
                     f"p99 {p:.2f}x nginx's (goal <= 1.00: {'met' if p <= 1 else 'NOT met'})")
    if base == "flint-envelope" and "flint-forward" + suffix(t) in med:
        r = ratio(t, "flint-forward" + suffix(t), "rps")
        goals.append(f"- {names[t]} / forwarding: req/s **{r:.2f}** (goal >= 0.80: {'met' if r >= 0.8 else 'NOT met'})")
    if base.endswith("-log") and base[:-4] + suffix(t) in med:
        r = ratio(t, base[:-4] + suffix(t), "rps")
        goals.append(f"- {names[t]}: {r:.2f} of the rate without per-request logging")
cpu_per_k = [f"{names[t][len('Flint, '):]} {(med[t]['pu'] + med[t]['ps']) / (med[t]['rps'] / 1000):.3f}"
             for t in active if t in med and t.startswith("flint")]
if cpu_per_k:
    goals.append("- Flint's own CPU per 1,000 req/s (goal <= 0.100 vCPU): " + "; ".join(cpu_per_k))
rest = max(0.0, statistics.median(float(r[11]) for r in rows if not r[0].startswith("w")))
goals.append(f"- the rest of the machine (other processes, unattributed kernel time) used a median {rest:.2f} vCPU "
             "during the runs" + (": the machine was not quiet, figures are less reliable" if rest > 0.25 else ""))
out += goals
open(report, "w").write("\n".join(out) + "\n")
EOF

for note in "${NOTES[@]}"; do echo "$note" >>"$REPORT"; done

# Failed invocations in the logs of the Warning-level Flint targets (wrk closing its connections at the
# end of each run must not show up as failures).
for t in "${ACTIVE[@]}"; do
  if [ -f "$TMP/$t.log" ]; then
    failed="$(grep -c "(Failed," "$TMP/$t.log" || true)"
    unhandled="$(grep -c "Unhandled exception" "$TMP/$t.log" || true)"
    if [ "$failed" -gt 0 ] || [ "$unhandled" -gt 0 ]; then
      echo "- $t logged $failed failed invocations and $unhandled unhandled exceptions (see its log)" >>"$REPORT"
      KEEP_TMP=1
    fi
  fi
done

if [ "$WARMUPS" -gt 1 ]; then # what each warm-up pass reached, to judge whether one pass is enough
  {
    echo
    echo "Warm-up passes (${WARMUP} s each), req/s and p99:"
    echo
    awk -F'\t' '$1 ~ /^w/ {v[$2] = v[$2] sprintf(" %s: %.1fk, %.2f ms;", $1, $3 / 1000, $5); if (!($2 in seen)) {seen[$2] = 1; order[++n] = $2}}
      END {for (i = 1; i <= n; i++) printf "- %s:%s\n", order[i], v[order[i]]}' "$RESULTS"
  } >>"$REPORT"
fi
print_summary "Request path: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency, $ROUNDS interleaved rounds, medians; warm-up ${WARMUPS}x${WARMUP}s per target" "$REPORT"

if [ "$RECORD" = 1 ]; then
  DOC="$ROOT/docs/performance.md"
  GIT_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  DIRTY="$(uncommitted flint-host flint-cli)"
  NGINX_VERSION="$(nginx -v 2>&1 | sed 's/.*: //' || true)"
  command -v nginx >/dev/null 2>&1 || NGINX_VERSION="no nginx"
  COMMAND="$(command_line bench/request-path.sh DURATION=10 ROUNDS=3 CONNECTIONS=50 THREADS=2 WARMUP=20 WARMUPS=1 \
      FLINT_EVENT_LOOPS FLINT_JAVA_OPTS FLINT_ALT_JAR FLINT_ALT_OPTS \
      TARGETS="direct nginx flint-forward flint-envelope flint-forward-log flint-envelope-log")"
  SECTION="$TMP/section.md"
  write_section "$SECTION" "$COMMAND" "$REPORT" \
      "- JDK: $JDK; Flint at $GIT_REV${DIRTY:+ (with uncommitted changes in flint-host/flint-cli)}; $NGINX_VERSION; $(go version | awk '{print $3}')" \
      "- wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency, $ROUNDS interleaved rounds, medians; warm-up ${WARMUPS}x${WARMUP}s per target; Flint event loops: ${FLINT_EVENT_LOOPS:-default (one per core)}; FLINT_JAVA_OPTS: ${FLINT_JAVA_OPTS:-none}"
  if [ ! -f "$DOC" ]; then
    printf '# Performance\n\nFigures are ratios measured side by side in one run; absolute numbers drift.\n\n## Request path\n\n' >"$DOC"
  fi
  record_section "$DOC" "Request path" "$SECTION"
fi
