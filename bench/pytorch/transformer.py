# PyTorch twin of the transformer workload: examples/CharLM's CharGpt at its default configuration (vocabulary 27,
# block 32, width 64, 4 heads, 4 pre-norm GELU encoder layers of feed-forward 256, dropout 0), batch 32 random token
# windows, cross-entropy, AdamW (lr 1e-3) + clip_grad_norm_(1.0). First step (cold) and median of the next 10 steps.

import torch
import torch.nn as nn
from since_start import report_steps

V, T, C, H, L, B = 27, 32, 64, 4, 4, 32


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


torch.manual_seed(0)
model = CharGpt()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)


def step():
    idx = torch.randint(0, V, (B, T + 1))
    x, y = idx[:, :T], idx[:, 1:]
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x).reshape(B * T, V), y.reshape(B * T))
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()


report_steps(step)
