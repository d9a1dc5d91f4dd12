#!/usr/bin/env python3
"""Summary of bin/bench/lesion-path.sh: WORK/eval-out/ -> a Markdown table (standard library only).

Rows: the ASPECTS paths measured on the evaluation cohort (aspects-evaluate's <path>_evaluation.tsv: side
accuracy, region sensitivity / specificity over the truth's hemisphere, exact, +-1, MAE, quadratic kappa, ICC(A,1));
the lesion map against the truth lesion (evaluate-lesions: Dice, signed and absolute volume error, per-subject
detection); the U-Net's region Dice against the truth labels (unet-evaluate); the threshold calibrated on the
tuning cohort.
"""
import json
import math
import sys
from pathlib import Path

PATHS = [
    ("lesion-unet-calibrated", "lesion", "U-Net lesion x U-Net regions, threshold calibrated on the tuning cohort"),
    ("lesion-unet-committed", "lesion", "U-Net lesion x U-Net regions, committed threshold (params/)"),
    ("truth-lesion-unet-regions", "lesion", "truth lesion x U-Net regions, calibrated threshold"),
    ("unet-cutpoint", "cutpoint", "relative HU (v2 cut-points) on U-Net regions"),
]


def metrics(file):
    """metric -> value of a metric/value table, or method.metric -> value of aspects-evaluate's
    path/method/metric/value table."""
    out = {}
    if file.exists():
        for line in file.read_text().splitlines()[1:]:
            cells = line.split("\t")
            key = cells[0] if len(cells) == 2 else cells[1] + "." + cells[2]
            out[key] = float(cells[-1]) if cells[-1] not in ("", "NaN") else math.nan
    return out


def f(v, digits=3):
    return "NA" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{digits}f}"


def yaml_value(text, key):
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return line.split(":", 1)[1].strip()
    return "?"


def main(work):
    out = work / "eval-out"
    threshold = (work / "lesion-threshold.yaml").read_text()
    lines = [f"Lesion-fraction threshold calibrated on the tuning cohort: {yaml_value(threshold, 'threshold')} "
             f"(Youden J {yaml_value(threshold, 'youden_j')}, {yaml_value(threshold, 'subjects')} validation "
             f"subjects, degenerate: {yaml_value(threshold, 'degenerate')})", ""]
    lines.append("| path | subjects | side correct | region sens | region spec | exact | within +-1 | MAE | kappa "
                 "| ICC(A,1) |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for name, method, what in PATHS:
        m = metrics(out / name / f"{name}_evaluation.tsv")
        p = method + "."
        lines.append(f"| {what} | {int(m.get(p + 'subjects', 0))} | {f(m.get(p + 'score.side_accuracy'))} "
                     f"| {f(m.get(p + 'region_ipsilateral.sensitivity'))} "
                     f"| {f(m.get(p + 'region_ipsilateral.specificity'))} | {f(m.get(p + 'score.exact_agreement'))} "
                     f"| {f(m.get(p + 'score.within_one'))} | {f(m.get(p + 'score.mae'), 2)} "
                     f"| {f(m.get(p + 'score.weighted_kappa_quadratic'))} | {f(m.get(p + 'score.icc_a1'))} |")
    lm = metrics(out / "lesions" / "lesion-unet_lesion_metrics.tsv")
    k = "lesion_map."
    lines += ["", "| lesion map vs truth | subjects (truth +/-) | Dice mean | Dice median | volume error ml (signed) "
              "| abs volume error ml | detection sens | detection spec |", "|---|---|---|---|---|---|---|---|",
              f"| U-Net lesion head | {int(lm.get(k + 'n_subjects', 0))} ({int(lm.get(k + 'n_truth_positive', 0))}/"
              f"{int(lm.get(k + 'n_truth_negative', 0))}) | {f(lm.get(k + 'dice_mean'))} "
              f"| {f(lm.get(k + 'dice_median'))} "
              f"| {f(lm.get(k + 'volume_error_ml_mean'), 1)} | {f(lm.get(k + 'abs_volume_error_ml_mean'), 1)} "
              f"| {f(lm.get(k + 'detection_sensitivity'))} | {f(lm.get(k + 'detection_specificity'))} |"]
    ev = json.loads((out / "unet" / "evaluation.json").read_text())
    ref = ev["references"].get("truth") or ev["references"]["dataset"]
    worst = min(ref["per_class"].items(), key=lambda kv: float(kv[1]["dice"]))
    lines += ["", f"U-Net region Dice vs truth: mean {f(float(ref['mean_dice']))}, worst class {worst[0]} "
              f"{f(float(worst[1]['dice']))}, {len(ref['mean_dice_per_subject'])} subjects"]
    print("\n".join(lines))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
