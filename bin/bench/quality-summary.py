#!/usr/bin/env python3
"""Tables of bin/bench/quality.sh (issue 14 item 5) from one finished pipeline run on a synthetic cohort.

  quality-summary.py --results DIR [--cutpoints YAML] [--cohort TEXT]

Reads what the pipeline published (never the work folder): phantom/truth/cohort.tsv and <subject>/truth.json (lesion
size, chronic-lesion confounders, slice thickness), registration/label_dice.tsv (label transfer vs truth),
evaluation/evaluation.json (the U-Net's test split vs truth) and aspects/<path>/<path>_evaluation.json (ASPECTS per
labels path). Prints Markdown. Standard library only.
"""
import argparse
import csv
import json
import statistics
from pathlib import Path

REGIONS = ["C", "L", "IC", "I", "M1", "M2", "M3", "M4", "M5", "M6"]


def read_tsv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def fmt(v, digits=3):
    return "n/a" if v is None else f"{v:.{digits}f}"


def subjects_info(truth_dir):
    info = {}
    for row in read_tsv(truth_dir / "cohort.tsv"):
        s = row["pseudonym"]
        t = json.loads((truth_dir / s / "truth.json").read_text())
        look = t.get("appearance") or {}
        chronic = look.get("chronic_lesions") or []
        info[s] = {
            "k": int(row["k"]),
            "aspects": int(row["aspects"]),
            "lesion_ml": (t.get("ischaemia") or {}).get("lesion_volume_ml", 0.0),
            "chronic": len(chronic) if isinstance(chronic, list) else int(bool(chronic)),
            "thickness": look.get("slice_thickness_mm"),
        }
    return info


def label_transfer(results, info):
    rows = read_tsv(results / "registration" / "label_dice.tsv")
    per_subject, per_region = {}, {}
    for r in rows:
        d = float(r["dice"])
        per_subject.setdefault(r["subject"], []).append(d)
        region = r["name"].rsplit("_", 1)[0]
        per_region.setdefault(region, []).append((r["subject"], d))
    subject_mean = {s: statistics.fmean(v) for s, v in per_subject.items()}
    out = ["### Label transfer vs truth (Dice, 20 hemisphere regions)", "",
           f"{len(subject_mean)} subjects; mean over subjects of the per-subject mean Dice "
           f"**{fmt(statistics.fmean(subject_mean.values()))}** (worst subject {fmt(min(subject_mean.values()))}).",
           "", "| region | mean | worst subject |", "|---|---|---|"]
    for region in REGIONS:
        v = [d for _, d in per_region.get(region, [])]
        if v:
            out.append(f"| {region} | {fmt(statistics.fmean(v))} | {fmt(min(v))} |")
    out += ["", "| subgroup | subjects | mean Dice |", "|---|---|---|"]
    groups = [
        ("no acute lesion (k = 0)", lambda i: i["k"] == 0),
        ("small lesion (1-2 regions)", lambda i: 1 <= i["k"] <= 2),
        ("large lesion (>= 3 regions)", lambda i: i["k"] >= 3),
        ("with chronic lesions (confounder)", lambda i: i["chronic"] > 0),
        ("without chronic lesions", lambda i: i["chronic"] == 0),
        ("slices <= 2.5 mm", lambda i: i["thickness"] is not None and i["thickness"] <= 2.5),
        ("slices > 2.5 mm", lambda i: i["thickness"] is not None and i["thickness"] > 2.5),
    ]
    for name, keep in groups:
        v = [m for s, m in subject_mean.items() if s in info and keep(info[s])]
        out.append(f"| {name} | {len(v)} | {fmt(statistics.fmean(v)) if v else 'n/a'} |")
    return out


def unet(results):
    p = results / "evaluation" / "evaluation.json"
    if not p.exists():
        return ["### U-Net", "", "no evaluation/evaluation.json"]
    e = json.loads(p.read_text())
    refs = e.get("references", {})
    out = ["### U-Net (test split) vs truth", "", "| reference | subjects | mean foreground Dice |", "|---|---|---|"]
    for name, r in refs.items():
        out.append(f"| {name} | {len(e.get('subjects', []))} | {fmt(r.get('mean_dice'))} |")
    return out


def aspects(results):
    out = ["### ASPECTS per labels path vs truth", "",
           "| path / method | n | region sens | region spec | exact | +-1 | MAE | kappa | ICC | <=7 sens | <=7 spec |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for p in sorted((results / "aspects").glob("*/*_evaluation.json")):
        e = json.loads(p.read_text())
        if "methods" not in e:   # <path>_lesion_evaluation.json: the lesion maps' own quality, not ASPECTS
            continue
        for method, m in e["methods"].items():
            s, reg, d = m["score"], m["region_ipsilateral"], m["dichotomised_le7"]
            out.append(f"| {e['path']} / {method} | {m['subjects']} | {fmt(reg.get('sensitivity'))} | "
                       f"{fmt(reg.get('specificity'))} | {fmt(s['exact_agreement'])} | {fmt(s['within_one'])} | "
                       f"{fmt(s['mae'], 2)} | {fmt(s['weighted_kappa_quadratic'])} | {fmt(s['icc_a1'])} | "
                       f"{fmt(d.get('sensitivity'))} | {fmt(d.get('specificity'))} |")
    return out


def confounders(results, info):
    """Subjects without an acute lesion but with chronic lesions: what each path scored (truth: 10)."""
    table = results / "aspects" / "scores.tsv"
    if not table.exists():
        return []
    scores = {}
    for r in read_tsv(table):
        scores.setdefault(r["subject"], {})[r["path"]] = r["aspects"]
    only = [s for s, i in sorted(info.items()) if i["k"] == 0 and i["chronic"] > 0]
    paths = sorted({p for s in only for p in scores.get(s, {})})
    out = ["### Confounder-only subjects (chronic lesions, no acute lesion: truth ASPECTS 10)", ""]
    if not only:
        return out + ["none in this cohort"]
    out += ["| subject | chronic lesions | " + " | ".join(paths) + " |", "|---" * (len(paths) + 2) + "|"]
    for s in only:
        out.append(f"| {s} | {info[s]['chronic']} | "
                   + " | ".join(scores.get(s, {}).get(p, "-") for p in paths) + " |")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", required=True, type=Path)
    ap.add_argument("--cutpoints", type=Path)
    ap.add_argument("--cohort", default="")
    a = ap.parse_args()
    info = subjects_info(a.results / "phantom" / "truth")
    lines = ["## Quality on the honest testbed", "", a.cohort, ""]
    if a.cutpoints:
        lines += [f"Cut-points: `{a.cutpoints}`", ""]
    for part in (label_transfer(a.results, info), unet(a.results), aspects(a.results),
                 confounders(a.results, info)):
        lines += part + [""]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
