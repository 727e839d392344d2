/**
 * Python helpers shared by the tests: build the objects torch saves, and describe every tensor
 * in a loaded object (path, dtype, shape, stride, offset, requires_grad, parameter, storage
 * identity, and the elements' bytes in row-major order) so JS can compare exactly.
 */
export const TORCH_HELPERS = `
import torch, collections, io, os

def walk(obj, path, out, seen):
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, torch.Tensor):
        t = obj
        out.append({
            "path": path,
            "dtype": str(t.dtype).replace("torch.", ""),
            "shape": list(t.shape),
            "stride": list(t.stride()),
            "offset": t.storage_offset(),
            "requires_grad": t.requires_grad,
            "parameter": isinstance(t, torch.nn.Parameter),
            "storage": t.storage().data_ptr() if t.storage().size() else -1,
            "bytes": t.detach().contiguous().view(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b"",
        })
        return
    if isinstance(obj, dict):
        for k, v in obj.items():
            walk(v, path + "[" + repr(k) + "]", out, seen)
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            walk(v, path + "[" + str(i) + "]", out, seen)
    elif isinstance(obj, torch.nn.Module):
        walk(obj.__dict__, path + ".__state__", out, seen)

def describe(obj):
    out = []
    walk(obj, "", out, set())
    return out

def describe_file(path):
    return describe(torch.load(path))

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16",
          "float32", "float64", "complex64", "complex128"]

def sample(dtype, n, seed):
    g = torch.Generator().manual_seed(seed)
    d = getattr(torch, dtype)
    if dtype == "bool":
        return torch.rand(n, generator=g) > 0.5
    if d.is_floating_point or d.is_complex:
        return (torch.randn(n, generator=g, dtype=torch.float64) * 1000).to(d) if not d.is_complex else torch.randn(n, generator=g, dtype=d)
    info = torch.iinfo(d)
    return torch.randint(info.min, info.max, (n,), generator=g, dtype=d)

def build(kind):
    if kind == "dtypes":
        return {dt: sample(dt, 7, i) for i, dt in enumerate(DTYPES)}
    if kind == "state_dict":
        torch.manual_seed(0)
        m = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.BatchNorm1d(3), torch.nn.Linear(3, 2))
        return m.state_dict()
    if kind == "model":
        torch.manual_seed(1)
        return torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.Flatten(), torch.nn.Linear(8, 2))
    if kind == "views":
        base = torch.arange(60, dtype=torch.float32).reshape(3, 4, 5)
        h = torch.arange(24, dtype=torch.float16)
        return {
            "base": base,
            "row": base[1],
            "col": base[:, 2],
            "transposed": base.transpose(0, 2),
            "step": base[:, ::2, 1:4],
            "offset": base.view(-1)[7:19],
            "scalar": base[2, 3, 4],
            "expanded": torch.arange(3.0)[:, None].expand(3, 4),
            "half_view": h[5:],
            "half_strided": h.reshape(4, 6)[:, ::3],
            "empty": torch.zeros(0, 3),
            "cplx": torch.randn(4, 3, dtype=torch.complex64).t(),
            "again": [base, base[0]],
        }
    if kind == "grad":
        torch.manual_seed(2)
        w = torch.randn(3, 2, requires_grad=True)
        p = torch.nn.Parameter(torch.randn(2))
        q = torch.nn.Parameter(torch.randn(2), requires_grad=False)
        return {"w": w, "p": p, "q": q, "plain": torch.ones(2), "size": torch.Size([2, 3])}
    raise ValueError(kind)

def save(kind, path, legacy):
    torch.save(build(kind), path, _use_new_zipfile_serialization=not legacy)
    return describe_file(path)
`;

/** What the Python helper says about one tensor. */
export interface PyTensor {
  path: string;
  dtype: string;
  shape: number[];
  stride: number[];
  offset: number;
  requires_grad: boolean;
  parameter: boolean;
  storage: number;
  bytes: Uint8Array;
}
