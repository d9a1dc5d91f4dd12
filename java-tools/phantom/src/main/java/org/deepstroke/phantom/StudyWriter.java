package org.deepstroke.phantom;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.deepstroke.phantom.dicom.DicomDataset;
import org.deepstroke.phantom.dicom.DicomFileWriter;
import org.deepstroke.phantom.dicom.FileSetWriter;
import org.deepstroke.phantom.dicom.Tags;

/**
 * Writes the DICOM instances of one subject's study the way a PACS export looks: CT Image Storage with realistic
 * patient, study, equipment, acquisition and reconstruction attributes, a Secondary Capture dose screen with burned-in
 * text, all files under opaque names {@code DICOM/<study>/<series>/<instance>} (8 upper-case hex characters each,
 * derived from the seed and the UIDs). Every date, time and UID derives from the seed: no wall clock.
 */
final class StudyWriter {

    static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final int OVERLAY_GROUP = 0x6000;
    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss.SSS", Locale.ROOT);

    private final SubjectSpec spec;
    private final long seed;
    private final DicomFileWriter writer;
    private final Path fileSetRoot;
    final String studyUid;
    final String frameOfReferenceUid;
    private final String studyFolder;
    private final LocalDateTime studyStart;
    private final List<FileSetWriter.Entry> entries = new ArrayList<>();
    private final Set<String> seriesFolders = new HashSet<>();
    private final Map<String, Series> series = new LinkedHashMap<>();

    StudyWriter(SubjectSpec spec, long seed, DicomFileWriter writer, Path fileSetRoot) {
        this.spec = spec;
        this.seed = seed;
        this.writer = writer;
        this.fileSetRoot = fileSetRoot;
        this.studyUid = Uids.uid(seed, "subject", spec.index, "study");
        this.frameOfReferenceUid = Uids.uid(seed, "subject", spec.index, "frame-of-reference");
        this.studyFolder = hex8(studyUid, 0);
        this.studyStart = LocalDateTime.of(spec.studyDate, spec.studyTime);
    }

    List<FileSetWriter.Entry> entries() {
        return entries;
    }

    Map<String, Series> series() {
        return series;
    }

    /** One series being written. */
    final class Series {
        final String role;
        final String uid;
        final int number;
        final String description;
        final String[] imageType;
        final String kernel;
        final SeriesGeometry geometry;
        final LocalDateTime time;
        final String folder;
        final DicomDataset template;
        private final Set<String> names = new HashSet<>();
        int written;

        Series(String role, int number, String description, String[] imageType, String kernel, SeriesGeometry geometry,
                LocalDateTime time, DicomDataset template) {
            this.role = role;
            this.uid = Uids.uid(seed, "subject", spec.index, "series", role);
            this.number = number;
            this.description = description;
            this.imageType = imageType;
            this.kernel = kernel;
            this.geometry = geometry;
            this.time = time;
            String f = hex8(uid, 0);
            for (int attempt = 1; !seriesFolders.add(f); attempt++) {
                f = hex8(uid, attempt);
            }
            this.folder = f;
            this.template = template;
            template.text(Tags.SeriesInstanceUID, "UI", uid).is(Tags.SeriesNumber, number)
                    .text(Tags.SeriesDescription, "LO", description).text(Tags.SeriesDate, "DA", time.format(DA))
                    .text(Tags.SeriesTime, "TM", time.format(TM)).text(Tags.ImageType, "CS", imageType);
        }

        String sopUid(int instance) {
            return Uids.uid(seed, "subject", spec.index, "sop", role, instance);
        }

        /** Writes one instance (the data set must hold its SOPInstanceUID) and records it for the DICOMDIR. */
        String write(DicomDataset instance) throws IOException {
            String sop = instance.string(Tags.SOPInstanceUID);
            String name = hex8(sop, 0);
            for (int attempt = 1; !names.add(name); attempt++) {
                name = hex8(sop, attempt);
            }
            String relative = "DICOM/" + studyFolder + "/" + folder + "/" + name;
            writer.write(instance, fileSetRoot.resolve(relative));
            DicomDataset header = instance.copy().remove(Tags.PixelData)
                    .text(0x00020010, "UI", EXPLICIT_LE);
            for (DicomDataset.Element e : instance.elements()) {
                if ((e.tag() >>> 16) >= 0x6000 && (e.tag() >>> 16) <= 0x601E) {
                    header.remove(e.tag());
                }
            }
            synchronized (entries) {
                entries.add(new FileSetWriter.Entry(relative, header));
            }
            written++;
            return relative;
        }
    }

    private String hex8(String uid, int attempt) {
        byte[] d = Seeds.digest(seed, "file", uid, attempt);
        return String.format("%02X%02X%02X%02X", d[0], d[1], d[2], d[3]);
    }

