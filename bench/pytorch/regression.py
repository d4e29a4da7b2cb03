# PyTorch twin of the regression workload: the seed's 800-step loop (tiny tensors: per-op overhead); median seconds.
import time
import torch


def run():
    torch.manual_seed(100)
    x = torch.unsqueeze(torch.linspace(-1, 1, 100), dim=1)
    y = 3 * x.pow(2) + 2 + 0.2 * torch.rand(x.size())
    w = torch.randn(1, 1, requires_grad=True)
    b = torch.zeros(1, 1, requires_grad=True)
    for _ in range(800):
        loss = ((y - (w * x.pow(2) + b)) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= 0.001 * w.grad
            b -= 0.001 * b.grad
            w.grad.zero_()
            b.grad.zero_()


t = time.perf_counter()
run()
print(f"first run {time.perf_counter() - t}")
run()
times = []
for _ in range(21):
    t = time.perf_counter()
    run()
    times.append(time.perf_counter() - t)
times.sort()
print(f"800 steps {times[len(times) // 2]}")
