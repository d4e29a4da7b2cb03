"""Writes data_loader.json: PyTorch 1.13's DataLoader shuffle orders and random_split indices.

Run with Debian's PyTorch: /usr/bin/python3 make_data.py (from this folder).
"""
import json
import torch
from torch.utils.data import DataLoader, TensorDataset, random_split


def epochs(loader, count):
    return [[b[0].tolist() for b in loader] for _ in range(count)]


cases = {}

# Global generator: each epoch draws the loader's base seed, then the sampler's seed.
torch.manual_seed(0)
ds = TensorDataset(torch.arange(10))
cases["global_seed0_n10_bs3"] = epochs(DataLoader(ds, batch_size=3, shuffle=True), 2)
# The global stream after those two epochs (what a script drawing next would see).
cases["global_seed0_after"] = torch.randint(0, 1000, (3,)).tolist()

# A private generator seeded once: base seed and randperms drawn from it.
g = torch.Generator().manual_seed(5)
cases["gen5_n10_bs3"] = epochs(DataLoader(ds, batch_size=3, shuffle=True, generator=g), 3)

g = torch.Generator().manual_seed(5)
cases["gen5_n10_bs4_droplast"] = epochs(DataLoader(ds, batch_size=4, shuffle=True, drop_last=True, generator=g), 2)

# A non-shuffling loader still draws its base seed from the global generator.
torch.manual_seed(7)
list(DataLoader(ds, batch_size=3))
cases["global_seed7_after_sequential_epoch"] = torch.randint(0, 1000, (3,)).tolist()

torch.manual_seed(3)
cases["global_seed3_n100_bs32"] = epochs(DataLoader(TensorDataset(torch.arange(100)), batch_size=32, shuffle=True), 2)

split = random_split(range(10), [7, 3], generator=torch.Generator().manual_seed(42))
cases["random_split_10_7_3_seed42"] = [list(s.indices) for s in split]
split = random_split(range(10), [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(1))
cases["random_split_10_frac_seed1"] = [list(s.indices) for s in split]
split = random_split(range(11), [0.34, 0.33, 0.33], generator=torch.Generator().manual_seed(2))
cases["random_split_11_frac_seed2"] = [list(s.indices) for s in split]

with open("data_loader.json", "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
