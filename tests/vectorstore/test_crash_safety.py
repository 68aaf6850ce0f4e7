"""中断的入库(kill -9)在下次打开时被修复:索引里的分块与完整入库时完全相同,不多也不少。

Each case runs a real ingest in a child process and kills it with SIGKILL: either at an exact point of the
ingest protocol (the child wraps one method so that the process kills itself right after its n-th call) or
from outside, as a user would, once the progress bar shows some chunks indexed.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus import DOCUMENTS_DIR
from corpus.pipeline import iter_corpus
from settings import load_settings
from vectorstore.knowledge_base import KnowledgeBase

CHILD = """
import os, signal, sys
from settings import apply_offline_environment, load_settings
apply_offline_environment()
from vectorstore.catalog import Catalog
from vectorstore.keyword import KeywordIndex
from vectorstore.knowledge_base import KnowledgeBase
from vectorstore.store import VectorIndex

folder, kill_after, operation = sys.argv[1], sys.argv[2], sys.argv[3]
if kill_after:  # "VectorIndex.add.3": die right after the third call of VectorIndex.add returns
    owner, method, nth = kill_after.split(".")
    cls = {"Catalog": Catalog, "VectorIndex": VectorIndex, "KeywordIndex": KeywordIndex}[owner]
    original, calls = getattr(cls, method), []

    def then_die(*args, **kwargs):
        result = original(*args, **kwargs)
        calls.append(1)
        if len(calls) == int(nth):
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(cls, method, then_die)
kb = KnowledgeBase(load_settings())
kb.rebuild() if operation == "rebuild" else kb.ingest(folder, progress=True)
"""

def start_ingest(data_dir: Path, folder: Path, kill_after: str = "", operation: str = "ingest",
                 batch_size: int = 1) -> subprocess.Popen:
    """A child ingest writing `batch_size` chunks at a time (1: each chunk is a write a kill can fall after)."""
    environment = {**os.environ, "POLICYQA_DATA_DIR": str(data_dir), "POLICYQA_EMBEDDER__BATCH_SIZE": str(batch_size),
                   "POLICYQA_RETRIEVAL__MAX_CHUNK_CHARS": "120"}
    data_dir.mkdir(parents=True, exist_ok=True)  # also the working directory: no stray package shadows ours
    return subprocess.Popen([sys.executable, "-c", CHILD, str(folder), kill_after, operation], cwd=data_dir,
                            env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def clean_chunk_ids(folder: Path) -> set[str]:
    """What a complete ingest of the folder holds: every chunk the corpus pipeline cuts from it."""
    return {chunk.chunk_id for document in iter_corpus(folder, max_chars=120) for chunk in document.chunks}


def reopen(data_dir: Path, embedder) -> KnowledgeBase:
    overrides = {"embedder": {"batch_size": 1}, "retrieval": {"max_chunk_chars": 120}}
    return KnowledgeBase(load_settings(data_dir=data_dir, **overrides), embedder=embedder)


def assert_repaired_then_complete(data_dir: Path, folder: Path, embedder) -> None:
    kb = reopen(data_dir, embedder)
    contents = kb.index_contents()  # opening the vector side repairs what the killed run left
    assert contents["catalog"] == contents["vectors"] == contents["keyword"]
    assert contents["catalog"] <= clean_chunk_ids(folder)
    kb.ingest(folder, progress=False)
    contents = kb.index_contents()
    assert contents["catalog"] == contents["vectors"] == contents["keyword"] == clean_chunk_ids(folder)
    assert kb.search("实验室", k=1)
    kb.close()


@pytest.mark.parametrize("kill_after", [
    "Catalog.begin.2",  # second document recorded as pending, neither index touched
    "VectorIndex.add.3",  # vectors of a chunk in, its keywords not
    "KeywordIndex.add.4",  # a chunk in both indexes, its document not yet complete
])
def test_首次入库中途被杀(tmp_path, small_corpus, use_embedder, kill_after):
    data_dir = tmp_path / "data"
    child = start_ingest(data_dir, small_corpus, kill_after)
    assert child.wait(timeout=120) == -signal.SIGKILL, child.stderr.read().decode()[-2000:]
    assert_repaired_then_complete(data_dir, small_corpus, use_embedder)


def test_几个文件同批写入_第一个标为完成后被杀_其余的被修复(tmp_path, small_corpus, use_embedder):
    data_dir = tmp_path / "data"
    child = start_ingest(data_dir, small_corpus, "Catalog.set_state.1", batch_size=1000)  # one batch: all three
    assert child.wait(timeout=120) == -signal.SIGKILL, child.stderr.read().decode()[-2000:]
    assert_repaired_then_complete(data_dir, small_corpus, use_embedder)


def test_替换改过的文件时被杀(tmp_path, small_corpus, use_embedder):
    data_dir = tmp_path / "data"
    reopen(data_dir, use_embedder).ingest(small_corpus, progress=False)
    path = small_corpus / "乙县文旅发展方案.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("200亿元", "260亿元"), encoding="utf-8")

    child = start_ingest(data_dir, small_corpus, "VectorIndex.add.1")  # old chunks removed, one new one in
    assert child.wait(timeout=120) == -signal.SIGKILL, child.stderr.read().decode()[-2000:]

    assert_repaired_then_complete(data_dir, small_corpus, use_embedder)


def test_移除删掉的文件时被杀(tmp_path, small_corpus, use_embedder):
    data_dir = tmp_path / "data"
    reopen(data_dir, use_embedder).ingest(small_corpus, progress=False)
    (small_corpus / "丙区营商环境措施.txt").unlink()

    child = start_ingest(data_dir, small_corpus, "VectorIndex.remove_document.1")  # vectors gone, keywords not
    assert child.wait(timeout=120) == -signal.SIGKILL, child.stderr.read().decode()[-2000:]

    assert_repaired_then_complete(data_dir, small_corpus, use_embedder)


@pytest.mark.parametrize("kill_after", ["VectorIndex.drop.1", "VectorIndex.add.2"])
def test_重建索引时被杀(tmp_path, small_corpus, use_embedder, kill_after):
    data_dir = tmp_path / "data"
    reopen(data_dir, use_embedder).ingest(small_corpus, progress=False)

    child = start_ingest(data_dir, small_corpus, kill_after, operation="rebuild")
    assert child.wait(timeout=120) == -signal.SIGKILL, child.stderr.read().decode()[-2000:]

    assert_repaired_then_complete(data_dir, small_corpus, use_embedder)


def test_从外部在进度条走到一半时kill_9(tmp_path, use_embedder):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(DOCUMENTS_DIR / "nanchong-2024-new-productive-forces.txt", folder)
    total = len(clean_chunk_ids(folder))
    data_dir = tmp_path / "data"
    child = start_ingest(data_dir, folder)

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
