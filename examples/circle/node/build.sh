#!/bin/sh
# Nothing to build: host.json runs `node handler.js` (no npm packages).
