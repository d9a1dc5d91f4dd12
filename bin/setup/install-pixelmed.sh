#!/usr/bin/env bash
# install-pixelmed.sh - provide the PixelMed DICOM toolkit jars to the Maven build.
#
# Usage: bin/setup/install-pixelmed.sh <project-root>
#
# PixelMed (David Clunie's DICOM toolkit, BSD-style licence) is not published on Maven Central, but Debian
# packages it. This script takes Debian bookworm's
#     libpixelmed-java          -> com.pixelmed:pixelmed:<upstream version>          (e.g. 20220618)
#     libpixelmed-imageio-java  -> com.pixelmed:pixelmed-imageio:<upstream version>  (e.g. 20200328)
# (.debs fetched with the private apt of private-apt.sh: private lists/cache/status, nothing installed
# into the system, no root needed; cached in ~/.cache/deepstroke/apt/bookworm/archives), unpacks their
# jars into <root>/.tools/pixelmed/ and installs each into the local Maven repository with FIXED
# coordinates (mvn install:install-file, plugin version pinned), so the pom can depend on them offline.
# The Maven version is Debian's upstream version without the "+dfsg" repack suffix and Debian revision.
#
# pixelmed-imageio is PixelMed's JPEG lossless (1.2.840.10008.1.2.4.57/.70) ImageIO plugin: without it on
# the class path, reading JPEG-lossless CT fails with "No reader for jpeg-lossless available".
# Other runtime needs of pixelmed (from the deb's Depends and the jar's Class-Path; all on Maven Central):
#     javax.vecmath:vecmath:1.5.2          REQUIRED for image geometry (GeometryOfSliceFromAttributeList,
#                                          MultiFrameImageFactory): NoClassDefFoundError javax/vecmath/...
#     org.apache.commons:commons-compress  optional: bzip2/.Z compressed DICOM (loaded by reflection)
#     org.slf4j:slf4j-api                  optional: PixelMed logs through it if present (reflection)
#     org.glassfish:javax.json, javax.xml.bind:jaxb-api   only for the DICOM JSON representation
#     commons-codec, commons-net, hsqldb, jmdns           only for phonetic matching/FTP/database/network
# Reading DICOM files and DICOMDIRs needs nothing but pixelmed.jar (+ pixelmed-imageio for JPEG lossless).
#
# Layout:  .tools/pixelmed/pixelmed-<v>.jar, pixelmed-imageio-<v>.jar, LICENSE-*.txt (Debian copyright),
#          STAMP (Maven coordinates + Debian versions; a re-run with an intact install is a no-op < 0.1 s)
# Environment:
#   DEEPSTROKE_M2_REPO=<dir>       local Maven repository to install into (default ~/.m2/repository, the
#                                  Maven default; set it if settings.xml moves localRepository)
#   DEEPSTROKE_PIXELMED_SUITE=bookworm   Debian suite to take the packages from
#   DEEPSTROKE_SHARED_DATA=<dir>   test data for the final check (default <root>/../shared/data)
#   DEEPSTROKE_APT_CACHE, DEEPSTROKE_DEBIAN_MIRROR: see private-apt.sh
set -euo pipefail

die() { echo "ERROR: install-pixelmed: $*" >&2; exit 1; }
log() { echo "[install-pixelmed] $*" >&2; }

