#!/bin/sh
# Nothing to build: host.json runs `python3 handler.py` (Python 3 standard library only).
