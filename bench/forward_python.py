#!/usr/bin/env python3
"""Median eager forward time of the tutorial's Model A in Python PyTorch, for forward_vs_python.sh.

Usage: /usr/bin/python3 bench/forward_python.py REPEATS THREADS BATCH
Prints one line: "median_ms min_ms max_ms".
"""
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures"))
from make_reference import ModelA  # noqa: E402  (the tutorial's class, verbatim)

repeats, threads, batch = (int(a) for a in sys.argv[1:4])
torch.set_num_threads(threads)
torch.manual_seed(20200910)
model = ModelA().eval()
x = torch.randn(batch, 1, 28, 28)
times = []
with torch.no_grad():
    model(x)  # warm-up, as the app does
    for _ in range(repeats):
        start = time.perf_counter()
        model(x)
        times.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(times):.3f} {min(times):.3f} {max(times):.3f}")
