# PyTorch twin of the mlp workload: one epoch of Linear(784,256)-ReLU-Linear(256,10), cross-entropy,
# SGD momentum 0.9, on the 60,000 Fashion-MNIST training images (byte / 255 as float32, flattened to 784)
# when installed, random data of the same shapes otherwise; median seconds per epoch at batch 64 and 512.
import gzip
import os
import time

import numpy as np
import torch

DIR = "/usr/share/datasets/fashion-mnist"


def idx(name, magic):
    """The uint8 payload of a gzip IDX file, after checking its magic number."""
    with gzip.open(os.path.join(DIR, name)) as f:
        raw = f.read()
    if int.from_bytes(raw[:4], "big") != magic:
        raise ValueError(f"{name}: bad IDX magic")
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * (magic & 0xFF))   # magic, then one int32 per dimension


images, labels = "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"
if all(os.path.exists(os.path.join(DIR, f)) for f in (images, labels)):
    x = torch.from_numpy(idx(images, 2051).reshape(-1, 784).astype(np.float32) / np.float32(255))
    y = torch.from_numpy(idx(labels, 2049).astype(np.int64))
    print("data fashion-mnist")
else:
    x = torch.rand(60_000, 784)
    y = torch.randint(0, 10, (60_000,))
    print("data random")
n = x.shape[0]
for batch in (64, 512):
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    xb = [x[s:s + batch].contiguous() for s in range(0, n, batch)]
    yb = [y[s:s + batch].contiguous() for s in range(0, n, batch)]

    def epoch():
        for xi, yi in zip(xb, yb):
            opt.zero_grad()
            loss = loss_fn(model(xi), yi)
            loss.backward()
            opt.step()

    epoch()
    times = []
    for _ in range(3):
        t = time.perf_counter()
        epoch()
        times.append(time.perf_counter() - t)
    times.sort()
    print(f"batch={batch} {times[1]}")
