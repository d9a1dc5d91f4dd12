#!/usr/bin/env python3
"""PyTorch twin of the default DeepStroke U-Net, timed like bench/UNetBenchmark (make bench, issue 17 item 4).

The network is the DL4J one of java-tools/unet (org.deepstroke.unet.model) with its defaults
(UNetConfig(4, 21, 8, 4, 0.2, true, size)), rebuilt layer for layer so that only the framework differs:
  - 4 input channels (CT + 3 coordinate channels; random values here, as in UNetBenchmark), 21 classes;
  - encoder: depth 4, channels 8/16/32/64, one ResBlock3D per level, 2x max pooling between levels;
  - ResBlock3D: conv3 -> instance norm (affine, eps 1e-5) -> ReLU -> dropout 0.2 (training only) -> conv3 ->
    instance norm -> SE (r = 2: mean -> dense C/2 -> ReLU -> dense C -> sigmoid -> rescale) + input (1x1x1
    projection when the channel count changes) -> ReLU; every conv with bias, same padding;
  - decoder: 2x nearest upsampling, concatenation with the encoder output of the level, ResBlock3D;
  - head: 1x1x1 conv to 21 classes, softmax;
  - loss DiceCELoss: 1.0 x Dice (smooth 1e-5, per batch x class, background included) + 0.2 x CE computed as
    -log(p + 1e-7) from the softmax (as the DL4J graph does; log_softmax would be the same speed);
  - Adam, lr 1e-3 (betas 0.9/0.999, eps 1e-8: the defaults of both frameworks).
The parameter count must equal the DL4J model's: --compare FILE (UNetBenchmark --tsv FILE) checks it and fails
on a mismatch, then prints DL4J/PyTorch time ratios per size (goal <= 1.5x).

Usage: unet_torch_twin.py [--sizes 64,96,128] [--iterations 3] [--inference-size 128] [--threads 2]
                          [--compare DL4J.tsv] [--goal 1.5]
Needs torch (bin/setup/install-torch-bench.sh; never part of make setup or CI).
"""
import argparse
import resource
import sys
import time

INPUT_CHANNELS = 4
CLASSES = 21
BASE_CHANNELS = 8
DEPTH = 4
DROPOUT = 0.2
SE_REDUCTION = 2
LAMBDA_DICE = 1.0
LAMBDA_CE = 0.2
SMOOTH = 1e-5
LOG_EPS = 1e-7
LEARNING_RATE = 1e-3


