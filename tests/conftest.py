"""Test-wide setup: the offline environment, the demo knowledge base ingested once per session, and child
processes (an ingest that kills itself at an exact point, as kill -9 would)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

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


@pytest.fixture(scope="session")
def child_environment():
    """Makes the environment of a child process from settings (data_dir="…", store__mode="server"): POLICYQA_*
    variables, and none inherited from this test run."""

    def make(**settings: str) -> dict[str, str]:
        environment = {key: value for key, value in os.environ.items() if not key.startswith("POLICYQA_")}
        return environment | {f"POLICYQA_{key.upper()}": value for key, value in settings.items()}

    return make


KILLABLE_INGEST = """
import importlib, os, signal, sys
from settings import apply_offline_environment, load_settings
apply_offline_environment()
from vectorstore.knowledge_base import KnowledgeBase

action, kill_after = sys.argv[1], sys.argv[2]
if kill_after:  # "vectorstore.store.VectorIndex.add.3": die right after the third call returns
    module, owner, method, nth = kill_after.rsplit(".", 3)
    cls = getattr(importlib.import_module(module), owner)
    original, calls = getattr(cls, method), []

    def then_die(*args, **kwargs):
        result = original(*args, **kwargs)
        calls.append(1)
        if len(calls) == int(nth):
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(cls, method, then_die)
kb = KnowledgeBase(load_settings())
kb.rebuild() if action == "rebuild" else kb.ingest(action)
"""


class IngestChild:
    """`ingest FOLDER` or `rebuild` over a data dir in a child process, with a progress bar on stderr.

    Embedding batches of one chunk (the default) give a small document many points to die at. With
    kill_after="vectorstore.store.VectorIndex.add.3" the child kills itself with SIGKILL right after the third
    call of that method returns: a kill -9 at an exact point of the ingest protocol.
    """

    def __init__(self, child_environment) -> None:
        self._environment = child_environment

    def start(self, data_dir: Path, action: str, kill_after: str = "", *, max_chunk_chars: int,
              batch_size: int = 1) -> subprocess.Popen:
        environment = self._environment(data_dir=str(data_dir), embedder__batch_size=str(batch_size),
                                        retrieval__max_chunk_chars=str(max_chunk_chars))
        data_dir.mkdir(parents=True, exist_ok=True)  # also the working directory: no stray folder shadows a package
        return subprocess.Popen([sys.executable, "-c", KILLABLE_INGEST, action, kill_after], cwd=data_dir,
                                env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def run(self, data_dir: Path, action: str, kill_after: str = "", *, max_chunk_chars: int,
            batch_size: int = 1) -> None:
        """Start, wait, and check the child died where it was told to (or finished, without kill_after)."""
        child = self.start(data_dir, action, kill_after, max_chunk_chars=max_chunk_chars, batch_size=batch_size)
        _, errors = child.communicate(timeout=300)
        assert child.returncode == (-signal.SIGKILL if kill_after else 0), errors.decode()[-2000:]


@pytest.fixture(scope="session")
def ingest_child(child_environment) -> IngestChild:
    return IngestChild(child_environment)
