#!/usr/bin/env bash
# Our strategies vs Optuna's samplers on the 12 two-objective nb201 table problems
# (docs/strategy-comparison.md, "Against Optuna"). Usage:
#   scripts/strategy-vs-optuna/run-all.sh [OUT] [STRATEGIES]   (default results/strategy-vs-optuna, random,nsga2,re,local,bo)
# Needs Optuna in a Python environment, e.g. python3 -m venv /tmp/optuna-venv && /tmp/optuna-venv/bin/pip install optuna
# (PYTHON=/tmp/optuna-venv/bin/python by default). Optuna studies already in OUT/optuna are reused.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-results/strategy-vs-optuna}"
strategies="${2:-random,nsga2,re,local,bo}"
python="${PYTHON:-/tmp/optuna-venv/bin/python}"
mkdir -p "$out/optuna"
node --import tsx scripts/strategy-vs-optuna/export-tables.ts "$out/optuna/tables.json"
"$python" scripts/strategy-vs-optuna/optuna-baseline.py --tables "$out/optuna/tables.json" --out "$out/optuna" --seeds 10 --trials 1000
node --import tsx scripts/strategy-vs-optuna/compare.ts --strategies "$strategies" --seeds 10 --budgets 300,1000 \
  --optuna "$out/optuna" --json "$out/results.json" | tee "$out/results.md"
