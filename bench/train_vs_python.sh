#!/usr/bin/env bash
# A training step of the tutorial's Model A at batch 64 on the CPU (SGD, cross-entropy, train
# mode): the app's `--train` against PyTorch eager (Debian's python3-torch, same libtorch and
# BLAS), interleaved in rounds so both see the same machine load. Each side reports the median of
# its steps after the first (warm-up). Prints both medians and their ratio.
# Usage: bench/train_vs_python.sh [ROUNDS=3] [STEPS=8]   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
steps=${2:-8}
threads=$(nproc)
app=build/bin/module-explorer
[ -x "$app" ] || { echo "build first: scripts/build.sh" >&2; exit 2; }
python=/usr/bin/python3
"$python" -c 'import torch' 2>/dev/null || { echo "needs python3-torch (apt-get install python3-torch)" >&2; exit 2; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "Model A training step, input 64x1x28x28, SGD lr=0.01, cross_entropy, train mode, $threads threads, $steps steps per round"
app_medians=()
py_medians=()
for round in $(seq "$rounds"); do
  steps_ms=$("$app" --example state-dict-demo --train "$steps" --input 64x1x28x28 --json |
    tr -d '\n ' | grep -o '"step_ms":\[[^]]*\]' | sed 's/.*\[//; s/\]//' | tr ',' '\n' | tail -n +2)
  app_ms=$(median $steps_ms)
  py_ms=$("$python" bench/train_python.py "$steps" "$threads" 64)
  app_medians+=("$app_ms")
  py_medians+=("$py_ms")
  echo "round $round: app $(printf '%.1f' "$app_ms") ms, python $(printf '%.1f' "$py_ms") ms"
done
app_med=$(median "${app_medians[@]}")
py_med=$(median "${py_medians[@]}")
echo "app median of round medians: $(printf '%.1f' "$app_med") ms"
echo "python eager median of round medians: $(printf '%.1f' "$py_med") ms"
awk -v a="$app_med" -v p="$py_med" 'BEGIN { printf "ratio app/python: %.3f (budget: <= 1.1)\n", a / p }'
