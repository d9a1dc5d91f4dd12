#!/usr/bin/env bash
# The fourth ASPECTS path with a trained lesion head (issue 20 item 4): the U-Net's early-ischaemia channel x its own
# region labels, on the honest testbed, with the lesion-fraction threshold calibrated on a TUNING cohort's held-out
# subjects and every figure measured on a separate EVALUATION cohort.
#
#   bin/bench/lesion-path.sh [--work DIR] [--tune-subjects N] [--tune-seed N] [--eval-subjects N] [--eval-seed N]
#                            [--matrix N] [--size N] [--epochs N] [--seed N] [--learning-rate LR] [--tagl true|false]
#
# 1. Two MNI-anatomy cohorts (bin/bench/honest-dataset.sh): TUNING (seed 303: no other cohort of the platform) split
#    train / validation (75 / 25 %, no test), EVALUATION (seed 2026, the platform's evaluation seed, never tuned on).
# 2. train --lesion-head [--tagl] on the tuning cohort (truth labels and truth lesion masks as targets).
# 3. predict (labels + lesion map) on the tuning cohort's VALIDATION subjects -> aspects-lesion-calibrate --cases:
#    the threshold for the U-Net's own maps (WORK/lesion-threshold.yaml).
# 4. predict on every evaluation subject -> unet-evaluate (region Dice vs truth), evaluate-lesions (lesion Dice,
#    volume error, detection vs the truth lesion), aspects-lesion-score + aspects-evaluate with the calibrated
#    threshold and with the committed one (params/aspects-lesion-threshold.yaml), the relative-HU cut-points on the
#    U-Net's regions (params/aspects-cutpoints-phantom-v2.yaml) and the truth lesion x the U-Net's regions (what
#    the regions alone cost); bin/bench/lesion-path-summary.py prints the table (WORK/summary.md).
# Defaults: 16 + 12 subjects at matrix 128, a 32^3 network for 150 epochs (no early stop), Adam 3e-3, seed 1, TAGL on.
# Steps already done are kept (delete WORK/train or WORK/eval-out to redo them).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
ds="$root/bin/deepstroke"
work=/tmp/deepstroke-lesion-path tune_subjects=16 tune_seed=303 eval_subjects=12 eval_seed=2026 matrix=128 size=32
epochs=150 seed=1 learning_rate=0.003 tagl=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --work) work=$2 ;; --tune-subjects) tune_subjects=$2 ;; --tune-seed) tune_seed=$2 ;;
    --eval-subjects) eval_subjects=$2 ;; --eval-seed) eval_seed=$2 ;; --matrix) matrix=$2 ;; --size) size=$2 ;;
    --epochs) epochs=$2 ;; --seed) seed=$2 ;; --learning-rate) learning_rate=$2 ;; --tagl) tagl=$2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "lesion-path: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done
[[ $tune_seed != "$eval_seed" ]] || { echo "lesion-path: the tuning and evaluation seeds must differ" >&2; exit 2; }
mkdir -p "$work"
work=$(cd "$work" && pwd)
log() { echo "lesion-path $(date +%H:%M:%S) $*"; }

# 1. the cohorts
"$root/bin/bench/honest-dataset.sh" --work "$work/tune" --subjects "$tune_subjects" --seed "$tune_seed" \
  --matrix "$matrix" --test-fraction 0 --validation-fraction 0.25
"$root/bin/bench/honest-dataset.sh" --work "$work/eval" --subjects "$eval_subjects" --seed "$eval_seed" \
  --matrix "$matrix" --test-fraction 0.3 --validation-fraction 0.2   # the split is not used: every subject is evaluated

# 2. the model
if [[ ! -f $work/train/model.zip ]]; then
  flags=(--lesion-head)
  [[ $tagl == true ]] && flags+=(--tagl)
  log "train ${size}^3, $epochs epochs, Adam $learning_rate, seed $seed, ${flags[*]} (log: $work/train.log)"
  rm -rf "$work/train"
  "$ds" train --dataset "$work/tune/dataset" --output-dir "$work/train" --volume-size "$size" --epochs "$epochs" \
    --learning-rate "$learning_rate" --patience "$epochs" --seed "$seed" "${flags[@]}" > "$work/train.log" 2>&1
fi

