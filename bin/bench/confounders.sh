#!/usr/bin/env bash
# Confounder cohort (issue 14, "a confounder-only subject scores ASPECTS 10 on the truth path"): phantom subjects
# WITHOUT acute ischaemia (--normal-share 1), a share of them with chronic infarcts, lacunes and calcifications (the
# phantom draws these per subject), scored on their TRUTH labels with the v2 cut-points and the v2 classifier. Every
# subject's truth is ASPECTS 10: a lower score is a chronic lesion (or another confounder) read as early ischaemia.
# Only the truth path, so no registration: a few minutes on 2 cores.
#
#   bin/bench/confounders.sh --work DIR --cutpoints YAML --model TRIBUO [--subjects N] [--seed N]
#   (writes DIR/confounders/{phantom,scan,ct,scores}/ and prints the table; reruns reuse what exists)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
subjects=12 seed=3001 work='' cutpoints='' model=''
while [[ $# -gt 0 ]]; do
  case "$1" in
    --work) work=$2 ;; --cutpoints) cutpoints=$2 ;; --model) model=$2 ;; --subjects) subjects=$2 ;;
    --seed) seed=$2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "confounders: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done
[[ -n $work && -f $cutpoints && -f $model ]] \
  || { echo "confounders: --work, an existing --cutpoints and an existing --model are required" >&2; exit 2; }
ds="$root/bin/deepstroke"
key="$root/params/demo-pseudonym.key"
dir="$work/confounders"
mkdir -p "$dir"

if [[ ! -d $dir/phantom/truth ]]; then
  "$ds" phantom --subjects "$subjects" --seed "$seed" --normal-share 1 --matrix 256 --pseudonym-key-file "$key" \
    --aspects-masks "$root/../shared/data/atlas/aspects-regions-mni" --output-dir "$dir/phantom.part" > /dev/null
  mv "$dir/phantom.part" "$dir/phantom"
fi
[[ -d $dir/scan ]] || "$ds" dicomdir-scan -i "$dir/phantom/dicom" -o "$dir/scan" --pseudonym-key-file "$key" \
  > /dev/null 2> "$dir/scan.log"
mkdir -p "$dir/ct" "$dir/scores"
# the ingest rules' choice per subject: the accepted, preferred NCCT series (columns read by name)
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  $c["decision"] == "accepted" && $c["preferred"] == "yes" && !seen[$c["subject"]]++ { print $c["subject"] "\t" $c["files"] }' \
  "$dir/scan/manifest.tsv" | while IFS=$'\t' read -r s files; do
  [[ -f $dir/ct/$s.nii.gz ]] || "$ds" dicom-to-nifti --files "$dir/scan/$files" --root "$dir/phantom/dicom" \
    -o "$dir/ct/$s.nii.gz" > /dev/null 2> "$dir/ct/$s.log"
  [[ -f $dir/scores/$s/${s}_score.tsv ]] || "$ds" aspects-score --ct "$dir/ct/$s.nii.gz" \
    --labels "$dir/phantom/truth/$s/labels.nii.gz" --subject "$s" --cutpoints "$cutpoints" --model "$model" \
    --output-dir "$dir/scores/$s" > /dev/null 2> "$dir/scores/$s.log"
done

python3 - "$dir" "$seed" <<'PY'
import csv, json, sys
from pathlib import Path
d, seed = Path(sys.argv[1]), sys.argv[2]
rows = []
for t in sorted((d / "phantom" / "truth").glob("*/truth.json")):
    truth = json.loads(t.read_text())
    s = truth["pseudonym"]
    chronic = truth["appearance"].get("chronic_lesions") or []
    inside = sum(1 for c in chronic if c.get("aspects_label_at_centre"))
    f = d / "scores" / s / f"{s}_score.tsv"
    score = next(csv.DictReader(f.open(), delimiter="\t")) if f.exists() else None
    rows.append((s, len(chronic), inside, score))
scored = [r for r in rows if r[3]]
print(f"### Confounder cohort (phantom --normal-share 1 --seed {seed}: no acute ischaemia, truth ASPECTS 10; truth labels)\n")
print(f"{len(scored)} of {len(rows)} subjects with an accepted NCCT series. "
      f"Reading 10: cut-points {sum(r[3]['aspects'] == '10' for r in scored)}/{len(scored)}, "
      f"classifier {sum(r[3]['classifier_aspects'] == '10' for r in scored)}/{len(scored)}.\n")
print("`-`: no accepted NCCT series (the ingest rules reject 6-7.5 mm slices).\n")
print("| subject | chronic lesions (centred in an ASPECTS region) | cut-points | classifier |")
print("|---|---|---|---|")
for s, n, inside, score in rows:
    cut = f"{score['aspects']} ({score['affected']})" if score else "-"
    clf = f"{score['classifier_aspects']} ({score['classifier_affected']})" if score else "-"
    print(f"| {s} | {n} ({inside}) | {cut} | {clf} |")
PY
