# shellcheck shell=bash
# private-apt.sh - run apt against ANY Debian suite with a fully private configuration.
#
# Source it (do not execute it):   . "$(dirname "$0")/private-apt.sh"
#
# Why: the project needs a few Debian packages that this host either does not have in its own suite
# (ANTs is only in trixie/sid) or that must be unpacked into the project tree instead of being installed
# into the system (PixelMed jars). Installing a foreign suite's packages with dpkg would replace the host's
# libc, so we never touch /etc/apt, /var/lib/apt or /var/lib/dpkg and never call dpkg -i. Everything apt
# reads or writes lives under one directory per suite:
#
#   ${DEEPSTROKE_APT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/deepstroke/apt}/<suite>/
#       apt.conf       private APT_CONFIG (the host's apt.conf.d is NOT read: no hooks, no appstream)
#       sources.list   "deb [signed-by=<debian keyring>] <host's Debian mirror> <suite> main"
#       status         EMPTY dpkg status: apt resolves the full closure as if nothing were installed
#       lists/         package indices (Dir::State::Lists)
#       archives/      downloaded .debs, kept across runs and re-clones of the project; sid drops
#                      old versions from the mirror quickly, so the cache is what makes a re-install of
#                      the same versions possible later
#
# Works as root or as an ordinary user; needs apt-get, apt-cache, dpkg-deb and network access to the
# Debian mirror only when the cache is cold or stale.
#
# Functions (all fail with one line on stderr naming what failed):
#   pa_init SUITE                 set up the private tree for SUITE and select it (sets PA_DIR, PA_SUITE)
#   pa_apt_get ARGS...            apt-get with the private config
#   pa_apt_cache ARGS...          apt-cache with the private config
#   pa_update [MAX_AGE_HOURS]     refresh indices if missing/older than MAX_AGE (default 24); when the
#                                 mirror is unreachable but indices exist, warn and keep the old ones
#   pa_resolve PKG...             print "name version arch" for the Depends/Pre-Depends closure of PKG...
#                                 (no Recommends/Suggests) as apt would install it on an empty system
#   pa_candidate NAME             print the version apt would install (nothing if unknown)
#   pa_depends NAME=VER...        print "name<TAB>Pre-Depends+Depends<TAB>Provides" per package
#   pa_download NAME=VER...       make sure the .debs are in archives/ (cached ones are reused after a
#                                 SHA256 check against the index); prints the absolute .deb paths
#   pa_extract PREFIX DEB...      dpkg-deb -x every DEB into PREFIX (no maintainer scripts run)
#   pa_die MSG                    print "ERROR: MSG" to stderr and exit 1

pa_die() { echo "ERROR: $*" >&2; exit 1; }
pa_warn() { echo "WARNING: $*" >&2; }
pa_log() { echo "[private-apt] $*" >&2; }

