#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a passing test suite: installs dependencies,
# builds, and runs every test with ctest (GUI tests use Qt's offscreen platform).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --preset default
