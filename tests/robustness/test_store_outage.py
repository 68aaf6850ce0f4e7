"""Chroma 服务在应用运行时停止:检索和问答给出说明原因的错误(命令行不打印堆栈),服务在原端口原目录重启后照常工作。

A real `chroma run` holds the vectors; the knowledge base and the engine keep running while it is killed with
SIGKILL and started again on the same port and path, as an operator would.
"""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from qa.answer import Engine
from settings import load_settings
from vectorstore.knowledge_base import KnowledgeBase
from vectorstore.store import StoreUnavailable

QUESTION = "甲江实验室"
POLICYQA = Path(sys.executable).with_name("policyqa")


@pytest.fixture(scope="module")
def store(tmp_path_factory, start_chroma_server, write_small_corpus, use_embedder):
    """A Chroma server with the small corpus in it, and the knowledge base and engine of a running app."""
    root = tmp_path_factory.mktemp("store-outage")
    server = start_chroma_server(root / "chroma-server")
    settings = load_settings(data_dir=root / "data", store={"mode": "server", "port": server.port},
                             llm={"backend": "extractive"})
    kb = KnowledgeBase(settings, embedder=use_embedder)
    report = kb.ingest(write_small_corpus(root / "corpus"), progress=False)
    assert not report.failed and report.chunks_total > 0
    yield server, settings, Engine(settings, kb=kb)
    kb.close()


@contextmanager
def outage(server) -> Iterator[None]:
    """The server killed (SIGKILL) for the duration, then started again on the same port and path."""
    server.kill()
    try:
        yield
    finally:
        server.start()


def test_服务重启后_同一个应用照常检索(store):
    server, _, engine = store
    before = [hit.chunk.chunk_id for hit in engine.kb.search(QUESTION, k=3)]
    with outage(server):
        pass
    assert [hit.chunk.chunk_id for hit in engine.kb.search(QUESTION, k=3)] == before
    assert "300个" in engine.ask("丁市要开放多少个公共数据集?").text


def test_服务停止时_检索和问答报出说明原因的错误(store):
    server, _, engine = store
    with outage(server):
        with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{server.port}"):
            engine.kb.search(QUESTION)
        with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{server.port}"):
            engine.ask("丁市要开放多少个公共数据集?")


def test_服务停止时_命令行检索退出码非零_只打印原因不打印堆栈(store, child_environment):
    server, settings, _ = store
    environment = child_environment(data_dir=str(settings.data_dir), store__mode="server",
                                    store__port=str(server.port))
    with outage(server):
        run = subprocess.run([str(POLICYQA), "search", QUESTION], env=environment,
                             capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert f"127.0.0.1:{server.port}" in run.stderr
