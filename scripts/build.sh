#!/usr/bin/env bash
# Installs dependencies, configures (CMakePresets.json, preset "default") and builds into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -f build/CMakeCache.txt ] || cmake --preset default
cmake --build --preset default
