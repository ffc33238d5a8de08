# Shell helpers shared by the benchmark scripts in bench/ (request-path.sh, throttle-isolation.sh,
# front-door-ab.sh). A script sources it after `set -euo pipefail`:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#
# It defines functions only (and BENCH_LIB, this folder). Some of them read the calling script's
# globals; each one's comment names those it reads.

BENCH_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# --- set-up ------------------------------------------------------------------------------------

# log message...: one "[bench] message" line on stderr.
log() { printf '[bench] %s\n' "$*" >&2; }

# need_tools script wrk_note tool...: without wrk, prints "<script>: wrk is not installed
# (apt-get install wrk); <wrk_note>." and exits 0 (there is nothing to measure with); without one of
# the other tools, prints "<script>: <tool> is required" on stderr and exits 1.
need_tools() {
  local script="$1" note="$2" tool
  shift 2
  if ! command -v wrk >/dev/null 2>&1; then
    echo "$script: wrk is not installed (apt-get install wrk); $note."
    exit 0
  fi
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$script: $tool is required" >&2; exit 1; }
  done
}

# flint_java script: sets JAVA_HOME_USED, JAVA and JDK (the JVM's version line) to the JVM that
# $ROOT/flint runs (its own selection rule: asked, through FLINT_JAVA_OPTS, for its properties);
# exits 1 with "<script>: could not find the JVM ./flint uses" when there is none.
flint_java() {
  JAVA_HOME_USED="$(FLINT_JAVA_OPTS="-XshowSettings:properties -version" "$ROOT/flint" 2>&1 | sed -n 's/^ *java\.home = //p' | head -n 1)"
  JAVA="$JAVA_HOME_USED/bin/java"
  [ -x "$JAVA" ] || { echo "$1: could not find the JVM ./flint uses" >&2; exit 1; }
  JDK="$("$JAVA" -version 2>&1 | sed -n '2p')"
}

# copy_flint jar dir: copies a flint-cli.jar and the lib/ beside it into dir (made if missing), so
# that Flint runs from the copy: ./flint rebuilds whenever a source is newer than the jar, and a
# rebuild in the middle of a run would change (or break) what is measured.
copy_flint() {
  mkdir -p "$2"
  cp -r "$1" "$(dirname "$1")/lib" "$2/"
}

# free_port: prints a free TCP port on 127.0.0.1 (asked of the kernel through python3; without it,
# a random port in 20000-39999 that nothing listens on).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null && return
  local p
  while :; do
    p=$(( (RANDOM % 20000) + 20000 ))
    ss -ltn "sport = :$p" 2>/dev/null | grep -q ":$p" || { echo "$p"; return; }
  done
}

# wait_ready name url pid [curl args...]: waits up to 60 s until url answers $EXPECTED_BODY (curl
# with the extra args, e.g. a header). Returns 1, with the last 30 lines of $TMP/<name>.log on
# stderr, when process pid exits first or the time is up.
wait_ready() {
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

# on_exit function: runs function when the script exits, also on Ctrl-C (exit status 130) and on
# SIGTERM (143). The function should start with `trap - EXIT INT TERM` and end with end_run.
on_exit() {
  trap "$1" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# end_run status: the end of an exit function: keeps the temp dir $TMP (KEEP_TMP=1, or a failed
# run: says so) or removes it, then exits with status.
end_run() {
  if [ "$KEEP_TMP" = 1 ] || [ "$1" -ne 0 ]; then
    log "temp dir kept: $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$1"
}

# stop_pid pid: stops a process started by this shell: TERM, up to 10 s of grace, then KILL; then
# KILLs the children it had (a Flint's handler). Nothing when it is not running.
stop_pid() {
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

# --- CPU ---------------------------------------------------------------------------------------

# ticks pid: prints "user sys", the clock ticks process pid (all its threads) has used, from
# /proc/<pid>/stat; "0 0" for an empty pid or a process that is gone.
ticks() {
  local pid="$1"
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || { echo "0 0"; return; }
  sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12, $13}'
}

# sum_ticks pid...: prints "user sys", the ticks of all the processes together (see ticks).
sum_ticks() {
  local u=0 s=0 pid a b
  for pid in "$@"; do read -r a b < <(ticks "$pid"); u=$((u + a)); s=$((s + b)); done
  echo "$u $s"
}

# total_ticks pid...: prints user+sys, the ticks of all the processes together, as one number.
total_ticks() {
  local u s
  read -r u s < <(sum_ticks "$@")
  echo $((u + s))
}

# busy_ticks: prints the busy clock ticks of the whole machine (all CPUs), from /proc/stat.
busy_ticks() {
  awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat
}

# children_seconds file: prints the user+sys seconds of this shell's finished children (the wrks),
# from the output of `times` saved in file.
children_seconds() {
  awk 'NR == 2 {
    t = 0
    for (i = 1; i <= 2; i++) { split($i, a, "m"); sub(/s$/, "", a[2]); t += a[1] * 60 + a[2] }
    printf "%.3f", t }' "$1"
}

# wait_quiet: when QUIET_WAIT > 0, waits up to QUIET_WAIT seconds for a second in which the whole
# machine is under QUIET_BELOW vCPU busy (HZ: clock ticks per second). When there is none, counts it
# in QUIET_MISSED, says so and returns (the caller measures anyway).
wait_quiet() {
  [ "$QUIET_WAIT" -gt 0 ] || return 0
  local i b0 b1
  for i in $(seq 1 "$QUIET_WAIT"); do
    b0="$(busy_ticks)"; sleep 1; b1="$(busy_ticks)"
    if awk -v b=$((b1 - b0)) -v h="$HZ" -v q="$QUIET_BELOW" 'BEGIN {exit !(b / h < q)}'; then return 0; fi
  done
  QUIET_MISSED=$((QUIET_MISSED + 1))
  log "the machine was not quiet for ${QUIET_WAIT} s (other processes are busy): measuring anyway"
}

# --- wrk output --------------------------------------------------------------------------------

# to_ms latency: prints a wrk latency such as 812.00us, 1.23ms, 2.00s in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else printf "%.3f", v }'
}

