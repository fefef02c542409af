#!/usr/bin/env python3
"""One training run in PyTorch eager, as Module Explorer's --train runs it (see
models/core/training.h): prints the median ms of steps 2..N (step 1 warms up) of
opt.zero_grad(); loss = F.cross_entropy(model(x), y); loss.backward(); opt.step().
Usage: /usr/bin/python3 bench/train_python.py STEPS THREADS BATCH"""
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures"))
from make_reference import ModelA, build  # noqa: E402

steps, threads, batch = (int(a) for a in sys.argv[1:4])
torch.set_num_threads(threads)
model = build(ModelA)
with torch.no_grad():
    model.eval()
    classes = model(torch.zeros(batch, 1, 28, 28)).shape[-1]
torch.manual_seed(0)
x = torch.randn(batch, 1, 28, 28)
y = torch.randint(0, classes, (batch,))
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.01)
times = []
for _ in range(steps):
    start = time.perf_counter()
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    times.append((time.perf_counter() - start) * 1000)
rest = sorted(times[1:])
n = len(rest)
print(rest[n // 2] if n % 2 else (rest[n // 2 - 1] + rest[n // 2]) / 2)
