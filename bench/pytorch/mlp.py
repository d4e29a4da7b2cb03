# PyTorch twin of the mlp-<batch> workloads: Linear(784,256)-ReLU-Linear(256,10), cross-entropy, SGD momentum 0.9 on
# the 60,000 Fashion-MNIST training images, each batch gathered as x[idx] from a seeded permutation (as a script does,
# no DataLoader). Prints the first epoch (cold), then WARM_EPOCHS untimed, the median of the next 3 epochs, and when the first step was done.
import sys
import time

import torch

from fmnist import load
from since_start import since_start, WARM_EPOCHS

batch = int(sys.argv[1])
x, y = load()
n = x.shape[0]
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss_fn = torch.nn.CrossEntropyLoss()
first_step = None


def epoch():
    global first_step
    perm = torch.randperm(n)
    for s in range(0, n, batch):
        idx = perm[s:s + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        if first_step is None:
            first_step = since_start()


t = time.perf_counter()
epoch()
print(f"first epoch {time.perf_counter() - t}")
print(f"first step done {first_step}")
for _ in range(WARM_EPOCHS):  # untimed: the peers' steady state, like ours, comes after a warm-up
    epoch()
times = []
for _ in range(3):
    t = time.perf_counter()
    epoch()
    times.append(time.perf_counter() - t)
print(f"steady epoch {sorted(times)[1]}")
