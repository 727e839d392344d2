"""Writes the small checkpoints the README examples load (run with Debian's python3 and torch 1.13:
/usr/bin/python3 scripts/make-fixtures.py, from packages/torch)."""
import collections
import torch

torch.manual_seed(0)
linear = torch.nn.Linear(3, 2)
# A state dict: OrderedDict of parameters, zip format (torch >= 1.6) and legacy format.
torch.save(linear.state_dict(), "fixtures/linear.pt")
torch.save(linear.state_dict(), "fixtures/linear-legacy.pt", _use_new_zipfile_serialization=False)

# Views of one storage, float16, and a whole module pickled (loads as inert data).
base = torch.arange(12, dtype=torch.float16).reshape(3, 4)
torch.save({"base": base, "column": base[:, 1], "model": linear, "step": 7}, "fixtures/mixed.pt")
