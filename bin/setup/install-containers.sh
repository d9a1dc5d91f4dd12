#!/usr/bin/env bash
# install-containers.sh - the container and cluster toolchain: podman, buildah, skopeo, mmdebstrap, runc,
# docker-registry (images, containers/build.sh) and Debian's one-node SLURM (slurmctld, slurmd, munge; the slurm
# test starts its own cluster). All from the host's Debian suite (bookworm) through apt-get.
#
# Usage: bin/setup/install-containers.sh <project-root>
#
# 1. apt-get installs whatever of the packages is missing (root only; otherwise it names what to install).
# 2. podman's settings this machine needs, measured (issue 15):
#      - crun, podman's default runtime, fails here ("cgroups in hybrid mode not supported"): runc works;
#      - the default ulimits (nofile 1048576) exceed the hard limit of 20000: "setrlimit RLIMIT_NOFILE: operation
#        not permitted"; `default_ulimits = []` keeps the limits the caller has.
#    They go into /etc/containers/containers.conf.d/50-deepstroke.conf ([engine] runtime = "runc",
#    [containers] default_ulimits = []), so plain `podman run` and Nextflow's podman executor both work; the
#    podman profile passes --runtime runc as well (for hosts set up otherwise).
#    The local registry containers/build.sh starts (127.0.0.1:5000, plain HTTP) is declared insecure in
#    /etc/containers/registries.conf.d/50-deepstroke-local.conf, so `podman pull 127.0.0.1:5000/...@sha256:...`
#    works without --tls-verify=false (Nextflow's podman executor passes no such flag).
# Idempotent: a second run changes nothing and takes well under a second.
set -euo pipefail

die() { echo "ERROR: install-containers: $*" >&2; exit 1; }
[[ $# -eq 1 && -d "$1" ]] || die "usage: bin/setup/install-containers.sh <project-root>"

# command -> Debian package
declare -A PKG=([podman]=podman [buildah]=buildah [skopeo]=skopeo [mmdebstrap]=mmdebstrap [runc]=runc
                [docker-registry]=docker-registry [slurmctld]=slurmctld [slurmd]=slurmd [munged]=munge
                [sbatch]=slurm-client [newuidmap]=uidmap [fuse-overlayfs]=fuse-overlayfs)
missing=()
for cmd in "${!PKG[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1 \
        || missing+=("${PKG[$cmd]}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    [[ $(id -u) == 0 ]] || die "missing packages (install them as root): apt-get install ${missing[*]}"
    echo "install-containers: apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed"
    # slurmctld/slurmd/munge start their services on install where systemd runs; the slurm test starts its own
    # daemons with its own configuration, so a service started here would only hold the ports: policy-rc.d stops
    # that (and is removed afterwards).
    policy=/usr/sbin/policy-rc.d
    own_policy=0
    if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 755 "$policy"; own_policy=1; fi
    apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" >/dev/null \
        || { [[ $own_policy == 1 ]] && rm -f "$policy"; die "apt-get install ${missing[*]} failed"; }
    [[ $own_policy == 1 ]] && rm -f "$policy"
fi

write_if_changed() {   # $1 file; content on stdin
    local tmp; tmp=$(mktemp)
    cat >"$tmp"
    if [[ -f "$1" ]] && cmp -s "$tmp" "$1"; then rm -f "$tmp"; return 0; fi
    mkdir -p "$(dirname "$1")"
    mv "$tmp" "$1"; chmod 644 "$1"
    echo "install-containers: wrote $1"
}
if [[ $(id -u) == 0 ]]; then
    write_if_changed /etc/containers/containers.conf.d/50-deepstroke.conf <<'EOF'
# Written by DeepStroke bin/setup/install-containers.sh (see there why): crun fails on this host's hybrid
# cgroups, and podman's default ulimits exceed the hard nofile limit.
[containers]
default_ulimits = []

[engine]
runtime = "runc"
EOF
    write_if_changed /etc/containers/registries.conf.d/50-deepstroke-local.conf <<'EOF'
# Written by DeepStroke bin/setup/install-containers.sh: the local registry containers/build.sh starts
# (docker-registry on 127.0.0.1:5000) speaks plain HTTP.
[[registry]]
location = "127.0.0.1:5000"
insecure = true
EOF
else
    echo "install-containers: not root: podman needs, in its containers.conf, [containers] default_ulimits = []" \
         "and [engine] runtime = \"runc\" on hosts like this one (see this script's header)" >&2
fi
echo "containers: podman $(podman --version | awk '{print $3}'), buildah $(buildah --version | awk '{print $3}')," \
     "mmdebstrap $(mmdebstrap --version | awk '{print $2}'), slurm $(PATH=$PATH:/usr/sbin slurmctld -V | awk '{print $2}')"
