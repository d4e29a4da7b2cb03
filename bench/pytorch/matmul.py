# PyTorch twin of the matmul workload: median GFLOP/s of square float32 products.
import time
import torch

for n in (256, 512, 1024, 2048):
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(2):
        a @ b
    times = []
    for _ in range(9 if n >= 2048 else 15):
        t = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t)
    times.sort()
    print(f"n={n} {2 * n ** 3 / times[len(times) // 2] / 1e9}")
