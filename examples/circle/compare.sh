#!/usr/bin/env bash
# The circle function in every language, compared with one command: builds each version whose
# toolchain is installed, starts one Flint per version on free loopback ports, and runs
# `flint bench --compare` over them in interleaved rounds. Extra arguments go to flint bench.
#
#   examples/circle/compare.sh                              # closed loop: -c 16 -d 10s, 5 rounds
#   examples/circle/compare.sh --rate 1000 -c 8 -d 10s      # latency at the same constant rate
#   LANGS="python rust" examples/circle/compare.sh --html circle.html --svg circle.svg
#
# Everything it starts is stopped when it ends (or on Ctrl-C). Only 127.0.0.1 is loaded.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
LANGS="${LANGS:-python rust go java node}"
TMP="$(mktemp -d /tmp/flint-circle-compare.XXXXXX)"
PIDS=()

say() { printf '[compare] %s\n' "$*" >&2; }

stop_all() {
  trap - EXIT INT TERM
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# app_of lang: the app folder of one version (Python is the example's own folder).
app_of() { if [ "$1" = python ]; then echo "$HERE"; else echo "$HERE/$1"; fi; }

# toolchain lang: the program a version needs to build or run.
toolchain() {
  case "$1" in
    python) echo python3 ;; rust) echo cargo ;; go) echo go ;; java) echo javac ;; node) echo node ;;
    *) echo "$1" ;;
  esac
}

say "building Flint"
"$ROOT/flint" --version >/dev/null

targets=()
for lang in $LANGS; do
  app="$(app_of "$lang")"
  [ -f "$app/host.json" ] || { say "no version in $lang (no $app/host.json)"; exit 2; }
  if ! command -v "$(toolchain "$lang")" >/dev/null 2>&1; then
    say "skipping $lang: $(toolchain "$lang") is not installed"
    continue
  fi
  if [ -x "$app/build.sh" ] && [ "$lang" != python ]; then
    say "building $lang"
    "$app/build.sh" >"$TMP/$lang-build.log" 2>&1 || { say "$lang did not build:"; tail -n 20 "$TMP/$lang-build.log" >&2; exit 1; }
  fi
  port="$(free_port)"
  "$ROOT/flint" start "$app" --port "$port" --data-dir "$TMP/$lang-data" >"$TMP/$lang.log" 2>&1 &
  PIDS+=("$!")
  url="http://127.0.0.1:$port/api/circle?radius=2"
  for i in $(seq 1 300); do
    if curl -fs --max-time 1 "$url" >/dev/null 2>&1; then break; fi
    if ! kill -0 "${PIDS[-1]}" 2>/dev/null || [ "$i" = 300 ]; then
      say "the $lang version did not answer $url; its log:"; tail -n 30 "$TMP/$lang.log" >&2; exit 1
    fi
    sleep 0.1
  done
  say "$lang answers at $url"
  targets+=("$lang=$url")
done
[ "${#targets[@]}" -ge 1 ] || { say "no version could run"; exit 1; }

defaults=()
[ "$#" -eq 0 ] && defaults=(-c 16 -d 10s --warmup 2s --rounds 5)
"$ROOT/flint" bench --no-store --compare "${targets[@]}" "${defaults[@]}" "$@"
