#!/usr/bin/env bash
# The acquisition artefacts of the honest testbed (issue 14 item 3: head motion, streaks, variable slice spacing)
# measured on a cohort: one trained U-Net on the EVALUATION cohort (phantom seed 2026, never tuned on) as generated
# (arm "none") and with every subject carrying one artefact (--motion-share 1, --streak-share 1,
# --spacing-step-share 1). The artefact draws come from their own streams: each subject keeps its anatomy and lesion
# (checked: the same truth lesion masks; head motion moves the truth labels with the head, by design), so the arms are
# paired by pseudonym: the table gives each arm's region Dice against the truth and the per-subject change.
#
#   bin/bench/artefacts.sh --model MODEL.zip [--work DIR] [--subjects N] [--seed N] [--matrix N]
#
# Per arm: bin/bench/honest-dataset.sh (phantom -> dicomdir-scan -> dicom-to-nifti -> truth onto each CT's grid) ->
# predict on every subject's CT -> unet-evaluate (region Dice vs the truth) -> bin/bench/artefacts-summary.py.
# Arms already measured are kept (delete WORK/ARM to redo one).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
ds="$root/bin/deepstroke"
work=/tmp/deepstroke-artefacts model='' subjects=30 seed=2026 matrix=128
while [[ $# -gt 0 ]]; do
  case "$1" in
    --work) work=$2 ;; --model) model=$2 ;; --subjects) subjects=$2 ;; --seed) seed=$2 ;; --matrix) matrix=$2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "artefacts: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  [[ $# -ge 2 ]] || { echo "artefacts: $1 needs a value" >&2; exit 2; }
  shift 2
done
[[ -f $model ]] || { echo "artefacts: --model: '$model' is not a model file (train's model.zip)" >&2; exit 2; }
mkdir -p "$work"
work=$(cd "$work" && pwd)
model=$(cd "$(dirname "$model")" && pwd)/$(basename "$model")
log() { echo "artefacts $(date +%H:%M:%S) $*"; }

declare -A options=([none]='' [motion]='--motion-share 1' [streaks]='--streak-share 1'
  [spacing]='--spacing-step-share 1')
for arm in none motion streaks spacing; do
  dir=$work/$arm
  [[ -f $dir/unet/evaluation.tsv ]] && { log "$arm: kept"; continue; }
  log "$arm: cohort (${options[$arm]:-no artefact option})"
  "$root/bin/bench/honest-dataset.sh" --work "$dir/cohort" --subjects "$subjects" --seed "$seed" --matrix "$matrix" \
    --phantom-args "${options[$arm]}"
  rm -rf "$dir/labels" "$dir/unet"
  mkdir -p "$dir/labels"
  log "$arm: predict"
  awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
      $c["variant"] == "raw" { print $c["subject"] "\t" $c["volume"] }' "$dir/cohort/dataset/manifest.tsv" | sort -u |
  while IFS=$'\t' read -r subject volume; do
    "$ds" predict --model "$model" --ct "$dir/cohort/dataset/$volume" --output "$dir/labels/$subject.nii.gz" \
      > /dev/null 2>> "$dir/predict.log"
  done
  "$ds" unet-evaluate --predictions "$dir/labels" --dataset "$dir/cohort/dataset" \
    --truth-dir "$dir/cohort/phantom/truth" --output-dir "$dir/unet" > /dev/null
done
python3 "$root/bin/bench/artefacts-summary.py" "$work" | tee "$work/summary.md"
