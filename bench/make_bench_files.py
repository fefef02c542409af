#!/usr/bin/env python3
"""Writes big PyTorch files for the benchmarks into DIR (not into the repository: they are far
too big to commit).

Usage: /usr/bin/python3 bench/make_bench_files.py DIR

Run with Debian's system interpreter (python3-torch 1.13, python3-torchvision 0.14). It writes:

  resnet18.script.pt          torch.jit.script(torchvision.models.resnet18()), seeded random
                              init, eval mode (~47 MB)
  state_dict_200mb.pt         torch.save of the tutorial's Model A state_dict (two 25088x1024
                              Linear weights: ~206 MB)
  model-0000N-of-00002.safetensors, model.safetensors.index.json
                              a ~10.7 GB (10 GiB of tensor data) two-shard safetensors checkpoint,
                              20 F32 tensors of 256 MiB per shard (layers.N.weight, 8192x8192),
                              written as SPARSE files: each shard's header is real, the data is a
                              hole (reads as zeros, takes no disk), made by truncating the file
                              to its full length.

The safetensors layout is huggingface/safetensors' (`prepare` in safetensors/src/tensor.rs): an
8-byte little-endian header length, the compact JSON header (`__metadata__` first, then the
tensors in data order) padded with spaces to a multiple of 8, then the data; tensors ordered by
dtype (descending Dtype enum order) then by name. The index is written as transformers writes it
(indent=2, sort_keys=True). Takes a few seconds.
"""
import collections
import json
import os
import struct
import sys

import torch
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "fixtures"))
from make_reference import ModelA  # noqa: E402  (the tutorial's class, verbatim)

SEED = 20200910

SPARSE_SHARDS = 2
SPARSE_TENSORS_PER_SHARD = 20
SPARSE_SHAPE = [8192, 8192]  # F32: 256 MiB each


def safetensors_header(tensors, metadata=None):
    """tensors: [(name, dtype code, shape, nbytes)], all one dtype here, so the reference order
    is by name. Returns (header bytes padded to a multiple of 8, total data bytes)."""
    header = collections.OrderedDict()
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    for name, dtype, shape, nbytes in sorted(tensors, key=lambda t: t[0]):
        header[name] = collections.OrderedDict([("dtype", dtype), ("shape", shape),
                                                ("data_offsets", [offset, offset + nbytes])])
        offset += nbytes
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    text += b" " * (-len(text) % 8)
    return text, offset


def write_sparse_safetensors(out_dir):
    nbytes = 4 * SPARSE_SHAPE[0] * SPARSE_SHAPE[1]
    names = ["model-%05d-of-%05d.safetensors" % (i + 1, SPARSE_SHARDS) for i in range(SPARSE_SHARDS)]
    weight_map, total, written = {}, 0, []
    for s, shard_name in enumerate(names):
        first = s * SPARSE_TENSORS_PER_SHARD
        tensors = [("layers.%d.weight" % i, "F32", list(SPARSE_SHAPE), nbytes)
                   for i in range(first, first + SPARSE_TENSORS_PER_SHARD)]
        header, data = safetensors_header(tensors, {"format": "pt"})
        path = os.path.join(out_dir, shard_name)
        with open(path, "wb") as f:
            f.write(struct.pack("<Q", len(header)))
            f.write(header)
            f.truncate(8 + len(header) + data)  # the data: a hole, no disk blocks
        weight_map.update((name, shard_name) for name, _, _, _ in tensors)
        total += data
        written.append(path)
    index = {"metadata": {"total_size": total}, "weight_map": weight_map}
    path = os.path.join(out_dir, "model.safetensors.index.json")
    with open(path, "w") as f:
        f.write(json.dumps(index, indent=2, sort_keys=True) + "\n")
    written.append(path)
    return written


def disk_usage(path):
    st = os.stat(path)
    return st.st_blocks * 512 if hasattr(st, "st_blocks") else st.st_size


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: %s DIR" % sys.argv[0])
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    written = []

    torch.manual_seed(SEED)
    path = os.path.join(out_dir, "resnet18.script.pt")
    torch.jit.save(torch.jit.script(torchvision.models.resnet18().eval()), path)
    written.append(path)

    torch.manual_seed(SEED)
    path = os.path.join(out_dir, "state_dict_200mb.pt")
    torch.save(ModelA().state_dict(), path)
    written.append(path)

    written += write_sparse_safetensors(out_dir)

    for path in written:
        size = os.path.getsize(path)
        print("%-40s %16d bytes (%8.1f MiB), %10.1f MiB on disk"
              % (os.path.basename(path), size, size / 2 ** 20, disk_usage(path) / 2 ** 20))


if __name__ == "__main__":
    main()
