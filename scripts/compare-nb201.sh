#!/usr/bin/env bash
# Strategy comparison on NAS-Bench-201 against the exact fronts (docs/strategy-comparison.md).
# Usage: scripts/compare-nb201.sh [OUT_ROOT] [STRATEGIES]   (default results/compare-nb201, random,nsga2,re,local,bo)
# (reinforce is left out of the multi-objective runs: its MnasNet reward needs a per-device latency target.)
# Multi-objective: accuracy (CIFAR-10 validation) × latencyMs on four table devices, 10 seeds, 1,000
# evaluations. Single objective: accuracy, 20 seeds, 150 evaluations (as NAS-Bench-201 reports).
# Every run is journaled under <out>/runs/, so an interrupted script can be re-run with RESUME=1.
set -euo pipefail
cd "$(dirname "$0")/.."
root="${1:-results/compare-nb201}"
strategies="${2:-random,nsga2,re,local,bo}"
resume=()
if [[ "${RESUME:-0}" == 1 ]]; then resume=(--resume); fi
for device in fpga eyeriss 1080ti_1 pixel3; do
  npx hwnas compare --space nb201 --device "$device" --strategies "$strategies" \
    --seeds 10 --budget 1000 --checkpoints 50,100,300,1000 --out "$root/mo-$device" "${resume[@]}"
done
npx hwnas compare --space nb201 --objectives accuracy --strategies random,re,reinforce,bo \
  --seeds 20 --budget 150 --checkpoints 50,100,150 --out "$root/so" "${resume[@]}"
