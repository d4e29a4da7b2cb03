# PyTorch twin of the cnn workload: Conv2d(1,16,3,pad 1)-ReLU-MaxPool2d(2)-Conv2d(16,32,3,pad 1)-ReLU-MaxPool2d(2)-
# Flatten-Linear(32*7*7,10), cross-entropy, SGD momentum 0.9, batch 64 gathered as x[idx] from a seeded permutation of
# a fixed 10,000-image subset of Fashion-MNIST per "epoch". First epoch (cold), then WARM_EPOCHS untimed, the mean of the next 2, first step done.
import time

import torch

from fmnist import load
from since_start import since_start, WARM_EPOCHS

x, y = load()
x, y = x[:10_000].reshape(-1, 1, 28, 28).contiguous(), y[:10_000].contiguous()
n, batch = x.shape[0], 64
torch.manual_seed(0)
nn = torch.nn
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(32 * 7 * 7, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
first_step = None


def epoch():
    global first_step
    perm = torch.randperm(n)
    for s in range(0, n, batch):
        idx = perm[s:s + batch]
        opt.zero_grad()
        loss_fn(model(x[idx]), y[idx]).backward()
        opt.step()
        if first_step is None:
            first_step = since_start()


t = time.perf_counter()
epoch()
print(f"first epoch {time.perf_counter() - t}")
print(f"first step done {first_step}")
for _ in range(WARM_EPOCHS):  # untimed, as in mlp.py
    epoch()
times = []
for _ in range(2):
    t = time.perf_counter()
    epoch()
    times.append(time.perf_counter() - t)

print(f"steady epoch {sum(times) / len(times)}")
print(f"step {sum(times) / len(times) / ((n + batch - 1) // batch)}")
