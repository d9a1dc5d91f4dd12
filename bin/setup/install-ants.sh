#!/usr/bin/env bash
# install-ants.sh - provide ANTs (antsRegistration & co.) for DeepStroke.
#
# Usage: bin/setup/install-ants.sh <project-root>
#
# 1. If an antsRegistration that is not one of our generated wrappers is already on PATH (clusters and
#    containers usually provide ANTs), use it: print "ANTs: using <path> from PATH" and exit 0.
#    Set DEEPSTROKE_ANTS_FORCE_PRIVATE=1 to install the private copy anyway.
# 2. Otherwise install Debian sid's `ants` (>= 2.6.5; trixie's 2.5.4 segfaults on transform I/O because
#    trixie's ITK changed ABI under it) into <root>/.tools/ants WITHOUT touching the system:
#
#      .tools/ants/prefix/   the needed sid packages unpacked with dpkg-deb -x (their own libc, libstdc++,
#                            ITK, VTK, ...); no maintainer scripts run, nothing in /usr or /etc changes
#      .tools/ants/bin/      what goes on PATH:
#                              - one sh wrapper per ELF program of prefix/usr/lib/ants, which runs
#                                PREFIX/usr/lib64/ld-linux-x86-64.so.2 --library-path
#                                PREFIX/usr/lib/x86_64-linux-gnu:PREFIX/usr/lib/ants/lib --argv0 NAME
#                                PREFIX/usr/lib/ants/NAME "$@"
#                                (ANTs' RUNPATH is the absolute /usr/lib/ants/lib and the host's libc is too
#                                old for sid's binaries, hence the prefix's own loader). The wrappers find
#                                PREFIX relative to their own (symlink-resolved) location, so the .tools
#                                tree can be moved or the project re-cloned elsewhere and copied along.
#                                LD_LIBRARY_PATH is ignored by the wrapped programs (--library-path wins).
#                              - symlinks to the shell/perl scripts (antsRegistrationSyN.sh,
#                                antsRegistrationSyNQuick.sh, antsBrainExtraction.sh, ...)
#                              - Debian's suffix-less public names (antsRegistrationSyN -> ...SyN.sh, ...)
#      .tools/ants/env.sh    `. .tools/ants/env.sh` sets PATH and ANTSPATH as below
#      .tools/ants/STAMP     "ants <debian version>" + layout; its presence makes re-runs a no-op (<1 s)
#      .tools/ants/PACKAGES  the unpacked packages and versions (provenance)
#
#    HOW TO USE THE SCRIPTS: the ANTs shell scripts call antsRegistration, ImageMath, ... through PATH
#    (ANTs 2.6 checks `command -v antsRegistration`; older scripts and multi_template_script.sh use
#    ${ANTSPATH}/NAME). Started directly, a script does not get anything from our wrappers' environment,
#    so callers must set, before running any *.sh:
#        export PATH=<root>/.tools/ants/bin:$PATH
#        export ANTSPATH=<root>/.tools/ants/bin/          (trailing slash: scripts append NAME)
#    or just `. <root>/.tools/ants/env.sh`. The ELF wrappers themselves need neither.
#
# Which packages: apt (private config, see private-apt.sh) resolves the complete Depends/Pre-Depends
# closure of `ants` on an empty system from sid's CURRENT metadata (~330 packages, ~375 MB: perl, gnupg,
# fonts, MPI, GDAL, ffmpeg, ...). Only a part of that is needed at run time, so packages are chosen by
# the rule "a package is unpacked iff it ships a shared library that an ANTs program (transitively)
# loads": starting from ants + libc6 (the loader), every ANTs ELF program is traced with the prefix's
# loader; each unresolved soname is looked up in the file lists of the dependency candidates (the
# apt-resolved Depends of the packages already chosen, probed name-alike first) and its package is
# unpacked; repeat until every program resolves entirely inside the prefix. No frozen package list: a sid
# update changes the result automatically, and a missing library fails the install with its soname.
# Afterwards docs/man pages/headers/static libs and shared libraries that no ANTs program loads are
# deleted (libc6 is kept whole: NSS/gconv modules are dlopen()ed); DEEPSTROKE_ANTS_PRUNE=0 keeps them.
#
# The .debs are cached in ~/.cache/deepstroke/apt/sid/archives (kept across runs and re-clones; sid
# drops old versions from the mirror quickly). Environment knobs:
#   DEEPSTROKE_ANTS_VERSION=<debian version>  install exactly that version of sid's ants
#   DEEPSTROKE_ANTS_SUITE=sid                 Debian suite to take ants from
#   DEEPSTROKE_ANTS_SKIP_SMOKE=1              skip the tiny registration run at the end of an install
#   DEEPSTROKE_APT_CACHE, DEEPSTROKE_DEBIAN_MIRROR: see private-apt.sh
set -euo pipefail