    // ---- data set building -------------------------------------------------------------------------------------

    /** Patient, study and equipment attributes shared by every instance of the study. */
    private DicomDataset common() {
        Demographics.Scanner sc = spec.scanner;
        Demographics.Site site = spec.site;
        return new DicomDataset()
                .text(Tags.SpecificCharacterSet, "CS", "ISO_IR 100")
                .text(Tags.StudyDate, "DA", studyStart.format(DA))
                .text(Tags.StudyTime, "TM", studyStart.format(TM))
                .text(Tags.AccessionNumber, "SH", spec.accession)
                .text(Tags.Manufacturer, "LO", sc.manufacturer())
                .text(Tags.InstitutionName, "LO", site.name())
                .text(Tags.InstitutionAddress, "ST", site.address())
                .text(Tags.ReferringPhysicianName, "PN", spec.referringPhysician)
                .text(Tags.StationName, "SH", site.station())
                .text(Tags.StudyDescription, "LO", "CT HEAD STROKE PROTOCOL")
                .text(Tags.InstitutionalDepartmentName, "LO", site.department())
                .text(Tags.OperatorsName, "PN", spec.operator)
                .text(Tags.ManufacturerModelName, "LO", sc.model())
                .text(Tags.PatientName, "PN", spec.patientName)
                .text(Tags.PatientID, "LO", spec.patientId)
                .text(Tags.PatientBirthDate, "DA", spec.birthDate.format(DA))
                .text(Tags.PatientSex, "CS", spec.sex)
                .text(Tags.PatientAge, "AS", String.format("%03dY", spec.ageYears))
                .ds(Tags.PatientWeight, spec.weightKg)
                .text(Tags.DeviceSerialNumber, "LO", spec.deviceSerial)
                .text(Tags.SoftwareVersions, "LO", sc.software())
                .text(Tags.StudyInstanceUID, "UI", studyUid)
                .text(Tags.StudyID, "SH", spec.studyId);
    }

    /** A CT series template: acquisition and reconstruction attributes, pixel module, rescale, window. */
    Series ctSeries(String role, int number, String description, String[] imageType, String kernel,
            SeriesGeometry g, int minutesAfterStart, double ctdiVol, boolean contrast, double windowCentre,
            double windowWidth, String windowName) {
        LocalDateTime time = studyStart.plusSeconds(60L * minutesAfterStart);
        LocalDateTime acquisition = time.minusSeconds(35);
        boolean localizer = "localizer".equals(role);
        boolean sequenced = g.tilted();
        DicomDataset ds = common()
                .text(Tags.SOPClassUID, "UI", CT_IMAGE_STORAGE)
                .text(Tags.Modality, "CS", "CT")
                .text(Tags.AcquisitionDate, "DA", acquisition.format(DA))
                .text(Tags.AcquisitionTime, "TM", acquisition.format(TM))
                .text(Tags.ContentDate, "DA", time.format(DA))
                .text(Tags.ProtocolName, "LO", spec.scanner.protocol())
                .text(Tags.BodyPartExamined, "CS", "HEAD")
                .text(Tags.ScanOptions, "CS", localizer ? "SURVIEW" : sequenced ? "AXIAL MODE" : "HELICAL MODE")
                .ds(Tags.SliceThickness, g.thickness())
                .ds(Tags.KVP, contrast ? 100 : 120)
                .ds(Tags.DataCollectionDiameter, 500)
                .ds(Tags.ReconstructionDiameter, g.pixelSpacing() * g.columns())
                .ds(Tags.DistanceSourceToDetector, 1040)
                .ds(Tags.DistanceSourceToPatient, 570)
                .ds(Tags.GantryDetectorTilt, g.tiltDeg())
                .ds(Tags.TableHeight, 130 + (spec.index % 7))
                .text(Tags.RotationDirection, "CS", "CW")
                .is(Tags.ExposureTime, localizer ? 2500 : 1000)
                .is(Tags.XRayTubeCurrent, localizer ? 30 : contrast ? 180 : 300)
                .is(Tags.Exposure, localizer ? 75 : contrast ? 180 : 300)
                .text(Tags.FilterType, "SH", "HEAD")
                .is(Tags.GeneratorPower, localizer ? 4 : 36)
                .ds(Tags.FocalSpots, 0.7)
                .text(Tags.ConvolutionKernel, "SH", kernel)
                .text(Tags.PatientPosition, "CS", "HFS")
                .text(Tags.AcquisitionType, "CS", localizer ? "CONSTANT_ANGLE" : sequenced ? "SEQUENCED" : "SPIRAL")
                .fd(Tags.RevolutionTime, 0.5)
                .fd(Tags.SingleCollimationWidth, 0.625)
                .fd(Tags.TotalCollimationWidth, 40)
                .is(Tags.AcquisitionNumber, 1)
                .text(Tags.FrameOfReferenceUID, "UI", frameOfReferenceUid)
                .text(Tags.PositionReferenceIndicator, "LO", "")
                .ds(Tags.ImageOrientationPatient, g.orientation())
                .us(Tags.SamplesPerPixel, 1)
                .text(Tags.PhotometricInterpretation, "CS", "MONOCHROME2")
                .us(Tags.Rows, g.rows())
                .us(Tags.Columns, g.columns())
                .ds(Tags.PixelSpacing, g.pixelSpacing(), g.pixelSpacing())
                .us(Tags.BitsAllocated, 16)
                .us(Tags.BitsStored, 12)
                .us(Tags.HighBit, 11)
                .us(Tags.PixelRepresentation, 0)
                .ds(Tags.WindowCenter, windowCentre)
                .ds(Tags.WindowWidth, windowWidth)
                .ds(Tags.RescaleIntercept, -1024)
                .ds(Tags.RescaleSlope, 1)
                .text(Tags.WindowCenterWidthExplanation, "LO", windowName)
                .text(Tags.LossyImageCompression, "CS", "00");
        if (!localizer) {
            ds.text(Tags.RescaleType, "LO", "HU");
            ds.ds(Tags.SpacingBetweenSlices, g.step()).fd(Tags.CTDIvol, ctdiVol)
                    .sequence(Tags.CTDIPhantomTypeCodeSequence, List.of(new DicomDataset()
                            .text(Tags.CodeValue, "SH", "113691")
                            .text(Tags.CodingSchemeDesignator, "SH", "DCM")
                            .text(Tags.CodeMeaning, "LO", "IEC Head Dosimetry Phantom")));
            if (!sequenced) {
                ds.fd(Tags.TableSpeed, 40).fd(Tags.TableFeedPerRotation, 20).fd(Tags.SpiralPitchFactor, 0.5);
            }
        }
        if (contrast) {
            String agent = spec.contrastAgent;
            ds.text(Tags.ContrastBolusAgent, "LO", agent)
                    .text(Tags.ContrastBolusRoute, "LO", "IV")
                    .ds(Tags.ContrastBolusVolume, spec.contrastVolumeMl)
                    .text(Tags.ContrastBolusStartTime, "TM", acquisition.minusSeconds(18).format(TM))
                    .ds(Tags.ContrastBolusIngredientConcentration,
                            Double.parseDouble(agent.replaceAll("[^0-9]", "")));
        }
        Series s = new Series(role, number, description, imageType, kernel, g, time, ds);
        series.put(role, s);
        return s;
    }

