#!/usr/bin/env bash
# containers/build.sh - build the DeepStroke container images, push them, and pin the pipeline to their digests.
#
# Usage: containers/build.sh [--push] [--registry REGISTRY] [--only FAMILY[,FAMILY...]] [--tag TAG]
#   FAMILY: java-tools, ants, training-cpu, training-cuda (default: all four)
#   --registry  where images go (default $DEEPSTROKE_REGISTRY or ghcr.io/deepstroke); `docker login` first
#   --tag       human-readable tag pushed beside the digest (default: the project version from java-tools/pom.xml)
#   --push      push, read back each image's registry digest and rewrite containers/images.config and
#               containers/images-cuda.config with image@sha256:<digest> (status BUILT). Without --push the
#               images are only built locally and the config files are left untouched (a local build has no
#               registry digest).
#
# Steps: `make build` (reproducible jars), then per family `docker build -f containers/<family>/Dockerfile .`
# from the repository root; with --push, `docker push` and the digest from `docker inspect --format
# '{{index .RepoDigests 0}}'` (the manifest digest the registry returned, i.e. what `docker pull` verifies).
# The ANTs release archive is verified against containers/ants/ants-<version>.sha256; when that file is absent it
# is created from the first download (trust on first use: commit it, later builds then verify against it).
# Singularity/Apptainer use the same references (docker://image@sha256:...), so there is nothing else to build.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
registry=${DEEPSTROKE_REGISTRY:-ghcr.io/deepstroke}
families=(java-tools ants training-cpu training-cuda)
push=0
tag=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/java-tools/pom.xml" | head -n 1)
ants_version=2.6.5

while [[ $# -gt 0 ]]; do
  case "$1" in
    --push) push=1 ;;
    --registry) registry=$2; shift ;;
    --only) IFS=, read -r -a families <<< "$2"; shift ;;
    --tag) tag=$2; shift ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "build.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
command -v docker >/dev/null || { echo "build.sh: docker is not on PATH" >&2; exit 1; }

make -C "$root" build

ants_sha_file="$root/containers/ants/ants-${ants_version}.sha256"
ants_sha() {
  if [[ ! -s "$ants_sha_file" ]]; then
    local tmp; tmp=$(mktemp)
    curl -fsSL -o "$tmp" "https://github.com/ANTsX/ANTs/releases/download/v${ants_version}/ants-${ants_version}-ubuntu-24.04-X64-gcc.zip"
    sha256sum "$tmp" | cut -d' ' -f1 > "$ants_sha_file"
    rm -f "$tmp"
    echo "build.sh: recorded the ANTs ${ants_version} archive's SHA-256 in ${ants_sha_file#$root/} (commit it)" >&2
  fi
  cat "$ants_sha_file"
}

declare -A digest
for family in "${families[@]}"; do
  [[ -f "$root/containers/$family/Dockerfile" ]] || { echo "build.sh: no recipe containers/$family/Dockerfile" >&2; exit 2; }
  image="$registry/$family"
  args=()
  [[ $family == ants ]] && args+=(--build-arg "ANTS_SHA256=$(ants_sha)")
  echo "== building $image:$tag" >&2
  docker build --pull "${args[@]}" -f "$root/containers/$family/Dockerfile" -t "$image:$tag" "$root"
  if (( push )); then
    docker push "$image:$tag"
    ref=$(docker inspect --format '{{index .RepoDigests 0}}' "$image:$tag")
    [[ $ref =~ @sha256:[0-9a-f]{64}$ ]] || { echo "build.sh: no registry digest for $image:$tag ($ref)" >&2; exit 1; }
    digest[$family]=${ref##*@}
    echo "== pushed $image@${digest[$family]}" >&2
  fi
done
(( push )) || { echo "build.sh: built locally; run with --push to pin digests in containers/images.config" >&2; exit 0; }

# Families not rebuilt this time keep the digest they already have.
current() { grep -o "$registry/$1@sha256:[0-9a-fA-Z]*" "$root/containers/$2" | head -n 1 | sed 's/.*@//'; }
for family in java-tools ants training-cpu; do
  [[ -n ${digest[$family]:-} ]] || digest[$family]=$(current "$family" images.config)
done
[[ -n ${digest[training-cuda]:-} ]] || digest[training-cuda]=$(current training-cuda images-cuda.config)
status=BUILT
for family in java-tools ants training-cpu training-cuda; do
  [[ ${digest[$family]} =~ ^sha256:[0-9a-f]{64}$ ]] || status=UNBUILT
done

write_atomically() { local tmp; tmp=$(mktemp "$1.XXXX"); cat > "$tmp"; mv "$tmp" "$1"; }
write_atomically "$root/containers/images.config" <<CONFIG
// Container images of the pipeline: one per stage family, every reference pinned by digest.
// WRITTEN BY containers/build.sh after it pushes the images (\`containers/build.sh --push\`); do not edit by hand.
// Included by the docker, singularity and apptainer profiles of nextflow.config.
//
// deepstroke-images-status: $status
// Written $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(git -C "$root" rev-parse --short HEAD) (tag $tag).
process {
    container = '$registry/java-tools@${digest[java-tools]}'
    withName: '(.*:)?(ATLAS|REGISTER|APPLY_TRANSFORMS|BACK_PROJECT|REFINE_OVERLAY)(_.*)?' {
        container = '$registry/ants@${digest[ants]}'
    }
    withName: '(.*:)?(TRAIN|PREDICT)(_.*)?' {
        container = '$registry/training-cpu@${digest[training-cpu]}'
    }
}
CONFIG
write_atomically "$root/containers/images-cuda.config" <<CONFIG
// Training on NVIDIA GPUs (the cuda profile, combined with docker/singularity/apptainer): the training family runs
// in the CUDA 11.6 + cuDNN 8.3 image. WRITTEN BY containers/build.sh with images.config; do not edit by hand.
// deepstroke-images-status: $status
process {
    withName: '(.*:)?(TRAIN|PREDICT)(_.*)?' {
        container = '$registry/training-cuda@${digest[training-cuda]}'
    }
}
CONFIG
echo "build.sh: containers/images.config and images-cuda.config pinned (status $status)" >&2
