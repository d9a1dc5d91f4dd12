package org.deepstroke.aspects;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Region-level ischaemia classifier on {@link RegionFeatures}: a Tribuo random forest (CART trees on bootstrap
 * samples, a random half of the features per split, majority vote with the vote share as probability). One model
 * for all ten structures (the structure is a one-hot feature), trained on both hemispheres of every subject: the
 * truth label of a hemisphere-region is "ischemic" when it is an affected region on the affected side.
 */
public final class IschemiaClassifier {

    public static final String ISCHEMIC = "ischemic";
    public static final String NORMAL = "normal";

    /** Forest settings. */
    public record Settings(int trees, int maxDepth, float featureFraction, long seed) {
        public static Settings defaults(long seed) {
            return new Settings(200, 10, 0.5f, seed);
        }
    }

    // Tribuo logs every tree it builds through java.util.logging; keep stderr for our own progress and warnings.
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final Model<Label> model;

    private IschemiaClassifier(Model<Label> model) {
        this.model = model;
    }

    /** One labelled hemisphere-region. */
    public record Sample(String subject, Structure structure, Side side, Map<String, Double> features,
            boolean ischemic) {
    }

    /** The 20 samples of a subject (fewer when regions are unmeasured); {@code truth} may be null (unlabelled). */
    public static List<Sample> samples(String subject, Map<AspectsRegion, RegionDescriptors> m,
            TruthTable.Truth truth) {
        List<Sample> out = new ArrayList<>();
        for (Side side : Side.values()) {
            for (Structure s : Structure.values()) {
                Map<String, Double> f = RegionFeatures.of(m, s, side);
                if (f != null) {
                    out.add(new Sample(subject, s, side, f, truth != null && truth.affected(s, side)));
                }
            }
        }
        return out;
    }

    private static Example<Label> example(Sample s, boolean labelled) {
        String[] names = s.features().keySet().toArray(String[]::new);
        double[] values = s.features().values().stream().mapToDouble(Double::doubleValue).toArray();
        Label label = labelled ? new Label(s.ischemic() ? ISCHEMIC : NORMAL) : LabelFactory.UNKNOWN_LABEL;
        return new ArrayExample<>(label, names, values);
    }

    public static IschemiaClassifier train(List<Sample> training, Settings settings) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("aspects region descriptors",
                factory), factory);
        boolean positive = false;
        boolean negative = false;
        for (Sample s : training) {
            data.add(example(s, true));
            positive |= s.ischemic();
            negative |= !s.ischemic();
        }
        if (!positive || !negative) {
            throw new ToolFailure("training needs ischaemic and normal regions; got "
                    + (positive ? "only ischaemic" : "only normal") + " among " + training.size() + " samples");
        }
        CARTClassificationTrainer tree = new CARTClassificationTrainer(settings.maxDepth(),
                settings.featureFraction(), false, settings.seed());
        RandomForestTrainer<Label> forest = new RandomForestTrainer<>(tree, new VotingCombiner(), settings.trees(),
                settings.seed());
        return new IschemiaClassifier(forest.train(data));
    }

    /** Probability (vote share) that the sample is ischaemic. */
    public double probability(Sample s) {
        Prediction<Label> p = model.predict(example(s, false));
        Label l = p.getOutputScores().get(ISCHEMIC);
        return l == null ? 0 : l.getScore();
    }

    public void save(Path file) throws IOException {
        java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        model.serializeToFile(temp);
        java.nio.file.Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @SuppressWarnings("unchecked")
    public static IschemiaClassifier load(Path file) {
        try {
            Model<?> m = Model.deserializeFromFile(file);
            if (!m.validate(Label.class)) {
                throw new ToolFailure(file, "not a classification model");
            }
            return new IschemiaClassifier((Model<Label>) m);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ToolFailure t) {
                throw t;
            }
            throw new ToolFailure(file, "not a Tribuo model written by aspects-fit: " + e.getMessage(), e);
        }
    }
}
