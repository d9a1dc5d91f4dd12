#!/usr/bin/env python3
"""Writes the MONAI parity fixture that MonaiParityTest reads.

NOT part of `make setup`, `make test` or CI: it needs torch from PyPI (CUDA libraries, a ~6.8 GB venv). The
fixture it writes is committed; rerun this only to regenerate it (same seeds -> byte-identical file):

    python3 -m venv ~/.cache/deepstroke/torch-venv
    ~/.cache/deepstroke/torch-venv/bin/pip install torch==2.9.1 monai==1.6.1 numpy
    ~/.cache/deepstroke/torch-venv/bin/python java-tools/unet/src/test/python/monai_fixture.py

What it computes with MONAI itself (CPU, float32), per case (seeded logits [N, C, D, H, W], labels [N, D, H, W]):
  - DiceCELoss(to_onehot_y=True, softmax=True, include_background=True, lambda_dice=1.0, lambda_ce=0.2) on the
    logits, and its two parts through the loss's own `dice` (DiceLoss) and `ce` (CrossEntropyLoss) members;
  - DiceMetric(include_background=True, ignore_empty=True, reduction="none") per class (NaN -> null) and
    DiceMetric(include_background=False, ignore_empty=True, reduction="mean_channel", get_not_nans=True) per
    volume (with the number of classes counted) and reduction="mean" over the batch, on the one-hot argmax of the
    logits vs the one-hot labels;
  - GeneralizedDiceScore(include_background=True, weight_type="square", reduction="mean_channel") per volume.
Logits are rounded to 3 decimals (Java and Python then read the same float32), the top two logits of every voxel
differ by >= 0.002 (no argmax ties), and the true class's softmax probability is kept large enough that our CE's
log(p + 1e-7) differs from MONAI's log_softmax by < 3e-6 on the mean (asserted below; ~1e-7 / p, and p ~ 1/21 for a near-uniform 21-class voxel).
"""
import json
import math
import os
import re

import monai
import numpy as np
import torch
from monai.losses import DiceCELoss
from monai.metrics import DiceMetric, GeneralizedDiceScore
from monai.networks.utils import one_hot

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "org", "deepstroke", "unet",
                   "model", "monai_parity.json")
LOG_EPS = 1e-7  # DiceCELoss.LOG_EPS in our Java code


def separate_top_two(logits):
    """Rounds to 3 decimals and lifts the top logit so that it beats the runner-up by >= 0.002."""
    logits = np.round(logits, 3)
    top = np.sort(logits, axis=1)
    gap = top[:, -1] - top[:, -2]
    arg = np.argmax(logits, axis=1)
    lift = np.where(gap < 0.002, 0.005, 0.0)
    np.put_along_axis(logits, arg[:, None], np.take_along_axis(logits, arg[:, None], 1) + lift[:, None], axis=1)
    return np.round(logits, 3)


def case_random(rng, n, c, grid, scale):
    logits = rng.normal(0.0, scale, size=(n, c) + grid)
    labels = rng.integers(0, c, size=(n,) + grid)
    return logits, labels


def case_reference_lacks(rng):
    """3 classes; the reference of volume 0 has no class 2, volume 1 is background only."""
    n, c, grid = 2, 3, (4, 5, 6)
    logits = rng.normal(0.0, 1.0, size=(n, c) + grid)
    labels = rng.integers(0, 2, size=(n,) + grid)
    labels[1] = 0
    return logits, labels


def case_prediction_lacks(rng):
    """3 classes; class 1 never wins the argmax (its logit sits 0.5..1.5 below the best other), yet the reference
    has it: Dice 0 for class 1, and its probabilities stay around 0.1-0.3 so the CE stays well conditioned."""
    n, c, grid = 2, 3, (4, 5, 6)
    logits = rng.normal(0.0, 1.0, size=(n, c) + grid)
    others = np.maximum(logits[:, 0], logits[:, 2])
    logits[:, 1] = others - rng.uniform(0.5, 1.5, size=others.shape)
    labels = rng.integers(0, c, size=(n,) + grid)
    return logits, labels


def case_informative(rng, n, c, grid, scale, agree):
    """Labels equal the argmax of the logits on a fraction `agree` of the voxels (Dice well away from 0), large
    logit scale so that non-true probabilities get small (down to ~1e-4)."""
    logits = rng.normal(0.0, scale, size=(n, c) + grid)
    labels = np.argmax(logits, axis=1)
    flip = rng.random(labels.shape) >= agree
    # a flipped voxel takes a random class among those with softmax p >= 0.02: the wrong class may be unlikely,
    # but not so unlikely that log(p + 1e-7) and log_softmax differ much (that bias is asserted < 3e-6 below)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    keys = np.where(p >= 0.02, rng.random(p.shape), -1.0)
    labels[flip] = np.argmax(keys, axis=1)[flip]
    return logits, labels


