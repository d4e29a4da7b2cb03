# PyTorch twin of the elementwise workload: median GB/s of allocating ops on 10M float32 elements.
import time
import torch

n = 10_000_000
a, b = torch.randn(n), torch.randn(n)
cases = {
    "add": (lambda: a + b, 3),
    "mul": (lambda: a * b, 3),
    "exp": (lambda: a.exp(), 2),
    "relu": (lambda: a.relu(), 2),
    "sum": (lambda: a.sum(), 1),
}
for name, (op, arrays) in cases.items():
    for _ in range(2):
        op()
    times = []
    for _ in range(9):
        t = time.perf_counter()
        op()
        times.append(time.perf_counter() - t)
    times.sort()
    print(f"{name} {arrays * n * 4 / times[len(times) // 2] / 1e9}")