# wrk_rps file: prints the Requests/sec of a wrk run's output (nothing when wrk gave no result).
wrk_rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }

# wrk_ms file percentile: prints that latency percentile of a `wrk --latency` run (50, 99...) in ms.
wrk_ms() { to_ms "$(awk -v p="$2%" '$1 == p {print $2}' "$1")"; }

# wrk_errors file: prints the non-2xx/3xx answers plus the socket errors of a wrk run.
wrk_errors() {
  awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i} END {print n + 0}' "$1"
}

# --- report and recording ----------------------------------------------------------------------

# print_summary head_line report: prints a blank line, head_line, a blank line and the report (a
# file), on stdout and into $TMP/summary.txt.
print_summary() {
  { echo; echo "$1"; echo; cat "$2"; } | tee "$TMP/summary.txt"
}

# uncommitted path...: prints a line (the first of `git status --porcelain`) when any of those
# paths of $ROOT has uncommitted changes. It only reads the repository: --no-optional-locks never
# refreshes its index.
uncommitted() {
  git -C "$ROOT" --no-optional-locks status --porcelain -- "$@" 2>/dev/null | head -n 1
}

# command_line script var[=default]...: prints the command that repeats this run: script, preceded
# by VAR="value" for each listed variable whose value is not its default (no "=default": empty).
command_line() {
  local cmd="$1" spec v default
  shift
  for spec in "$@"; do
    v="${spec%%=*}"; default=""
    if [[ $spec == *=* ]]; then default="${spec#*=}"; fi
    if [ "${!v}" != "$default" ]; then cmd="$v=\"${!v}\" $cmd"; fi
  done
  echo "$cmd"
}

# write_section file command report [line...]: writes a recorded run to file: a dated "### " title
# (with ": $LABEL" when LABEL is set), the command, the machine, the given lines, then the report.
write_section() {
  local file="$1" command="$2" report="$3" cpu_model line
  shift 3
  cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  {
    echo "### $(date -u '+%Y-%m-%d %H:%M UTC')${LABEL:+: $LABEL}"
    echo
    echo "- command: \`$command\`"
    echo "- machine: $(nproc) vCPU, $cpu_model; $(uname -sr)"
    for line in "$@"; do echo "$line"; done
    echo
    cat "$report"
    echo
  } >"$file"
}

# record_section doc heading section_file: adds the section at the end of the doc's "## <heading>"
# section (see record_section.py) and says so.
record_section() {
  python3 "$BENCH_LIB/record_section.py" "$1" "$2" "$3"
  log "recorded in docs/performance.md"
}

# stop_pids_and_end: an exit function (for on_exit) for scripts that keep the pids of what they
# started in the array PIDS: stops each (stop_pid), then end_run with the script's exit status.
stop_pids_and_end() {
  local status=$? pid
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  end_run "$status"
}
