#!/usr/bin/env python3
"""The artefact arms of bin/bench/artefacts.sh as one table: region Dice of the U-Net against the truth per arm
(mean over subjects of the mean over the 20 regions, the worst region, the share of subjects below 0.5) and, paired
by pseudonym with arm "none", the per-subject change (mean +- SD, and how many subjects lost more than 0.05).

    bin/bench/artefacts-summary.py WORK
"""
import csv
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ARMS = ["none", "motion", "streaks", "spacing"]
TITLES = {"none": "none (as generated)", "motion": "head motion (--motion-share 1)",
          "streaks": "streaks (--streak-share 1)", "spacing": "slice-spacing step (--spacing-step-share 1)"}


def per_subject(evaluation):
    """subject -> mean Dice over its regions, region -> Dice values, from unet-evaluate's table (truth rows)."""
    subjects = defaultdict(list)
    regions = defaultdict(list)
    with open(evaluation, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["reference"] != "truth":
                continue
            dice = float(row["dice"])
            subjects[row["subject"]].append(dice)
            regions[row["name"]].append(dice)
    return {s: statistics.fmean(v) for s, v in subjects.items()}, regions


def main(work):
    work = Path(work)
    measured = {arm: per_subject(work / arm / "unet" / "evaluation.tsv") for arm in ARMS
                if (work / arm / "unet" / "evaluation.tsv").is_file()}
    if "none" not in measured:
        sys.exit(f"artefacts-summary: {work}/none/unet/evaluation.tsv is missing")
    base = measured["none"][0]
    print("| artefact arm | subjects | mean region Dice | worst region | subjects < 0.5 | change vs none, paired "
          "(mean +- SD) | subjects losing > 0.05 |")
    print("|---|---|---|---|---|---|---|")
    for arm in ARMS:
        if arm not in measured:
            continue
        subjects, regions = measured[arm]
        worst = min(regions, key=lambda r: statistics.fmean(regions[r]))
        paired = [subjects[s] - base[s] for s in sorted(subjects) if s in base]
        change = "" if arm == "none" else (f"{statistics.fmean(paired):+.3f} +- "
                                           f"{statistics.stdev(paired) if len(paired) > 1 else 0:.3f} (n {len(paired)})")
        losing = "" if arm == "none" else f"{sum(d < -0.05 for d in paired)}/{len(paired)}"
        print(f"| {TITLES[arm]} | {len(subjects)} | {statistics.fmean(subjects.values()):.3f} | {worst} "
              f"{statistics.fmean(regions[worst]):.3f} | {sum(v < 0.5 for v in subjects.values())} | {change} | "
              f"{losing} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
