# PyTorch twin of GemmBench: the same shapes (parsed from Shapes.cs), medians of float32 products, 2 threads.
# Prints "torch1.13<TAB>shape<TAB>GFLOP/s<TAB>median us<TAB>best GFLOP/s" lines. Usage: /usr/bin/python3 gemm.py [seconds] [filter]
import os
import re
import sys
import time
import torch

torch.set_num_threads(2)
budget = float(sys.argv[1]) if len(sys.argv) > 1 else 0.3
flt = sys.argv[2] if len(sys.argv) > 2 else ""
src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "Shapes.cs")).read()
pat = re.compile(r'\("([^"]+)", (\d+), (\d+), (\d+), (true|false), (true|false), (\d+)\)')
g = torch.Generator().manual_seed(0)
for name, m, n, k, ta, tb, batch in pat.findall(src):
    if flt not in name:
        continue
    m, n, k, batch = int(m), int(n), int(k), int(batch)
    ta, tb = ta == "true", tb == "true"
    if batch == 1:
        a = torch.randn(k, m, generator=g).T if ta else torch.randn(m, k, generator=g)
        b = torch.randn(n, k, generator=g).T if tb else torch.randn(k, n, generator=g)
        f = torch.mm
    else:
        a = torch.randn(batch, k, m, generator=g).transpose(1, 2) if ta else torch.randn(batch, m, k, generator=g)
        b = torch.randn(batch, n, k, generator=g).transpose(1, 2) if tb else torch.randn(batch, k, n, generator=g)
        f = torch.bmm
    flop = 2.0 * m * n * k * batch
    reps = max(1, int(50e-6 / (flop / 50e9)))
    with torch.no_grad():
        t = time.perf_counter()
        while time.perf_counter() - t < budget / 3:
            f(a, b)
        times = []
        t = time.perf_counter()
        while time.perf_counter() - t < budget or len(times) < 7:
            t0 = time.perf_counter()
            for _ in range(reps):
                f(a, b)
            times.append((time.perf_counter() - t0) / reps)
    times.sort()
    med = times[len(times) // 2]
    print(f"torch1.13\t{name}\t{flop / med / 1e9:.1f}\t{med * 1e6:.1f}\t{flop / times[0] / 1e9:.1f}", flush=True)