def case_blocky(rng, n, c, grid, scale):
    """Labels in blocks (a 2x2x2-voxel coarse random map), so most of the many classes are absent from a volume;
    logits favour the true class by +2.5."""
    coarse = rng.integers(0, c, size=(n,) + tuple((g + 1) // 2 for g in grid))
    labels = coarse.repeat(2, 1).repeat(2, 2).repeat(2, 3)[:, :grid[0], :grid[1], :grid[2]]
    logits = rng.normal(0.0, scale, size=(n, c) + grid)
    np.put_along_axis(logits, labels[:, None], np.take_along_axis(logits, labels[:, None], 1) + 2.5, axis=1)
    return logits, labels


def f(x):
    x = float(x)
    return None if math.isnan(x) else x


def compute(name, logits, labels):
    logits = separate_top_two(logits).astype(np.float32)
    n, c = logits.shape[:2]
    x = torch.from_numpy(logits)
    y = torch.from_numpy(labels.astype(np.int64))[:, None]  # [N, 1, D, H, W]

    probs = torch.softmax(x.double(), dim=1)
    p_true = torch.gather(probs, 1, y)
    bias = float((torch.log(p_true + LOG_EPS) - torch.log(p_true)).abs().mean())
    assert bias < 3e-6, (name, bias)

    loss = DiceCELoss(to_onehot_y=True, softmax=True, include_background=True, lambda_dice=1.0, lambda_ce=0.2)
    total = loss(x, y.float())
    dice_part = loss.dice(x, y.float())
    ce_part = loss.ce(x, y.float())
    assert abs(float(total) - (float(dice_part) + 0.2 * float(ce_part))) < 1e-6, name

    pred_1h = one_hot(torch.argmax(x, dim=1, keepdim=True), num_classes=c)
    ref_1h = one_hot(y, num_classes=c)
    per_class = DiceMetric(include_background=True, ignore_empty=True, reduction="none")(pred_1h, ref_1h)
    # Cumulative metrics: __call__ returns the unreduced buffer, aggregate() applies the reduction.
    fg = DiceMetric(include_background=False, ignore_empty=True, reduction="mean_channel", get_not_nans=True)
    fg(pred_1h, ref_1h)
    mean_fg, mean_fg_counted = fg.aggregate()  # mean_channel writes 0 where no class was counted
    fg_all = DiceMetric(include_background=False, ignore_empty=True, reduction="mean")
    fg_all(pred_1h, ref_1h)
    mean_fg_batch = fg_all.aggregate()  # over volumes that have a foreground class in the reference
    # GeneralizedDiceScore: a channel reduction sums numerator and denominator over classes (Sudre's GDS, [N, 1]);
    # reduction="none" would give per-class ratios in which the weights cancel.
    gds_metric = GeneralizedDiceScore(include_background=True, weight_type="square", reduction="mean_channel")
    gds = gds_metric(pred_1h, ref_1h)

    return {
        "name": name,
        "shape": list(logits.shape),
        "logits": [round(float(v), 3) for v in logits.ravel()],
        "labels": [int(v) for v in labels.ravel()],
        "expected": {
            "dice_ce": f(total),
            "dice": f(dice_part),
            "ce": f(ce_part),
            "dice_per_class": [[f(v) for v in row] for row in per_class],
            "mean_foreground_dice": [f(v) for v in mean_fg.reshape(-1)],
            "mean_foreground_dice_counted": [int(v) for v in mean_fg_counted.reshape(-1)],
            "mean_foreground_dice_batch": f(mean_fg_batch),
            "generalized_dice": [f(v) for v in gds.reshape(-1)],
            "ce_log_eps_bias": float("%.3g" % bias),
        },
    }


def dump(obj):
    """JSON with every number list on one line (small, diffable, deterministic)."""
    text = json.dumps(obj, indent=1, sort_keys=False)
    return re.sub(r"\[\s+([-0-9.eE, \nnul]+?)\s+\]",
                  lambda m: "[" + ",".join(t.strip() for t in m.group(1).split(",")) + "]", text) + "\n"


def main():
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(20261206)
    cases = [
        compute("c3_random", *case_random(rng, 2, 3, (4, 5, 6), 1.0)),
        compute("c3_reference_lacks_class", *case_reference_lacks(rng)),
        compute("c3_prediction_lacks_class", *case_prediction_lacks(rng)),
        compute("c11_informative_scaled", *case_informative(rng, 2, 11, (4, 5, 6), 2.5, 0.7)),
        compute("c21_blocky", *case_blocky(rng, 2, 21, (4, 5, 6), 1.0)),
        compute("c21_single_volume_odd_grid", *case_informative(rng, 1, 21, (3, 4, 5), 1.0, 0.5)),
    ]
    fixture = {
        "generator": "java-tools/unet/src/test/python/monai_fixture.py",
        "versions": {"monai": monai.__version__, "torch": torch.__version__.split("+")[0], "numpy": np.__version__},
        "config": {"lambda_dice": 1.0, "lambda_ce": 0.2, "softmax": True, "to_onehot_y": True,
                   "include_background": True, "dice_metric": "ignore_empty=True",
                   "generalized_dice": "weight_type=square"},
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as out:
        out.write(dump(fixture))
    print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")
    for case in cases:
        e = case["expected"]
        print(case["name"], "dice_ce %.6f dice %.6f ce %.6f gds %s mean_fg %s bias %.2g" % (
            e["dice_ce"], e["dice"], e["ce"], e["generalized_dice"], e["mean_foreground_dice"],
            e["ce_log_eps_bias"]))


if __name__ == "__main__":
    main()
