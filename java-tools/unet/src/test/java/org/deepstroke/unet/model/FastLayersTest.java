package org.deepstroke.unet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.BiFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

/**
 * The three layers rewritten for speed (issue 17 item 4: channels-last softmax, fused instance norm, SE scaling as
 * a batched matrix product) give the values and gradients of the plain op graphs they replaced: each is built
 * beside its reference formula on seeded data (batch 2, so the per-volume parts are checked too), and both
 * graphs are differentiated through the same weighted sum.
 */
class FastLayersTest {

    private static final long[] SHAPE = {2, 3, 4, 5, 6};

    @Test
    void channelSoftmaxEqualsSoftmaxOverAxisOne() {
        INDArray x = seeded(1, SHAPE).muli(8).subi(4);
        Map<String, INDArray[]> r = compare(Map.of("x", x),
                (sd, v) -> Layers3D.channelSoftmax(sd, "fast", v.get("x")),
                (sd, v) -> sd.nn().softmax(v.get("x"), 1));
        assertClose("channelSoftmaxEqualsSoftmaxOverAxisOne value", r.get("value"), 1e-6);
        assertClose("channelSoftmaxEqualsSoftmaxOverAxisOne x", r.get("x"), 1e-6);
    }

    @Test
    void instanceNormEqualsTheFormula() {
        // channel means and spreads differ per volume and channel, so a wrong axis or a shared statistic shows
        INDArray x = seeded(2, SHAPE).muli(seeded(3, 2, 3, 1, 1, 1).muli(4).addi(0.5))
                .addi(seeded(4, 2, 3, 1, 1, 1).muli(20));
        INDArray gamma = seeded(5, 1, 3, 1, 1, 1).addi(0.5);
        INDArray beta = seeded(6, 1, 3, 1, 1, 1).subi(0.5);
        Map<String, INDArray[]> r = compare(Map.of("x", x, "gamma", gamma, "beta", beta),
                (sd, v) -> Layers3D.instanceNorm(sd, "fast", v.get("x"), v.get("gamma"), v.get("beta"), 3),
                (sd, v) -> {
                    SDVariable in = v.get("x");
                    SDVariable centred = in.sub(in.mean(true, 2, 3, 4));
                    SDVariable variance = centred.mul(centred).mean(true, 2, 3, 4);
                    return centred.div(sd.math().sqrt(variance.add(1e-5))).mul(v.get("gamma")).add(v.get("beta"));
                });
        // ND4J's standardize adds its epsilon differently: the outputs (order 1) agree to 1e-4
        assertClose("instanceNormEqualsTheFormula value", r.get("value"), 1e-4);
        assertClose("instanceNormEqualsTheFormula x", r.get("x"), 1e-4);
        assertClose("instanceNormEqualsTheFormula gamma", r.get("gamma"), 1e-4);
        assertClose("instanceNormEqualsTheFormula beta", r.get("beta"), 1e-4);
    }

    @Test
    void channelScaleEqualsBroadcastMultiply() {
        INDArray x = seeded(7, SHAPE).subi(0.5);
        INDArray s = seeded(8, 2, 3);
        Map<String, INDArray[]> r = compare(Map.of("x", x, "s", s),
                (sd, v) -> SqueezeExcite3D.channelScale(sd, "fast", v.get("x"), v.get("s"), 3),
                (sd, v) -> v.get("x").mul(sd.expandDims(sd.expandDims(sd.expandDims(v.get("s"), 2), 3), 4)));
        assertClose("channelScaleEqualsBroadcastMultiply value", r.get("value"), 1e-6);
        assertClose("channelScaleEqualsBroadcastMultiply x", r.get("x"), 1e-6);
        assertClose("channelScaleEqualsBroadcastMultiply s", r.get("s"), 1e-5);
    }

    /**
     * Builds {fast, reference} each in its own graph over variables with the given values, and returns per key
     * {fast, reference}: "value" the outputs, and for every input the gradient of sum(output * w).
     */
    private static Map<String, INDArray[]> compare(Map<String, INDArray> inputs,
            BiFunction<SameDiff, Map<String, SDVariable>, SDVariable> fast,
            BiFunction<SameDiff, Map<String, SDVariable>, SDVariable> reference) {
        Map<String, INDArray> f = run(inputs, fast);
        Map<String, INDArray> ref = run(inputs, reference);
        Map<String, INDArray[]> out = new java.util.HashMap<>();
        for (String k : f.keySet()) {
            out.put(k, new INDArray[] {f.get(k), ref.get(k)});
        }
        return out;
    }

    private static Map<String, INDArray> run(Map<String, INDArray> inputs,
            BiFunction<SameDiff, Map<String, SDVariable>, SDVariable> layer) {
        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> vars = new java.util.HashMap<>();
        inputs.forEach((k, v) -> vars.put(k, sd.var(k, v.dup())));
        SDVariable out = layer.apply(sd, vars);
        INDArray w = seeded(99, SHAPE);
        out.mul(sd.constant("w", w)).sum().rename("loss");
        sd.setLossVariables("loss");
        Map<String, INDArray> result = new java.util.HashMap<>();
        result.put("value", sd.output(Map.of(), out.name()).get(out.name()).dup());
        String[] names = inputs.keySet().toArray(String[]::new);
        Map<String, INDArray> grads = sd.calculateGradients(Map.of(), names);
        grads.forEach((k, g) -> result.put(k, g.dup()));
        return result;
    }

    private static void assertClose(String what, INDArray[] pair, double tolerance) {
        assertEquals(pair[1].length(), pair[0].length(), what);
        double diff = pair[0].reshape(pair[1].shape()).sub(pair[1]).amaxNumber().doubleValue();
        double scale = Math.max(1, pair[1].amaxNumber().doubleValue());
        assertTrue(pair[1].amaxNumber().doubleValue() > 1e-3, what + ": the reference is ~0, nothing compared");
        System.out.printf("FastLayers %s: max |fast - reference| %.2e (reference max %.3g)%n", what, diff,
                pair[1].amaxNumber().doubleValue());
        assertTrue(diff <= tolerance * scale, "max |fast - reference| " + diff + " > " + tolerance * scale);
    }

    private static INDArray seeded(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, shape);
    }
}
