#!/bin/sh
# Build target/release/handler, which host.json starts.
set -e
cd "$(dirname "$0")"
cargo build --release
