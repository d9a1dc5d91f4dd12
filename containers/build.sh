#!/usr/bin/env bash
# containers/build.sh - build the DeepStroke container images from Debian packages, push them to a registry and pin
# the pipeline to their digests (containers/images.config, images-cuda.config).
#
# Usage: containers/build.sh [--registry REGISTRY] [--only FAMILY[,FAMILY...]] [--engine podman|docker]
#                            [--skip-jars] [--force] [--no-push] [--stop-registry] [--push]
#   FAMILY      java-tools, ants, training-cpu (default: these three); training-cuda only when named (see README)
#   --registry  where the images go (default $DEEPSTROKE_REGISTRY or 127.0.0.1:5000). 127.0.0.1:5000 is a
#               docker-registry this script starts when nothing answers there (storage under the cache folder,
#               so pushed images survive; it keeps running: --stop-registry stops it). For any other registry
#               log in first (`podman login REGISTRY`).
#   --engine    podman (default when installed) or docker
#   --skip-jars do not run `make build` (the caller built the jars: the pipeline tests)
#   --force     rebuild even when a family's inputs are unchanged and its image is still in the registry
#   --no-push   build and check locally only; the config files stay untouched (a local image has no registry digest)
#   --push      accepted for compatibility (pushing is the default)
#
# What an image is made of (no remote base image: Docker Hub is unreachable here, and a base pulled by tag is not
# reproducible anyway):
#   1. a Debian root filesystem made by `mmdebstrap --variant=essential` from the host's Debian mirror (bookworm,
#      bookworm-updates, bookworm-security) with Debian's JRE 17 (the same openjdk-17 the hosts run), fontconfig +
#      DejaVu (QC pictures draw text), procps (Nextflow's task metrics) and libgomp1 (ND4J's OpenMP); documentation
#      left out. SOURCE_DATE_EPOCH = the bookworm Release date, so the tarball is bit-identical for the same
#      package set. One rootfs for all families (one shared layer in the registry), cached as
#      <cache>/rootfs/rootfs-<key>.tar, <key> = hash of the suites' Release files and the package list;
#   2. `FROM scratch` + `ADD rootfs.tar /` + COPY of what the family needs (containers/<family>/Dockerfile), built
#      with `--timestamp SOURCE_DATE_EPOCH`, which fixes the image's created time AND every file's mtime in the
#      layers: same inputs, same layers, same digest;
#   3. ants adds the Debian sid ANTs closure that bin/setup/install-ants.sh unpacked into .tools/ants (its own
#      loader and libraries, relocatable wrappers): the very ANTs the tests run with;
#      java-tools/ants add the jars of the base class-path family, training-cpu the dl4j family.
# Every family gets containers/<family>/packages.lock: the Debian packages and versions inside, the suites' Release
# dates and the snapshot.debian.org URLs that serve exactly those versions (how to rebuild years later: README).
#
# Incremental: a family whose inputs (build context, recipe, rootfs key) hash as in the last build and whose image
# is still in the registry is skipped (its digest kept). Cache: ${DEEPSTROKE_CONTAINER_CACHE:-~/.cache/deepstroke/
# containers}. Prints each image's size and build time.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
registry=${DEEPSTROKE_REGISTRY:-127.0.0.1:5000}
families=(java-tools ants training-cpu)
engine=""
skip_jars=0 force=0 push=1 stop_registry=0
cache=${DEEPSTROKE_CONTAINER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/deepstroke/containers}
tag=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/java-tools/pom.xml" | head -n 1)
base_packages=(openjdk-17-jre-headless fontconfig fonts-dejavu-core procps libgomp1)
suites=(bookworm bookworm-updates bookworm-security)

die() { echo "build.sh: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --push) push=1 ;;
    --no-push) push=0 ;;
    --registry) registry=$2; shift ;;
    --only) IFS=, read -r -a families <<< "$2"; shift ;;
    --engine) engine=$2; shift ;;
    --skip-jars) skip_jars=1 ;;
    --force) force=1 ;;
    --stop-registry) stop_registry=1 ;;
    -h|--help) sed -n '2,40p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "build.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# ---- the local registry -------------------------------------------------------------------------------------
