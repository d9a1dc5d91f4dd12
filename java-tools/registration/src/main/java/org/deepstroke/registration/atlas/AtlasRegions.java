package org.deepstroke.registration.atlas;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.LabelsTsv;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;

/**
 * The ASPECTS regions of an atlas in its own space: either one mask file per region (memberships in [0, 1]) or one
 * label map with a label table. Each region is handed out as a membership volume on the atlas grid, or as a file
 * ANTs can read.
 */
public interface AtlasRegions {

    /** The region's membership (0..1) on the atlas' own grid. */
    ImageVolume membership(AspectsRegion region);

    /** A NIfTI file holding {@link #membership}; may be written into {@code scratch}. */
    Path membershipFile(AspectsRegion region, Path scratch) throws IOException;

    /** What the atlas was read from, for provenance. */
    Map<String, Object> provenance();

    /**
     * A folder with one mask per region named {@code <anything>_<token>_<L|R>.nii[.gz]}, token C, LN, IC, InCa,
     * M1..M6 (the public MNI152_&lt;token&gt;_&lt;side&gt;.nii.gz set), directly or one folder down (Nextflow stages
     * a folder input under {@code stageAs: 'dir/*'} as dir/&lt;name&gt;/). Every mask is read once here so a bad
     * file fails before any registration time is spent.
     */
    static AtlasRegions fromMaskDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ToolFailure(dir, Files.exists(dir) ? "not a folder" : "no such folder");
        }
        List<Path> files;
        try (Stream<Path> list = Files.walk(dir, 2, FileVisitOption.FOLLOW_LINKS)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new ToolFailure(dir, "cannot list: " + e.getMessage(), e);
        }
        Map<AspectsRegion, Path> masks = new EnumMap<>(AspectsRegion.class);
        List<String> missing = new ArrayList<>();
        for (AspectsRegion region : AspectsRegion.all()) {
            String stem = "_" + region.maskToken() + "_" + region.side();
            List<Path> matches = files.stream().filter(f -> {
                String name = f.getFileName().toString();
                return name.endsWith(stem + ".nii.gz") || name.endsWith(stem + ".nii");
            }).toList();
            if (matches.isEmpty()) {
                missing.add("*" + stem + ".nii.gz");
            } else if (matches.size() > 1) {
                throw new ToolFailure(dir, "several masks for " + region.key() + ": " + matches.stream()
                        .map(p -> p.getFileName().toString()).toList());
            } else {
                masks.put(region, matches.get(0));
            }
        }
        if (!missing.isEmpty()) {
            throw new ToolFailure(dir, "ASPECTS masks missing: " + String.join(", ", missing));
        }
        masks.values().forEach(MaskFiles::checkMembership);
        return new MaskFiles(dir, masks);
    }

    /** One label map in the atlas space plus its label table (id, region, hemisphere). */
    static AtlasRegions fromLabelMap(Path labelMap, Path table) {
        Map<AspectsRegion, Integer> ids = LabelsTsv.read(table);
        ImageVolume labels = NiftiReader.read(labelMap);
        return new LabelMap(labelMap, table, labels, ids);
    }

    /** One file per region. */
    record MaskFiles(Path dir, Map<AspectsRegion, Path> files) implements AtlasRegions {

        @Override
        public ImageVolume membership(AspectsRegion region) {
            return NiftiReader.read(files.get(region));
        }

        @Override
        public Path membershipFile(AspectsRegion region, Path scratch) {
            return files.get(region);
        }

        @Override
        public Map<String, Object> provenance() {
            Map<String, Object> names = new LinkedHashMap<>();
            files.forEach((r, f) -> names.put(r.key(), f.getFileName().toString()));
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("kind", "masks");
            p.put("dir", dir.toAbsolutePath().toString());
            p.put("files", names);
            return p;
        }

        /** Memberships must lie in [0, 1]: a 0/255 mask would otherwise win every overlap after interpolation. */
        static void checkMembership(Path file) {
            ImageVolume mask = NiftiReader.read(file);
            boolean any = false;
            for (float v : mask.data()) {
                if (!(v >= -1e-4f && v <= 1 + 1e-4f)) {
                    throw new ToolFailure(file, "mask value " + v + " outside [0, 1]: masks must hold memberships");
                }
                any |= v >= 0.5f;
            }
            if (!any) {
                throw new ToolFailure(file, "empty mask: no voxel with membership >= 0.5");
            }
        }
    }

    /** Regions as the voxels of one label map that carry their id. */
    record LabelMap(Path file, Path table, ImageVolume labels, Map<AspectsRegion, Integer> ids)
            implements AtlasRegions {

        @Override
        public ImageVolume membership(AspectsRegion region) {
            int id = ids.get(region);
            float[] in = labels.data();
            float[] out = new float[in.length];
            boolean any = false;
            for (int i = 0; i < in.length; i++) {
                if (Math.round(in[i]) == id) {
                    out[i] = 1;
                    any = true;
                }
            }
            if (!any) {
                throw new ToolFailure(file, "no voxel carries label " + id + " (" + region.key() + ")");
            }
            return labels.withData(out);
        }

        @Override
        public Path membershipFile(AspectsRegion region, Path scratch) throws IOException {
            Path out = scratch.resolve("atlas_" + region.key() + ".nii.gz");
            NiftiWriter.write(membership(region), out, NiftiDatatype.UINT8);
            return out;
        }

        @Override
        public Map<String, Object> provenance() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("kind", "label-map");
            p.put("file", file.toAbsolutePath().toString());
            p.put("table", table.toAbsolutePath().toString());
            return p;
        }
    }
}
