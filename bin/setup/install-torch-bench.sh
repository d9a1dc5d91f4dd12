#!/usr/bin/env bash
# Venv with PyTorch for `make bench` only (the PyTorch twin of the U-Net, bin/bench/unet_torch_twin.py):
# torch==2.9.1 and numpy==2.4.6 from PyPI. Never called by `make setup` or CI: PyPI's torch 2.9.1 wheel for
# Linux x86_64 depends on the CUDA 12.8 libraries (nvidia-*-cu12), so the venv takes ~6.8 GB (~45 s to install
# here); PyTorch's CPU-only index (download.pytorch.org) is not reachable from these machines.
#
# Usage: bin/setup/install-torch-bench.sh [venv-dir]   (default ~/.cache/deepstroke/torch-venv)
#        PYTHON=/path/to/python3.11 bin/setup/install-torch-bench.sh
#
# Idempotent: when the venv's python imports torch 2.9.1 and numpy, it exits at once. Otherwise it creates the
# venv if missing and installs the pins into it; an existing venv is never deleted (other packages in it, e.g.
# MONAI, stay).
set -euo pipefail

die() { echo "install-torch-bench: $*" >&2; exit 1; }

TORCH_VERSION=2.9.1
NUMPY_VERSION=2.4.6
VENV="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/deepstroke/torch-venv}"

ready() {
  "$VENV/bin/python" -c "import sys, numpy, torch; sys.exit(0 if torch.__version__.split('+')[0] == '$TORCH_VERSION' else 1)" \
    >/dev/null 2>&1
}
if ready; then
  exit 0
fi

if [[ ! -x "$VENV/bin/python" ]]; then
  PY="${PYTHON:-}"
  if [[ -z "$PY" ]]; then
    for c in python3.11 python3.12 python3.10 python3; do
      if command -v "$c" >/dev/null 2>&1; then PY="$(command -v "$c")"; break; fi
    done
  fi
  [[ -n "$PY" ]] || die "no python3 found (torch $TORCH_VERSION needs CPython 3.10-3.13; set PYTHON=...)"
  "$PY" -c 'import sys; sys.exit(0 if (3,10) <= sys.version_info[:2] <= (3,13) else 1)' \
    || die "$PY is Python $("$PY" -c 'import platform; print(platform.python_version())'); need 3.10-3.13"
  mkdir -p "$(dirname "$VENV")"
  "$PY" -m venv "$VENV" || die "could not create $VENV (Debian: apt-get install python3-venv)"
fi

echo "install-torch-bench: installing torch==$TORCH_VERSION numpy==$NUMPY_VERSION into $VENV (~6.8 GB with the CUDA libraries)" >&2
PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/pip" install -q --only-binary=:all: \
  "torch==$TORCH_VERSION" "numpy==$NUMPY_VERSION" || die "pip install into $VENV failed"
ready || die "torch $TORCH_VERSION does not import in $VENV"
echo "install-torch-bench: ready: $VENV ($(du -sh "$VENV" | cut -f1))" >&2
