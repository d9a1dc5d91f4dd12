#!/usr/bin/env bash
# install-debian-programs.sh - programs the tests run that Debian's packages install system-wide, each only when it
# is missing from PATH (a run with all of them present is a no-op):
#   chromium  (package chromium)     headless browser: the tests open the HTML reports (aspects-scan's page)
#   dciodvfy  (package dicom3tools)  David Clunie's IOD validator: the tests check the DICOM objects we write
# Root, as on this platform's machines and CI (Chromium's ~100 dependencies are not worth a private unpack like
# install-dicom-tools.sh does). The tests that need a program fail with the install command when it is absent:
# never skipped.
#
# Usage: bin/setup/install-debian-programs.sh <project-root>
set -euo pipefail

die() { echo "ERROR: install-debian-programs: $*" >&2; exit 1; }

[[ $# -eq 1 ]] || die "usage: bin/setup/install-debian-programs.sh <project-root>"
programs=(chromium:chromium dciodvfy:dicom3tools)
missing=()
for entry in "${programs[@]}"; do
  program=${entry%%:*} package=${entry#*:}
  if command -v "$program" > /dev/null 2>&1; then
    echo "$package: using $(command -v "$program")" >&2
  else
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
[[ $(id -u) -eq 0 ]] || die "missing and this is not root: run 'sudo apt-get install -y ${missing[*]}'"
echo "[install-debian-programs] apt-get install ${missing[*]} (Debian)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq > /dev/null || die "apt-get update failed"
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null || die "apt-get install ${missing[*]} failed"
echo "installed: ${missing[*]}" >&2