[[ $# -eq 1 ]] || die "usage: bin/setup/install-pixelmed.sh <project-root>"
[[ -d "$1" ]] || die "project root '$1' is not a directory"
ROOT=$(cd "$1" && pwd -P)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
TOOLS="$ROOT/.tools/pixelmed"
STAMP="$TOOLS/STAMP"
SUITE="${DEEPSTROKE_PIXELMED_SUITE:-bookworm}"
M2_REPO="${DEEPSTROKE_M2_REPO:-$HOME/.m2/repository}"
INSTALL_PLUGIN="org.apache.maven.plugins:maven-install-plugin:3.1.3"   # pinned: no plugin resolution surprises
GROUP=com.pixelmed
LAYOUT=1
# Debian package -> Maven artifactId
declare -A ARTIFACT=([libpixelmed-java]=pixelmed [libpixelmed-imageio-java]=pixelmed-imageio)
PKGS=(libpixelmed-java libpixelmed-imageio-java)

m2_jar() { echo "$M2_REPO/${GROUP//.//}/$1/$2/$1-$2.jar"; }   # artifactId version

# ---- fast path: stamp present, jars in .tools and in the Maven repository identical ------------------
installed_ok() {
    [[ -f "$STAMP" ]] && grep -qx "layout $LAYOUT" "$STAMP" || return 1
    local a v n=0
    while read -r _ a v _; do
        [[ -f "$TOOLS/$a-$v.jar" ]] && cmp -s "$TOOLS/$a-$v.jar" "$(m2_jar "$a" "$v")" || return 1
        n=$((n + 1))
    done < <(grep '^artifact ' "$STAMP")
    [[ $n -eq ${#PKGS[@]} ]]
}
if installed_ok; then
    echo "PixelMed: already installed ($(awk '/^artifact /{printf "%s%s:%s:%s", s, g, $2, $3; s=", "}' g=$GROUP "$STAMP")) in $TOOLS and $M2_REPO"
    exit 0
fi

command -v java >/dev/null || die "java (17+) is required"
command -v mvn >/dev/null || die "mvn is required to install the jars into the local Maven repository"
mkdir -p "$ROOT/.tools" || die "cannot create $ROOT/.tools"
if command -v flock >/dev/null; then
    exec 9>"$ROOT/.tools/.pixelmed.lock"
    flock -w 600 9 || die "timed out waiting for another install-pixelmed.sh (lock $ROOT/.tools/.pixelmed.lock)"
    if installed_ok; then echo "PixelMed: installed by a concurrent run"; exit 0; fi
fi

# shellcheck source=private-apt.sh
. "$HERE/private-apt.sh"
T0=$SECONDS
NEW="$TOOLS.new"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/deepstroke-pixelmed.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$NEW" "$WORK"' EXIT
rm -rf "$NEW"; mkdir -p "$NEW"

# ---- 1. fetch the two .debs (cached) --------------------------------------------------------------------
pa_init "$SUITE"
pa_update 24
declare -A DEBVER=()
fetch() {
    local p specs=()
    for p in "${PKGS[@]}"; do
        DEBVER[$p]=$(pa_candidate "$p")
        [[ -n "${DEBVER[$p]}" ]] || die "Debian $SUITE has no package $p"
        specs+=("$p=${DEBVER[$p]}")
    done
    pa_download "${specs[@]}"
}
if ! DEBS=$(fetch); then
    log "download failed; refreshing the $SUITE indices and retrying once"
    pa_invalidate; pa_update 0
    DEBS=$(fetch) || die "downloading ${PKGS[*]} from $SUITE failed (see $PA_DIR/log/download.log)"
fi
for p in "${PKGS[@]}"; do DEBVER[$p]=$(pa_candidate "$p"); done   # fetch ran in a subshell

# ---- 2. unpack, pick the jar of each package, install into ~/.m2 ---------------------------------------
mvn_version() {   # Debian version -> upstream version: drop epoch, Debian revision, "+dfsg..." repack tag
    local v="${1#*:}"; v="${v%-*}"; v="${v%%+*}"; v="${v%%~*}"; echo "$v"
}
STAMP_LINES=()
for p in "${PKGS[@]}"; do
    deb=$(grep -F "/${p}_" <<<"$DEBS" | head -n1 || true)
    [[ -f "$deb" ]] || die "no .deb for $p after download"
    pa_extract "$WORK/$p" "$deb"
    # the real jar (Debian adds an unversioned symlink next to it)
    mapfile -t jars < <(find "$WORK/$p/usr/share/java" -maxdepth 1 -type f -name '*.jar')
    [[ ${#jars[@]} -eq 1 ]] || die "expected exactly one jar in $p, found ${#jars[@]}"
    a="${ARTIFACT[$p]}"; v=$(mvn_version "${DEBVER[$p]}")
    [[ "$v" =~ ^[0-9] ]] || die "cannot derive a Maven version from $p ${DEBVER[$p]}"
    cp "${jars[0]}" "$NEW/$a-$v.jar"
    cp "$WORK/$p/usr/share/doc/$p/copyright" "$NEW/LICENSE-$a.txt" 2>/dev/null || true
    repo_opt=()
    [[ -n "${DEEPSTROKE_M2_REPO:-}" ]] && repo_opt=(-Dmaven.repo.local="$M2_REPO")
    # run outside the project: its pom/.mvn config (possibly mid-edit) must not influence this
    if ! (cd "$WORK" && mvn -q -B "${repo_opt[@]}" "$INSTALL_PLUGIN:install-file" -Dfile="$NEW/$a-$v.jar" \
            -DgroupId="$GROUP" -DartifactId="$a" -Dversion="$v" -Dpackaging=jar >"$WORK/mvn-$a.log" 2>&1); then
        tail -n 5 "$WORK/mvn-$a.log" >&2
        die "mvn install:install-file failed for $GROUP:$a:$v"
    fi
    [[ -f "$(m2_jar "$a" "$v")" ]] || die "$GROUP:$a:$v is not in $M2_REPO after mvn install (settings.xml localRepository? set DEEPSTROKE_M2_REPO)"
    STAMP_LINES+=("artifact $a $v $p=${DEBVER[$p]}")
    log "installed $GROUP:$a:$v (Debian $p ${DEBVER[$p]})"
done

# ---- 3. verify with the jars from the Maven repository -------------------------------------------------
cat >"$WORK/PixelMedCheck.java" <<'EOF'
import com.pixelmed.dicom.*;
import com.pixelmed.display.SourceImage;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.File;
import java.util.*;

/** Smoke test of the PixelMed jars (written by bin/setup/install-pixelmed.sh into a temp dir). */
public class PixelMedCheck {
    static int countRecords(DicomDirectoryRecord r, Map<String, Integer> byType) {
        int n = 0;
        for (int i = 0; i < r.getChildCount(); i++) {
            DicomDirectoryRecord c = (DicomDirectoryRecord) r.getChildAt(i);
            byType.merge(Attribute.getSingleStringValueOrEmptyString(c.getAttributeList(), TagFromName.DirectoryRecordType), 1, Integer::sum);
            n += 1 + countRecords(c, byType);
        }
        return n;
    }

    static String describeImage(String path) throws Exception {
        AttributeList list = new AttributeList();
        list.read(path);
        String ts = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID);
        SourceImage si = new SourceImage(path);
        Raster r = si.getBufferedImage(0).getRaster();
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (int y = 0; y < r.getHeight(); y++)
            for (int x = 0; x < r.getWidth(); x++) { double v = r.getSampleDouble(x, y, 0); min = Math.min(min, v); max = Math.max(max, v); }
        if (max <= min) throw new IllegalStateException("decoded pixels of " + path + " are constant (" + min + ")");
        return r.getWidth() + "x" + r.getHeight() + ", transfer syntax " + ts + ", stored values " + (long) min + ".." + (long) max;
    }

    static void put(AttributeList l, AttributeTag t, String v) throws DicomException {
        Attribute a = AttributeFactory.newAttribute(t); a.addValue(v); l.put(a);
    }

    static void putUS(AttributeList l, AttributeTag t, int v) throws DicomException {
        Attribute a = new UnsignedShortAttribute(t); a.addValue(v); l.put(a);
    }

    public static void main(String[] args) throws Exception {
        // 1. self-contained: write a tiny CT image, let PixelMed build a DICOMDIR for it, read both back
        File dir = new File(args[0]);
        AttributeList l = new AttributeList();
        UIDGenerator uids = new UIDGenerator();
        put(l, TagFromName.SOPClassUID, SOPClass.CTImageStorage);
        put(l, TagFromName.SOPInstanceUID, uids.getAnotherNewUID());
        put(l, TagFromName.StudyInstanceUID, uids.getAnotherNewUID());
        put(l, TagFromName.SeriesInstanceUID, uids.getAnotherNewUID());
        put(l, TagFromName.PatientID, "P1"); put(l, TagFromName.PatientName, "Check^PixelMed");
        put(l, TagFromName.StudyID, "1"); put(l, TagFromName.SeriesNumber, "1"); put(l, TagFromName.InstanceNumber, "1");
        put(l, TagFromName.Modality, "CT"); put(l, TagFromName.StudyDate, "20240101"); put(l, TagFromName.StudyTime, "120000");
        put(l, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        putUS(l, TagFromName.Rows, 4); putUS(l, TagFromName.Columns, 4); putUS(l, TagFromName.SamplesPerPixel, 1);
        putUS(l, TagFromName.BitsAllocated, 16); putUS(l, TagFromName.BitsStored, 12); putUS(l, TagFromName.HighBit, 11);
        putUS(l, TagFromName.PixelRepresentation, 0);
        short[] px = new short[16];
        for (int i = 0; i < px.length; i++) px[i] = (short) (i * 100);
        OtherWordAttribute pd = new OtherWordAttribute(TagFromName.PixelData); pd.setValues(px); l.put(pd);
        FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "DEEPSTROKE");
        File img = new File(dir, "IMG1");
        l.write(img, TransferSyntax.ExplicitVRLittleEndian, true, true);
        new DicomDirectory(dir, new String[] { "IMG1" }).write(new File(dir, "DICOMDIR").getPath());
        AttributeList dl = new AttributeList();
        dl.read(new File(dir, "DICOMDIR").getPath());
        Map<String, Integer> t0 = new TreeMap<>();
        int n0 = countRecords((DicomDirectoryRecord) new DicomDirectory(dl).getRoot(), t0);
        if (n0 != 4) throw new IllegalStateException("self-made DICOMDIR has " + n0 + " records, expected 4: " + t0);
        System.out.println("  self-made DICOMDIR: " + n0 + " records " + t0 + "; its image: " + describeImage(img.getPath()));

        // 2. pixelmed-imageio registered its JPEG lossless ImageIO reader
        Iterator<javax.imageio.ImageReader> it = javax.imageio.ImageIO.getImageReadersByFormatName("jpeg-lossless");
        if (!it.hasNext()) throw new IllegalStateException("no ImageIO reader for jpeg-lossless (pixelmed-imageio not on the class path?)");
        System.out.println("  ImageIO jpeg-lossless reader: " + it.next().getClass().getName());

        // 3. optional real data: a scanner DICOMDIR file-set, and a JPEG-lossless file
        if (args.length > 1 && new File(args[1]).isFile()) {
            File dd = new File(args[1]);
            AttributeList list = new AttributeList();
            list.read(dd.getPath());
            DicomDirectory d = new DicomDirectory(list);
            Map<String, Integer> byType = new TreeMap<>();
            int n = countRecords((DicomDirectoryRecord) d.getRoot(), byType);
            Vector<String> files = d.findAllContainedReferencedFileNames(dd.getParentFile().getPath());
            System.out.println("  " + dd + ": " + n + " directory records " + byType + ", " + files.size() + " referenced files");
            if (files.isEmpty()) throw new IllegalStateException("DICOMDIR references no files");
            Collections.sort(files);
            System.out.println("  first referenced image " + files.get(0) + ": " + describeImage(files.get(0)));
        }
        if (args.length > 2 && new File(args[2]).isFile())
            System.out.println("  JPEG lossless " + args[2] + ": " + describeImage(args[2]));
        System.out.println("PixelMed check OK");
    }
}
EOF
DATA="${DEEPSTROKE_SHARED_DATA:-$ROOT/../shared/data}"
DICOMDIR="$DATA/dicom/philips-phantom-fileset/DICOMDIR"
JPEGLL="$DATA/dicom/overlay-samples/fo-dicom/OutOfBoundsOverlay.dcm"
[[ -f "$DICOMDIR" ]] || log "no test data at $DICOMDIR: checking with a self-made DICOMDIR only"
mkdir -p "$WORK/check"
CP="$(m2_jar pixelmed "$(mvn_version "${DEBVER[libpixelmed-java]}")"):$(m2_jar pixelmed-imageio "$(mvn_version "${DEBVER[libpixelmed-imageio-java]}")")"
echo "PixelMed: verifying the installed jars"
if ! (cd "$WORK" && java -Djava.awt.headless=true -cp "$CP" --source 17 PixelMedCheck.java \
        "$WORK/check" "$DICOMDIR" "$JPEGLL" 2>&1 | tee "$WORK/check.log"); then
    die "the PixelMed check program failed: $(grep -m1 -E 'Exception|Error' "$WORK/check.log" || tail -n1 "$WORK/check.log")"
fi
grep -qx 'PixelMed check OK' "$WORK/check.log" || die "the PixelMed check program did not finish"

# ---- 4. swap into place, stamp ---------------------------------------------------------------------------
{ printf '%s\n' "${STAMP_LINES[@]}"; echo "group $GROUP"; echo "suite $SUITE"; echo "layout $LAYOUT"; } >"$NEW/STAMP"
rm -rf "$TOOLS"
mv "$NEW" "$TOOLS"
echo "PixelMed installed in $((SECONDS - T0)) s: $(printf '%s\n' "${STAMP_LINES[@]}" | awk -v g=$GROUP '{printf "%s%s:%s:%s", s, g, $2, $3; s=", "}') (jars in $TOOLS, Maven repo $M2_REPO)"