reg_dir=$cache/registry
registry_up() { curl -fsS -o /dev/null --max-time 2 "http://$registry/v2/" 2>/dev/null; }
if (( stop_registry )); then
  if [[ -f $reg_dir/pid ]] && kill -0 "$(cat "$reg_dir/pid")" 2>/dev/null; then
    kill "$(cat "$reg_dir/pid")"; rm -f "$reg_dir/pid"; echo "build.sh: local registry stopped" >&2
  fi
  exit 0
fi
local_registry=0
[[ $registry == 127.0.0.1:5000 ]] && local_registry=1
if (( push && local_registry )) && ! registry_up; then
  command -v docker-registry >/dev/null || die "docker-registry is not installed (make setup)"
  mkdir -p "$reg_dir/data"
  cat > "$reg_dir/config.yml" <<EOF
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $reg_dir/data}
  delete: {enabled: true}
http: {addr: 127.0.0.1:5000}
EOF
  setsid docker-registry serve "$reg_dir/config.yml" >>"$reg_dir/registry.log" 2>&1 < /dev/null &
  echo $! > "$reg_dir/pid"
  for _ in $(seq 1 50); do registry_up && break; sleep 0.2; done
  registry_up || die "the local registry did not start (log: $reg_dir/registry.log)"
  log "local registry started on 127.0.0.1:5000 (pid $(cat "$reg_dir/pid"), storage $reg_dir/data)"
fi

# ---- engine ---------------------------------------------------------------------------------------------------
if [[ -z $engine ]]; then
  if command -v podman >/dev/null; then engine=podman; elif command -v docker >/dev/null; then engine=docker; fi
fi
[[ $engine == podman || $engine == docker ]] || die "neither podman nor docker is installed (make setup)"
tls=()
run_opts=()
if [[ $engine == podman ]]; then
  (( local_registry )) && tls=(--tls-verify=false)
  run_opts=(--runtime runc)
fi


