#!/usr/bin/env bash
# install-dicom3tools.sh - David Clunie's dicom3tools (dciodvfy: validates a DICOM object against its IOD), which
# the aspects-scan tests run on the Secondary Capture it writes.
#
# Usage: bin/setup/install-dicom3tools.sh <project-root>
#
# Debian's `dicom3tools` package, installed with apt-get when no `dciodvfy` is on PATH (root, as on this platform's
# machines and CI). A run with dciodvfy present is a no-op. The tests that need it fail with this script's command
# when it is absent: never skipped.
set -euo pipefail

die() { echo "ERROR: install-dicom3tools: $*" >&2; exit 1; }

[[ $# -eq 1 ]] || die "usage: bin/setup/install-dicom3tools.sh <project-root>"
if command -v dciodvfy > /dev/null 2>&1; then
  echo "dicom3tools: using $(command -v dciodvfy)" >&2
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  die "dicom3tools is not installed and this is not root: run 'sudo apt-get install -y dicom3tools'"
fi
echo "[install-dicom3tools] apt-get install dicom3tools (Debian)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq > /dev/null || die "apt-get update failed"
apt-get install -y -qq --no-install-recommends dicom3tools > /dev/null || die "apt-get install dicom3tools failed"
echo "dicom3tools: installed $(command -v dciodvfy)" >&2
