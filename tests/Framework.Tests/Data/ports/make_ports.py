#!/usr/bin/python3
"""Builds ports_cases.json: two public PyTorch programs run on a slice of Debian's Fashion-MNIST, for the C# ports
in Ports/ to reproduce number for number.

- "quickstart": the PyTorch Quickstart (pytorch.org/tutorials/beginner/basics/quickstart_tutorial): NeuralNetwork
  (Flatten, 784-512-ReLU-512-ReLU-10), CrossEntropyLoss, SGD lr=1e-3, batch 64, the loader unshuffled; one epoch over the
  first 640 training images, then the tutorial's test() over the first 1000 test images.
- "softmax": d2l's softmax regression from scratch (d2l.ai chapter "Softmax Regression Implementation from Scratch"):
  W ~ normal(0, 0.01), b = 0, cross_entropy = -log(y_hat[range(len(y_hat)), y]), sgd with lr 0.1 over batches of 256,
  unshuffled; two epochs over the first 2560 training images, then the accuracy over the first 1000 test images.

torchvision is not needed: the IDX files are read with numpy and scaled as transforms.ToTensor() does (uint8 / 255 in
float32). Run with Debian's PyTorch:  /usr/bin/python3 make_ports.py  (the JSON is committed).
"""
import gzip
import json
import os

import numpy as np
import torch
from torch import nn

ROOT = "/usr/share/datasets/fashion-mnist"


def idx(name):
    with gzip.open(os.path.join(ROOT, name)) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def images(name, n):
    return torch.from_numpy(idx(name)[:n].astype(np.float32) / np.float32(255)).reshape(n, 1, 28, 28)


def labels(name, n):
    return torch.from_numpy(idx(name)[:n].astype(np.int64))


def batches(X, y, size):
    for i in range(0, len(X), size):
        yield X[i:i + size], y[i:i + size]


# --- Quickstart ---------------------------------------------------------------------------------
class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28 * 28, 512), nn.ReLU(),
            nn.Linear(512, 512), nn.ReLU(),
            nn.Linear(512, 10))

    def forward(self, x):
        x = self.flatten(x)
        return self.linear_relu_stack(x)


torch.manual_seed(0)
model = NeuralNetwork()
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
X_train, y_train = images("train-images-idx3-ubyte.gz", 640), labels("train-labels-idx1-ubyte.gz", 640)
X_test, y_test = images("t10k-images-idx3-ubyte.gz", 1000), labels("t10k-labels-idx1-ubyte.gz", 1000)
model.train()
quick_losses = []
for X, y in batches(X_train, y_train, 64):
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    quick_losses.append(loss.item())
model.eval()
test_loss, correct, num_batches = 0.0, 0.0, 0
with torch.no_grad():
    for X, y in batches(X_test, y_test, 64):
        pred = model(X)
        test_loss += loss_fn(pred, y).item()
        correct += (pred.argmax(1) == y).type(torch.float).sum().item()
        num_batches += 1
quickstart = {"batch_losses": quick_losses, "test_loss": test_loss / num_batches, "test_accuracy": correct / len(X_test)}

# --- d2l softmax regression from scratch ----------------------------------------------------------
torch.manual_seed(0)
num_inputs, num_outputs = 784, 10
W = torch.normal(0, 0.01, size=(num_inputs, num_outputs), requires_grad=True)
b = torch.zeros(num_outputs, requires_grad=True)


def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition


def net(X):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


def cross_entropy(y_hat, y):
    return - torch.log(y_hat[range(len(y_hat)), y])


def accuracy(y_hat, y):
    y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


X_train, y_train = images("train-images-idx3-ubyte.gz", 2560), labels("train-labels-idx1-ubyte.gz", 2560)
epoch_losses, epoch_accuracies = [], []
for epoch in range(2):
    total_loss, total_correct = 0.0, 0.0
    for X, y in batches(X_train, y_train, 256):
        y_hat = net(X)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], 0.1, X.shape[0])
        total_loss += float(l.sum())
        total_correct += accuracy(y_hat, y)
    epoch_losses.append(total_loss / len(X_train))
    epoch_accuracies.append(total_correct / len(X_train))
with torch.no_grad():
    test_accuracy = accuracy(net(X_test), y_test) / len(X_test)
softmax_case = {"epoch_losses": epoch_losses, "epoch_train_accuracies": epoch_accuracies, "test_accuracy": test_accuracy,
                "w_sum": float(W.sum()), "b": [float(v) for v in b]}

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "ports_cases.json"), "w") as f:
    json.dump({"generator": "make_ports.py", "torch_version": torch.__version__, "quickstart": quickstart, "softmax": softmax_case}, f, indent=1)
print(json.dumps(quickstart)[:300]); print(json.dumps(softmax_case)[:300])
