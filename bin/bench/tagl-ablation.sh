#!/usr/bin/env bash
# TAGL ablation (issue 20 item 2): the same U-Net trained with and without the territory-aware gated loss on the same
# honest-testbed cohort (MNI anatomy, truth = the public ASPECTS masks warped with each subject's deformation), for
# several seeds; per-region Dice, mean Dice, HD95 and ASPECTS agreement of the test subjects against the truth.
#
#   bin/bench/tagl-ablation.sh [--work DIR] [--subjects N] [--cohort-seed N] [--matrix N] [--size N] [--epochs N]
#                              [--seeds "1 2 3"] [--learning-rate LR] [--test-fraction F]
#
# Defaults are the small scale this 2-core machine affords (~1 h): 10 subjects (seed 202, never a tuning or an
# evaluation cohort of the platform), 128 matrix, 32^3 network grid, 150 epochs at Adam 3e-3 (no early stop), seeds
# 1 2 3. The training targets are the generator's truth labels, not label transfer: the ablation compares losses, and
# label-transfer errors (two failed registrations out of three on the test profile's phantoms) would swamp them.
# Steps: bin/bench/honest-dataset.sh (phantom -> dicomdir-scan -> dicom-to-nifti -> curate-dataset)
# -> for each seed and arm: train -> predict (test split) -> unet-evaluate (vs truth) -> aspects-score ->
# aspects-evaluate; then bin/bench/tagl-ablation-summary.py prints the table (WORK/summary.md).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
ds="$root/bin/deepstroke"
work=/tmp/deepstroke-tagl-ablation subjects=10 cohort_seed=202 matrix=128 size=32 epochs=150 seeds="1 2 3"
test_fraction=0.3 learning_rate=0.003
while [[ $# -gt 0 ]]; do
  case "$1" in
    --work) work=$2 ;; --subjects) subjects=$2 ;; --cohort-seed) cohort_seed=$2 ;; --matrix) matrix=$2 ;;
    --size) size=$2 ;; --epochs) epochs=$2 ;; --seeds) seeds=$2 ;; --test-fraction) test_fraction=$2 ;;
    --learning-rate) learning_rate=$2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "tagl-ablation: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done
mkdir -p "$work"
log() { echo "tagl-ablation $(date +%H:%M:%S) $*"; }

# 1. the cohort and its dataset (kept when present: the arms and seeds share it)
"$root/bin/bench/honest-dataset.sh" --work "$work" --subjects "$subjects" --seed "$cohort_seed" --matrix "$matrix" \
  --test-fraction "$test_fraction" --validation-fraction 0.2
mapfile -t tests < <(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["split"] == "test" && $c["variant"] == "raw" { print $c["subject"] "\t" $c["volume"] }' \
    "$work/dataset/manifest.tsv" | sort -u)
[[ ${#tests[@]} -gt 0 ]] || { echo "tagl-ablation: $work/dataset/manifest.tsv: no test subjects" >&2; exit 1; }
log "test subjects: ${#tests[@]}"

# 2. each seed, each arm
for seed in $seeds; do
  for arm in none tagl; do
    run="$work/runs/$arm-seed$seed"
    [[ -f $run/done ]] && { log "$arm seed $seed: done before"; continue; }
    rm -rf "$run"
    mkdir -p "$run/predictions" "$run/scores"
    flags=()
    [[ $arm == tagl ]] && flags=(--tagl)
    log "$arm seed $seed: train ${size}^3, $epochs epochs, Adam $learning_rate"
    "$ds" train --dataset "$work/dataset" --output-dir "$run/train" --volume-size "$size" --epochs "$epochs" \
      --learning-rate "$learning_rate" --patience "$epochs" --seed "$seed" "${flags[@]}" > "$run/train.log" 2>&1
    printf 'subject\tct\tlabels\n' > "$run/cases.tsv"
    for row in "${tests[@]}"; do
      subject=${row%%$'\t'*} volume=${row#*$'\t'}
      "$ds" predict --model "$run/train/model.zip" --ct "$work/dataset/$volume" \
        --output "$run/predictions/$subject.nii.gz" > /dev/null 2>&1
      printf '%s\t%s\t%s\n' "$subject" "$work/dataset/$volume" "$run/predictions/$subject.nii.gz" >> "$run/cases.tsv"
    done
    "$ds" unet-evaluate --predictions "$run/predictions" --dataset "$work/dataset" \
      --truth-dir "$work/phantom/truth" --training-dir "$run/train" --output-dir "$run/evaluation" > /dev/null 2>&1
    "$ds" aspects-score --cases "$run/cases.tsv" --output-dir "$run/scores" > /dev/null 2>&1
    "$ds" aspects-evaluate --scores "$run/scores" --truth "$work/phantom/truth/cohort.tsv" --path "unet-$arm" \
      --method cutpoint --output-dir "$run/aspects" > /dev/null 2>&1
    touch "$run/done"
  done
done
python3 "$root/bin/bench/tagl-ablation-summary.py" "$work" | tee "$work/summary.md"