    /** An image of a CT series: slice k of its geometry with the given stored values. */
    DicomDataset ctImage(Series s, int k, short[] stored) {
        SeriesGeometry g = s.geometry;
        LocalDateTime content = s.time.plusNanos(20_000_000L * k);
        DicomDataset ds = s.template.copy()
                .text(Tags.InstanceCreationDate, "DA", content.format(DA))
                .text(Tags.InstanceCreationTime, "TM", content.format(TM))
                .text(Tags.SOPInstanceUID, "UI", s.sopUid(k + 1))
                .text(Tags.ContentTime, "TM", content.format(TM))
                .is(Tags.InstanceNumber, k + 1)
                .ds(Tags.ImagePositionPatient, g.position(k))
                .ow(Tags.PixelData, stored);
        if (!"localizer".equals(s.role)) {
            ds.ds(Tags.SliceLocation, g.sliceLocation(k));
        }
        if (g.variable()) { // a spacing step: each slice's spacing is its own segment's (the thickness is one value)
            ds.ds(Tags.SpacingBetweenSlices, g.step(k));
        }
        return ds;
    }

    /** Adds a legacy overlay plane (group 6000) to an image. */
    static void addOverlay(DicomDataset image, int rows, int cols, short[] words, String label) {
        int g = OVERLAY_GROUP;
        image.us(Tags.overlay(g, Tags.OverlayRows), rows)
                .us(Tags.overlay(g, Tags.OverlayColumns), cols)
                .text(Tags.overlay(g, Tags.OverlayDescription), "LO", "ASPECTS regions")
                .text(Tags.overlay(g, Tags.OverlayType), "CS", "G")
                .ss(Tags.overlay(g, Tags.OverlayOrigin), 1, 1)
                .us(Tags.overlay(g, Tags.OverlayBitsAllocated), 1)
                .us(Tags.overlay(g, Tags.OverlayBitPosition), 0)
                .text(Tags.overlay(g, Tags.OverlayLabel), "LO", label)
                .ow(Tags.overlay(g, Tags.OverlayData), words);
    }

