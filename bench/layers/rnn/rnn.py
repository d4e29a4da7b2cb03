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
    def step():
        t0 = time.perf_counter()
        opt.zero_grad()
        y, _ = net(x)
        loss = torch.nn.functional.mse_loss(y, target)
        loss.backward()
        opt.step()
        return (time.perf_counter() - t0) * 1000
    first = step()
    for _ in range(2): step()
    times = sorted(step() for _ in range(steps))
    print(f"{kind} first {first:.1f} median {statistics.median(times):.1f} min {times[0]:.1f}")
