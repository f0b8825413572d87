#!/usr/bin/env python3
"""Train one hwnas candidate in PyTorch on CIFAR-10 and print its accuracy for hwnas.

hwnas runs this once per candidate (`--accuracy 'command:python3 examples/pytorch-cifar10/train.py
--data DIR'`), following its trainer protocol (docs/your-trainer.md): the network comes from
network.json (path in $HWNAS_NETWORK_JSON), the epochs from --epochs or $HWNAS_EPOCHS (set by
`hwnas search --fidelity`), the seed from --seed or $HWNAS_SEED. Progress goes to stderr (hwnas
keeps it in the candidate's log); the last line on stdout is the result:

    {"accuracy": 91.2, "epochs": 5, "trainLoss": 0.31, "trainImages": 45000, "validImages": 5000, "trainSeconds": 812.4}

Data: the standard CIFAR-10 binary release (cifar-10-binary.tar.gz, folder cifar-10-batches-bin):
every data_batch_*.bin in --data is read (each record is 1 label byte, then 1,024 red, 1,024
green, 1,024 blue bytes). The last --valid-images training images are held out for validation and
never trained on; --valid-from test measures on test_batch.bin instead.

Training: SGD with Nesterov momentum 0.9, weight decay 5e-4, cosine learning rate from --lr to 0
over the epochs, batch 128, random crop (4-pixel zero padding) and horizontal flip, per-channel
normalisation. Networks whose input is not 3x32x32 get the images resized bilinearly to their input;
a network with more than 10 logits is trained and scored on its first 10.
"""
import argparse
import glob
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

NETWORK_FORMAT = "hwnas-network"
NETWORK_VERSIONS = (1,)
CIFAR_MEAN = (0.4914, 0.4822, 0.4465)
CIFAR_STD = (0.2470, 0.2435, 0.2616)
RECORD = 1 + 3 * 32 * 32


def fail(message):
    """A clear message on stderr and exit code 2: hwnas journals the candidate as failed with it."""
    print(f"train.py: {message}", file=sys.stderr, flush=True)
    sys.exit(2)


