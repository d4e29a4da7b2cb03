# Reference indices of torch.utils.data.DistributedSampler (PyTorch 1.13) for DistributedSamplerReferenceTests.
# Run with: /usr/bin/python3 make_distributed.py  (writes distributed_cases.json next to this script)
import json, os
import torch
from torch.utils.data import DistributedSampler

cases = []
for n in [0, 1, 5, 10, 11, 61]:
    for replicas in [1, 2, 3, 4]:
        for shuffle in [True, False]:
            for drop_last in [False, True]:
                for seed in [0, 42]:
                    if not shuffle and seed != 0:
                        continue
                    for rank in range(replicas):
                        sampler = DistributedSampler(range(n), num_replicas=replicas, rank=rank, shuffle=shuffle, seed=seed, drop_last=drop_last)
                        epochs = []
                        for epoch in [0, 1, 7]:
                            sampler.set_epoch(epoch)
                            epochs.append({"epoch": epoch, "indices": list(iter(sampler))})
                        cases.append({"n": n, "replicas": replicas, "rank": rank, "shuffle": shuffle, "drop_last": drop_last,
                                      "seed": seed, "len": len(sampler), "epochs": epochs})

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "distributed_cases.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
print(f"{len(cases)} cases -> {path}")