# predict DATASET SPLIT OUT: labels and lesion maps of the raw rows of SPLIT (all: every split) in OUT/{labels,lesion},
# OUT/cases.tsv (subject, labels, lesion: aspects-lesion-calibrate) and OUT/score-cases.tsv (subject, ct, labels)
predict() {
  local dataset=$1 split=$2 out=$3 subject volume
  [[ -f $out/cases.tsv ]] && return 0
  rm -rf "$out"
  mkdir -p "$out/labels" "$out/lesion"
  printf 'subject\tlabels\tlesion\n' > "$out/cases.tmp"
  printf 'subject\tct\tlabels\n' > "$out/score-cases.tsv"
  while IFS=$'\t' read -r subject volume; do
    "$ds" predict --model "$work/train/model.zip" --ct "$dataset/$volume" --output "$out/labels/$subject.nii.gz" \
      --lesion-output "$out/lesion/$subject.nii.gz" > /dev/null 2>> "$work/predict.log"
    printf '%s\tlabels/%s.nii.gz\tlesion/%s.nii.gz\n' "$subject" "$subject" "$subject" >> "$out/cases.tmp"
    printf '%s\t%s\t%s\n' "$subject" "$dataset/$volume" "$out/labels/$subject.nii.gz" >> "$out/score-cases.tsv"
  done < <(awk -F'\t' -v want="$split" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
      (want == "all" || $c["split"] == want) && $c["variant"] == "raw" { print $c["subject"] "\t" $c["volume"] }' \
      "$dataset/manifest.tsv" | sort -u)
  mv "$out/cases.tmp" "$out/cases.tsv"
}

# 3. the threshold for the U-Net's maps, on the tuning cohort's validation subjects
predict "$work/tune/dataset" validation "$work/tune-validation"
"$ds" aspects-lesion-calibrate --cases "$work/tune-validation/cases.tsv" \
  --truth "$work/tune/phantom/truth/cohort.tsv" --output "$work/lesion-threshold.yaml" \
  --cohort "U-Net (lesion head) maps of the validation subjects of phantom --anatomy mni --subjects $tune_subjects --seed $tune_seed --matrix $matrix"
log "calibrated: $(grep -E '^(threshold|youden_j|degenerate):' "$work/lesion-threshold.yaml" | tr '\n' ' ')"

# 4. the evaluation cohort
predict "$work/eval/dataset" all "$work/eval-pred"
out=$work/eval-out
rm -rf "$out"
mkdir -p "$out"
truth=$work/eval/phantom/truth
"$ds" unet-evaluate --predictions "$work/eval-pred/labels" --dataset "$work/eval/dataset" --truth-dir "$truth" \
  --training-dir "$work/train" --output-dir "$out/unet" > /dev/null
printf 'subject\tpredicted\ttruth\n' > "$out/pairs.tsv"
tail -n +2 "$work/eval-pred/cases.tsv" | while IFS=$'\t' read -r subject _ lesion; do
  printf '%s\t%s\t%s\n' "$subject" "$work/eval-pred/$lesion" "$truth/$subject/lesion_mask.nii.gz" >> "$out/pairs.tsv"
done
"$ds" evaluate-lesions --pairs "$out/pairs.tsv" --name lesion-unet --output-dir "$out/lesions" > /dev/null
# lesion x regions: PATH LESION-DIR THRESHOLD-YAML
lesion_path() {
  local name=$1 lesions=$2 yaml=$3 subject
  mkdir -p "$out/$name/scores"
  tail -n +2 "$work/eval-pred/cases.tsv" | while IFS=$'\t' read -r subject _ _; do
    local lesion=$lesions/$subject.nii.gz
    [[ $lesions == truth ]] && lesion=$truth/$subject/lesion_mask.nii.gz
    "$ds" aspects-lesion-score --labels "$work/eval-pred/labels/$subject.nii.gz" --lesion "$lesion" \
      --calibration "$yaml" --subject "$subject" --output-dir "$out/$name/scores" > /dev/null
  done
  "$ds" aspects-evaluate --scores "$out/$name/scores" --truth "$truth/cohort.tsv" --path "$name" --method lesion \
    --output-dir "$out/$name" > /dev/null
}
lesion_path lesion-unet-calibrated "$work/eval-pred/lesion" "$work/lesion-threshold.yaml"
lesion_path lesion-unet-committed "$work/eval-pred/lesion" "$root/params/aspects-lesion-threshold.yaml"
lesion_path truth-lesion-unet-regions truth "$work/lesion-threshold.yaml"
mkdir -p "$out/unet-cutpoint/scores"
"$ds" aspects-score --cases "$work/eval-pred/score-cases.tsv" --cutpoints "$root/params/aspects-cutpoints-phantom-v2.yaml" \
  --output-dir "$out/unet-cutpoint/scores" > /dev/null
"$ds" aspects-evaluate --scores "$out/unet-cutpoint/scores" --truth "$truth/cohort.tsv" --path unet-cutpoint \
  --method cutpoint --output-dir "$out/unet-cutpoint" > /dev/null
python3 "$root/bin/bench/lesion-path-summary.py" "$work" | tee "$work/summary.md"
