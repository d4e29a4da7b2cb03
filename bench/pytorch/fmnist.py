"""Fashion-MNIST's training split as float32 [60000, 784] (byte / 255) and int64 labels, or random data of the same shapes."""
import gzip
import os

import numpy as np
import torch

DIR = "/usr/share/datasets/fashion-mnist"


def _idx(name, magic):
    with gzip.open(os.path.join(DIR, name)) as f:
        raw = f.read()
    if int.from_bytes(raw[:4], "big") != magic:
        raise ValueError(f"{name}: bad IDX magic")
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * (magic & 0xFF))


def load():
    images, labels = "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"
    if all(os.path.exists(os.path.join(DIR, f)) for f in (images, labels)):
        x = torch.from_numpy(_idx(images, 2051).reshape(-1, 784).astype(np.float32) / np.float32(255))
        y = torch.from_numpy(_idx(labels, 2049).astype(np.int64))
        print("data fashion-mnist")
    else:
        x, y = torch.rand(60_000, 784), torch.randint(0, 10, (60_000,))
        print("data random")
    return x, y
