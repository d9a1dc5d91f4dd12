#!/usr/bin/env python3
"""Summary of bin/bench/unet-vs-label-transfer.sh: two evaluate-labels tables (label transfer, U-Net) of the same
subjects -> Markdown: per-region mean Dice of both (left and right apart), the mean over regions, the worst region,
and the paired per-subject difference of the mean Dice (U-Net - label transfer: mean, SD, wins); only subjects in
both tables count. Then, given the two paths' aspects-evaluate metric tables (cut-point method), their ASPECTS
figures side by side. Standard library only.
"""
import statistics
import sys
from collections import defaultdict


def read(path):
    """subject -> region name -> Dice."""
    table = defaultdict(dict)
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {h: i for i, h in enumerate(header)}
        for line in f:
            cells = line.rstrip("\n").split("\t")
            if len(cells) == len(header):
                table[cells[col["subject"]]][cells[col["name"]]] = float(cells[col["dice"]])
    return table


ASPECTS = [("subjects", "subjects", 0), ("region sensitivity", "region_ipsilateral.sensitivity", 3),
           ("region specificity", "region_ipsilateral.specificity", 3), ("exact", "score.exact_agreement", 3),
           ("within +-1", "score.within_one", 3), ("MAE", "score.mae", 2),
           ("kappa (quadratic)", "score.weighted_kappa_quadratic", 3), ("ICC(A,1)", "score.icc_a1", 3),
           ("ASPECTS<=7 sensitivity", "dichotomised_le7.sensitivity", 3),
           ("ASPECTS<=7 specificity", "dichotomised_le7.specificity", 3)]


def metrics(path):
    """method.metric -> value of the pipeline's metric/value table or of aspects-evaluate's path/method/metric/value
    table."""
    out = {}
    with open(path) as f:
        for line in list(f)[1:]:
            cells = line.rstrip("\n").split("\t")
            out[cells[0] if len(cells) == 2 else cells[1] + "." + cells[2]] = cells[-1]
    return out


def aspects_lines(lt_path, unet_path):
    lt, unet = metrics(lt_path), metrics(unet_path)
    lines = ["", "| ASPECTS, relative HU (v2 cut-points) | label transfer | U-Net |", "|---|---|---|"]
    for what, key, digits in ASPECTS:
        cells = []
        for m in (lt, unet):
            v = m.get("cutpoint." + key)
            cells.append("NA" if v in (None, "", "NaN") else f"{float(v):.{digits}f}")
        lines.append(f"| {what} | {cells[0]} | {cells[1]} |")
    return lines


def main(lt_path, unet_path, lt_aspects=None, unet_aspects=None):
    lt, unet = read(lt_path), read(unet_path)
    subjects = sorted(set(lt) & set(unet))
    regions = list(next(iter(lt.values())).keys())
    mean = {name: {r: statistics.mean(t[s][r] for s in subjects) for r in regions}
            for name, t in (("lt", lt), ("unet", unet))}
    lines = [f"{len(subjects)} subjects in both tables", "",
             "| region | label transfer | U-Net | U-Net - LT |", "|---|---|---|---|"]
    for r in regions:
        lines.append(f"| {r} | {mean['lt'][r]:.3f} | {mean['unet'][r]:.3f} | {mean['unet'][r] - mean['lt'][r]:+.3f} |")
    overall = {k: statistics.mean(v.values()) for k, v in mean.items()}
    worst = {k: min(v.items(), key=lambda kv: kv[1]) for k, v in mean.items()}
    lines.append(f"| **mean** | **{overall['lt']:.3f}** | **{overall['unet']:.3f}** "
                 f"| **{overall['unet'] - overall['lt']:+.3f}** |")
    lines.append(f"| worst region | {worst['lt'][0]} {worst['lt'][1]:.3f} "
                 f"| {worst['unet'][0]} {worst['unet'][1]:.3f} | |")
    diff = [statistics.mean(unet[s][r] for r in regions) - statistics.mean(lt[s][r] for r in regions)
            for s in subjects]
    sd = statistics.stdev(diff) if len(diff) > 1 else 0.0
    lines += ["", f"Per subject, U-Net - label transfer mean Dice: {statistics.mean(diff):+.3f} +- {sd:.3f} "
              f"(U-Net higher in {sum(d > 0 for d in diff)} of {len(diff)})"]
    if lt_aspects and unet_aspects:
        lines += aspects_lines(lt_aspects, unet_aspects)
    print("\n".join(lines))


if __name__ == "__main__":
    main(*sys.argv[1:5])
