"""PyTorch CPU baseline of the training bench (bench/training.ts).

Reads from stdin a JSON line {"graph": <hwnas ModelGraph>, "images": N, "batch": B, "threads": T,
"seed": S, "lr": LR, "sync": bool}, builds the same network node for node (NCHW, PyTorch's own
layers), trains it one epoch on N random images of the graph's input shape with Adam and softmax
cross-entropy, and prints one JSON line: {"torch": version, "threads": T, "trainMs": ..., "cpuMs":
..., "images": N, "msPerImage": ...}. With "sync", it prints "ready" after the warm-up step and waits
for a line on stdin before the timed loop (several processes then train at the same time).
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class GraphNet(nn.Module):
    def __init__(self, graph):
        super().__init__()
        self.graph = graph
        self.mods = nn.ModuleDict()
        shapes = {"input": graph["input"]}
        for n in graph["nodes"]:
            op, key = n["op"], n["id"].replace(".", "_")
            cin = shapes[n["inputs"][0]][0]
            if op == "conv":
                a = n["attrs"]
                self.mods[key] = nn.Conv2d(cin, a["outChannels"], a["kernel"], a["stride"], a["pad"], groups=a["groups"], bias=a["bias"])
            elif op == "batchnorm":
                self.mods[key] = nn.BatchNorm2d(cin)
            elif op == "linear":
                self.mods[key] = nn.Linear(cin, n["attrs"]["outFeatures"], bias=n["attrs"]["bias"])
            shapes[n["id"]] = n["shape"]

    def forward(self, x):
        v = {"input": x}
        for n in self.graph["nodes"]:
            op, key = n["op"], n["id"].replace(".", "_")
            xs = [v[i] for i in n["inputs"]]
            if op in ("conv", "batchnorm", "linear"):
                y = self.mods[key](xs[0])
            elif op == "relu":
                y = F.relu(xs[0])
            elif op == "relu6":
                y = F.relu6(xs[0])
            elif op == "hswish":
                y = F.hardswish(xs[0])
            elif op == "hsigmoid":
                y = F.hardsigmoid(xs[0])
            elif op == "sigmoid":
                y = torch.sigmoid(xs[0])
            elif op == "swish":
                y = F.silu(xs[0])
            elif op == "globalavgpool":
                y = xs[0].mean((2, 3), keepdim=True)
            elif op == "flatten":
                y = torch.flatten(xs[0], 1)
            elif op == "add":
                y = xs[0]
                for t in xs[1:]:
                    y = y + t
            elif op == "mul":
                y = xs[0] * xs[1]
            elif op == "avgpool":
                a = n["attrs"]
                y = F.avg_pool2d(xs[0], a["kernel"], a["stride"], a["pad"], count_include_pad=False)
            elif op == "maxpool":
                a = n["attrs"]
                y = F.max_pool2d(xs[0], a["kernel"], a["stride"], a["pad"])
            elif op == "zero":
                y = torch.zeros_like(xs[0])
            elif op == "concat":
                y = torch.cat(xs, 1)
            elif op == "channelshuffle":
                g = n["attrs"]["groups"]
                b, c, h, w = xs[0].shape
                y = xs[0].reshape(b, g, c // g, h, w).transpose(1, 2).reshape(b, c, h, w)
            else:
                raise ValueError("unsupported op " + op)
            v[n["id"]] = y
        return v[self.graph["output"]]


def main():
    req = json.loads(sys.stdin.readline())
    torch.set_num_threads(req["threads"])
    torch.manual_seed(req["seed"])
    graph = req["graph"]
    c, h, w = graph["input"]
    n, batch = req["images"], req["batch"]
    model = GraphNet(graph)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=req["lr"])
    x = torch.rand(n, c, h, w)
    y = torch.randint(0, 10, (n,))
    # One untimed step: first-call allocations and kernel selection.
    loss = F.cross_entropy(model(x[:batch])[:, :10], y[:batch])
    loss.backward()
    opt.zero_grad()
    if req.get("sync"):
        print("ready", flush=True)
        sys.stdin.readline()
    t0 = time.perf_counter()
    c0 = time.process_time()
    for s in range(0, n, batch):
        opt.zero_grad()
        loss = F.cross_entropy(model(x[s:s + batch])[:, :10], y[s:s + batch])
        loss.backward()
        opt.step()
    train_ms = (time.perf_counter() - t0) * 1000
    cpu_ms = (time.process_time() - c0) * 1000
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "trainMs": train_ms, "cpuMs": cpu_ms, "images": n, "msPerImage": train_ms / n}))


if __name__ == "__main__":
    main()
