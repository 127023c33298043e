"""A fine-tuned model for llama.cpp: the base GGUF file with the adapter's merged weights.

LoRA changes only the attention projections (q, k, v, o). The team's text model stays the
base GGUF file (its tokenizer, chat template and metadata, and every other tensor as it was
quantized) with those four tensors per layer replaced by the merged weights in float16, so
production keeps running on llama.cpp after fine-tuning instead of falling back to the
slower transformers path. Only the Llama architecture (SmolLM2 and its family) is handled.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

# Hugging Face projection → llama.cpp tensor (blk.N.<name>.weight).
TENSORS = {"q": "attn_q", "k": "attn_k", "v": "attn_v", "o": "attn_output"}
HF_NAME = re.compile(
    r"(?:base_model\.model\.)?model\.layers\.(\d+)\.self_attn\.([qkvo])_proj\.weight")


def llama_permute(weights: np.ndarray, heads: int) -> np.ndarray:
    """The row order llama.cpp's converter gives q and k (rotary halves interleaved per head);
    transformers undoes it when it loads a GGUF file, so the merged weights need it again."""
    rows = weights.shape[0]
    return (weights.reshape(heads, 2, rows // heads // 2, *weights.shape[1:])
            .swapaxes(1, 2).reshape(weights.shape))


def _field(reader: Any, key: str) -> Any:
    field = reader.get_field(key)
    return field.contents() if field is not None else None


def gguf_with_merged(base: Path, state: Mapping[str, Any], out: Path) -> int:
    """Write `out`: `base` with its attention projections taken from `state` (a merged
    Hugging Face state dict). Returns how many tensors were replaced."""
    import gguf

    reader = gguf.GGUFReader(str(base), "r")
    architecture = _field(reader, gguf.Keys.General.ARCHITECTURE)
    if architecture != "llama":
        raise ValueError(f"{base.name} is a {architecture!r} model: only Llama-family GGUF "
                         "files can take merged weights")
    heads = int(_field(reader, "llama.attention.head_count"))
    kv_heads = int(_field(reader, "llama.attention.head_count_kv") or heads)
    replaced: dict[str, np.ndarray] = {}
    for name, tensor in state.items():
        match = HF_NAME.fullmatch(name)
        if not match:
            continue
        layer, kind = match.groups()
        weights = tensor.detach().float().cpu().numpy()
        if kind in "qk":
            weights = llama_permute(weights, heads if kind == "q" else kv_heads)
        replaced[f"blk.{layer}.{TENSORS[kind]}.weight"] = weights.astype(np.float16)
    names = {t.name for t in reader.tensors}
    if not replaced or not set(replaced) <= names:
        raise ValueError(f"The merged weights do not fit {base.name}: "
                         f"{sorted(set(replaced) - names)[:3] or 'no attention weights'}")

    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial")
    writer = gguf.GGUFWriter(str(partial), architecture, endianess=reader.endianess)
    for field in reader.fields.values():
        # The writer adds the architecture and the GGUF.* header fields itself.
        if field.name == gguf.Keys.General.ARCHITECTURE or field.name.startswith("GGUF."):
            continue
        kind = field.types[0]
        sub = field.types[-1] if kind == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(field.name, field.contents(), kind, sub_type=sub)
    for tensor in reader.tensors:
        if tensor.name in replaced:
            data = replaced[tensor.name]
            writer.add_tensor_info(tensor.name, data.shape, data.dtype, data.nbytes,
                                   gguf.GGMLQuantizationType.F16)
        else:
            writer.add_tensor_info(tensor.name, tensor.data.shape, tensor.data.dtype,
                                   tensor.data.nbytes, tensor.tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for tensor in reader.tensors:
        writer.write_tensor_data(replaced.get(tensor.name, tensor.data),
                                 tensor_endianess=reader.endianess)
    writer.close()
    partial.replace(out)  # never a half-written model in the slot's place
    return len(replaced)
