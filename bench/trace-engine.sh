#!/usr/bin/env bash
# The trace engine against the tools people use today, on the same large perf files, in one run:
#   - `flint trace collapse` as a whole process against stackcollapse-perf.pl (when it is there:
#     STACKCOLLAPSE=/path/to/stackcollapse-perf.pl, or on PATH), interleaved rounds, medians, with
#     max RSS, and a check that both print the same stacks and counts;
#   - in one warm JVM (bench/trace/TraceEngineBench.java): read + heat map of a trace it has not read
#     yet (the query API's cold request), the whole-range and a 2-second-range flame graph, a
#     differential of two ranges, and the heap the built trace holds;
# on files built from a recorded trace by bench/trace/generate-perf.py: 73 MB (the size of the
# anchors' FlameScope figures), 100 MB, and 100 MB "diverse" (30 % of frames renamed at random, so
# that most stacks are distinct: memory must follow distinct stacks, not the file size).
#
#   bench/trace-engine.sh                       # ROUNDS=3 RECORD=1
#   STACKCOLLAPSE=/opt/FlameGraph/stackcollapse-perf.pl bench/trace-engine.sh
#
# The FlameScope figures it is compared with are in ../shared/reference/anchors.md (FlameScope, a
# Python Flask app, cannot be installed on this machine: PyPI is not reachable).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
ROUNDS="${ROUNDS:-3}"
RECORD="${RECORD:-1}"
LABEL="${LABEL:-}"
KEEP_TMP="${KEEP_TMP:-0}"
RECORDING="${RECORDING:-$ROOT/flint-trace/src/test/resources/traces/java-loop-200hz.perf.gz}"
STACKCOLLAPSE="${STACKCOLLAPSE:-$(command -v stackcollapse-perf.pl || true)}"
source "$BENCH/lib/common.sh"

for tool in python3 perl /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || { echo "trace-engine: $tool is required" >&2; exit 1; }
done
TMP="$(mktemp -d /tmp/flint-trace-bench.XXXXXX)"
cleanup() {
  if [ "$KEEP_TMP" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

log "building Flint"
(cd "$ROOT" && mvn -B -q -o -Dmaven.test.skip=true -pl flint-cli -am package 2>/dev/null || mvn -B -q -Dmaven.test.skip=true -pl flint-cli -am package)
copy_flint "$ROOT/flint-cli/target/flint-cli.jar" "$TMP/flint"
flint_java trace-engine
CP="$(ls "$TMP"/flint/lib/flint-trace-*.jar):$(ls "$TMP"/flint/lib/jackson-core-*.jar)"
# The JVM flags ./flint gives a trace command.
TRACE_JVM=(--enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseParallelGC)

log "generating the perf files from $(basename "$RECORDING")"
python3 "$BENCH/trace/generate-perf.py" "$RECORDING" "$TMP/73mb.perf" --mb 73 >&2
python3 "$BENCH/trace/generate-perf.py" "$RECORDING" "$TMP/100mb.perf" --mb 100 >&2
python3 "$BENCH/trace/generate-perf.py" "$RECORDING" "$TMP/100mb-diverse.perf" --mb 100 --diverse >&2
FILES=(73mb 100mb 100mb-diverse)

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

REPORT="$TMP/report.md"
{
  echo "| file | flint trace collapse | stackcollapse-perf.pl | ratio | flint max RSS | perl max RSS | same output |"
  echo "|---|---|---|---|---|---|---|"
} >"$REPORT"
for name in "${FILES[@]}"; do
  file="$TMP/$name.perf"
  : >"$TMP/$name.flint.t"; : >"$TMP/$name.perl.t"
  for round in $(seq 1 "$ROUNDS"); do
    /usr/bin/time -f "%e %M" -o "$TMP/t" "$JAVA" "${TRACE_JVM[@]}" -jar "$TMP/flint/flint-cli.jar" trace collapse "$file" \
      -o "$TMP/$name.flint.folded" 2>/dev/null
    cat "$TMP/t" >>"$TMP/$name.flint.t"
    if [ -n "$STACKCOLLAPSE" ]; then
      /usr/bin/time -f "%e %M" -o "$TMP/t" perl "$STACKCOLLAPSE" "$file" >"$TMP/$name.perl.folded" 2>/dev/null
      cat "$TMP/t" >>"$TMP/$name.perl.t"
    fi
    log "$name round $round: flint $(tail -n 1 "$TMP/$name.flint.t") ${STACKCOLLAPSE:+perl $(tail -n 1 "$TMP/$name.perl.t")}"
  done
  flint_s="$(cut -d' ' -f1 "$TMP/$name.flint.t" | median)"
  flint_kb="$(cut -d' ' -f2 "$TMP/$name.flint.t" | median)"
  if [ -n "$STACKCOLLAPSE" ]; then
    perl_s="$(cut -d' ' -f1 "$TMP/$name.perl.t" | median)"
    perl_kb="$(cut -d' ' -f2 "$TMP/$name.perl.t" | median)"
    same="$(cmp -s "$TMP/$name.flint.folded" "$TMP/$name.perl.folded" && echo "yes, $(wc -l <"$TMP/$name.perl.folded") stacks" || echo NO)"
    ratio="$(awk -v a="$perl_s" -v b="$flint_s" 'BEGIN {printf "%.1fx faster", a / b}')"
    echo "| $name | ${flint_s} s | ${perl_s} s | $ratio | $((flint_kb / 1024)) MB | $((perl_kb / 1024)) MB | $same |" >>"$REPORT"
  else
    echo "| $name | ${flint_s} s | (not installed) | | $((flint_kb / 1024)) MB | | |" >>"$REPORT"
  fi
done

echo >>"$REPORT"
for name in "${FILES[@]}"; do
  log "queries on $name"
  echo "\`$name\` (one warm JVM, median of 5 after 3 warm-up runs; \`first\` is the JVM's first run):" >>"$REPORT"
  echo >>"$REPORT"
  "$JAVA" -cp "$CP" "$BENCH/trace/TraceEngineBench.java" "$TMP/$name.perf" 3 5 | sed 's/^/    /' >>"$REPORT"
  echo >>"$REPORT"
done

print_summary "Trace engine, $(date -u '+%Y-%m-%d %H:%M UTC')" "$REPORT"
if [ "$RECORD" = 1 ]; then
  write_section "$TMP/section.md" "$(command_line bench/trace-engine.sh ROUNDS=3 LABEL)" "$REPORT" \
    "- JVM: $JDK; perl $(perl -e 'print $^V'); stackcollapse-perf.pl: ${STACKCOLLAPSE:-not installed}" \
    "- recording: $(basename "$RECORDING")"
  record_section "$ROOT/docs/performance.md" "Trace engine" "$TMP/section.md"
fi