class HwnasNet(nn.Module):
    """The network of an hwnas network.json, op by op (docs/your-trainer.md lists each op)."""

    def __init__(self, spec):
        super().__init__()
        if spec.get("format") != NETWORK_FORMAT or spec.get("version") not in NETWORK_VERSIONS:
            fail(f"network.json is {spec.get('format')} v{spec.get('version')}; this script reads {NETWORK_FORMAT} v{NETWORK_VERSIONS}")
        self.nodes = spec["nodes"]
        self.output = spec["output"]
        self.layers = nn.ModuleList()
        shapes = {"input": spec["input"]["shape"]}
        for node in self.nodes:
            op, attrs, shape = node["op"], node.get("attrs", {}), node["shape"]
            cin = shapes[node["inputs"][0]][0]
            if op == "conv":
                layer = nn.Conv2d(cin, attrs["outChannels"], attrs["kernel"], attrs["stride"], attrs["pad"], groups=attrs["groups"], bias=attrs["bias"])
            elif op == "batchnorm":
                layer = nn.BatchNorm2d(shape[0]) if len(shape) == 3 else nn.BatchNorm1d(shape[0])
            elif op == "linear":
                layer = nn.Linear(cin, attrs["outFeatures"], bias=attrs["bias"])
            elif op == "avgpool":
                layer = nn.AvgPool2d(attrs["kernel"], attrs["stride"], attrs["pad"], count_include_pad=False)
            elif op == "maxpool":
                layer = nn.MaxPool2d(attrs["kernel"], attrs["stride"], attrs["pad"])
            elif op in ("relu", "relu6", "hswish", "hsigmoid", "sigmoid", "swish", "globalavgpool", "flatten", "add", "mul", "zero", "channelshuffle", "concat"):
                layer = nn.Identity()  # no weights: computed in forward
            else:
                fail(f"unknown op {op!r} in network.json (node {node['id']})")
            self.layers.append(layer)
            shapes[node["id"]] = shape
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def forward(self, x):
        values = {"input": x}
        for node, layer in zip(self.nodes, self.layers):
            op, attrs = node["op"], node.get("attrs", {})
            xs = [values[i] for i in node["inputs"]]
            a = xs[0]
            if op in ("conv", "batchnorm", "linear", "avgpool", "maxpool"):
                y = layer(a)
            elif op == "relu":
                y = F.relu(a)
            elif op == "relu6":
                y = F.relu6(a)
            elif op == "hswish":
                y = F.hardswish(a)
            elif op == "hsigmoid":
                y = F.hardsigmoid(a)
            elif op == "sigmoid":
                y = torch.sigmoid(a)
            elif op == "swish":
                y = F.silu(a)
            elif op == "globalavgpool":
                y = a.mean((2, 3), keepdim=True)
            elif op == "flatten":
                y = torch.flatten(a, 1)
            elif op == "add":
                y = xs[0]
                for other in xs[1:]:
                    y = y + other
            elif op == "mul":
                y = xs[0] * xs[1]
            elif op == "zero":
                y = torch.zeros_like(a)
            elif op == "channelshuffle":
                n, c, h, w = a.shape
                g = attrs["groups"]
                y = a.reshape(n, g, c // g, h, w).transpose(1, 2).reshape(n, c, h, w)
            elif op == "concat":
                y = torch.cat(xs, 1)
            values[node["id"]] = y
        return values[self.output]


def read_cifar(files):
    """Images (uint8, N x 3 x 32 x 32) and labels of CIFAR-10 binary files."""
    chunks = []
    for f in files:
        raw = np.fromfile(f, dtype=np.uint8)
        if raw.size % RECORD != 0:
            fail(f"{f} is not a CIFAR-10 binary file: {raw.size} bytes is not a multiple of {RECORD}")
        chunks.append(raw.reshape(-1, RECORD))
    data = np.concatenate(chunks)
    labels = data[:, 0].astype(np.int64)
    if labels.max(initial=0) > 9:
        fail(f"a label above 9 in {', '.join(files)}: not CIFAR-10 binary records")
    return data[:, 1:].reshape(-1, 3, 32, 32), labels


def augment(x, gen):
    """Random crop of a 4-pixel zero-padded image, then a horizontal flip with probability 1/2."""
    n, c, h, w = x.shape
    padded = F.pad(x, (4, 4, 4, 4))
    i = torch.randint(0, 9, (n,), generator=gen)
    j = torch.randint(0, 9, (n,), generator=gen)
    rows = (i[:, None] + torch.arange(h)[None, :])[:, None, :, None]
    cols = (j[:, None] + torch.arange(w)[None, :])[:, None, None, :]
    out = padded[torch.arange(n)[:, None, None, None], torch.arange(c)[None, :, None, None], rows, cols]
    flip = torch.rand(n, generator=gen) < 0.5
    out[flip] = out[flip].flip(3)
    return out


def to_input(x_uint8, shape, device):
    """Normalised float images at the network's input size."""
    mean = torch.tensor(CIFAR_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(CIFAR_STD).view(1, 3, 1, 1)
    x = (x_uint8.float() / 255 - mean) / std
    c, h, w = shape
    if c != 3:
        fail(f"the network takes {c} input channels; CIFAR-10 has 3")
    if (h, w) != (32, 32):
        x = F.interpolate(x, size=(h, w), mode="bilinear", align_corners=False)
    return x.to(device)


def evaluate(model, images, labels, shape, device, batch=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for s in range(0, len(images), batch):
            logits = model(to_input(images[s:s + batch], shape, device))[:, :10]
            correct += (logits.argmax(1).cpu() == labels[s:s + batch]).sum().item()
    return 100.0 * correct / max(1, len(images))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default=os.environ.get("HWNAS_DATA"), help="folder with CIFAR-10 binary files (data_batch_*.bin, test_batch.bin) [$HWNAS_DATA, from hwnas --data]")
    p.add_argument("--network", default=os.environ.get("HWNAS_NETWORK_JSON"), help="network.json [$HWNAS_NETWORK_JSON]")
    p.add_argument("--epochs", type=int, default=int(os.environ.get("HWNAS_EPOCHS", "1")), help="[$HWNAS_EPOCHS, else 1]")
    p.add_argument("--train-images", type=int, default=int(os.environ.get("HWNAS_TRAIN_IMAGES", "0")), help="training images, the first N not held out [$HWNAS_TRAIN_IMAGES, else all]")
    p.add_argument("--valid-images", type=int, default=5000, help="images held out from the end of the training files [5000]")
    p.add_argument("--valid-from", choices=("train", "test"), default="train", help="measure on held-out training images or on test_batch.bin [train]")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=int(os.environ.get("HWNAS_SEED", "0")), help="[$HWNAS_SEED, else 0]")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu", help="[cuda when available, else cpu]")
    p.add_argument("--threads", type=int, default=0, help="CPU threads of torch [torch's default]")
    a = p.parse_args()
    if not a.data:
        fail("no data folder: give --data DIR (or run hwnas with --data DIR, which sets $HWNAS_DATA)")
    if not a.network:
        fail("no network.json: run me from hwnas (it sets $HWNAS_NETWORK_JSON) or give --network")
    if a.epochs < 1 or a.valid_images < 1 or a.train_images < 0:
        fail("--epochs and --valid-images must be at least 1, --train-images at least 0")
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)

    with open(a.network) as f:
        spec = json.load(f)
    shape = spec["input"]["shape"]
    if spec["classes"] < 10:
        fail(f"the network has {spec['classes']} logits; CIFAR-10 needs 10")
    train_files = sorted(glob.glob(os.path.join(a.data, "data_batch_*.bin")))
    if not train_files:
        fail(f"no data_batch_*.bin in {a.data}: give the folder of the CIFAR-10 binary release")
    images, labels = read_cifar(train_files)
    if a.valid_from == "test":
        test_file = os.path.join(a.data, "test_batch.bin")
        if not os.path.exists(test_file):
            fail(f"no test_batch.bin in {a.data}")
        valid_x, valid_y = read_cifar([test_file])
        valid_x, valid_y = valid_x[:a.valid_images], valid_y[:a.valid_images]
    else:
        if a.valid_images >= len(images):
            fail(f"--valid-images {a.valid_images} leaves nothing to train on: {len(images)} training images")
        valid_x, valid_y = images[-a.valid_images:], labels[-a.valid_images:]
        images, labels = images[:-a.valid_images], labels[:-a.valid_images]
    if a.train_images:
        images, labels = images[:a.train_images], labels[:a.train_images]
    train_x, train_y = torch.from_numpy(np.ascontiguousarray(images)), torch.from_numpy(labels)
    valid_x, valid_y = torch.from_numpy(np.ascontiguousarray(valid_x)), torch.from_numpy(valid_y)

    model = HwnasNet(spec).to(a.device)
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
    steps_per_epoch = math.ceil(len(train_x) / a.batch_size)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=a.epochs * steps_per_epoch)
    print(f"{spec['name']}: {sum(p.numel() for p in model.parameters())} parameters; {len(train_x)} training, {len(valid_x)} validation images; {a.epochs} epoch(s) on {a.device}", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    loss_sum, seen = 0.0, 0
    for epoch in range(a.epochs):
        model.train()
        order = torch.randperm(len(train_x), generator=gen)
        loss_sum, seen = 0.0, 0
        for s in range(0, len(order), a.batch_size):
            idx = order[s:s + a.batch_size]
            if len(idx) < 2:
                continue  # batch norm needs two images
            x = to_input(augment(train_x[idx], gen), shape, a.device)
            y = train_y[idx].to(a.device)
            loss = F.cross_entropy(model(x)[:, :10], y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(idx)
            seen += len(idx)
        print(f"epoch {epoch + 1}/{a.epochs}: train loss {loss_sum / max(1, seen):.4f} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)
    train_s = time.perf_counter() - t0
    accuracy = evaluate(model, valid_x, valid_y, shape, a.device)
    print(f"validation accuracy {accuracy:.2f} % on {len(valid_x)} images", file=sys.stderr, flush=True)
    print(json.dumps({
        "accuracy": accuracy, "epochs": a.epochs, "trainLoss": loss_sum / max(1, seen), "trainImages": len(train_x),
        "validImages": len(valid_x), "trainSeconds": round(train_s, 3),
    }))


if __name__ == "__main__":
    main()
