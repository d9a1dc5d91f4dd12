package org.deepstroke.unet.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.unet.data.LabelScheme;

/**
 * history.tsv: per epoch train loss, validation loss, validation Dice per class, mean foreground Dice, GDS,
 * seconds, and for trainings with TAGL two more columns, train_tagl and val_tagl (the weighted TAGL term inside the
 * two losses), and for trainings with a lesion head three more, train_lesion, val_lesion (the weighted lesion term)
 * and val_lesion_dice (EpochRecord). Read back on resume so the file and the curves continue where the killed run stopped.
 */
public final class TrainingHistory {

    private final int classes;
    private final List<EpochRecord> records = new ArrayList<>();

    public TrainingHistory(int classes) {
        this.classes = classes;
    }

    public List<EpochRecord> records() {
        return records;
    }

    public int classes() {
        return classes;
    }

    public void add(EpochRecord r) {
        records.add(r);
    }

    public String header() {
        StringBuilder b = new StringBuilder("epoch\ttrain_loss\tval_loss");
        for (int c = 0; c < classes; c++) {
            b.append("\tdice_").append(LabelScheme.className(c, classes));
        }
        b.append("\tval_mean_dice\tval_gds\tseconds");
        if (withTagl()) {
            b.append("\t").append(TAGL_COLUMNS);
        }
        if (withLesion()) {
            b.append("\t").append(LESION_COLUMNS);
        }
        return b.toString();
    }

    private static final String TAGL_COLUMNS = "train_tagl\tval_tagl";
    private static final String LESION_COLUMNS = "train_lesion\tval_lesion\tval_lesion_dice";

    private boolean withLesion() {
        return records.stream().anyMatch(EpochRecord::hasLesion);
    }

    private boolean withTagl() {
        return records.stream().anyMatch(EpochRecord::hasTagl);
    }

    public void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder(header()).append('\n');
        for (EpochRecord r : records) {
            b.append(r.epoch()).append('\t').append(fmt(r.trainLoss())).append('\t').append(fmt(r.valLoss()));
            for (double d : r.valDice()) {
                b.append('\t').append(fmt(d));
            }
            b.append('\t').append(fmt(r.meanDice())).append('\t').append(fmt(r.generalizedDice())).append('\t')
                    .append(String.format(Locale.ROOT, "%.1f", r.seconds()));
            if (withTagl()) {
                b.append('\t').append(fmt(r.trainTagl())).append('\t').append(fmt(r.valTagl()));
            }
            if (withLesion()) {
                b.append('\t').append(fmt(r.trainLesion())).append('\t').append(fmt(r.valLesion())).append('\t')
                        .append(fmt(r.valLesionDice()));
            }
            b.append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }

    public static TrainingHistory read(Path file, int classes) throws IOException {
        TrainingHistory h = new TrainingHistory(classes);
        List<String> lines = Files.readAllLines(file);
        List<String> header = lines.isEmpty() ? List.of() : List.of(lines.get(0).split("\t"));
        int tagl = header.indexOf("train_tagl");
        int lesion = header.indexOf("train_lesion");
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split("\t");
            double[] dice = new double[classes];
            for (int c = 0; c < classes; c++) {
                dice[c] = Double.parseDouble(f[3 + c]);
            }
            h.add(new EpochRecord(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), dice,
                    Double.parseDouble(f[3 + classes]), Double.parseDouble(f[4 + classes]),
                    Double.parseDouble(f[5 + classes]), column(f, tagl, 0), column(f, tagl, 1),
                    column(f, lesion, 0), column(f, lesion, 1), column(f, lesion, 2)));
        }
        return h;
    }

    /** Field {@code first + k} of a row, NaN when the group of columns starting at {@code first} is absent (-1). */
    private static double column(String[] f, int first, int k) {
        return first < 0 ? Double.NaN : Double.parseDouble(f[first + k]);
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6f", v);
    }
}
