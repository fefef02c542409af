#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the window on the tutorial's Model A:
# installs dependencies, builds, and opens build/bin/module-explorer. Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec build/bin/module-explorer "$@"
