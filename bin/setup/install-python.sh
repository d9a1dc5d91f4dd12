#!/usr/bin/env bash
# Create <project-root>/.tools/venv with the pinned Python tools
# (MLflow tracking server, nibabel, numpy, and dcm2niix: the tests' reference
# DICOM-to-NIfTI converter, .tools/venv/bin/dcm2niix) from bin/setup/requirements.txt.
#
# Usage: bin/setup/install-python.sh <project-root>
#        PYTHON=/path/to/python3.11 bin/setup/install-python.sh <project-root>
#
# Idempotent: the venv holds a stamp with the sha256 of requirements.txt and
# of this script (see below); when it matches and the venv's python still
# runs, the script exits at once (~0.05 s). On a mismatch the venv is rebuilt from scratch, so
# packages dropped from requirements.txt do not linger.
#
# Wheel cache: pip's own HTTP cache (~/.cache/pip) stays empty on these
# machines (the registry proxy sends no ETag/Last-Modified/Cache-Control, so
# pip's cachecontrol never stores a response). The script therefore keeps the
# pinned wheels in a wheelhouse, $DEEPSTROKE_WHEELS or
# ~/.cache/deepstroke/wheels (~180 MB), installs from it with --no-index, and
# only downloads what is missing. A rebuild then needs no network.
set -euo pipefail

die() { echo "install-python: $*" >&2; exit 1; }

[[ $# -eq 1 ]] || die "usage: $0 <project-root>"
ROOT="$(cd "$1" 2>/dev/null && pwd)" || die "project root '$1' does not exist"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REQ="$HERE/requirements.txt"
VENV="$ROOT/.tools/venv"
STAMP="$VENV/.requirements.sha256"

[[ -f "$REQ" ]] || die "missing $REQ"

# Stamp: sha256 of requirements.txt and of this script, plus the venv path
# (a venv's scripts hold absolute paths, so a moved checkout needs a rebuild).
want="$(cd "$HERE" && sha256sum requirements.txt "$(basename "${BASH_SOURCE[0]}")"; echo "venv $VENV")"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]] \
   && "$VENV/bin/python" -c '' 2>/dev/null; then
  exit 0
fi

# The pins are resolved for CPython 3.10-3.12 (pyarrow 17, pinned by
# mlflow 2.17.2 as <18, has no wheels for 3.13). The machines have pyenv's
# 3.11.7 as python3.
PY="${PYTHON:-}"
if [[ -z "$PY" ]]; then
  for c in python3.11 python3.12 python3.10 python3; do
    if command -v "$c" >/dev/null 2>&1; then PY="$(command -v "$c")"; break; fi
  done
fi
[[ -n "$PY" ]] || die "no python3 found (need CPython 3.10-3.12; set PYTHON=...)"
"$PY" -c 'import sys; sys.exit(0 if (3,10) <= sys.version_info[:2] <= (3,12) else 1)' \
  || die "$PY is Python $("$PY" -c 'import platform; print(platform.python_version())'); need 3.10-3.12 (set PYTHON=...)"
"$PY" -c 'import venv, ensurepip' 2>/dev/null \
  || die "$PY lacks venv/ensurepip (Debian: apt-get install python3-venv)"

echo "install-python: building $VENV with $PY ($("$PY" -c 'import platform; print(platform.python_version())'))" >&2
# A venv cannot be moved after creation (absolute paths in its scripts), so it
# is built in place; the stamp is written last, so an interrupted build is
# redone on the next run.
rm -rf "$VENV"
mkdir -p "$ROOT/.tools"
"$PY" -m venv "$VENV" || die "could not create $VENV"

export PIP_DISABLE_PIP_VERSION_CHECK=1
WHEELS="${DEEPSTROKE_WHEELS:-${XDG_CACHE_HOME:-$HOME/.cache}/deepstroke/wheels}"
mkdir -p "$WHEELS" || die "cannot create wheel cache $WHEELS"
log="$ROOT/.tools/pip-install.log"
: >"$log"
pip=("$VENV/bin/pip")
# --no-deps + pip check: requirements.txt is a complete lock; anything it
# misses is an error here rather than an unpinned package picked by pip.
# --only-binary: everything pinned has wheels; never compile on a 2-core box.
# --no-compile: pip byte-compiles on one core (~50 s here); compileall below
# does the same on all cores in about half the time.
# pip resolves every requirement before installing any, so a failed offline
# attempt leaves the venv untouched.
install_offline() {
  "${pip[@]}" install --no-deps --no-index --no-compile --find-links "$WHEELS" -r "$REQ" >>"$log" 2>&1
}
if ! install_offline; then
  echo "install-python: downloading missing wheels into $WHEELS" >&2
  # pip download keeps files already in $WHEELS and fetches only the rest.
  if ! "${pip[@]}" download --no-deps --only-binary=:all: -d "$WHEELS" -r "$REQ" >>"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "could not download the wheels pinned in $REQ (full log: $log)"
  fi
  if ! install_offline; then
    tail -n 20 "$log" >&2
    die "pip install -r $REQ failed (full log: $log)"
  fi
fi
# The .pyc files must exist up front: `mlflow server` starts in ~3 s with
# them and ~12 s without, and Python would not add them later where
# PYTHONDONTWRITEBYTECODE=1 is set (it is in these sessions' environment).
# A file that fails to compile only costs speed, hence `|| true`.
"$VENV/bin/python" -m compileall -q -j 0 \
  "$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" >>"$log" 2>&1 || true
if ! "${pip[@]}" check >>"$log" 2>&1; then
  tail -n 20 "$log" >&2
  die "requirements.txt is inconsistent (pip check failed, log: $log)"
fi
"$VENV/bin/mlflow" --version >/dev/null 2>&1 || die "mlflow does not start in $VENV (log: $log)"
# dcm2niix: the wheel's program must run on this host and be the pinned version
# (`-v` prints the banner and exits 3).
dcm2niix_pin="$(sed -n 's/^dcm2niix==//p' "$REQ")"
dcm2niix_v="$("$VENV/bin/dcm2niix" -v 2>&1 || true)"
grep -q "version v$dcm2niix_pin " <<<"$dcm2niix_v" \
  || die "$VENV/bin/dcm2niix is not v$dcm2niix_pin: $(head -n 2 <<<"$dcm2niix_v" | tr '\n' ' ')"
rm -f "$log"

echo "$want" > "$STAMP"
echo "install-python: ready: $VENV ($(du -sh "$VENV" | cut -f1)), $("$VENV/bin/mlflow" --version), dcm2niix v$dcm2niix_pin" >&2
