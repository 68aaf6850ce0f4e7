"""kill -9 beyond tests/vectorstore/test_crash_safety.py: while a changed document is re-indexed, and late in a first
ingest (where the first document used to be indexed twice, the second time after it was marked complete);
with a stricter check of the result: after repair every sentence vector is there exactly once and is found by
the vector index itself, not only listed in its metadata.

Every write happens in child processes (tests/conftest.py: IngestChild, which kills itself with SIGKILL right
after the n-th call of one method returns), and the checks run in this process, which opens each index for the
first time: as a person's next `policyqa` run would.
"""
from __future__ import annotations

from pathlib import Path

import chromadb
import pytest

from corpus.pipeline import iter_corpus
from settings import load_settings
from vectorstore.knowledge_base import KnowledgeBase
from vectorstore.store import sentences

MAX_CHARS = 120  # several chunks per small document, so a kill can fall between them


def assert_same_as_clean_ingest(data_dir: Path, folder: Path, embedder) -> None:
    """Reopen, ingest the folder again (which repairs first), then hold exactly what a clean ingest holds."""
    settings = load_settings(data_dir=data_dir, embedder={"batch_size": 1}, retrieval={"max_chunk_chars": MAX_CHARS})
    kb = KnowledgeBase(settings, embedder=embedder)
    kb.ingest(folder, progress=False)
    clean = [chunk for document in iter_corpus(folder, max_chars=MAX_CHARS) for chunk in document.chunks]

    contents = kb.index_contents()
    assert contents["catalog"] == contents["vectors"] == contents["keyword"] == {c.chunk_id for c in clean}
    vectors = chromadb.PersistentClient(path=str(settings.index_dir / "chroma"))
    collection = vectors.get_collection(settings.store.collection, embedding_function=None)
    assert collection.count() == sum(len(sentences(chunk)) for chunk in clean), "每句一个向量,不多不少"
    for chunk in clean:
        first_sentence = sentences(chunk)[0][1]
        assert chunk.chunk_id in [hit.chunk.chunk_id for hit in kb.search(first_sentence, k=3, mode="dense")]
    top = kb.search("森林覆盖率", k=1, mode="keyword")[0].chunk
    assert top.doc_id == "戊州生态保护方案" and top in clean  # the keyword index holds the current text
    kb.close()


def test_首次入库写入第五段向量后被杀_修复后与完整入库相同(tmp_path, small_corpus, ingest_child, use_embedder):
    ingest_child.run(tmp_path / "data", str(small_corpus), "vectorstore.store.VectorIndex.add.5",
                     max_chunk_chars=MAX_CHARS)
    assert_same_as_clean_ingest(tmp_path / "data", small_corpus, use_embedder)


def test_改动的文件写入关键词索引后被杀_修复后与完整入库相同(tmp_path, small_corpus, ingest_child, use_embedder):
    data_dir = tmp_path / "data"
    ingest_child.run(data_dir, str(small_corpus), max_chunk_chars=MAX_CHARS)  # the folder indexed completely
    changed = small_corpus / "戊州生态保护方案.txt"  # then one of its files changed: the same source, new text
    changed.write_text(changed.read_text(encoding="utf-8").replace("48%", "50%"), encoding="utf-8")
    # its old rows removed, the new ones written
    ingest_child.run(data_dir, str(small_corpus), "vectorstore.keyword.KeywordIndex.add.1", max_chunk_chars=MAX_CHARS)
    assert_same_as_clean_ingest(data_dir, small_corpus, use_embedder)