def build_model():
    import torch
    from torch import nn

    class SqueezeExcite3D(nn.Module):
        def __init__(self, channels):
            super().__init__()
            hidden = max(1, channels // SE_REDUCTION)
            self.fc1 = nn.Linear(channels, hidden)
            self.fc2 = nn.Linear(hidden, channels)

        def forward(self, x):
            z = torch.relu(self.fc1(x.mean(dim=(2, 3, 4))))
            gate = torch.sigmoid(self.fc2(z))
            return x * gate[:, :, None, None, None]

    class ResBlock3D(nn.Module):
        def __init__(self, cin, cout):
            super().__init__()
            self.conv1 = nn.Conv3d(cin, cout, 3, padding=1)
            self.norm1 = nn.InstanceNorm3d(cout, eps=1e-5, affine=True)
            self.drop = nn.Dropout(DROPOUT)
            self.conv2 = nn.Conv3d(cout, cout, 3, padding=1)
            self.norm2 = nn.InstanceNorm3d(cout, eps=1e-5, affine=True)
            self.se = SqueezeExcite3D(cout)
            self.proj = None if cin == cout else nn.Conv3d(cin, cout, 1)

        def forward(self, x):
            y = self.drop(torch.relu(self.norm1(self.conv1(x))))
            y = self.se(self.norm2(self.conv2(y)))
            skip = x if self.proj is None else self.proj(x)
            return torch.relu(y + skip)

    class UNet3D(nn.Module):
        def __init__(self):
            super().__init__()
            ch = [BASE_CHANNELS << level for level in range(DEPTH)]
            self.enc = nn.ModuleList()
            cin = INPUT_CHANNELS
            for level in range(DEPTH):
                self.enc.append(ResBlock3D(cin, ch[level]))
                cin = ch[level]
            self.dec = nn.ModuleList()  # deepest level first, as CNNDecoder3D builds them
            for level in range(DEPTH - 2, -1, -1):
                self.dec.append(ResBlock3D(cin + ch[level], ch[level]))
                cin = ch[level]
            self.head = nn.Conv3d(ch[0], CLASSES, 1)
            self.pool = nn.MaxPool3d(2)
            self.up = nn.Upsample(scale_factor=2, mode="nearest")

        def forward(self, x):
            skips = []
            for level, block in enumerate(self.enc):
                if level > 0:
                    x = self.pool(x)
                x = block(x)
                skips.append(x)
            x = skips.pop()
            for block in self.dec:
                x = block(torch.cat([self.up(x), skips.pop()], dim=1))
            return torch.softmax(self.head(x), dim=1)

    return UNet3D()


def dice_ce(probs, labels):
    intersection = (probs * labels).sum(dim=(2, 3, 4))
    denominator = probs.sum(dim=(2, 3, 4)) + labels.sum(dim=(2, 3, 4)) + SMOOTH
    dice = (1 - (2 * intersection + SMOOTH) / denominator).mean()
    ce = -(labels * (probs + LOG_EPS).log()).sum(dim=1).mean()
    return LAMBDA_DICE * dice + LAMBDA_CE * ce


def peak_rss_gb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0 / 1024.0


def measure(sizes, iterations, inference_size, threads):
    """Rows (kind, size, seconds, parameters), like UNetBenchmark's --tsv."""
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, batch 1, CPU", flush=True)
    rows = []
    for size in sizes:
        model = build_model().train()
        params = sum(p.numel() for p in model.parameters())
        optimiser = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
        x = torch.rand(1, INPUT_CHANNELS, size, size, size)
        y = torch.zeros(1, CLASSES, size, size, size)
        y[0, 0] = 1  # every voxel background, as in UNetBenchmark

        def step():
            optimiser.zero_grad(set_to_none=True)
            loss = dice_ce(model(x), y)
            loss.backward()
            optimiser.step()

        step()  # warm-up
        t0 = time.perf_counter()
        for _ in range(iterations):
            step()
        seconds = (time.perf_counter() - t0) / iterations
        print(f"train {size}^3 batch 1: {seconds:.2f} s/iteration ({iterations} iterations), "
              f"peak RSS {peak_rss_gb():.2f} GB, {params} parameters", flush=True)
        rows.append(("train", size, seconds, params))
        del model, optimiser, x, y
    model = build_model().eval()
    params = sum(p.numel() for p in model.parameters())
    x = torch.rand(1, INPUT_CHANNELS, inference_size, inference_size, inference_size)
    runs = 2
    with torch.inference_mode():
        model(x)  # warm-up
        t0 = time.perf_counter()
        for _ in range(runs):
            model(x)
        seconds = (time.perf_counter() - t0) / runs
    print(f"inference {inference_size}^3: {seconds:.2f} s/volume, peak RSS {peak_rss_gb():.2f} GB", flush=True)
    rows.append(("inference", inference_size, seconds, params))
    return rows


def read_tsv(path):
    rows = []
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        if header != ["kind", "size", "seconds", "parameters"]:
            raise SystemExit(f"{path}: not an UNetBenchmark --tsv file (header {header})")
        for line in f:
            if line.strip():
                kind, size, seconds, params = line.rstrip("\n").split("\t")
                rows.append((kind, int(size), float(seconds), int(params)))
    return rows


def compare(dl4j, torch_rows, goal):
    """Prints DL4J/PyTorch per (kind, size) measured by both; returns False when the networks differ."""
    dl4j_params = {r[3] for r in dl4j}
    torch_params = {r[3] for r in torch_rows}
    if dl4j_params != torch_params:
        print(f"parameter counts differ: DL4J {sorted(dl4j_params)} vs PyTorch twin {sorted(torch_params)}: "
              "the twin is not the same network, no ratio printed", file=sys.stderr)
        return False
    print(f"same network: {torch_rows[0][3]} parameters in both")
    theirs = {(r[0], r[1]): r[2] for r in torch_rows}
    matched = 0
    for kind, size, seconds, _ in dl4j:
        if (kind, size) not in theirs:
            continue
        matched += 1
        ratio = seconds / theirs[(kind, size)]
        unit = "s/iteration" if kind == "train" else "s/volume"
        print(f"DL4J/PyTorch {kind} {size}^3: {seconds:.2f} / {theirs[(kind, size)]:.2f} {unit} = {ratio:.1f}x "
              f"(goal <= {goal}x: {'met' if ratio <= goal else 'NOT met'})")
    if matched == 0:
        print("no size measured by both: no ratio", file=sys.stderr)
    return True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="64,96,128")
    ap.add_argument("--iterations", type=int, default=3)
    ap.add_argument("--inference-size", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--compare", help="UNetBenchmark --tsv output: print DL4J/PyTorch ratios")
    ap.add_argument("--goal", type=float, default=1.5)
    a = ap.parse_args(argv)
    sizes = [int(s) for s in a.sizes.split(",")]
    for s in sizes + [a.inference_size]:
        if s % (1 << (DEPTH - 1)):
            raise SystemExit(f"size {s} is not divisible by 2^(depth-1) = {1 << (DEPTH - 1)}")
    dl4j = read_tsv(a.compare) if a.compare else None  # fail before measuring when the file is bad
    rows = measure(sizes, a.iterations, a.inference_size, a.threads)
    if dl4j is not None and not compare(dl4j, rows, a.goal):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