    /** Turns a copy of an original image into its derived-series counterpart. */
    static DicomDataset derivedImage(Series derived, DicomDataset original, int k) {
        DicomDataset ds = original.copy().putAll(derived.template);
        ds.text(Tags.SOPInstanceUID, "UI", derived.sopUid(k + 1))
                .text(Tags.DerivationDescription, "ST", "ASPECTS regions annotated on a legacy workstation")
                .sequence(Tags.SourceImageSequence, List.of(new DicomDataset()
                        .text(Tags.ReferencedSOPClassUID, "UI", CT_IMAGE_STORAGE)
                        .text(Tags.ReferencedSOPInstanceUID, "UI", original.string(Tags.SOPInstanceUID))));
        return ds;
    }

    /** A derived copy series of {@code original}: same geometry, new UIDs, later series time. */
    Series derivedSeries(Series original, int number, String description) {
        LocalDateTime time = studyStart.plusSeconds(45 * 60);
        DicomDataset t = new DicomDataset()
                .text(Tags.ContentDate, "DA", time.format(DA));
        Series s = new Series("ncct_derived", number, description, new String[] {"DERIVED", "SECONDARY", "AXIAL"},
                original.kernel, original.geometry, time, t);
        series.put(s.role, s);
        return s;
    }

    /** The Secondary Capture dose screen, with the patient's name and ID burned in (as real ones have). */
    void writeDoseScreen(int number, String description, List<String[]> rows, double totalDlp) throws IOException {
        LocalDateTime time = studyStart.plusSeconds(60 * 8);
        int w = 512;
        int h = 512;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
            int y = 24;
            for (String line : List.of(
                    spec.scanner.manufacturer() + " " + spec.scanner.model() + "   " + spec.site.station(),
                    "",
                    "DOSE REPORT",
                    "Patient Name: " + spec.patientName.replace('^', ' '),
                    "Patient ID:   " + spec.patientId,
                    "Birth Date:   " + spec.birthDate + "    Sex: " + spec.sex,
                    "Exam:         " + studyStart.toLocalDate() + " " + spec.studyTime,
                    "Accession:    " + spec.accession,
                    "",
                    String.format("%-4s %-9s %-19s %8s %9s", "Ser", "Type", "Scan range (mm)", "CTDIvol", "DLP"),
                    String.format("%-4s %-9s %-19s %8s %9s", "", "", "", "(mGy)", "(mGy-cm)"))) {
                g.drawString(line, 16, y);
                y += 18;
            }
            for (String[] r : rows) {
                g.drawString(String.format("%-4s %-9s %-19s %8s %9s", (Object[]) r), 16, y);
                y += 18;
            }
            y += 10;
            g.drawString(String.format("Total Exam DLP: %.1f mGy-cm   Phantom: HEAD 16 cm", totalDlp), 16, y);
        } finally {
            g.dispose();
        }
        byte[] pixels = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        DicomDataset ds = common()
                .text(Tags.SOPClassUID, "UI", SECONDARY_CAPTURE)
                .text(Tags.Modality, "CS", "CT")
                .text(Tags.ConversionType, "CS", "WSD")
                .text(Tags.ContentDate, "DA", time.format(DA))
                .text(Tags.ContentTime, "TM", time.format(TM))
                .text(Tags.SecondaryCaptureDeviceManufacturer, "LO", spec.scanner.manufacturer())
                .text(Tags.SecondaryCaptureDeviceManufacturerModelName, "LO", spec.scanner.model())
                .text(Tags.DateOfSecondaryCapture, "DA", time.format(DA))
                .text(Tags.TimeOfSecondaryCapture, "TM", time.format(TM))
                .text(Tags.PatientOrientation, "CS", "")
                .text(Tags.BodyPartExamined, "CS", "HEAD")
                .us(Tags.SamplesPerPixel, 1)
                .text(Tags.PhotometricInterpretation, "CS", "MONOCHROME2")
                .us(Tags.Rows, h)
                .us(Tags.Columns, w)
                .us(Tags.BitsAllocated, 8)
                .us(Tags.BitsStored, 8)
                .us(Tags.HighBit, 7)
                .us(Tags.PixelRepresentation, 0)
                .text(Tags.BurnedInAnnotation, "CS", "YES")
                .ob(Tags.PixelData, pixels);
        Series s = new Series("dose", number, description, new String[] {"DERIVED", "SECONDARY", "DOSE_INFO"}, "",
                null, time, ds);
        series.put(s.role, s);
        DicomDataset image = s.template.copy()
                .text(Tags.SOPInstanceUID, "UI", s.sopUid(1))
                .text(Tags.InstanceCreationDate, "DA", time.format(DA))
                .text(Tags.InstanceCreationTime, "TM", time.format(TM))
                .is(Tags.InstanceNumber, 1);
        s.write(image);
    }
}
