#!/usr/bin/python3
"""Builds the PyTorch 1.13 reference of examples/CharLM for Examples/CharLMReferenceTests.cs:

charlm_cases.json   the fixed batches, the loss of the first one, the gradient norm, each step's lr and loss,
                    and the parameter keys in state_dict order (values are in the safetensors file);
charlm_params.safetensors  float32: logits (of the first batch), init/<key> (the state_dict after torch.manual_seed(0)), grad/<key> (every parameter's
                    gradient of the first batch's loss) and step3/<key> (the parameters after 3 steps of the recipe).

The twin is examples/CharLM/Model.cs's CharGpt built in the same order (Embedding, Embedding, TransformerEncoder of
pre-norm GELU layers, LayerNorm, Linear) at the default configuration; its causal mask is the float
generate_square_subsequent_mask (1.13's encoder has no is_causal). The recipe is Training.cs's: AdamW with the 2-D weights
of the linear maps in a group with weight decay 0.1 and the rest (biases, LayerNorm weights, embeddings) with 0,
SequentialLR(LinearLR(1/W, 1, W), CosineAnnealingLR(total - W, min lr)), clip_grad_norm_ (to 0.25 here, below the
batches' norms, where the example clips to 1.0), batch 32.
Run:  /usr/bin/python3 make_charlm.py  (the outputs are committed).
"""
import json
import warnings
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from torchref import encode, long  # noqa: E402

V, T, C, H, L = 27, 32, 64, 4, 4
B = 32                                            # the training batch
# The gradient norms of these random batches are about 0.4: the reference clips to 0.25 so that the clipping acts.
LR, BETAS, WD, WARMUP, TOTAL, MIN_LR, CLIP = 3e-3, (0.9, 0.99), 0.1, 2, 6, 3e-4, 0.25
STEPS = 3


class CharGpt(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok_emb = nn.Embedding(V, C)
        self.pos_emb = nn.Embedding(T, C)
        layer = nn.TransformerEncoderLayer(C, H, 4 * C, 0.0, activation="gelu", batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, L, enable_nested_tensor=False)
        self.ln_f = nn.LayerNorm(C)
        self.head = nn.Linear(C, V)

    def forward(self, idx):
        t = idx.shape[1]
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(t))
        mask = nn.Transformer.generate_square_subsequent_mask(t)
        return self.head(self.ln_f(self.blocks(x, mask)))

    def loss(self, idx, targets):
        logits = self(idx)
        return nn.functional.cross_entropy(logits.reshape(-1, V), targets.reshape(-1))


def write_safetensors(path, tensors):
    header, blobs, at = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [at, at + len(data)]}
        blobs.append(data)
        at += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


torch.manual_seed(0)
model = CharGpt()
after_init = torch.rand(4)                        # the global stream right after construction (the deep copies draw nothing)
keys = list(model.state_dict().keys())
tensors = {f"init/{k}": v.clone() for k, v in model.state_dict().items()}

rng = np.random.default_rng(20261203)
batches = [long(rng.integers(0, V, (B, T + 1)).tolist()) for _ in range(STEPS)]

# The first batch: logits, loss and every parameter's gradient.
x, y = batches[0][:, :T], batches[0][:, 1:]
logits = model(x)
loss = nn.functional.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
loss.backward()
for k, p in model.named_parameters():
    tensors[f"grad/{k}"] = p.grad.clone()
grad_norm = float(nn.utils.clip_grad_norm_(model.parameters(), float("inf")))
model.zero_grad()

# Three steps of the recipe from the initial weights.
embeddings = {id(p) for m in model.modules() if isinstance(m, nn.Embedding) for p in m.parameters()}
decay = [p for p in model.parameters() if p.dim() == 2 and id(p) not in embeddings]
no_decay = [p for p in model.parameters() if not (p.dim() == 2 and id(p) not in embeddings)]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": WD}, {"params": no_decay, "weight_decay": 0.0}], lr=LR, betas=BETAS, weight_decay=WD)
warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=1.0 / WARMUP, end_factor=1.0, total_iters=WARMUP)
cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=TOTAL - WARMUP, eta_min=MIN_LR)
warnings.filterwarnings("ignore", message="The epoch parameter")   # SequentialLR's own step(0) at the milestone
sched = torch.optim.lr_scheduler.SequentialLR(opt, [warm, cos], milestones=[WARMUP])
lrs, losses, norms = [], [], []
for batch in batches:
    lrs.append(opt.param_groups[0]["lr"])
    opt.zero_grad()
    loss_i = model.loss(batch[:, :T], batch[:, 1:])
    loss_i.backward()
    norms.append(float(nn.utils.clip_grad_norm_(model.parameters(), CLIP)))
    opt.step()
    sched.step()
    losses.append(loss_i.item())
lrs.append(opt.param_groups[0]["lr"])
for _ in range(TOTAL - STEPS):                    # the rest of the schedule (no training), for its lrs
    sched.step()
    lrs.append(opt.param_groups[0]["lr"])
for k, v in model.state_dict().items():
    tensors[f"step3/{k}"] = v.clone()

tensors["logits"] = logits
write_safetensors(os.path.join(HERE, "charlm_params.safetensors"), tensors)
with open(os.path.join(HERE, "charlm_cases.json"), "w") as f:
    json.dump({"generator": "make_charlm.py", "torch_version": torch.__version__, "keys": keys,
               "decay_keys": [k for k, p in model.named_parameters() if p.dim() == 2 and id(p) not in embeddings],
               "after_init": encode(after_init), "batches": [encode(b) for b in batches],
               "loss": loss.item(), "grad_norm": grad_norm,
               "recipe": {"lr": LR, "betas": BETAS, "weight_decay": WD, "warmup": WARMUP, "total": TOTAL, "min_lr": MIN_LR, "clip": CLIP},
               "lrs": lrs, "losses": losses, "clip_norms": norms}, f, indent=1)
print(f"{len(keys)} keys, loss {loss.item():.6f}, grad norm {grad_norm:.4f}, lrs {lrs}, losses {losses}, clip norms {norms}")
k_bias = tensors["grad/blocks.layers.0.self_attn.in_proj_bias"][C:2 * C]
print("max |grad| of the key bias of layer 0:", float(k_bias.abs().max()))
