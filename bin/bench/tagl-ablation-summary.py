#!/usr/bin/env python3
"""Summary of bin/bench/tagl-ablation.sh: WORK/runs/<arm>-seed<N>/ (arm none | tagl) -> a Markdown table.

Per arm, mean +- SD over the seeds of: mean foreground Dice of the test subjects against the truth labels (21
classes, unet-evaluate's evaluation.json, reference 'truth'), mean HD95 (mm; classes with an empty prediction have
none and are counted apart), ASPECTS exact and +-1 agreement and ipsilateral region sensitivity / specificity
(aspects-evaluate, cut-point method); the paired difference TAGL - none per seed; then per region Dice (left and
right averaged). Standard library only.
"""
import json
import math
import statistics
import sys
from pathlib import Path

STRUCTURES = ["C", "L", "IC", "I", "M1", "M2", "M3", "M4", "M5", "M6"]
ARMS = ["none", "tagl"]


def number(v):
    return float(v) if v not in (None, "NaN") else math.nan


def run_figures(run):
    ev = json.loads((run / "evaluation" / "evaluation.json").read_text())
    ref = ev["references"].get("truth") or ev["references"]["dataset"]
    per_class = ref["per_class"]
    hd = [number(c["hd95_mm"]) for c in per_class.values()]
    finite = [h for h in hd if not math.isnan(h)]
    structure = {s: statistics.mean(number(per_class[f"{s}_{side}"]["dice"]) for side in "LR") for s in STRUCTURES}
    asp = json.loads(next((run / "aspects").glob("*_evaluation.json")).read_text())["methods"]["cutpoint"]
    region = asp.get("region_ipsilateral", {})
    return {
        "dice": number(ref["mean_dice"]),
        "hd95": statistics.mean(finite) if finite else math.nan,
        "hd95_missing": len(hd) - len(finite),
        "exact": number(asp["score"]["exact_agreement"]),
        "within_one": number(asp["score"]["within_one"]),
        "sensitivity": number(region.get("sensitivity")),
        "specificity": number(region.get("specificity")),
        "structure": structure,
        "subjects": len(ref["mean_dice_per_subject"]),
    }


def mean_sd(values):
    values = [v for v in values if not math.isnan(v)]
    if not values:
        return "NA"
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{statistics.mean(values):.3f} +- {statistics.stdev(values):.3f}"


def main(work):
    runs = {}
    for run in sorted((work / "runs").glob("*-seed*")):
        if (run / "done").exists():
            arm, seed = run.name.split("-seed")
            runs.setdefault(arm, {})[int(seed)] = run_figures(run)
    if not all(arm in runs for arm in ARMS):
        sys.exit(f"tagl-ablation-summary: {work}/runs: both arms needed (found {sorted(runs)})")
    seeds = sorted(set(runs["none"]) & set(runs["tagl"]))
    first = runs["none"][seeds[0]]
    print(f"TAGL ablation: {len(seeds)} seeds ({', '.join(map(str, seeds))}), {first['subjects']} test subjects, "
          f"mean +- SD over seeds\n")
    print("| arm | mean Dice | mean HD95 (mm) | HD95 undefined (classes x seeds) | ASPECTS exact | ASPECTS +-1 "
          "| region sens | region spec |")
    print("|---|---|---|---|---|---|---|---|")
    for arm in ARMS:
        r = [runs[arm][s] for s in seeds]
        print(f"| {arm} | {mean_sd([x['dice'] for x in r])} | {mean_sd([x['hd95'] for x in r])} "
              f"| {sum(x['hd95_missing'] for x in r)} | {mean_sd([x['exact'] for x in r])} "
              f"| {mean_sd([x['within_one'] for x in r])} | {mean_sd([x['sensitivity'] for x in r])} "
              f"| {mean_sd([x['specificity'] for x in r])} |")
    diff = [runs["tagl"][s]["dice"] - runs["none"][s]["dice"] for s in seeds]
    print(f"\nPaired difference TAGL - none, mean Dice: {mean_sd(diff)} "
          f"(per seed: {', '.join(f'{d:+.3f}' for d in diff)}; paper anchor +0.069)\n")
    print("| region (L/R mean Dice) | " + " | ".join(STRUCTURES) + " |")
    print("|---|" + "---|" * len(STRUCTURES))
    for arm in ARMS:
        cells = [mean_sd([runs[arm][s]["structure"][x] for s in seeds]) for x in STRUCTURES]
        print(f"| {arm} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: tagl-ablation-summary.py WORK")
    main(Path(sys.argv[1]))
