#!/usr/bin/env bash
# The U-Net against label transfer on the same subjects and images (issue 17 item 1): a pipeline run of
# `make bench-quality` (its results folder: the evaluation cohort's curated raw CTs, the label-transfer Dice the
# pipeline measured against the phantom's truth, the truth itself) and a trained U-Net predicted on those same CTs,
# scored by the same tool (evaluate-labels, the pipeline's EVALUATE_LABELS command: truth grid, atlas label names);
# then ASPECTS from the U-Net's labels (aspects-score, relative HU with the committed v2 cut-points the bench-quality
# evaluation uses) against the label-transfer path's figures of the same run (results/aspects/label-transfer).
#
#   bin/bench/unet-vs-label-transfer.sh --model model.zip [--results DIR] [--output DIR]
#
# DIR defaults to ~/.cache/deepstroke/bench-quality/eval-fast/results (quality.sh --preset fast); OUTPUT to
# /tmp/deepstroke-unet-vs-lt. Prints per-region mean Dice of both, the mean, the worst region and the paired
# per-subject difference (bin/bench/unet-vs-label-transfer-summary.py; OUTPUT/summary.md). The model must never have
# seen the evaluation cohort (e.g. lesion-path.sh's, trained on tuning seed 303).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
ds="$root/bin/deepstroke"
model='' results=$HOME/.cache/deepstroke/bench-quality/eval-fast/results out=/tmp/deepstroke-unet-vs-lt
while [[ $# -gt 0 ]]; do
  case "$1" in
    --model) model=$2 ;; --results) results=$2 ;; --output) out=$2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unet-vs-label-transfer: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done
[[ -f $model ]] || { echo "unet-vs-label-transfer: ${model:-<none>}: no model (--model model.zip)" >&2; exit 2; }
for f in registration/label_dice.tsv dataset/manifest.tsv atlas/labels.tsv phantom/truth/cohort.tsv; do
  [[ -f $results/$f ]] \
    || { echo "unet-vs-label-transfer: $results/$f: missing (a finished bench-quality run?)" >&2; exit 1; }
done
mkdir -p "$out/predictions"
printf 'subject\tpredicted\treference\n' > "$out/pairs.tsv"
printf 'subject\tct\tlabels\n' > "$out/cases.tsv"
# the subjects label transfer was scored on, their raw CT in the curated dataset (the CT label transfer mapped)
while IFS=$'\t' read -r subject volume; do
  [[ -f $out/predictions/$subject.nii.gz ]] || "$ds" predict --model "$model" --ct "$results/dataset/$volume" \
    --output "$out/predictions/$subject.nii.gz" > /dev/null 2>> "$out/predict.log"
  printf '%s\t%s\t%s\n' "$subject" "$out/predictions/$subject.nii.gz" \
    "$results/phantom/truth/$subject/labels.nii.gz" >> "$out/pairs.tsv"
  printf '%s\t%s\t%s\n' "$subject" "$results/dataset/$volume" "$out/predictions/$subject.nii.gz" >> "$out/cases.tsv"
done < <(awk -F'\t' 'NR == FNR { if (FNR > 1) scored[$1] = 1; next }
    FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["variant"] == "raw" && ($c["subject"] in scored) { print $c["subject"] "\t" $c["volume"] }' \
    "$results/registration/label_dice.tsv" "$results/dataset/manifest.tsv" | sort -u)
"$ds" evaluate-labels --pairs "$out/pairs.tsv" --labels-tsv "$results/atlas/labels.tsv" \
  --output-tsv "$out/unet_label_dice.tsv" --output-json "$out/unet_label_dice.json" \
  --output-png "$out/unet_label_dice_qc.png" > /dev/null
rm -rf "$out/scores" "$out/aspects"
mkdir -p "$out/scores"
"$ds" aspects-score --cases "$out/cases.tsv" --cutpoints "$root/params/aspects-cutpoints-phantom-v2.yaml" \
  --output-dir "$out/scores" > /dev/null
"$ds" aspects-evaluate --scores "$out/scores" --truth "$results/phantom/truth/cohort.tsv" --path unet \
  --method cutpoint --output-dir "$out/aspects" > /dev/null
python3 "$root/bin/bench/unet-vs-label-transfer-summary.py" "$results/registration/label_dice.tsv" \
  "$out/unet_label_dice.tsv" "$results/aspects/label-transfer/label-transfer_metrics.tsv" \
  "$out/aspects/unet_evaluation.tsv" | tee "$out/summary.md"
