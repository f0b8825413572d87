#!/usr/bin/env bash
# Export N random archs (default 200) of nasbench-macro and of nb201 with `hwnas export`, check every
# file with the ONNX checker (Debian python3-onnx: apt-get install -y python3-onnx), then run every
# file in onnxruntime-node. Usage: scripts/check-onnx.sh [N] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-200}"
seed="${2:-1}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for space in nasbench-macro nb201; do
  npx hwnas export --space "$space" --random "$n" --seed "$seed" --out "$tmp/$space"
done
/usr/bin/python3 scripts/check-onnx.py "$tmp/nasbench-macro" "$tmp/nb201"
node --import tsx scripts/run-onnx.ts --expect 1,10 "$tmp/nasbench-macro" "$tmp/nb201"
