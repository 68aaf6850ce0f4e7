"""用真实的大模型端到端回答:本地 GGUF(0.5B)与 OpenAI 兼容服务(127.0.0.1 上真实的 llama.cpp 服务)。"""
from __future__ import annotations

import shutil

import pytest

from qa.answer import Engine
from qa.citations import fold
from qa.llm import start_llama_server
from qa.models import install_model
from settings import load_settings

QUESTION = "乐山每万人口高价值发明专利拥有量目标是多少?"
LOCAL = {"local_model": "qwen2.5-0.5b", "timeout_s": 600, "max_tokens": 120}


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("models")
    install_model("qwen2.5-0.5b", directory)
    return directory


def engine_for(demo_index_dir, tmp_path, model_dir, llm: dict) -> Engine:
    data_dir = tmp_path / "data"
    shutil.copytree(demo_index_dir, data_dir)
    (data_dir / "models").symlink_to(model_dir, target_is_directory=True)
    return Engine(load_settings(data_dir=data_dir, llm=llm))


def assert_grounded(answer, backend_prefix: str) -> None:
    assert answer.backend.startswith(backend_prefix), answer.notice
    assert not answer.refused
    assert "1.54" in answer.text
    assert answer.citations and all("1.54" in fold(c.quote) for c in answer.citations if "1.54" in c.quote)
    assert answer.latency_ms["first_token"] <= answer.latency_ms["total"]


def test_本地模型流式回答并通过引用核对(demo_index_dir, tmp_path, model_dir):
    engine = engine_for(demo_index_dir, tmp_path, model_dir, {"backend": "local", **LOCAL})
    events = list(engine.stream(QUESTION))
    deltas = [event.delta for event in events if event.delta]
    assert len(deltas) > 3, "回答应逐步流出"
    assert_grounded(events[-1].answer, "local:")


def test_OpenAI兼容服务回答并通过引用核对(demo_index_dir, tmp_path, model_dir):
    server = start_llama_server(model_dir / "qwen2.5-0.5b.gguf", api_key="sk-local-test")
    engine = engine_for(demo_index_dir, tmp_path, model_dir, {
        "backend": "openai", "openai_base_url": f"{server.listening_address}/v1", "openai_model": "qwen",
        "openai_api_key": "sk-local-test", "timeout_s": 600, "max_tokens": 120})
    assert_grounded(engine.ask(QUESTION), "openai:")
