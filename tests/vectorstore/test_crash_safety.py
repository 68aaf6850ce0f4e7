"""中断的入库(kill -9)在下次入库时被修复:索引里的分块与完整入库时完全相同,不多也不少。

Each case runs a real ingest in a child process (tests/conftest.py: IngestChild) and kills it with SIGKILL:
either at an exact point of the ingest protocol (the child kills itself right after the n-th call of one
method) or from outside, as a user would, once the progress bar shows some chunks indexed.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import time
from pathlib import Path

import pytest

from corpus import DOCUMENTS_DIR
from corpus.pipeline import iter_corpus
from settings import load_settings
from vectorstore.knowledge_base import KnowledgeBase

MAX_CHARS = 120  # several chunks per small document, so a kill can fall between them


def clean_chunk_ids(folder: Path) -> set[str]:
    """What a complete ingest of the folder holds: every chunk the corpus pipeline cuts from it."""
    return {chunk.chunk_id for document in iter_corpus(folder, max_chars=MAX_CHARS) for chunk in document.chunks}


def reopen(data_dir: Path, embedder) -> KnowledgeBase:
    overrides = {"embedder": {"batch_size": 1}, "retrieval": {"max_chunk_chars": MAX_CHARS}}
    return KnowledgeBase(load_settings(data_dir=data_dir, **overrides), embedder=embedder)


def assert_repaired_then_complete(data_dir: Path, folder: Path, embedder) -> None:
    kb = reopen(data_dir, embedder)
    unfinished = kb.unfinished_documents()
    # a question neither waits for the repair nor sees a half-indexed document; the next ingest finishes it
    assert not {hit.chunk.doc_id for hit in kb.search("实验室", k=20)} & set(unfinished)
    assert kb.unfinished_documents() == unfinished
    kb.ingest(folder, progress=False)
    contents = kb.index_contents()
    assert contents["catalog"] == contents["vectors"] == contents["keyword"] == clean_chunk_ids(folder)
    assert kb.search("实验室", k=1)
    kb.close()


@pytest.mark.parametrize("kill_after", [
    "vectorstore.catalog.Catalog.begin.2",  # second document recorded as pending, neither index touched
    "vectorstore.store.VectorIndex.add.3",  # vectors of a chunk in, its keywords not
    "vectorstore.keyword.KeywordIndex.add.4",  # a chunk in both indexes, its document not yet complete
])
def test_首次入库中途被杀(tmp_path, small_corpus, use_embedder, ingest_child, kill_after):
    data_dir = tmp_path / "data"
    ingest_child.run(data_dir, str(small_corpus), kill_after, max_chunk_chars=MAX_CHARS)
    assert_repaired_then_complete(data_dir, small_corpus, use_embedder)


def test_几个文件同批写入_第一个标为完成后被杀_其余的被修复(tmp_path, small_corpus, use_embedder, ingest_child):
    data_dir = tmp_path / "data"
    ingest_child.run(data_dir, str(small_corpus), "vectorstore.catalog.Catalog.set_state.1",  # one batch: all three
                     max_chunk_chars=MAX_CHARS, batch_size=1000)
    assert_repaired_then_complete(data_dir, small_corpus, use_embedder)


def test_替换改过的文件时被杀(tmp_path, small_corpus, use_embedder, ingest_child):
    data_dir = tmp_path / "data"
    reopen(data_dir, use_embedder).ingest(small_corpus, progress=False)
    path = small_corpus / "乙县文旅发展方案.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("200亿元", "260亿元"), encoding="utf-8")

    # old chunks removed, one new one in
    ingest_child.run(data_dir, str(small_corpus), "vectorstore.store.VectorIndex.add.1", max_chunk_chars=MAX_CHARS)

    assert_repaired_then_complete(data_dir, small_corpus, use_embedder)


def test_移除删掉的文件时被杀(tmp_path, small_corpus, use_embedder, ingest_child):
    data_dir = tmp_path / "data"
    reopen(data_dir, use_embedder).ingest(small_corpus, progress=False)
    (small_corpus / "丙区营商环境措施.txt").unlink()

    # vectors gone, keywords not
    ingest_child.run(data_dir, str(small_corpus), "vectorstore.store.VectorIndex.remove_document.1",
                     max_chunk_chars=MAX_CHARS)

    assert_repaired_then_complete(data_dir, small_corpus, use_embedder)


@pytest.mark.parametrize("kill_after", ["vectorstore.store.VectorIndex.drop.1", "vectorstore.store.VectorIndex.add.2"])
def test_重建索引时被杀(tmp_path, small_corpus, use_embedder, ingest_child, kill_after):
    data_dir = tmp_path / "data"
    reopen(data_dir, use_embedder).ingest(small_corpus, progress=False)

    ingest_child.run(data_dir, "rebuild", kill_after, max_chunk_chars=MAX_CHARS)

    assert_repaired_then_complete(data_dir, small_corpus, use_embedder)


def test_从外部在进度条走到一半时kill_9(tmp_path, use_embedder, ingest_child):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(DOCUMENTS_DIR / "nanchong-2024-new-productive-forces.txt", folder)
    total = len(clean_chunk_ids(folder))
    data_dir = tmp_path / "data"
    child = ingest_child.start(data_dir, str(folder), max_chunk_chars=MAX_CHARS)

    indexed, output = 0, b""
    deadline = time.monotonic() + 120
    while indexed < total // 3 and time.monotonic() < deadline and child.poll() is None:
        output += os.read(child.stderr.fileno(), 4096)
        counts = re.findall(rb"(\d+)\xe5\x9d\x97 \[", output)  # tqdm: "索引: 17块 [00:03, ...]"
        indexed = int(counts[-1]) if counts else 0
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    assert 0 < indexed < total, output.decode(errors="replace")[-500:]
    assert_repaired_then_complete(data_dir, folder, use_embedder)
