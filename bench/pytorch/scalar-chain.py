# PyTorch twin of the scalar-chain workload: 100k 0-d ops forward + backward, ns per op.
import time
import torch

ops = 100_000


def run():
    x = torch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(ops // 2):
        y = y * 1.0001 + 0.5
    y.backward()


t = time.perf_counter()
run()
print(f"first run ns/op {(time.perf_counter() - t) / ops * 1e9}")
times = []
for _ in range(5):
    t = time.perf_counter()
    run()
    times.append(time.perf_counter() - t)
times.sort()
print(f"ns/op {times[len(times) // 2] / ops * 1e9}")
