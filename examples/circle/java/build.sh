#!/bin/sh
# Compile Handler.java into bin/, which host.json runs as `java -cp bin Handler`.
# --release 17 makes the classes run on any `java` on PATH from version 17 up.
set -e
cd "$(dirname "$0")"
javac --release 17 -d bin Handler.java
