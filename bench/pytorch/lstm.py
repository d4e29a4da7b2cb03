# PyTorch twin of the lstm workload: nn.LSTM(256, 256, 2 layers), sequence 64, batch 32 (seq-first), loss = mean of
# squares of the last layer's outputs, backward, SGD lr 0.01. First step (cold) and median of the next 10 steps.

import torch
from since_start import report_steps

torch.manual_seed(0)
lstm = torch.nn.LSTM(256, 256, 2)
opt = torch.optim.SGD(lstm.parameters(), lr=0.01)
x = torch.randn(64, 32, 256)


def step():
    opt.zero_grad()
    out, _ = lstm(x)
    out.pow(2).mean().backward()
    opt.step()


report_steps(step)
