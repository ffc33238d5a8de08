#!/bin/sh
# Build the handler binary that host.json starts ("defaultExecutablePath": "handler").
set -e
cd "$(dirname "$0")"
go build -o handler .
