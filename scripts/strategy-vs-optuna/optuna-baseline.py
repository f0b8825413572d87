#!/usr/bin/env python3
"""Optuna's samplers on the NAS-Bench-201 table problems, for docs/strategy-comparison.md.

A dev tool, not a dependency of hwnas. Needs optuna (tested with 5.0.0):
    python3 -m venv /tmp/optuna-venv && /tmp/optuna-venv/bin/pip install optuna

    node --import tsx scripts/strategy-vs-optuna/export-tables.ts results/optuna/tables.json
    /tmp/optuna-venv/bin/python scripts/strategy-vs-optuna/optuna-baseline.py \
        --tables results/optuna/tables.json --out results/optuna [--samplers tpe,nsga2] \
        [--problems fpga,pixel3] [--seeds 10] [--trials 1000]

Each study maximises accuracy and minimises latency over 6 categorical parameters (one per cell
edge, the 5 NAS-Bench-201 ops), seed s = 0..seeds-1. Samplers: TPESampler(multivariate=True,
seed=s) and NSGAIISampler(population_size=50, seed=s), other settings Optuna's defaults. Writes
OUT/<sampler>-<problem>-<trials>.json with every trial's genotype in trial order (duplicates
included, as Optuna counts them); compare.ts --optuna OUT scores them with the same HV-ratio code
as our strategies. Optuna's samplers do not depend on n_trials, so the first 300 trials of a
1,000-trial study are a 300-trial study.
"""
import argparse
import json
import os
import sys
import time

import optuna

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = ["1<-0", "2<-0", "2<-1", "3<-0", "3<-1", "3<-2"]


def make_sampler(name, seed):
    if name == "tpe":
        return optuna.samplers.TPESampler(multivariate=True, seed=seed)
    if name == "nsga2":
        return optuna.samplers.NSGAIISampler(population_size=50, seed=seed)
    raise SystemExit(f"unknown sampler {name!r} (tpe, nsga2)")


def run(table, sampler_name, seed, trials):
    def objective(trial):
        g = [OPS.index(trial.suggest_categorical(e, OPS)) for e in EDGES]
        idx = 0
        for v in g:
            idx = idx * 5 + v
        acc, lat = table[idx]
        trial.set_user_attr("g", g)
        return acc, lat

    study = optuna.create_study(directions=["maximize", "minimize"], sampler=make_sampler(sampler_name, seed))
    study.optimize(objective, n_trials=trials)
    return [t.user_attrs["g"] for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tables", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--samplers", default="tpe,nsga2")
    ap.add_argument("--problems", default="")
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--trials", type=int, default=1000)
    a = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with open(a.tables) as f:
        tables = json.load(f)
    problems = a.problems.split(",") if a.problems else list(tables)
    os.makedirs(a.out, exist_ok=True)
    for problem in problems:
        for sampler in a.samplers.split(","):
            path = os.path.join(a.out, f"{sampler}-{problem}-{a.trials}.json")
            if os.path.exists(path):
                continue
            runs = []
            for seed in range(a.seeds):
                t0 = time.time()
                gs = run(tables[problem], sampler, seed, a.trials)
                runs.append({"seed": seed, "genotypes": gs, "distinct": len({tuple(g) for g in gs}), "seconds": time.time() - t0})
                print(f"{problem} {sampler} seed {seed}: {len(gs)} trials, {runs[-1]['distinct']} distinct, {runs[-1]['seconds']:.1f}s", file=sys.stderr, flush=True)
            dump = {"sampler": sampler, "problem": problem, "trials": a.trials, "optuna": optuna.__version__, "runs": runs}
            tmp = path + ".tmp"
            with open(tmp, "w") as f:
                json.dump(dump, f)
            os.replace(tmp, path)


if __name__ == "__main__":
    main()
