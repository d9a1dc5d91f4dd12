#!/usr/bin/env bash
# Install Nextflow 24.10.0 into <project-root>/.tools/nextflow/lib.
#
# Usage: bin/setup/install-nextflow.sh <project-root>
#
# Why Maven: the official installer downloads from www.nextflow.io / GitHub,
# which are not reachable here. Maven Central is, and io.nextflow:nextflow:24.10.0
# (with nf-commons, nf-httpfs, Groovy 4.0.23, ...) is the only complete Nextflow
# release there. nextflow-deps.pom.xml (beside this script) declares it; the
# maven-dependency-plugin copies it and its runtime dependencies (54 jars,
# ~40 MB) into .tools/nextflow/lib. ~/.m2 is the download cache, so a
# reinstall after `rm -rf .tools` works offline from it.
# The top-level ./nextflow script then runs nextflow.cli.Launcher from there.
#
# Idempotent: the stamp holds the sha256 of the POM and of this script; when
# it matches, the script exits before starting Maven (well under a second).
set -euo pipefail

die() { echo "install-nextflow: $*" >&2; exit 1; }

[[ $# -eq 1 ]] || die "usage: $0 <project-root>"
ROOT="$(cd "$1" 2>/dev/null && pwd)" || die "project root '$1' does not exist"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$HERE/nextflow-deps.pom.xml"
DEST="$ROOT/.tools/nextflow"
STAMP="$DEST/.installed"
[[ -f "$POM" ]] || die "missing $POM"
# The version lives in one place, the POM's <nextflow.version> property.
NXF_VERSION="$(sed -n 's:.*<nextflow.version>\(.*\)</nextflow.version>.*:\1:p' "$POM")"
[[ -n "$NXF_VERSION" ]] || die "no <nextflow.version> in $POM"

want="$(cd "$HERE" && sha256sum "$(basename "$POM")" "$(basename "${BASH_SOURCE[0]}")")"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" && -f "$DEST/lib/nextflow-$NXF_VERSION.jar" ]]; then
  exit 0
fi

command -v mvn >/dev/null 2>&1 || die "mvn not found (apt-get install maven)"
command -v java >/dev/null 2>&1 || [[ -n "${JAVA_HOME:-}" ]] || die "java not found (install a Java 17 JDK)"

echo "install-nextflow: resolving io.nextflow:nextflow:$NXF_VERSION from Maven Central into $DEST/lib" >&2
# Copy into a fresh temp dir and swap it in, so an interrupted run never
# leaves a half-filled lib/ that the launcher would try to use, and jars of an
# older version never linger next to the new ones.
mkdir -p "$ROOT/.tools"
tmp="$(mktemp -d "$ROOT/.tools/nextflow.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
log="$tmp/mvn.log"
# -B, style.color=never: plain logs. includeScope=runtime: compile+runtime jars,
# no test/provided ones (the optional spock/groovy-test entries of the
# Nextflow POM are skipped by Maven as optional transitive dependencies).
if ! mvn -B -q -Dstyle.color=never -f "$POM" \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp/lib" >"$log" 2>&1; then
  # Debian's Maven 3.8 emits stray ESC[0m even with style.color=never.
  sed 's/\x1b\[[0-9;]*m//g' "$log" | tail -n 30 >&2
  die "Maven could not resolve io.nextflow:nextflow:$NXF_VERSION (log above)"
fi
[[ -f "$tmp/lib/nextflow-$NXF_VERSION.jar" ]] || die "nextflow-$NXF_VERSION.jar missing after Maven run"
rm -f "$log"

echo "$want" > "$tmp/.installed"
rm -rf "$DEST"
mv "$tmp" "$DEST"
trap - EXIT
echo "install-nextflow: installed $(find "$DEST/lib" -name "*.jar" | wc -l) jars ($(du -sh "$DEST" | cut -f1)) into $DEST" >&2