die() { echo "ERROR: install-ants: $*" >&2; exit 1; }
log() { echo "[install-ants] $*" >&2; }

[[ $# -eq 1 ]] || die "usage: bin/setup/install-ants.sh <project-root>"
[[ -d "$1" ]] || die "project root '$1' is not a directory"
ROOT=$(cd "$1" && pwd -P)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
TOOLS="$ROOT/.tools/ants"
BIN="$TOOLS/bin"
STAMP="$TOOLS/STAMP"
SUITE="${DEEPSTROKE_ANTS_SUITE:-sid}"
MIN_VERSION="2.6.5"            # first Debian ANTs known to work with its suite's ITK (see shared notes)
LAYOUT=1                       # bump when the layout of .tools/ants changes: forces a reinstall
MARKER="generated by DeepStroke bin/setup/install-ants.sh"
# Programs whose start-up is checked after every install (the ones the pipeline uses).
CHECK_TOOLS=(ImageMath ThresholdImage N4BiasFieldCorrection LabelOverlapMeasures
             CreateJacobianDeterminantImage antsTransformInfo antsRegistrationSyNQuick.sh
             antsRegistrationSyN.sh)

is_our_wrapper() { head -c 512 "$1" 2>/dev/null | grep -q "$MARKER"; }

# ---- 1. an ANTs provided by the environment wins -------------------------------------------------------
if [[ "${DEEPSTROKE_ANTS_FORCE_PRIVATE:-0}" != 1 ]] && path=$(command -v antsRegistration 2>/dev/null) \
   && ! is_our_wrapper "$path"; then
    echo "ANTs: using $path from PATH"
    exit 0
fi

# ---- 2. already installed? (no network, well under a second) --------------------------------------------
installed_ok() {
    [[ -f "$STAMP" ]] && grep -qx "layout $LAYOUT" "$STAMP" && grep -q '^ants ' "$STAMP" \
        && "$BIN/antsRegistration" --version >/dev/null 2>&1
}
if installed_ok; then
    echo "ANTs: $(grep '^ants ' "$STAMP") already installed in $TOOLS (bin: $BIN)"
    exit 0
fi

# One install at a time per project root (parallel CI jobs / pipeline starts).
mkdir -p "$ROOT/.tools" || die "cannot create $ROOT/.tools"
if command -v flock >/dev/null; then
    exec 9>"$ROOT/.tools/.ants.lock"
    flock -w 1800 9 || die "timed out waiting for another install-ants.sh (lock $ROOT/.tools/.ants.lock)"
    if installed_ok; then echo "ANTs: $(grep '^ants ' "$STAMP") installed by a concurrent run"; exit 0; fi
fi

# shellcheck source=private-apt.sh
. "$HERE/private-apt.sh"

T0=$SECONDS
NEW="$TOOLS.new"               # built and verified here, then swapped into place
STAGE="$NEW/prefix"
trap 'rm -rf "$NEW"' EXIT      # a failed install leaves nothing half-built behind

# ---- helpers for the package selection -----------------------------------------------------------------
declare -A VER=() DEPS=() PROVIDER_OF_VIRTUAL=() SONAME_PKG=() SEL=() PROBED=() DEBFILE=()

# lib dirs the loader searches in the prefix, filled once libc6 is unpacked
LIBDIR="" LOADER="" LIBPATH=""

ELF_PROGS=()
is_elf() { [[ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" == '177ELF' ]]; }
find_elf_programs() {   # the ELF executables of the ants package (once, after unpacking ants)
    local f
    ELF_PROGS=()
    for f in "$STAGE"/usr/lib/ants/*; do
        if [[ -f "$f" && -x "$f" ]] && is_elf "$f"; then ELF_PROGS+=("$f"); fi
    done
    [[ ${#ELF_PROGS[@]} -gt 0 ]] || die "the ants package contains no ELF programs in /usr/lib/ants"
}

# Trace every ANTs program with the prefix's loader. Prints "soname<TAB>path" for every object loaded
# (path "-" when not found). Objects resolved OUTSIDE the prefix (host libs found through the host's
# ld.so.cache or /lib) count as missing: at run time we want nothing from the host.
trace_all() {
    local prog
    for prog in "${ELF_PROGS[@]}"; do
        LD_TRACE_LOADED_OBJECTS=1 "$LOADER" --library-path "$LIBPATH" "$prog" 2>/dev/null || true
    done | awk -v pfx="$STAGE/" '
        $2=="=>" { p = ($3=="not") ? "-" : $3
                   if (p!="-" && index(p,pfx)!=1) p="-"
                   if (!($1 in seen) || seen[$1]=="-") seen[$1]=p }
        END { for (s in seen) print s "\t" seen[s] }'
}

find_loader() {
    local libc
    libc=$(find "$STAGE/usr/lib" "$STAGE/lib" -maxdepth 2 -name 'libc.so.6' 2>/dev/null | head -n1 || true)
    [[ -n "$libc" ]] || die "libc.so.6 not found in the unpacked libc6 package"
    LIBDIR=$(dirname "$libc")
    LOADER=$(find "$STAGE/usr/lib64" "$STAGE/lib64" "$LIBDIR" -maxdepth 1 -name 'ld-linux*.so.*' 2>/dev/null | head -n1 || true)
    [[ -n "$LOADER" ]] || die "the dynamic loader (ld-linux*.so.*) is missing from the unpacked libc6"
    LIBPATH="$LIBDIR:$STAGE/usr/lib/ants/lib"
}

# Candidate packages: the apt-resolved Depends/Pre-Depends of a chosen package, mapped onto the closure
# (alternatives: first one in the closure; virtual names: the closure member that provides them).
deps_of() {
    local grp alt
    local -a groups alts
    IFS=',' read -ra groups <<<"${DEPS[$1]:-}"
    for grp in "${groups[@]}"; do
        IFS='|' read -ra alts <<<"$grp"
        for alt in "${alts[@]}"; do
            alt="${alt%%(*}"; alt="${alt//[[:space:]]/}"; alt="${alt%%:*}"     # drop "(>= 1.2)", ":any"
            if [[ -n "${VER[$alt]:-}" ]]; then echo "$alt"; break; fi
            if [[ -n "${PROVIDER_OF_VIRTUAL[$alt]:-}" ]]; then echo "${PROVIDER_OF_VIRTUAL[$alt]}"; break; fi
        done
    done
    return 0
}

# "libvtkCommonMath-9.6.so.1" and package "libvtk9.6" share the stem "vtk": probe such packages first.
stem() { local s="${1,,}"; s="${s#lib}"; s="${s%%[^a-z]*}"; echo "$s"; }
name_alike() {   # $1 package, rest: sonames
    local p s ps; ps=$(stem "$1"); shift
    for s in "$@"; do
        s=$(stem "$s")
        [[ -n "$s" && -n "$ps" ]] || continue
        [[ "$s" == "$ps"* || "$ps" == "$s"* || "${s:0:3}" == "${ps:0:3}" ]] && return 0
    done
    return 1
}

# Download candidates, index the shared objects each ships (file list only, nothing unpacked).
# A failed download sets NEED_RETRY=1 (a cached index may name a .deb the mirror already dropped).
NEED_RETRY=0
probe() {
    local specs=() p deb out so sol
    for p in "$@"; do specs+=("$p=${VER[$p]}"); done
    if ! out=$(pa_download "${specs[@]}"); then NEED_RETRY=1; return 0; fi
    for p in "$@"; do
        deb=$(grep -F "/${p}_" <<<"$out" | head -n1 || true)
        [[ -f "$deb" ]] || die "pa_download did not deliver a .deb for $p"
        DEBFILE[$p]="$deb"; PROBED[$p]=1
        # the list of shared objects per .deb is cached next to apt's cache (listing means decompressing
        # the whole package; the file name carries name, version and architecture)
        sol="$PA_DIR/solists/$(basename "$deb" .deb).txt"
        if [[ ! -f "$sol" || "$sol" -ot "$deb" ]]; then
            mkdir -p "$PA_DIR/solists"
            dpkg-deb -c "$deb" >"$sol.tmp" || die "dpkg-deb -c failed for $deb"
            awk '{ f=$6; if (f ~ /\/lib(64)?\// && f ~ /\.so(\.[0-9.]+)?$/) { sub(/.*\//,"",f); print f } }' "$sol.tmp" >"$sol"
            rm -f "$sol.tmp"
        fi
        while read -r so; do
            if [[ -z "${SONAME_PKG[$so]:-}" ]]; then SONAME_PKG[$so]="$p"; fi
        done <"$sol"
    done
    return 0
}

select_pkg() {
    SEL[$1]=1
    pa_extract "$STAGE" "${DEBFILE[$1]}"
}

FOUND=0
select_known() {   # unpack the (already probed) packages that ship any of the given sonames
    local s p
    FOUND=0
    for s in "$@"; do
        p="${SONAME_PKG[$s]:-}"
        if [[ -n "$p" && -z "${SEL[$p]:-}" ]]; then select_pkg "$p"; FOUND=1; fi
    done
    return 0
}

build_prefix() {
    VER=() DEPS=() PROVIDER_OF_VIRTUAL=() SONAME_PKG=() SEL=() PROBED=() DEBFILE=()
    rm -rf "$NEW"; mkdir -p "$STAGE"

    local want="ants" name ver arch deps prov v
    [[ -n "${DEEPSTROKE_ANTS_VERSION:-}" ]] && want="ants=$DEEPSTROKE_ANTS_VERSION"
    local resolved
    resolved=$(pa_resolve "$want")          # pa_resolve prints its own error line and exits on failure
    while read -r name ver arch; do VER[$name]="$ver"; done <<<"$resolved"
    [[ -n "${VER[ants]:-}" ]] || die "apt did not resolve the package ants in suite $SUITE"
    dpkg --compare-versions "${VER[ants]}" ge "$MIN_VERSION" \
        || die "$SUITE offers ants ${VER[ants]}, older than $MIN_VERSION (older Debian ANTs segfault with their ITK)"
    log "ants ${VER[ants]} from $SUITE: apt closure has ${#VER[@]} packages; selecting the runtime part"

    local specs=()
    for name in "${!VER[@]}"; do specs+=("$name=${VER[$name]}"); done
    local -a pv
    while IFS=$'\t' read -r name deps prov; do
        [[ "$deps" == "-" ]] && deps=""
        [[ "$prov" == "-" ]] && prov=""
        DEPS[$name]="$deps"
        IFS=',' read -ra pv <<<"$prov"
        for v in "${pv[@]}"; do
            v="${v%%(*}"; v="${v//[[:space:]]/}"
            if [[ -n "$v" && -z "${PROVIDER_OF_VIRTUAL[$v]:-}" ]]; then PROVIDER_OF_VIRTUAL[$v]="$name"; fi
        done
    done < <(pa_depends "${specs[@]}")

    [[ -n "${VER[libc6]:-}" ]] || die "libc6 is not in the resolved closure of ants (unexpected metadata)"
    probe ants libc6; [[ $NEED_RETRY == 0 ]] || return 0
    select_pkg ants; select_pkg libc6
    find_loader
    find_elf_programs

    local round missing=() cands alike others p
    for round in $(seq 1 50); do
        mapfile -t missing < <(trace_all | awk -F'\t' '$2=="-" { print $1 }' | sort)
        log "  round $round (t=$((SECONDS - T0)) s): ${#SEL[@]} packages unpacked, ${#missing[@]} sonames unresolved"
        [[ ${#missing[@]} -eq 0 ]] && return 0
        # 1) sonames already seen in a probed package
        select_known "${missing[@]}"
        [[ $FOUND -eq 1 ]] && continue
        # 2) probe unprobed dependencies of the chosen packages, name-alike ones first, then select
        cands=()
        for p in "${!SEL[@]}"; do mapfile -t -O "${#cands[@]}" cands < <(deps_of "$p"); done
        alike=() others=()
        for p in $(printf '%s\n' "${cands[@]}" | sort -u); do
            [[ -n "${PROBED[$p]:-}" ]] && continue
            if name_alike "$p" "${missing[@]}"; then alike+=("$p"); else others+=("$p"); fi
        done
        if [[ ${#alike[@]} -gt 0 ]]; then probe "${alike[@]}"
        elif [[ ${#others[@]} -gt 0 ]]; then probe "${others[@]}"
        else
            for p in "${missing[@]}"; do
                [[ -n "${SONAME_PKG[$p]:-}" ]] && p="$p (shipped by ${SONAME_PKG[$p]}, but not in the library path)"
                echo "  unresolved: $p" >&2
            done
            die "no package in the $SUITE closure of ants provides ${#missing[@]} needed shared libraries (listed above)"
        fi
        [[ $NEED_RETRY == 0 ]] || return 0
        select_known "${missing[@]}"
    done
    die "package selection did not converge after 50 rounds (still missing: ${missing[*]})"
}

# ---- 3. resolve, download, unpack ----------------------------------------------------------------------
pa_init "$SUITE"
pa_update 24
build_prefix
if [[ $NEED_RETRY == 1 ]]; then
    # A cached index can name a .deb the mirror has dropped already: refresh the indices once and retry.
    log "download failed; refreshing the $SUITE indices and retrying once"
    pa_invalidate; pa_update 0; NEED_RETRY=0
    build_prefix
    [[ $NEED_RETRY == 0 ]] || die "downloading ants' packages from $SUITE failed (see $PA_DIR/log/download.log)"
fi
log "package selection done after $((SECONDS - T0)) s"
for p in "${!SEL[@]}"; do echo "$p ${VER[$p]}"; done | sort >"$NEW/PACKAGES"
DL_BYTES=$(for p in "${!PROBED[@]}"; do stat -c %s "${DEBFILE[$p]}"; done | awk '{s+=$1} END {print s+0}')
SEL_BYTES=$(for p in "${!SEL[@]}"; do stat -c %s "${DEBFILE[$p]}"; done | awk '{s+=$1} END {print s+0}')
log "unpacked ${#SEL[@]} packages ($((SEL_BYTES / 1000000)) MB of .debs; $((DL_BYTES / 1000000)) MB incl. probed-only ones)"

# ---- 4. prune what no ANTs program uses ----------------------------------------------------------------
if [[ "${DEEPSTROKE_ANTS_PRUNE:-1}" == 1 ]]; then
    # documentation, headers, static/libtool libs, build-system files, VTK's wrapping metadata (34 MB)
    rm -rf "$STAGE"/usr/share/{doc,doc-base,man,info,locale,lintian,bug,bash-completion,gdb} \
           "$STAGE"/usr/include "$LIBDIR"/vtk-*/hierarchy
    find "$STAGE" \( -name '*.a' -o -name '*.la' \) -type f -delete
    find "$STAGE" -type d \( -name pkgconfig -o -name cmake \) -prune -exec rm -rf {} +
    # shared libraries no ANTs program loads (libc6's own files stay: dlopen()ed NSS/gconv/... modules)
    keep="$NEW/.keep"
    { trace_all | awk -F'\t' '$2!="-" { print $2 }' | xargs -r realpath -m --
      dpkg-deb -c "${DEBFILE[libc6]}" | awk '{ f=$6; sub(/^\./,"",f); print f }' | sed "s|^|$STAGE|"
    } | sort -u >"$keep"
    mapfile -t libs < <(find "$LIBDIR" "$STAGE/usr/lib/ants/lib" -maxdepth 1 \( -type f -o -type l \) -name '*.so*')
    if [[ ${#libs[@]} -gt 0 ]]; then
        # a library file stays if it, or what its symlink chain ends at, was loaded by some program
        paste <(printf '%s\n' "${libs[@]}") <(realpath -m -- "${libs[@]}") \
            | awk -F'\t' 'NR==FNR { keep[$0]=1; next } !($1 in keep) && !($2 in keep) { print $1 }' "$keep" - \
            | xargs -r -d '\n' rm -f
    fi
    rm -f "$keep"
    # anything left behind now unresolved means the pruning was wrong: fail loudly
    if trace_all | awk -F'\t' '$2=="-" { m=m " " $1 } END { if (m!="") { print m; exit 1 } }' >"$NEW/.miss"; then
        rm -f "$NEW/.miss"
    else
        die "pruning removed libraries still needed:$(cat "$NEW/.miss")"
    fi
fi

log "pruning done after $((SECONDS - T0)) s: prefix $(du -sh "$STAGE" | cut -f1)"

# ---- 5. wrappers ---------------------------------------------------------------------------------------
mkdir -p "$NEW/bin"
REL_LOADER="${LOADER#"$STAGE"/}"
REL_LIBDIR="${LIBDIR#"$STAGE"/}"
n_elf=0 n_script=0
for f in "$STAGE"/usr/lib/ants/*; do
    name=$(basename "$f")
    [[ -f "$f" && -x "$f" ]] || continue
    if is_elf "$f"; then
        cat >"$NEW/bin/$name" <<EOF
#!/bin/sh
# $name: ANTs ${VER[ants]} (Debian $SUITE) - $MARKER; do not edit.
# Runs the program with the private prefix's own loader and libraries; the prefix is found relative to
# this file, so the .tools tree can be moved.
p=\$(dirname "\$(readlink -f "\$0")")/../prefix
exec "\$p/$REL_LOADER" --library-path "\$p/$REL_LIBDIR:\$p/usr/lib/ants/lib" --argv0 "$name" "\$p/usr/lib/ants/$name" "\$@"
EOF
        chmod 755 "$NEW/bin/$name"; n_elf=$((n_elf + 1))
    else
        # shell/perl/R scripts: they find the tools through PATH / ANTSPATH (see header)
        ln -s "../prefix/usr/lib/ants/$name" "$NEW/bin/$name"; n_script=$((n_script + 1))
    fi
done
# Debian's public names in /usr/bin (e.g. antsRegistrationSyN -> ../lib/ants/antsRegistrationSyN.sh)
for l in "$STAGE"/usr/bin/*; do
    [[ -L "$l" ]] || continue
    name=$(basename "$l"); target=$(basename "$(readlink "$l")")
    [[ -e "$NEW/bin/$name" || ! -e "$NEW/bin/$target" ]] && continue
    ln -s "$target" "$NEW/bin/$name"
done
[[ -f "$NEW/bin/antsRegistration" ]] || die "no antsRegistration program in the unpacked ants package"
cat >"$NEW/env.sh" <<'EOF'
# Source me: puts the private ANTs first on PATH and sets ANTSPATH for the ANTs shell scripts.
_ants_bin=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/bin" && pwd)
export PATH="$_ants_bin:$PATH" ANTSPATH="$_ants_bin/"
unset _ants_bin
EOF
printf 'ants %s\nsuite %s\nlayout %s\n' "${VER[ants]}" "$SUITE" "$LAYOUT" >"$NEW/STAMP"

# ---- 6. verify (in the new tree, so a broken build never replaces a working one) -----------------------
verify() {   # $1 = ants tree
    local b="$1/bin" t out
    out=$("$b/antsRegistration" --version 2>&1) || die "antsRegistration --version failed: $(head -n1 <<<"$out")"
    echo "  antsRegistration --version: $(tr '\n' ' ' <<<"$out")"
    # ANTs 2.6.5's antsApplyTransforms has no --version flag ("Invalid flag provided version"): then
    # --help must work, which proves the program and all its libraries load.
    if out=$("$b/antsApplyTransforms" --version 2>&1); then
        echo "  antsApplyTransforms --version: $(tr '\n' ' ' <<<"$out")"
    elif grep -q 'Invalid flag provided version' <<<"$out" && "$b/antsApplyTransforms" --help >/dev/null 2>&1; then
        echo "  antsApplyTransforms: runs (--help ok; this ANTs has no --version flag for it)"
    else
        die "antsApplyTransforms does not run: $(grep -v '^$' <<<"$out" | head -n1)"
    fi
    for t in "${CHECK_TOOLS[@]}"; do
        [[ -e "$b/$t" ]] || die "$t is missing from $b"
        # Without arguments the tools print their usage and exit 0/1 (antsTransformInfo prints nothing).
        # A loader/library problem shows as exit 126/127, a crash as a signal (>128), or as a loader
        # message ("error while loading shared libraries", "symbol lookup error", "version `GLIBC...").
        set +e; out=$(PATH="$b:$PATH" ANTSPATH="$b/" "$b/$t" 2>&1 </dev/null); rc=$?; set -e
        if [[ $rc -ge 126 ]] || grep -qE 'error while loading shared libraries|symbol lookup error|version `[A-Z]+_[0-9.]+'"'"' not found' <<<"$out"; then
            die "$t does not start (exit $rc): $(grep -v '^$' <<<"$out" | head -n1)"
        fi
        echo "  $t: starts (exit $rc; $(grep -v '^[[:space:]]*$' <<<"$out" | head -n1 | cut -c1-60 || true))"
    done
}
echo "ANTs ${VER[ants]}: verifying the new install"
verify "$NEW"

# Prove the whole chain on real data: a blob image, shifted by a known translation, registered back.
smoke() {   # $1 = ants tree
    local b="$1/bin" w t0 t1 out off
    w=$(mktemp -d) || die "mktemp failed"
    trap 'rm -rf "$w"' RETURN
    export PATH="$b:$PATH"
    CreateImage 3 "$w/z.nii.gz" 0x0x0 2x2x2 40x40x40 0 >/dev/null \
      && ImageMath 3 "$w/p.nii.gz" SetOrGetPixel "$w/z.nii.gz" 1000 18 20 22 >/dev/null \
      && ImageMath 3 "$w/p.nii.gz" SetOrGetPixel "$w/p.nii.gz" 600 26 14 20 >/dev/null \
      && SmoothImage 3 "$w/p.nii.gz" 5 "$w/fixed.nii.gz" >/dev/null \
      || die "smoke test: could not create the synthetic test image with CreateImage/ImageMath/SmoothImage"
    printf '#Insight Transform File V1.0\n#Transform 0\nTransform: MatrixOffsetTransformBase_double_3_3\nParameters: 1 0 0 0 1 0 0 0 1 4 -3 2\nFixedParameters: 0 0 0\n' >"$w/shift.txt"
    antsApplyTransforms -d 3 -i "$w/fixed.nii.gz" -r "$w/fixed.nii.gz" -t "$w/shift.txt" -o "$w/moving.nii.gz" >/dev/null \
      || die "smoke test: antsApplyTransforms failed"
    t0=$(date +%s.%N)
    out=$(antsRegistration -d 3 --float 1 -o "[$w/x_,$w/x_warped.nii.gz]" -t 'Translation[0.5]' \
          -m "MeanSquares[$w/fixed.nii.gz,$w/moving.nii.gz,1]" -c 50x20 -s 1x0vox -f 2x1 2>&1) \
      || die "smoke test: antsRegistration failed: $(tail -n1 <<<"$out")"
    t1=$(date +%s.%N)
    [[ -s "$w/x_warped.nii.gz" && -s "$w/x_0GenericAffine.mat" ]] || die "smoke test: antsRegistration wrote no output"
    out=$(antsTransformInfo "$w/x_0GenericAffine.mat" 2>&1) || die "smoke test: antsTransformInfo failed"
    # moving(x) = fixed(x + t), so the fixed->moving transform found must be x - t: offset (-4, 3, -2)
    off=$(grep -m1 'Offset:' <<<"$out" | tr -d '[],' | awk '{print $2, $3, $4}')
    awk -v o="$off" 'BEGIN { split(o,v," "); e=(v[1]+4)^2+(v[2]-3)^2+(v[3]+2)^2; exit !(o!="" && e<0.25) }' \
        || die "smoke test: antsRegistration recovered offset [$off], expected about [-4 3 -2]"
    echo "  smoke registration: $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s; recovered offset [$off] for an applied shift of (4,-3,2) mm: ok"
}
[[ "${DEEPSTROKE_ANTS_SKIP_SMOKE:-0}" == 1 ]] || ( smoke "$NEW" )

# ---- 7. swap into place --------------------------------------------------------------------------------
rm -rf "$TOOLS.old"
[[ -e "$TOOLS" ]] && mv "$TOOLS" "$TOOLS.old"
mv "$NEW" "$TOOLS"
rm -rf "$TOOLS.old"
"$BIN/antsRegistration" --version >/dev/null 2>&1 || die "the installed wrappers in $BIN do not run after moving the tree"
echo "ANTs ${VER[ants]} installed in $TOOLS in $((SECONDS - T0)) s ($n_elf programs, $n_script scripts; $(du -sh "$TOOLS" | cut -f1) on disk)"
echo "  use: export PATH=$BIN:\$PATH ANTSPATH=$BIN/    (or: . $TOOLS/env.sh)"
