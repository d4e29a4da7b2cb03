#!/usr/bin/python3
"""Builds graphdot_cases.json: the DOT text Graph.ToDot must write for the seeds' graphs, drawn from PyTorch's own graph.

The walk is Graph.ToDot's (Framework.Autograd, GraphDot.cs) applied to PyTorch 1.13's autograd graph: the output tensor n0,
then breadth first from its grad_fn through next_functions (ids in order of discovery, a None entry has no edge, a node met
twice keeps its id and gets another edge), each AccumulateGrad followed by its leaf (l0, l1 ...). So the committed text has
exactly PyTorch's nodes (type(fn).__name__) and edges; the C# test (Special/GraphDotTests.cs) builds the same
computation and compares the text. Run with Debian's PyTorch:  /usr/bin/python3 make_graphdot.py
"""
import json
import os
from collections import deque

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def label(t, names):
    name = next((k for k, v in names.items() if v is t), None)
    shape = "(" + ", ".join(str(d) for d in t.shape) + ")"
    grad = "requires_grad=True" if t.requires_grad else "requires_grad=False"
    return f"{name}\\n{shape}\\n{grad}" if name is not None else f"{shape}\\n{grad}"


def to_dot(t, names=None):
    names = names or {}
    nodes = [f'\tn0 [label="{label(t, names)}" fillcolor=darkolivegreen1 shape=ellipse]']
    edges, ids, queue = [], {}, deque()

    def node_id(fn):
        if fn in ids:
            return ids[fn]
        ids[fn] = len(ids) + 1
        nodes.append(f'\tn{ids[fn]} [label="{type(fn).__name__}"]')
        queue.append(fn)
        return ids[fn]

    if t.grad_fn is not None:
        edges.append(f"\tn0 -> n{node_id(t.grad_fn)}")
    leaves = 0
    while queue:
        fn = queue.popleft()
        src = ids[fn]
        if hasattr(fn, "variable"):
            nodes.append(f'\tl{leaves} [label="{label(fn.variable, names)}" fillcolor=lightblue shape=ellipse]')
            edges.append(f"\tn{src} -> l{leaves}")
            leaves += 1
        for nxt, _ in fn.next_functions:
            if nxt is not None:
                edges.append(f"\tn{src} -> n{node_id(nxt)}")
    return ("digraph {\n\tgraph [rankdir=BT]\n\tnode [fontname=\"DejaVu Sans Mono\" fontsize=10 height=0.2 shape=box style=filled]\n"
            "\tedge [dir=back]\n" + "".join(line + "\n" for line in nodes + edges) + "}\n")


cases = []


def case(name, dot):
    cases.append({"name": name, "dot": dot})


# seed 002: z = w*x + b, x not requiring grad
x = torch.Tensor([2])
w = torch.randn(1, requires_grad=True)
b = torch.randn(1, requires_grad=True)
y = torch.mul(w, x)
z = torch.add(y, b)
case("wxb", to_dot(z, {"w": w, "b": b, "x": x}))
case("wxb_unnamed", to_dot(z))
case("wxb_intermediate", to_dot(y, {"w": w}))

# seed 001: the l1/l2/l3 chain, b a constant
x = torch.ones(5, requires_grad=True)
w1 = torch.tensor(2.0, requires_grad=True)
w2 = torch.tensor(3.0, requires_grad=True)
b = torch.tensor(4.0, requires_grad=False)
l1 = x * w1
l2 = l1 + b
l3 = l2 * w2
y = l3.mean()
case("chain", to_dot(y, {"x": x, "w1": w1, "w2": w2}))

# a shared subexpression: one node, two edges into it
w = torch.ones(2, 3, requires_grad=True)
x = torch.full((2, 3), 0.5)
a = w * x
case("shared", to_dot((a * a.exp()).sum(), {"w": w}))
case("square", to_dot(w * w, {"w": w}))

# no graph: a leaf that requires grad, and a constant
case("leaf", to_dot(w, {"w": w}))
case("constant", to_dot(x))

with open(os.path.join(HERE, "graphdot_cases.json"), "w") as f:
    json.dump({"generator": "make_graphdot.py", "torch_version": torch.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
print(f"{len(cases)} cases written with torch {torch.__version__}")
