"""Test-wide setup: the offline environment, and the demo knowledge base ingested once per session."""
from __future__ import annotations

import shutil

import pytest

from settings import apply_offline_environment, load_settings

apply_offline_environment()


@pytest.fixture(scope="session")
def demo_index_dir(tmp_path_factory):
    """The five demo documents ingested once (embedding them is the slow part): a pristine data dir."""
    from vectorstore.knowledge_base import KnowledgeBase

    data_dir = tmp_path_factory.mktemp("demo-data")
    kb = KnowledgeBase(load_settings(data_dir=data_dir, llm={"backend": "extractive"}))
    report = kb.ingest(progress=False)
    assert not report.failed, report.summary()
    kb.close()
    return data_dir


@pytest.fixture
def demo_settings(demo_index_dir, tmp_path):
    """Settings over a private copy of the demo knowledge base: a test may change it freely."""
    data_dir = tmp_path / "data"
    shutil.copytree(demo_index_dir, data_dir)
    return load_settings(data_dir=data_dir, llm={"backend": "extractive"})


@pytest.fixture(scope="module")
def demo_engine(demo_index_dir, tmp_path_factory):
    """A read-only engine over the demo corpus, answering extractively (no LLM)."""
    from qa.answer import Engine

    data_dir = tmp_path_factory.mktemp("engine-data") / "data"
    shutil.copytree(demo_index_dir, data_dir)
    engine = Engine(load_settings(data_dir=data_dir, llm={"backend": "extractive"}))
    yield engine
    engine.kb.close()
