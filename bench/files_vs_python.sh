#!/usr/bin/env bash
# Issue 9's budgets for opening real PyTorch files, measured in one run against Debian's
# python3-torch (same libtorch), with hyperfine (apt-get install hyperfine):
#   1. resnet18 TorchScript: open and print its state_dict (keys and shapes) <= half of Python's
#      torch.jit.load + state_dict printing;
#   2. a 10 GB two-shard safetensors checkpoint (sparse files): tree shown in <= 1 s with
#      resident memory <= 300 MB;
#   3. a 200 MB torch.save state_dict: read within 1.5x of torch.load.
# Files are made by bench/make_bench_files.py into DIR (default /tmp/mx-bench-files).
# Usage: bench/files_vs_python.sh [DIR]   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/mx-bench-files}
app=$PWD/build/bin/module-explorer
python=/usr/bin/python3
[ -x "$app" ] || { echo "build first: scripts/build.sh" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
[ -f "$dir/model.safetensors.index.json" ] || "$python" bench/make_bench_files.py "$dir"

median() {  # hyperfine's JSON export -> median seconds of command $2
  "$python" -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][int(sys.argv[2])]['median'])" "$1" "$2"
}
ratio() { "$python" -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }

echo "== 1. resnet18 TorchScript: open + print state_dict =="
hyperfine -N --warmup 1 --runs 10 --export-json /tmp/mx-bench-1.json \
  "$app $dir/resnet18.script.pt --print state_dict" \
  "$python -c \"import torch; m = torch.jit.load('$dir/resnet18.script.pt'); [print(k, v.shape) for k, v in m.state_dict().items()]\"" >/dev/null
app_s=$(median /tmp/mx-bench-1.json 0); py_s=$(median /tmp/mx-bench-1.json 1)
echo "app $(ratio "$app_s" 0.001) ms, python $(ratio "$py_s" 0.001) ms, app/python $(ratio "$app_s" "$py_s") (budget <= 0.50)"

echo "== 2. 10 GB two-shard safetensors: print the tree =="
/usr/bin/time -f "%e s elapsed, %M KiB max resident" "$app" "$dir/model.safetensors.index.json" --print tree >/dev/null 2>/tmp/mx-bench-2.txt || true
tail -1 /tmp/mx-bench-2.txt
hyperfine -N --warmup 1 --runs 10 --export-json /tmp/mx-bench-2.json \
  "$app $dir/model.safetensors.index.json --print tree" >/dev/null
echo "median $(ratio "$(median /tmp/mx-bench-2.json 0)" 0.001) ms (budget <= 1000 ms, <= 300 MB resident)"

echo "== 3. 200 MB torch.save state_dict: read =="
hyperfine -N --warmup 1 --runs 5 --export-json /tmp/mx-bench-3.json \
  "$app $dir/state_dict_200mb.pt --print state_dict" \
  "$python -c \"import torch; sd = torch.load('$dir/state_dict_200mb.pt'); [print(k, v.shape) for k, v in sd.items()]\"" >/dev/null
app_s=$(median /tmp/mx-bench-3.json 0); py_s=$(median /tmp/mx-bench-3.json 1)
echo "app $(ratio "$app_s" 0.001) ms, python $(ratio "$py_s" 0.001) ms, app/python $(ratio "$app_s" "$py_s") (budget <= 1.50)"
