#!/usr/bin/env bash
# Quality on the honest testbed (issue 14 item 5): every figure re-measured with fixed definitions on a seeded
# EVALUATION cohort that nothing is tuned on, after a separate TUNING cohort has supplied the one thing this run tunes.
#
#   bin/bench/quality.sh [--work DIR] [--profile test|demo] [--tune-subjects N] [--tune-seed N]
#                        [--eval-subjects N] [--eval-seed N] [--preset quick|fast|aggressive] [--skip-tune]
#   (WORK: ~/.cache/deepstroke/bench-quality; each run's launch folder, work/ and results/ in it)
#
# 1. TUNING cohort (phantom seed 101, the seed the phantom's CT look was tuned on; independent MNI anatomy): the
#    pipeline under --profile (always its own registration preset: only the truth path is used); its truth path's
#    descriptor tables go to `aspects-calibrate` (Youden's J per region), which writes the v2 cut-points
#    (WORK/cutpoints-v2.yaml), and to `aspects-fit` (the region classifier, WORK/classifier-v2/). Nothing else is
#    tuned: presets, U-Net settings and the lesion threshold are the profile's. --skip-tune reuses the cut-points and
#    classifier an earlier run left in WORK (e.g. to measure another --preset on the evaluation cohort).
# 2. EVALUATION cohort (seed 2026: never used for tuning or for looking at the phantom): the same pipeline with those
#    cut-points and that classifier (--preset P: registration preset P, in WORK/eval-P); label transfer, the U-Net
#    and ASPECTS per labels path and method measured against the phantom's truth.
# 3. bin/bench/quality-summary.py prints the tables (WORK/summary.md): label-transfer Dice per region (mean, worst
#    subject), by lesion size; the U-Net's Dice; ASPECTS per path (region sensitivity/specificity, exact, +-1, MAE,
#    kappa, ICC, ASPECTS<=7 sensitivity/specificity).
# 4. bin/bench/confounders.sh: a third cohort (seed 3001) without acute ischaemia, some subjects with chronic
#    infarcts: what the truth labels score with those cut-points and that classifier (truth: ASPECTS 10).
# Defaults: the `test` profile (quick atlas and registration, a 16^3 U-Net for 2 epochs: a floor, not the method's
# best), 20 tuning and 30 evaluation subjects: about 1.5 h on 2 cores (43 + 51 min measured). Runs resume (-resume)
# when repeated.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
work=$HOME/.cache/deepstroke/bench-quality profile=test tune_subjects=20 tune_seed=101 eval_subjects=30 eval_seed=2026 preset=''
skip_tune=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --skip-tune) skip_tune=true; shift; continue ;;
    --work) work=$2 ;; --profile) profile=$2 ;; --tune-subjects) tune_subjects=$2 ;; --tune-seed) tune_seed=$2 ;;
    --eval-subjects) eval_subjects=$2 ;; --eval-seed) eval_seed=$2 ;; --preset) preset=$2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "quality: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done
[[ $tune_seed != "$eval_seed" ]] || { echo "quality: the tuning and evaluation seeds must differ" >&2; exit 2; }
mkdir -p "$work"
work=$(cd "$work" && pwd)
log() { echo "quality $(date +%H:%M:%S) $*"; }
extra=()
[[ -z $preset ]] || extra+=(--registration_preset "$preset")

run() {   # run NAME SUBJECTS SEED [extra args...]: the pipeline, its launch folder and outputs under WORK/NAME
  local name=$1 subjects=$2 seed=$3
  shift 3
  mkdir -p "$work/$name"
  log "$name: $subjects subjects, phantom seed $seed, -profile $profile ${*}"
  (cd "$work/$name" && NXF_ANSI_LOG=false "$root/nextflow" run "$root/main.nf" -profile "$profile" -resume \
      -c "$root/bin/bench/quality.config" \
      --outdir "$work/$name/results" --phantom_subjects "$subjects" --phantom_seed "$seed" "$@" \
      > "$work/$name/nextflow.log" 2>&1) \
    || { echo "quality: the $name run failed: $work/$name/nextflow.log" >&2; tail -20 "$work/$name/nextflow.log" >&2; exit 1; }
}

# 1. tuning cohort -> v2 cut-points and classifier (the truth path: no registration preset involved)
if $skip_tune; then
  for f in "$work/cutpoints-v2.yaml" "$work/classifier-v2/ischemia_model.tribuo"; do
    [[ -f $f ]] || { echo "quality: --skip-tune needs $f from an earlier run" >&2; exit 2; }
  done
  log "tuning skipped: reusing $work/cutpoints-v2.yaml and $work/classifier-v2/"
else
  run tune "$tune_subjects" "$tune_seed"
  "$root/bin/deepstroke" aspects-calibrate --scores "$work/tune/results/aspects/truth" \
    --truth "$work/tune/results/phantom/truth/cohort.tsv" --output "$work/cutpoints-v2.yaml"
  log "v2 cut-points: $work/cutpoints-v2.yaml"
  "$root/bin/deepstroke" aspects-fit --scores "$work/tune/results/aspects/truth" \
    --truth "$work/tune/results/phantom/truth/cohort.tsv" --cutpoints "$work/cutpoints-v2.yaml" \
    --folds 5 --seed 1 --output-dir "$work/classifier-v2"
  log "v2 classifier: $work/classifier-v2/ischemia_model.tribuo"
fi

# 2. evaluation cohort with them
eval_name=eval${preset:+-$preset}
run "$eval_name" "$eval_subjects" "$eval_seed" --aspects_cutpoints "$work/cutpoints-v2.yaml" \
  --aspects_model "$work/classifier-v2/ischemia_model.tribuo" "${extra[@]}"

# 3. the tables
py=python3
"$py" "$root/bin/bench/quality-summary.py" --results "$work/$eval_name/results" --cutpoints "$work/cutpoints-v2.yaml" \
  --cohort "evaluation cohort: phantom --anatomy mni --seed $eval_seed, $eval_subjects subjects, -profile $profile${preset:+, registration preset $preset}; cut-points and classifier from the tuning cohort (seed $tune_seed, $tune_subjects subjects)" \
  | tee "$work/summary${preset:+-$preset}.md"

# 4. the confounder cohort: no acute ischaemia, chronic lesions; truth labels with the same cut-points and classifier
echo
"$root/bin/bench/confounders.sh" --work "$work" --cutpoints "$work/cutpoints-v2.yaml" \
  --model "$work/classifier-v2/ischemia_model.tribuo" | tee -a "$work/summary${preset:+-$preset}.md"
