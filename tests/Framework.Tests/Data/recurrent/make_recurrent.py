#!/usr/bin/python3
"""Builds recurrent_cases.json: nn.RNN / nn.LSTM / nn.GRU and their cells in PyTorch 1.13, for NN/RecurrentReferenceTests.cs.

Each case builds the module after torch.manual_seed(0) (so the default init is recorded: the C# side checks it draws
the same weights), converts it to the case's dtype, runs it on a fixed input (and initial state when given), and
back-propagates fixed upstream gradients of the output and of every final state. Recorded: the parameters by their
PyTorch names, the outputs and final states, the gradients of the input, the initial states and every parameter.
Run with Debian's PyTorch:  /usr/bin/python3 make_recurrent.py  (the JSON is committed).
"""
import json
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torchref import F32, F64, encode  # noqa: E402

rng = np.random.default_rng(20261205)


def tensor(shape, dtype, grad=True):
    return torch.tensor(rng.standard_normal(shape).round(4), dtype=dtype, requires_grad=grad)


def upstream(t):
    return torch.tensor(rng.uniform(-1.5, 1.5, tuple(t.shape)).round(3), dtype=t.dtype)


cases = []


def case(name, kind, options, input_shape, state=None, dtype=F64, train=False, seed=0):
    torch.manual_seed(0)
    cls = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU, "RNNCell": nn.RNNCell, "LSTMCell": nn.LSTMCell, "GRUCell": nn.GRUCell}[kind]
    m = cls(**options)
    init = {k: encode(v) for k, v in m.named_parameters()}
    m = m.to(dtype)
    m.train(train)
    x = tensor(input_shape, dtype)
    states = []
    if state is not None:
        states = [tensor(s, dtype) for s in state]
    torch.manual_seed(seed)
    if kind == "LSTM":
        out, (h, c) = m(x, tuple(states) if states else None)
        results = [out, h, c]
    elif kind == "LSTMCell":
        h, c = m(x, tuple(states) if states else None)
        results = [h, c]
    elif kind.endswith("Cell"):
        results = [m(x, states[0] if states else None)]
    else:
        out, h = m(x, states[0] if states else None)
        results = [out, h]
    ups = [upstream(r) for r in results]
    sum((r * u).sum() for r, u in zip(results, ups)).backward()
    cases.append({
        "name": name, "kind": kind, "options": options, "dtype": str(dtype).replace("torch.", ""), "train": train, "seed": seed,
        "init": init, "input": encode(x), "states": [encode(s) for s in states],
        "results": [encode(r) for r in results], "upstreams": [encode(u) for u in ups],
        "grad_input": encode(x.grad), "grad_states": [encode(s.grad) for s in states],
        "grad_params": {k: encode(v.grad) for k, v in m.named_parameters()},
    })


# --- RNN --------------------------------------------------------------------------------------------
case("rnn_tanh", "RNN", {"input_size": 3, "hidden_size": 4}, (5, 2, 3))
case("rnn_relu_h0", "RNN", {"input_size": 3, "hidden_size": 4, "nonlinearity": "relu"}, (4, 2, 3), state=[(1, 2, 4)])
case("rnn_two_layers_bidirectional", "RNN", {"input_size": 2, "hidden_size": 3, "num_layers": 2, "bidirectional": True}, (4, 2, 2))
case("rnn_batch_first_no_bias", "RNN", {"input_size": 3, "hidden_size": 2, "batch_first": True, "bias": False}, (2, 5, 3))
case("rnn_unbatched", "RNN", {"input_size": 3, "hidden_size": 4}, (6, 3), state=[(1, 4)])
# --- LSTM -------------------------------------------------------------------------------------------
case("lstm", "LSTM", {"input_size": 3, "hidden_size": 4}, (5, 2, 3))
case("lstm_state", "LSTM", {"input_size": 3, "hidden_size": 4}, (4, 3, 3), state=[(1, 3, 4), (1, 3, 4)])
case("lstm_two_layers", "LSTM", {"input_size": 3, "hidden_size": 4, "num_layers": 2}, (4, 2, 3))
case("lstm_bidirectional_batch_first", "LSTM", {"input_size": 2, "hidden_size": 3, "bidirectional": True, "batch_first": True}, (2, 5, 2))
case("lstm_two_layers_bidirectional_state", "LSTM", {"input_size": 3, "hidden_size": 2, "num_layers": 2, "bidirectional": True}, (3, 2, 3),
     state=[(4, 2, 2), (4, 2, 2)])
case("lstm_unbatched", "LSTM", {"input_size": 3, "hidden_size": 4}, (5, 3))
case("lstm_dropout_train", "LSTM", {"input_size": 3, "hidden_size": 4, "num_layers": 2, "dropout": 0.5}, (4, 2, 3), train=True, seed=7)
case("lstm_float32", "LSTM", {"input_size": 4, "hidden_size": 5, "num_layers": 2}, (6, 3, 4), dtype=F32)
# --- GRU --------------------------------------------------------------------------------------------
case("gru", "GRU", {"input_size": 3, "hidden_size": 4}, (5, 2, 3))
case("gru_h0_two_layers", "GRU", {"input_size": 3, "hidden_size": 4, "num_layers": 2}, (4, 2, 3), state=[(2, 2, 4)])
case("gru_bidirectional_batch_first", "GRU", {"input_size": 2, "hidden_size": 3, "bidirectional": True, "batch_first": True}, (3, 4, 2))
case("gru_unbatched_no_bias", "GRU", {"input_size": 3, "hidden_size": 2, "bias": False}, (4, 3))
case("gru_float32", "GRU", {"input_size": 4, "hidden_size": 5}, (6, 3, 4), dtype=F32)
# --- cells ------------------------------------------------------------------------------------------
case("rnn_cell", "RNNCell", {"input_size": 3, "hidden_size": 4}, (2, 3), state=[(2, 4)])
case("rnn_cell_relu_no_state", "RNNCell", {"input_size": 3, "hidden_size": 4, "nonlinearity": "relu"}, (2, 3))
case("lstm_cell", "LSTMCell", {"input_size": 3, "hidden_size": 4}, (2, 3), state=[(2, 4), (2, 4)])
case("lstm_cell_unbatched", "LSTMCell", {"input_size": 3, "hidden_size": 4}, (3,))
case("gru_cell", "GRUCell", {"input_size": 3, "hidden_size": 4}, (2, 3), state=[(2, 4)])
case("gru_cell_no_bias", "GRUCell", {"input_size": 3, "hidden_size": 2, "bias": False}, (3, 3))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "recurrent_cases.json")
with open(path, "w") as f:
    json.dump({"generator": "make_recurrent.py", "torch_version": torch.__version__, "cases": cases}, f)
print(f"{len(cases)} cases written")
