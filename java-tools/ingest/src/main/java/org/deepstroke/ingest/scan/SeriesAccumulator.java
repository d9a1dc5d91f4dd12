package org.deepstroke.ingest.scan;

import com.carrotsearch.hppc.LongHashSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.deepstroke.ingest.dicom.InstanceHeader;

/**
 * What the scan keeps of one series while it reads: compact per-instance records and the distinct values of the
 * fields the rules look at. Identifiers are kept only as pseudonyms (and the series UID as the grouping key in the
 * scan's own map); nothing here is written out except through the manifest's sanitised columns.
 */
final class SeriesAccumulator {

    final String seriesKey;
    final Set<String> subjectKeys = new TreeSet<>();
    final Set<String> studyKeys = new TreeSet<>();
    final Set<String> frameOfReference = new LinkedHashSet<>();
    /** Where each instance is and where it lies, nothing identifying. */
    final InstanceTable instances;
    /** 64-bit hashes of the SOP instance UIDs read: a duplicate is dropped without keeping the UIDs. */
    final LongHashSet sops = new LongHashSet(4);
    final Set<String> roots = new TreeSet<>();
    final Set<String> modalities = new TreeSet<>();
    final Set<String> sopClasses = new TreeSet<>();
    final Set<String> imageTypes = new TreeSet<>();
    final Set<String> kernels = new TreeSet<>();
    final Set<Double> thicknesses = new TreeSet<>();
    final List<double[]> orientations = new ArrayList<>();
    final List<double[]> spacings = new ArrayList<>();
    final Set<String> matrices = new TreeSet<>();
    final Set<String> transferSyntaxes = new TreeSet<>();
    final Set<Double> headerTilts = new TreeSet<>();
    final Set<String> manufacturers = new TreeSet<>();
    final Set<String> models = new TreeSet<>();
    final Set<Integer> seriesNumbers = new TreeSet<>();
    final Set<String> contrastAgents = new TreeSet<>();
    final Set<String> descriptions = new LinkedHashSet<>();
    /** Notes about how the roots this series lies in were read (e.g. a DICOMDIR replaced by a folder walk). */
    final Set<String> rootNotes = new TreeSet<>();
    InstanceHeader sample;
    int missing;
    int unreadable;
    int truncated;
    int outsideRoot;
    int duplicateInstances;
    int noPixelData;
    int multiframe;
    int sopMismatch;
    int overlayInstances;
    int noPatientId;

    SeriesAccumulator(String seriesKey, PathPool paths) {
        this.seriesKey = seriesKey;
        this.instances = new InstanceTable(paths);
    }

    void add(InstanceHeader h, String root, String path, double orientationTol, double spacingTol) {
        if (sample == null) {
            sample = h;
        }
        roots.add(root);
        instances.add(root, path, h.position(), h.instanceNumber());
        modalities.add(h.modality().isEmpty() ? "(none)" : h.modality());
        sopClasses.add(SopClasses.name(h.sopClassUid()));
        imageTypes.add(String.join("\\", h.imageType()));
        kernels.add(h.kernel());
        thicknesses.add(h.sliceThickness());
        addDistinct(orientations, h.orientation(), orientationTol);
        addDistinct(spacings, h.pixelSpacing(), spacingTol);
        matrices.add(h.rows() + "x" + h.columns());
        transferSyntaxes.add(org.deepstroke.ingest.dicom.TransferSyntaxes.name(h.transferSyntaxUid()));
        headerTilts.add(h.gantryTilt());
        manufacturers.add(h.manufacturer());
        models.add(h.manufacturerModel());
        seriesNumbers.add(h.seriesNumber());
        contrastAgents.add(h.contrastAgent().toUpperCase(java.util.Locale.ROOT));
        if (descriptions.size() < 8) {
            descriptions.add(h.seriesDescription());
            descriptions.add(h.protocolName());
            descriptions.add(h.studyDescription());
        }
        if (!h.frameOfReferenceUid().isEmpty()) {
            frameOfReference.add(h.frameOfReferenceUid());
        }
        if (!h.hasPixelData()) {
            noPixelData++;
        }
        if (h.truncated()) {
            truncated++;
        }
        if (h.frames() > 1) {
            multiframe++;
        }
        if (h.hasOverlays()) {
            overlayInstances++;
        }
        if (h.patientId().isEmpty()) {
            noPatientId++;
        }
    }

    private static void addDistinct(List<double[]> values, double[] v, double tol) {
        if (v == null) {
            if (values.stream().noneMatch(x -> x == null)) {
                values.add(null);
            }
            return;
        }
        for (double[] x : values) {
            if (x != null && x.length == v.length) {
                boolean same = true;
                for (int i = 0; i < v.length; i++) {
                    same &= Math.abs(x[i] - v[i]) <= tol;
                }
                if (same) {
                    return;
                }
            }
        }
        if (values.size() < 16) {
            values.add(v.clone());
        }
    }
}
