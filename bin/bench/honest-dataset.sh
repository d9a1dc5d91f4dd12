#!/usr/bin/env bash
# An honest-testbed cohort as a curated training dataset (issue 14's independent MNI anatomy; truth = the public
# ASPECTS masks warped with each subject's own deformation), shared by the U-Net bench scripts (tagl-ablation.sh,
# lesion-path.sh):
#
#   bin/bench/honest-dataset.sh --work DIR --subjects N --seed N [--matrix N] [--test-fraction F]
#                               [--validation-fraction F] [--phantom-args "ARGS"]
#
# phantom -> dicomdir-scan -> dicom-to-nifti (the preferred accepted series of each subject) -> the truth labels,
# brain mask and lesion mask onto each converted CT's grid -> curate-dataset (with the truth's lesion masks, manifest
# column lesion). Writes DIR/{phantom,scan,nifti,dataset} and DIR/subjects.tsv; kept when DIR/dataset/manifest.tsv
# exists (the callers' arms and seeds share one cohort).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
ds="$root/bin/deepstroke"
work='' subjects='' seed='' matrix=128 test_fraction=0.3 validation_fraction=0.2 phantom_args=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --work) work=$2 ;; --subjects) subjects=$2 ;; --seed) seed=$2 ;; --matrix) matrix=$2 ;;
    --test-fraction) test_fraction=$2 ;; --validation-fraction) validation_fraction=$2 ;;
    --phantom-args) phantom_args=$2 ;;   # more phantom options, e.g. "--motion-share 1" (word-split)
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "honest-dataset: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done
[[ -n $work && -n $subjects && -n $seed ]] || { echo "honest-dataset: --work, --subjects and --seed are required" >&2; exit 2; }
[[ -f $work/dataset/manifest.tsv ]] && exit 0
key="$root/params/demo-pseudonym.key"
masks=${DEEPSTROKE_ASPECTS_MASKS:-$root/../shared/data/atlas/aspects-regions-mni}
[[ -d $masks ]] || { echo "honest-dataset: $masks: no ASPECTS masks (set DEEPSTROKE_ASPECTS_MASKS)" >&2; exit 1; }
mkdir -p "$work"
rm -rf "$work/phantom" "$work/scan" "$work/nifti" "$work/dataset"
echo "honest-dataset $(date +%H:%M:%S) phantom: $subjects subjects, seed $seed, matrix $matrix -> $work"
"$ds" phantom --anatomy mni --aspects-masks "$masks" --subjects "$subjects" --seed "$seed" \
  --matrix "$matrix" --threads 2 --pseudonym-key-file "$key" --output-dir "$work/phantom" $phantom_args \
  > "$work/phantom.log"
"$ds" dicomdir-scan -i "$work/phantom/dicom" -o "$work/scan" --pseudonym-key-file "$key" > "$work/scan.log" 2>&1
mkdir -p "$work/nifti"
printf 'subject\tct\tlabels\tbrain_mask\tstripped_ct\tregistered_ct\tregistered_labels\n' > "$work/subjects.tsv"
# one CT per subject: the preferred accepted series, the first by study/series pseudonym (as LABEL_TRANSFER does)
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
            $c["decision"] == "accepted" && $c["preferred"] == "yes" { print $c["subject"] "\t" $c["study"] "/" $c["series"] "\t" $c["files"] }' \
    "$work/scan/manifest.tsv" | sort -k1,1 -k2,2 | sort -u -k1,1 |
while IFS=$'\t' read -r subject _ files; do
  truth="$work/phantom/truth/$subject"
  ct="$work/nifti/$subject.nii.gz"
  "$ds" dicom-to-nifti --files "$work/scan/$files" --root "$work/phantom/dicom" -o "$ct" > /dev/null 2>&1
  # the truth is on the scanner's grid; a tilted series is converted onto an untilted one: truth labels and brain mask
  # onto the CT's grid by world coordinates (nearest neighbour; unchanged when the grids agree)
  for image in labels brain_mask; do
    "$ds" nifti-convert -i "$truth/$image.nii.gz" --reference "$ct" -o "$work/nifti/${subject}_$image.nii.gz"
  done
  # train --variant raw reads ct and labels only; the stripped and registered columns the contract asks for point
  # at the same files (this dataset never feeds the stripped or registered variants)
  labels="$work/nifti/${subject}_labels.nii.gz"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$subject" "$ct" "$labels" "$work/nifti/${subject}_brain_mask.nii.gz" \
    "$ct" "$ct" "$labels" >> "$work/subjects.tsv"
done
echo "honest-dataset $(date +%H:%M:%S) dataset: $(($(wc -l < "$work/subjects.tsv") - 1)) subjects"
"$ds" curate-dataset --subjects "$work/subjects.tsv" --output-dir "$work/dataset" --test-fraction "$test_fraction" \
  --validation-fraction "$validation_fraction" --truth "$work/phantom/truth" --seed 1 > "$work/curate.log"
