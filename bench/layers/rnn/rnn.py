# The PyTorch twin of Program.cs: /usr/bin/python3 rnn.py [lstm|gru] [steps]
import sys, time, statistics, torch
torch.set_num_threads(2)
kinds = [sys.argv[1]] if len(sys.argv) > 1 else ["lstm", "gru"]
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 10
inp, hidden, layers, batch, seq = 256, 256, 2, 32, 64
for kind in kinds:
    torch.manual_seed(0)
    net = (torch.nn.LSTM if kind == "lstm" else torch.nn.GRU)(inp, hidden, layers)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.randn(seq, batch, inp)
    target = torch.randn(seq, batch, hidden)
    parts = []
    def step():
        t0 = time.perf_counter()
        opt.zero_grad()
        y, _ = net(x)
        loss = torch.nn.functional.mse_loss(y, target)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        opt.step()
        parts.append(((t1 - t0) * 1000, (t2 - t1) * 1000))
        return (time.perf_counter() - t0) * 1000
    first = step()
    for _ in range(2): step()
    times = sorted(step() for _ in range(steps))
    fw = statistics.median(p[0] for p in parts[3:]); bw = statistics.median(p[1] for p in parts[3:])
    print(f"{kind} first {first:.1f} median {statistics.median(times):.1f} min {times[0]:.1f} (forward median {fw:.1f}, backward median {bw:.1f})")
