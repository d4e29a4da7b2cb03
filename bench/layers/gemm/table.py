# Joins GemmBench and twin outputs (tab-separated "variant shape GFLOP/s us" lines) into one GFLOP/s table per shape.
# Usage: python3 table.py [--best] file.tsv...  (--best: GFLOP/s of the fastest sample instead of the median)
# (a file's variant names may be prefixed with "label:" given as file=label)
import sys
col = 2
if sys.argv[1:2] == ["--best"]:
    col = 4
    del sys.argv[1]
rows, cols = {}, []
for arg in sys.argv[1:]:
    path, _, prefix = arg.partition("=")
    for line in open(path):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 4:
            continue
        v = (prefix + ":" if prefix else "") + parts[0]
        if v not in cols:
            cols.append(v)
        rows.setdefault(parts[1], {})[v] = float(parts[col])
print("| shape | " + " | ".join(cols) + " |")
print("|---|" + "---|" * len(cols))
for shape, vals in rows.items():
    print(f"| {shape} | " + " | ".join(f"{vals[c]:.1f}" if c in vals else "" for c in cols) + " |")
