"""服务器模式:真实的 `chroma run` 进程,入库和检索与嵌入式相同。"""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from settings import load_settings
from vectorstore.knowledge_base import KnowledgeBase
from vectorstore.store import StoreUnavailable, connect

CHROMA = Path(sys.executable).with_name("chroma")  # the server binary chromadb installs beside python


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A real Chroma server on a free port, stopped after the module's tests."""
    port = free_port()
    server = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(tmp_path_factory.mktemp("chroma-server")),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            client = chromadb.HttpClient(host="127.0.0.1", port=port,
                                         settings=ChromaSettings(anonymized_telemetry=False))
            client.heartbeat()
            break
        except Exception:  # not listening yet
            client = None
            time.sleep(0.3)
    if client is None:
        server.kill()
        pytest.fail(f"chroma run did not answer on port {port} (exit code {server.poll()})")
    yield port
    server.terminate()
    server.wait(timeout=30)


def test_入库和检索走服务器_索引记着嵌入模型(chroma_server, tmp_path, small_corpus, use_embedder):
    settings = load_settings(data_dir=tmp_path / "data", store={"mode": "server", "port": chroma_server,
                                                               "collection": "policyqa-server-test"})
    kb = KnowledgeBase(settings, embedder=use_embedder)
    report = kb.ingest(small_corpus, progress=False)
    assert len(report.added) == 3

    top = kb.search("乙县旅游总收入目标", k=1)[0]
    assert "200亿元" in top.chunk.text and top.dense_score is not None
    contents = kb.index_contents()
    assert contents["catalog"] == contents["vectors"] == contents["keyword"]

    remote = chromadb.HttpClient(host="127.0.0.1", port=chroma_server,
                                 settings=ChromaSettings(anonymized_telemetry=False))
    collection = remote.get_collection("policyqa-server-test")
    assert collection.metadata["embedder"] == use_embedder.identity
    assert not (tmp_path / "data" / "index" / "chroma").exists()  # nothing embedded locally


def test_服务器不在时给出清楚的错误(tmp_path):
    with pytest.raises(StoreUnavailable, match=r"127\.0\.0\.1:\d+"):
        connect(load_settings(store={"mode": "server", "port": free_port()}).store, tmp_path)
