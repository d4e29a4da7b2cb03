#!/bin/sh
# Runs GemmBench, optionally a "before" build (BEFORE=path to its GemmBench.dll), and both twins, then prints the tables.
# Usage: bench/layers/gemm/run.sh [seconds per shape] [filter]   (build GemmBench and ts/ in Release first)
set -e
cd "$(dirname "$0")"
s=${1:-0.2}; f=${2:-}; out=${OUT:-/tmp/gemmbench}; mkdir -p "$out"
files=""
if [ -n "$BEFORE" ]; then dotnet "$BEFORE" "$s" "$f" > "$out/before.tsv"; files="$out/before.tsv=before"; fi
dotnet bin/Release/net10.0/GemmBench.dll "$s" "$f" > "$out/ours.tsv"
/usr/bin/python3 gemm.py "$s" "$f" > "$out/torch.tsv"
ts/bin/Release/net10.0/linux-x64/GemmBench.TorchSharp "$s" "$f" > "$out/ts.tsv"
OMP_WAIT_POLICY=PASSIVE ts/bin/Release/net10.0/linux-x64/GemmBench.TorchSharp "$s" "$f" > "$out/tsp.tsv"
echo "median GFLOP/s"; python3 table.py $files "$out/ours.tsv" "$out/torch.tsv" "$out/ts.tsv" "$out/tsp.tsv"
echo "best-sample GFLOP/s"; python3 table.py --best $files "$out/ours.tsv" "$out/torch.tsv" "$out/ts.tsv" "$out/tsp.tsv"
