#!/usr/bin/env bash
# Forward of the tutorial's Model A at batch 64 on the CPU: the app's compiled forward against
# Python PyTorch eager (Debian's python3-torch, same libtorch and BLAS), measured in one run,
# interleaved in rounds so both see the same machine load. Prints both medians and their ratio.
# Usage: bench/forward_vs_python.sh [ROUNDS=3] [REPEATS=20]   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
repeats=${2:-20}
threads=$(nproc)
app=build/bin/module-explorer
[ -x "$app" ] || { echo "build first: scripts/build.sh" >&2; exit 2; }
python=/usr/bin/python3
has_python=1
"$python" -c 'import torch' 2>/dev/null || has_python=0
[ "$has_python" = 1 ] || echo "python3-torch not installed: measuring the app alone (apt-get install python3-torch)"

echo "Model A forward, input 64x1x28x28, eval, no_grad, $threads threads, $repeats timed runs per round"
app_medians=()
py_medians=()
for round in $(seq "$rounds"); do
  app_ms=$("$app" --example state-dict-demo --forward 64x1x28x28 --repeat "$repeats" --json |
    grep -o '"median_ms": [0-9.e+-]*' | awk '{print $2}')
  app_medians+=("$app_ms")
  line="round $round: app $(printf '%.2f' "$app_ms") ms"
  if [ "$has_python" = 1 ]; then
    py_ms=$("$python" bench/forward_python.py "$repeats" "$threads" 64 | awk '{print $1}')
    py_medians+=("$py_ms")
    line="$line, python $(printf '%.2f' "$py_ms") ms"
  fi
  echo "$line"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
app_med=$(median "${app_medians[@]}")
echo "app median of round medians: $(printf '%.2f' "$app_med") ms"
if [ "$has_python" = 1 ]; then
  py_med=$(median "${py_medians[@]}")
  echo "python eager median of round medians: $(printf '%.2f' "$py_med") ms"
  awk -v a="$app_med" -v p="$py_med" 'BEGIN { printf "ratio app/python: %.3f (<= 1 means the app is at least as fast)\n", a / p }'
fi
