# An independent safetensors writer and reader in plain numpy (no torch), to check Framework.NN.SafeTensors:
#   /usr/bin/python3 make_safetensors.py            writes python_written.safetensors (+ its values as JSON)
#   /usr/bin/python3 make_safetensors.py check F    reads F (e.g. one our tests wrote) and prints its tensors
import json
import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CODES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "BOOL": np.bool_}


def write(path, tensors):
    header, blobs, at = {}, [], 0
    for name, arr in tensors.items():
        code = {np.dtype(v): k for k, v in CODES.items()}[arr.dtype]
        data = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": code, "shape": list(arr.shape), "data_offsets": [at, at + len(data)]}
        blobs.append(data)
        at += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def read(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        out[name] = np.frombuffer(raw[8 + n + b:8 + n + end], dtype=np.dtype(CODES[e["dtype"]]).newbyteorder("<")).reshape(e["shape"])
    return out


if len(sys.argv) > 2 and sys.argv[1] == "check":
    for k, v in read(sys.argv[2]).items():
        print(k, v.dtype, list(v.shape), v.reshape(-1).tolist())
    sys.exit(0)

tensors = {
    "0.weight": np.array([[0.5, -1.25, 2.0], [3.0, 0.125, -0.75]], dtype=np.float32),
    "0.bias": np.array([0.1, -0.2], dtype=np.float32),
    "2.weight": np.array([[1.5, -2.5]], dtype=np.float32),
    "2.bias": np.array([0.25], dtype=np.float32),
}
write(os.path.join(HERE, "python_written.safetensors"), tensors)
extra = {"f64": np.array([1.0 / 3, -2.5], dtype=np.float64), "i64": np.array([[1, -2], [3, 2**40]], dtype=np.int64),
         "flags": np.array([True, False, True]), "scalar": np.array(7.5, dtype=np.float32)}
write(os.path.join(HERE, "python_written_dtypes.safetensors"), extra)
print("written", sorted(os.listdir(HERE)))
