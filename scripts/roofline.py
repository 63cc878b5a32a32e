#!/usr/bin/env python3
"""How close the networks run to the CPU's multiply-add peak.

    mtcnn detect --threads 1 --timings t.jsonl -o faces.jsonl photos/
    scripts/roofline.py t.jsonl faces.jsonl [--models weights] [--min-face 20] [--peak fp32=G,bf16=G]

For each network: the multiply-adds of its convolutions and fully connected layers (counted from
the layer shapes in the models' .prototxt: P-Net over each pyramid level of each photo, from the
photo's size in the records; R-Net and O-Net once per candidate, from the counts in the timings
file), the time the timings file gives the stage, the rate, and that rate as a fraction of one
core's peak. The peak is measured by scripts/fma_peak.cpp (built with g++ on the fly) unless
given. A stage's time includes its crops, NMS and (for P-Net) everything but resampling, so the
fraction is of the whole stage, not of the convolutions alone. Use --threads 1: the times are
per image and the peak is one core's.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def layers(prototxt):
    """(type, name, bottoms, tops, params) of each layer, in order."""
    text = open(prototxt).read()
    result = []
    for match in re.finditer(r"\blayer\s*\{", text):
        depth, i = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        body = text[match.end():i - 1]
        field = lambda key: re.findall(rf'\b{key}\s*:\s*"?([\w./-]+)"?', body)
        result.append((field("type")[0], field("name")[0], field("bottom"), field("top"),
                       {k: int(field(k)[0]) for k in ("num_output", "kernel_size", "stride", "pad")
                        if field(k)}))
    dims = [int(d) for d in re.findall(r"input_dim\s*:\s*(\d+)", text)]
    return result, dims


def macs(prototxt, height, width):
    """Multiply-adds of one pass over a height x width input, batch 1."""
    net, dims = layers(prototxt)
    shapes = {"data": (dims[1], height, width)}
    total = 0
    for kind, _, bottoms, tops, p in net:
        c, h, w = shapes[bottoms[0]] if bottoms else shapes["data"]
        if kind == "Convolution":
            k, s, pad = p["kernel_size"], p.get("stride", 1), p.get("pad", 0)
            ho, wo = (h + 2 * pad - k) // s + 1, (w + 2 * pad - k) // s + 1
            total += p["num_output"] * c * k * k * ho * wo
            out = (p["num_output"], ho, wo)
        elif kind == "Pooling":  # Caffe rounds pooled sizes up
            k, s = p["kernel_size"], p.get("stride", 1)
            out = (c, math.ceil((h - k) / s) + 1, math.ceil((w - k) / s) + 1)
        elif kind == "InnerProduct":
            total += c * h * w * p["num_output"]
            out = (p["num_output"], 1, 1)
        else:
            out = (c, h, w)
        for top in tops:
            shapes[top] = out
    return total


def pyramid(width, height, min_face, factor=0.709):
    """The level sizes, as lib/src/pyramid.cpp makes them."""
    scale, short = 12.0 / min_face, min(width, height) * 12.0 / min_face
    while short >= 12.0:
        yield math.floor(width * scale + 1), math.floor(height * scale + 1)
        scale *= factor
        short *= factor


def measured_peak():
    with tempfile.TemporaryDirectory() as tmp:
        binary = os.path.join(tmp, "fma_peak")
        subprocess.run(["g++", "-O2", "-std=c++20", os.path.join(REPO, "scripts", "fma_peak.cpp"),
                        "-o", binary], check=True)
        return json.loads(subprocess.run([binary], check=True, capture_output=True,
                                         text=True).stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("timings")
    parser.add_argument("records")
    parser.add_argument("--models", default=os.path.join(REPO, "weights"))
    parser.add_argument("--min-face", type=float, default=20.0)
    parser.add_argument("--peak", help="fp32=G,bf16=G: one core's peak in billions of "
                        "multiply-adds per second, instead of measuring it")
    args = parser.parse_args()

    peak = ({k: float(v) for k, v in (p.split("=") for p in args.peak.split(","))} if args.peak
            else {k.split("_")[0]: v for k, v in measured_peak().items()})
    model = lambda n: os.path.join(args.models, f"det{n}.prototxt")
    per_rnet, per_onet = macs(model(2), 24, 24), macs(model(3), 48, 48)
    level_macs = {}

    work = {"P-Net": 0, "R-Net": 0, "O-Net": 0}
    time = {"P-Net": 0.0, "R-Net": 0.0, "O-Net": 0.0}
    sizes = {}
    with open(args.records) as f:
        for record in map(json.loads, f):
            if "width" in record:
                sizes[record["path"]] = (record["width"], record["height"])
    photos = 0
    with open(args.timings) as f:
        for t in map(json.loads, f):
            if t["path"] not in sizes or "rnet_candidates" not in t:
                continue
            photos += 1
            for w, h in pyramid(*sizes[t["path"]], args.min_face):
                if (w, h) not in level_macs:
                    level_macs[(w, h)] = macs(model(1), h, w)
                work["P-Net"] += level_macs[(w, h)]
            work["R-Net"] += per_rnet * t["rnet_candidates"]
            work["O-Net"] += per_onet * t["onet_candidates"]
            time["P-Net"] += t["pnet_ms"] / 1e3
            time["R-Net"] += t["rnet_ms"] / 1e3
            time["O-Net"] += t["onet_ms"] / 1e3
    if not photos:
        sys.exit("roofline: no photo of the timings file has a size in the records")

    peaks = ", ".join(f"{k} {v:.1f}" for k, v in peak.items() if v)
    print(f"{photos} photos; one core's peak (billions of multiply-adds/s): {peaks}")
    print(f"per candidate: R-Net {per_rnet / 1e6:.2f} M, O-Net {per_onet / 1e6:.2f} M multiply-adds")
    print("| stage | multiply-adds per photo | time per photo | rate | of fp32 peak | of bf16 peak |")
    print("|---|---|---|---|---|---|")
    for stage in ("P-Net", "R-Net", "O-Net", "all"):
        m = sum(work.values()) if stage == "all" else work[stage]
        s = sum(time.values()) if stage == "all" else time[stage]
        rate = m / s / 1e9 if s else 0.0
        frac = lambda k: f"{rate / peak[k]:.0%}" if peak.get(k) else "n/a"
        print(f"| {stage} | {m / photos / 1e6:.1f} M | {s / photos * 1e3:.2f} ms | "
              f"{rate:.1f} G/s | {frac('fp32')} | {frac('bf16')} |")


if __name__ == "__main__":
    main()
