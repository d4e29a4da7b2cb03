# PyTorch twin of the mlp workload: one epoch of Linear(784,256)-ReLU-Linear(256,10), cross-entropy,
# SGD momentum 0.9, on 60,000 random samples; median seconds per epoch at batch 64 and 512.
import time
import torch

n = 60_000
x = torch.rand(n, 784)
y = torch.randint(0, 10, (n,))
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
