#!/usr/bin/env bash
# install-chromium.sh - a headless browser for the tests that open the HTML reports (aspects-scan's page).
#
# Usage: bin/setup/install-chromium.sh <project-root>
#
# Debian's `chromium` package (bookworm 120+), installed system-wide with apt-get when no `chromium` is on PATH
# (root, as on this platform's machines and CI; Chromium's ~100 dependencies are not worth a private unpack
# like install-dicom-tools.sh does). A run with chromium present is a no-op. The tests that need it fail with
# this script's command when it is absent: never skipped.
set -euo pipefail

die() { echo "ERROR: install-chromium: $*" >&2; exit 1; }

[[ $# -eq 1 ]] || die "usage: bin/setup/install-chromium.sh <project-root>"
if command -v chromium > /dev/null 2>&1; then
  echo "chromium: using $(command -v chromium) ($(chromium --version 2>/dev/null | head -1))" >&2
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  die "chromium is not installed and this is not root: run 'sudo apt-get install -y chromium'"
fi
echo "[install-chromium] apt-get install chromium (Debian)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq > /dev/null || die "apt-get update failed"
apt-get install -y -qq --no-install-recommends chromium > /dev/null || die "apt-get install chromium failed"
echo "chromium: installed $(chromium --version 2>/dev/null | head -1)" >&2