# The Debian mirror the host itself uses (first URI serving the host's own suite), so that this works
# behind the same mirror/proxy setup as the system. Override with DEEPSTROKE_DEBIAN_MIRROR.
pa_host_mirror() {
    if [[ -n "${DEEPSTROKE_DEBIAN_MIRROR:-}" ]]; then echo "$DEEPSTROKE_DEBIAN_MIRROR"; return; fi
    local codename="" uri=""
    # only a Debian host's own mirror is known to carry Debian suites (an Ubuntu mirror has no sid)
    codename=$(. /etc/os-release 2>/dev/null && [[ "${ID:-}" == debian ]] && echo "${VERSION_CODENAME:-}") || true
    if [[ -n "$codename" ]]; then
        # deb822 *.sources: paragraph with "Suites:" containing the codename -> its first URI
        uri=$(awk -v cn="$codename" '
            BEGIN { RS=""; FS="\n" }
            { u=""; ok=0
              for (i=1;i<=NF;i++) {
                if ($i ~ /^URIs:/)   { split($i,a,/[ \t]+/); u=a[2] }
                if ($i ~ /^Suites:/) { n=split($i,s,/[ \t]+/); for (j=2;j<=n;j++) if (s[j]==cn) ok=1 }
                if ($i ~ /^Enabled:[ \t]*no/) ok=0 }
              if (ok && u!="") { print u; exit } }' /etc/apt/sources.list.d/*.sources 2>/dev/null) || true
        if [[ -z "$uri" ]]; then
            # one-line format: deb [opts] URI SUITE COMPONENTS...
            uri=$(awk -v cn="$codename" '$1=="deb" { i=2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                      if ($(i+1)==cn) { print $i; exit } }' \
                      /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null) || true
        fi
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

pa_init() {
    local suite="${1:?pa_init: suite missing}"
    command -v apt-get >/dev/null && command -v apt-cache >/dev/null && command -v dpkg-deb >/dev/null \
        || pa_die "private-apt: apt-get, apt-cache and dpkg-deb are required (Debian/Ubuntu host)"
    PA_SUITE="$suite"
    PA_DIR="${DEEPSTROKE_APT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/deepstroke/apt}/$suite"
    mkdir -p "$PA_DIR"/{lists/partial,archives/partial,cache,state,log,empty.d} \
        || pa_die "private-apt: cannot create $PA_DIR"
    # EMPTY dpkg status: nothing counts as installed. (Re)created only when missing or non-empty, so
    # apt's binary cache, which is keyed on the status file's mtime, stays valid between runs.
    [[ -f "$PA_DIR/status" && ! -s "$PA_DIR/status" ]] || : >"$PA_DIR/status"
    [[ -f "$PA_DIR/preferences" && ! -s "$PA_DIR/preferences" ]] || : >"$PA_DIR/preferences"
    local arch keyring mirror opts=""
    arch=$(dpkg --print-architecture) || pa_die "private-apt: dpkg --print-architecture failed"
    mirror=$(pa_host_mirror)
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    [[ -r "$keyring" ]] && opts=" [signed-by=$keyring]"
    echo "deb$opts $mirror $suite main" >"$PA_DIR/sources.list.new"
    # only rewrite when changed, so apt's binary cache stays valid
    if ! cmp -s "$PA_DIR/sources.list.new" "$PA_DIR/sources.list" 2>/dev/null; then
        mv "$PA_DIR/sources.list.new" "$PA_DIR/sources.list"
    else
        rm -f "$PA_DIR/sources.list.new"
    fi
    cat >"$PA_DIR/apt.conf.new" <<EOF
// Generated by bin/setup/private-apt.sh: private apt for suite $suite. Nothing here touches the system.
Dir::Etc::main "$PA_DIR/empty.d/none";      // host /etc/apt/apt.conf is not read
Dir::Etc::Parts "$PA_DIR/empty.d";          // host apt.conf.d (hooks, appstream, docker-clean) not read
Dir::Etc::SourceList "$PA_DIR/sources.list";
Dir::Etc::SourceParts "$PA_DIR/empty.d";
Dir::Etc::Preferences "$PA_DIR/preferences";
Dir::Etc::PreferencesParts "$PA_DIR/empty.d";
Dir::State "$PA_DIR/state";
Dir::State::Lists "$PA_DIR/lists";
Dir::State::status "$PA_DIR/status";        // empty: resolve as if nothing were installed
Dir::Cache "$PA_DIR/cache";
Dir::Cache::Archives "$PA_DIR/archives";
Dir::Cache::srcpkgcache "";                 // the binary pkgcache.bin is kept (fast re-runs), this one not
Acquire::GzipIndexes "true";                // keep indices compressed on disk (~10 MB instead of 65 MB)
Dir::Log "$PA_DIR/log";
APT::Architecture "$arch";
APT::Architectures { "$arch"; };            // no multiarch surprises from the host's dpkg
APT::Install-Recommends "false";
APT::Install-Suggests "false";
APT::Sandbox::User "$(id -un)";             // archives live in \$HOME, which _apt cannot write
Acquire::Languages "none";                  // Packages indices only, no translations
Acquire::Retries "3";
Acquire::http::Timeout "30";
EOF
    # Inherit the host's network policy for the mirror: proxies, and whether expired Release files are
    # accepted (the mirror reachable on this workplace is a frozen snapshot whose Release files are past
    # their Valid-Until; the host sets Check-Valid-Until/Check-Date "false"; signatures are still checked).
    { echo "// inherited from the host's apt configuration:"
      apt-config dump 2>/dev/null | grep -E '^Acquire::(Check-Valid-Until|Check-Date|(https?|ftp)::Proxy)( |::)' || true
    } >>"$PA_DIR/apt.conf.new"
    if ! cmp -s "$PA_DIR/apt.conf.new" "$PA_DIR/apt.conf" 2>/dev/null; then
        mv "$PA_DIR/apt.conf.new" "$PA_DIR/apt.conf"
    else
        rm -f "$PA_DIR/apt.conf.new"
    fi
}

pa_apt_get()   { APT_CONFIG="$PA_DIR/apt.conf" apt-get "$@"; }
pa_apt_cache() { APT_CONFIG="$PA_DIR/apt.conf" apt-cache "$@"; }

# True when at least one Packages index for the suite is present.
pa_have_lists() { compgen -G "$PA_DIR/lists/*_dists_${PA_SUITE}_*Packages*" >/dev/null; }

pa_update() {
    local max_age_h="${1:-24}" stamp="$PA_DIR/lists/.updated"
    if pa_have_lists && [[ -f "$stamp" ]] && \
       [[ -z "$(find "$stamp" -mmin +$((max_age_h * 60)) 2>/dev/null)" ]]; then
        return 0                                  # fresh enough: no network
    fi
    pa_log "apt-get update ($PA_SUITE) -> $PA_DIR/lists"
    if pa_apt_get -q -o APT::Update::Error-Mode=any update >"$PA_DIR/log/update.log" 2>&1; then
        touch "$stamp"
    elif pa_have_lists; then
        pa_warn "apt-get update for $PA_SUITE failed (see $PA_DIR/log/update.log); using the cached indices"
    else
        tail -n 5 "$PA_DIR/log/update.log" >&2
        pa_die "apt-get update for suite $PA_SUITE failed and no cached indices exist (see $PA_DIR/log/update.log)"
    fi
}

# Force the next pa_update to hit the network (used when a cached index names a .deb the mirror dropped).
pa_invalidate() { rm -f "$PA_DIR/lists/.updated"; }

pa_resolve() {
    local out tmp
    # Ask apt what it would download to install PKG... on a bare system (empty status file; Depends +
    # Pre-Depends only, Recommends/Suggests are off in apt.conf). --print-uris against an empty archive
    # dir lists every package of the closure; it is 4x faster than `apt-get -s install`, whose install
    # ordering simulation costs seconds for a few hundred packages.
    tmp=$(mktemp -d "$PA_DIR/resolve.XXXXXX") && mkdir -p "$tmp/partial" || pa_die "mktemp in $PA_DIR failed"
    out=$(pa_apt_get -o Dir::Cache::Archives="$tmp" install --print-uris -qq "$@" 2>&1) \
        || { rm -rf "$tmp"; echo "$out" | tail -n 5 >&2; pa_die "apt could not resolve $* in suite $PA_SUITE"; }
    rm -rf "$tmp"
    # 'http://.../pool/main/a/ants/ants_2.6.5%2bdfsg-1_amd64.deb' ants_2.6.5+dfsg-1_amd64.deb SIZE HASH
    # (the second field is apt's local file name: name_version_arch.deb with ':' quoted as %3a)
    awk '$1 ~ /^\x27/ { f=$2; sub(/\.deb$/,"",f); gsub(/%3a/,":",f); n=split(f,x,"_")
                         if (n==3) print x[1], x[2], x[3] }' <<<"$out"
}

pa_candidate() {
    # the version apt would install of one package (empty when the suite has no such package)
    pa_apt_cache show --no-all-versions "$1" 2>/dev/null | awk '/^Version: /{ print $2; exit }'
}

pa_depends() {
    # One line per package: name<TAB>Pre-Depends + Depends<TAB>Provides ("-" when empty, so that
    # `IFS=$'\t' read` does not merge empty fields)
    pa_apt_cache show --no-all-versions "$@" 2>/dev/null | awk '
        function out() { if (p!="") print p "\t" (d=="" ? "-" : d) "\t" (v=="" ? "-" : v); p="" }
        /^Package: /      { out(); p=$2; d=""; v="" }
        /^Depends: /      { sub(/^Depends: /,""); d = (d=="" ? $0 : d ", " $0) }
        /^Pre-Depends: /  { sub(/^Pre-Depends: /,""); d = (d=="" ? $0 : d ", " $0) }
        /^Provides: /     { sub(/^Provides: /,""); v=$0 }
        /^$/              { out() }
        END               { out() }'
}

# pa_download NAME=VERSION... ; apt-get download stores name_version_arch.deb with ':' quoted as %3a.
pa_download() {
    local name ver arch sha file missing=() paths=()
    local info
    info=$(pa_apt_cache show --no-all-versions "$@" 2>/dev/null | \
           awk '/^Package: /{p=$2} /^Version: /{v=$2} /^Architecture: /{a=$2} /^SHA256: /{h=$2}
                /^$/{ if (p!="") print p, v, a, h; p="" } END { if (p!="") print p, v, a, h }') \
        || pa_die "apt-cache show failed for the requested packages ($PA_SUITE)"
    while read -r name ver arch sha; do
        file="$PA_DIR/archives/${name}_${ver//:/%3a}_${arch}.deb"
        paths+=("$file")
        # cached and intact (same SHA256 as the signed index says)? then no network needed
        if [[ -f "$file" ]] && [[ "$(sha256sum <"$file" | cut -d' ' -f1)" == "$sha" ]]; then continue; fi
        rm -f "$file"
        missing+=("$name=$ver")
    done <<<"$info"
    [[ ${#paths[@]} -eq $# ]] || pa_die "apt-cache knows only ${#paths[@]} of the $# requested packages in $PA_SUITE"
    if [[ ${#missing[@]} -gt 0 ]]; then
        pa_log "downloading ${#missing[@]} package(s) from $PA_SUITE into $PA_DIR/archives"
        # apt-get download writes into the current directory and checks the index hashes
        ( cd "$PA_DIR/archives" && pa_apt_get -q download "${missing[@]}" ) >"$PA_DIR/log/download.log" 2>&1 || {
            tail -n 5 "$PA_DIR/log/download.log" >&2
            return 1            # caller may refresh indices and retry (see pa_invalidate)
        }
    fi
    printf '%s\n' "${paths[@]}"
}

pa_extract() {
    local prefix="${1:?pa_extract: prefix missing}"; shift
    mkdir -p "$prefix" || pa_die "cannot create $prefix"
    local deb
    for deb in "$@"; do
        dpkg-deb -x "$deb" "$prefix" || pa_die "dpkg-deb -x failed for $deb"
    done
}