# ---- 1. the Debian root filesystem ----------------------------------------------------------------------------
mirror=${DEEPSTROKE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${DEEPSTROKE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
suite_url() { [[ $1 == *-security ]] && echo "$security_mirror" || echo "$mirror"; }
mkdir -p "$cache/rootfs" "$cache/release" "$cache/stamps" "$cache/context"
release_dates=()
for s in "${suites[@]}"; do
  curl -fsS --max-time 60 -o "$cache/release/$s.InRelease.new" "$(suite_url "$s")/dists/$s/InRelease" \
    || die "cannot fetch $(suite_url "$s")/dists/$s/InRelease"
  mv "$cache/release/$s.InRelease.new" "$cache/release/$s.InRelease"
  release_dates+=("$s $(sed -n 's/^Date: //p' "$cache/release/$s.InRelease" | head -n 1)")
done
epoch=$(date -d "$(sed -n 's/^Date: //p' "$cache/release/bookworm.InRelease" | head -n 1)" +%s)
rootfs_key=$( { printf '%s\n' "${base_packages[@]}" "${suites[@]}" "$mirror" "$security_mirror" "layout 2"; cat "$root/containers/rootfs/deterministic-cacerts.sh";
                sha256sum "$cache"/release/*.InRelease | cut -d' ' -f1; } | sha256sum | cut -c1-16)
rootfs=$cache/rootfs/rootfs-$rootfs_key.tar
if [[ ! -s $rootfs ]]; then
  command -v mmdebstrap >/dev/null || die "mmdebstrap is not installed (make setup)"
  log "mmdebstrap: Debian bookworm rootfs with ${base_packages[*]} (SOURCE_DATE_EPOCH=$epoch)"
  t0=$SECONDS
  sources=$(for s in "${suites[@]}"; do echo "deb $(suite_url "$s") $s main"; done)
  # (man1 must exist: update-alternatives links java.1.gz there even when dpkg leaves man pages out)
  SOURCE_DATE_EPOCH=$epoch mmdebstrap --verbose --variant=essential --include="$(IFS=,; echo "${base_packages[*]}")" \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-exclude=/usr/share/info/*' --setup-hook='mkdir -p "$1"/usr/share/man/man1' \
      --customize-hook='chroot "$1" dpkg-query -W -f="\${Package} \${Version} \${Architecture}\n" | LC_ALL=C sort > "$1/.packages"' \
      --customize-hook='mv "$1/.packages" '"'$rootfs.packages'" \
      --customize-hook="$root/containers/rootfs/deterministic-cacerts.sh"' "$1"' \
      --customize-hook='rm -f "$1"/etc/machine-id "$1"/var/cache/ldconfig/aux-cache "$1"/var/log/*.log; : > "$1"/etc/machine-id' \
      --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
      bookworm "$cache/rootfs/partial-$rootfs_key.tar" "$sources" > "$cache/rootfs/mmdebstrap.log" 2>&1 \
      || { grep -E '^(E:|dpkg: error|.*error)' "$cache/rootfs/mmdebstrap.log" | tail -n 5 >&2
           die "mmdebstrap failed (log: $cache/rootfs/mmdebstrap.log)"; }
  mv "$cache/rootfs/partial-$rootfs_key.tar" "$rootfs"
  log "rootfs $(du -m "$rootfs" | cut -f1) MB in $((SECONDS - t0)) s: ${rootfs#"$HOME"/}"
fi

snapshot_url() {   # $1 archive (debian, debian-security), $2 RFC 2822 date: the first snapshot after that date
  echo "https://snapshot.debian.org/archive/$1/$(date -u -d "$2 + 6 hours" +%Y%m%dT%H0000Z)/"
}
write_lock() {   # $1 family
  local lock=$root/containers/$1/packages.lock tmp s d
  tmp=$(mktemp "$lock.XXXX")
  {
    echo "# Debian packages inside the $1 image. WRITTEN BY containers/build.sh; commit it with images.config."
    echo "# SOURCE_DATE_EPOCH=$epoch (the bookworm Release date: every file and the image carry this time)"
    echo "# To rebuild these exact versions later, point mmdebstrap at these snapshots (see containers/README.md):"
    for d in "${release_dates[@]}"; do
      s=${d%% *}
      echo "# suite $s released ${d#* }: $(snapshot_url "$( [[ $s == *-security ]] && echo debian-security || echo debian)" "${d#* }")"
    done
    echo "# rootfs: mmdebstrap --variant=essential --include=${base_packages[*]}"
    echo "# package version architecture"
    cat "$rootfs.packages"
    if [[ $1 == ants ]]; then
      local sid_date
      sid_date=$(sed -n 's/^Date: //p' "${DEEPSTROKE_APT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/deepstroke/apt}/sid/lists/"*_sid_InRelease 2>/dev/null | head -n 1)
      echo "# /opt/deepstroke/.tools/ants: Debian sid's ants closure unpacked by bin/setup/install-ants.sh"
      echo "# suite sid${sid_date:+ released $sid_date: $(snapshot_url debian "$sid_date")}"
      awk '{ print "sid:" $1, $2, "amd64" }' "$root/.tools/ants/PACKAGES"
    fi
  } > "$tmp"
  mv "$tmp" "$lock"
}

(( skip_jars )) || make -C "$root" build >&2
[[ -d $root/java-tools/dist/target/lib/base ]] || die "java-tools/dist/target/lib/base is missing (make build)"

# ---- 2. per family: context, build, push ------------------------------------------------------------------------
stage_context() {   # $1 family, $2 context folder
  local ctx=$2
  rm -rf "$ctx"; mkdir -p "$ctx/deepstroke/lib" "$ctx/deepstroke/bin"
  ln "$rootfs" "$ctx/rootfs.tar" 2>/dev/null || cp "$rootfs" "$ctx/rootfs.tar"
  cp -a "$root/bin/deepstroke" "$ctx/deepstroke/bin/"
  cp -a "$root/params" "$ctx/deepstroke/params"
  case $1 in
    java-tools) cp -a "$root/java-tools/dist/target/lib/base" "$ctx/deepstroke/lib/" ;;
    ants)
      [[ -x $root/.tools/ants/bin/antsRegistration ]] || die "no .tools/ants (make setup installs ANTs there)"
      cp -a "$root/java-tools/dist/target/lib/base" "$ctx/deepstroke/lib/"
      mkdir -p "$ctx/deepstroke/.tools"; cp -a "$root/.tools/ants" "$ctx/deepstroke/.tools/ants" ;;
    training-cpu)
      [[ -d $root/java-tools/dist/target/lib/dl4j ]] || die "java-tools/dist/target/lib/dl4j is missing (make build)"
      cp -a "$root/java-tools/dist/target/lib/base" "$root/java-tools/dist/target/lib/dl4j" "$ctx/deepstroke/lib/" ;;
    training-cuda)
      [[ -d $root/java-tools/dist/target/lib/dl4j ]] || die "java-tools/dist/target/lib/dl4j is missing (make build)"
      cp -a "$root/java-tools/dist/target/lib/base" "$root/java-tools/dist/target/lib/dl4j" "$ctx/deepstroke/lib/"
      [[ -x $root/containers/training-cuda/fetch-cuda.sh ]] \
        || die "training-cuda: the CUDA staging step (containers/training-cuda/fetch-cuda.sh) is not written yet (containers/README.md)"
      "$root/containers/training-cuda/fetch-cuda.sh" "$cache/cuda" "$ctx" ;;
    *) die "unknown family $1" ;;
  esac
  # the launcher, params and unpacked trees carry their checkout's mode bits only; no owner from the host
  chmod -R u+rwX,go+rX,go-w "$ctx/deepstroke"
}
inputs_hash() {   # $1 family, $2 context: what the image is made of (contents, modes, links; not mtimes)
  ( cd "$2" && { find . -path ./rootfs.tar -prune -o \( -type f -o -type l \) -printf '%p %m %l\n' | LC_ALL=C sort
                 find . -path ./rootfs.tar -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; } )
  echo "rootfs $rootfs_key epoch $epoch engine $engine tag $tag"
  cat "$root/containers/$1/Dockerfile"
}
in_registry() { skopeo inspect "${tls[@]}" --raw "docker://$1" >/dev/null 2>&1; }

declare -A digest
summary=()
for family in "${families[@]}"; do
  [[ -f $root/containers/$family/Dockerfile ]] || die "no recipe containers/$family/Dockerfile"
  image=$registry/$family
  ctx=$cache/context/$family
  t0=$SECONDS
  stage_context "$family" "$ctx"
  hash=$(inputs_hash "$family" "$ctx" | sha256sum | cut -c1-64)
  stamp=$cache/stamps/$family.$(echo "$registry" | tr -c 'A-Za-z0-9.\n' _)
  if (( push && !force )) && [[ -f $stamp ]] && [[ $(sed -n 1p "$stamp") == "$hash" ]] \
      && in_registry "$image@$(sed -n 2p "$stamp")"; then
    digest[$family]=$(sed -n 2p "$stamp")
    write_lock "$family"
    log "$family: inputs unchanged, $image@${digest[$family]} still in the registry: not rebuilt"
    summary+=("$family $(sed -n 3p "$stamp") MB (cached) ${digest[$family]}")
    continue
  fi
  log "building $image:$tag ($engine, SOURCE_DATE_EPOCH=$epoch)"
  if [[ $engine == podman ]]; then
    podman build --quiet --timestamp "$epoch" --layers=false --pull=never --network=none -f "$root/containers/$family/Dockerfile" \
        -t "$image:$tag" "$ctx" >/dev/null
  else
    SOURCE_DATE_EPOCH=$epoch docker build -q -f "$root/containers/$family/Dockerfile" -t "$image:$tag" "$ctx" >/dev/null
  fi
  # the image starts and its tools run (not a RUN step in the recipe: a build-time run would write files)
  out=$($engine run --rm "${run_opts[@]}" --network=none "$image:$tag" deepstroke versions) || die "$family: deepstroke versions failed in the image"
  grep -q '^java: "17' <<<"$out" || die "$family: unexpected versions in the image: $out"
  if [[ $family == ants ]]; then
    grep -q '^ants: "2\.' <<<"$out" || die "ants: ANTs not found in the image: $out"
  fi
  size=$(( $($engine image inspect --format '{{.Size}}' "$image:$tag") / 1000000 ))
  if (( push )); then
    dfile=$(mktemp)
    if [[ $engine == podman ]]; then
      podman push --quiet "${tls[@]}" --digestfile "$dfile" "$image:$tag" >&2
      digest[$family]=$(cat "$dfile")
    else
      docker push -q "$image:$tag" >&2
      digest[$family]=$(docker inspect --format '{{index .RepoDigests 0}}' "$image:$tag" | sed 's/.*@//')
    fi
    rm -f "$dfile"
    [[ ${digest[$family]} =~ ^sha256:[0-9a-f]{64}$ ]] || die "no registry digest for $image:$tag (${digest[$family]})"
    in_registry "$image@${digest[$family]}" || die "$image@${digest[$family]} is not in the registry after the push"
    printf '%s\n%s\n%s\n' "$hash" "${digest[$family]}" "$size" > "$stamp"
  fi
  write_lock "$family"
  log "$family: ${size} MB, built in $((SECONDS - t0)) s${digest[$family]:+, pushed $image@${digest[$family]}}"
  summary+=("$family $size MB $((SECONDS - t0)) s ${digest[$family]:-}")
done
printf 'build.sh: %s\n' "${summary[@]}" >&2
(( push )) || { echo "build.sh: built locally (--no-push): containers/images.config left as it is" >&2; exit 0; }

# ---- 3. pin the pipeline ------------------------------------------------------------------------------------------
# Families not rebuilt this time keep the digest they already have (same registry only).
current() { grep -o "'$registry/$1@sha256:[0-9a-zA-Z]*'" "$root/containers/$2" 2>/dev/null | head -n 1 | tr -d "'" | sed 's/.*@//' || true; }
for family in java-tools ants training-cpu; do
  [[ -n ${digest[$family]:-} ]] || digest[$family]=$(current "$family" images.config)
  [[ -n ${digest[$family]:-} ]] || digest[$family]=sha256:UNBUILT
done
[[ -n ${digest[training-cuda]:-} ]] || digest[training-cuda]=$(current training-cuda images-cuda.config)
[[ -n ${digest[training-cuda]:-} ]] || digest[training-cuda]=sha256:UNBUILT
status=BUILT
for family in java-tools ants training-cpu; do
  [[ ${digest[$family]} =~ ^sha256:[0-9a-f]{64}$ ]] || status=UNBUILT
done
cuda_status=BUILT
[[ ${digest[training-cuda]} =~ ^sha256:[0-9a-f]{64}$ ]] || cuda_status=UNBUILT

write_atomically() { local tmp; tmp=$(mktemp "$1.XXXX"); cat > "$tmp"; mv "$tmp" "$1"; }
write_atomically "$root/containers/images.config" <<CONFIG
// Container images of the pipeline: one per stage family, every reference pinned by the digest the registry
// returned. WRITTEN BY containers/build.sh (see containers/README.md); do not edit by hand.
// Included by the podman, docker, singularity and apptainer profiles of nextflow.config.
//
// deepstroke-images-status: $status
process {
    container = '$registry/java-tools@${digest[java-tools]}'
    withLabel: 'ants' {
        container = '$registry/ants@${digest[ants]}'
    }
    withLabel: 'dl4j' {
        container = '$registry/training-cpu@${digest[training-cpu]}'
    }
}
CONFIG
write_atomically "$root/containers/images-cuda.config" <<CONFIG
// Training on NVIDIA GPUs (the cuda profile, combined with podman/docker/singularity/apptainer): the training
// family runs in the CUDA image. WRITTEN BY containers/build.sh with images.config; do not edit by hand.
// deepstroke-images-status: $cuda_status
process {
    withLabel: 'dl4j' {
        container = '$registry/training-cuda@${digest[training-cuda]}'
    }
}
CONFIG
echo "build.sh: containers/images.config (status $status) and images-cuda.config (status $cuda_status) pinned" >&2
