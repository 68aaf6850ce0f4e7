"""The chat LLM backends, run against the real Qwen2.5-0.5B model: in-process, and behind a real
OpenAI-compatible HTTP server (llama.cpp's, started here on 127.0.0.1)."""
import socket
import threading
import time
import traceback

import pytest
from pydantic import SecretStr

from qa.llm import LLMUnavailable, LocalLLM, OpenAICompatibleLLM, Wording, make_llm, start_llama_server
from qa.models import install_model
from qa.prompts import SYSTEM
from settings import LLMSettings

SERVER_KEY = "sk-server-key-789"
WRONG_KEY = "sk-test-secret-123"
QUESTION = [
    {"role": "system", "content": "只根据给定资料回答问题,回答要简短。"},
    {"role": "user", "content": "资料:到2027年,全市经济总量跨上3400亿元台阶。\n问题:到2027年全市经济总量要达到多少?"},
]
COPY = [{"role": "user", "content": "把这句话原样抄一遍,不要加别的字:上海科创中心建设条例自2020年5月1日起施行。"}]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("models")
    install_model("qwen2.5-0.5b", directory)
    return directory


@pytest.fixture(scope="module")
def local_llm(model_dir) -> LocalLLM:
    llm = LocalLLM(model_dir / "qwen2.5-0.5b.gguf", threads=2, n_ctx=4096, timeout_s=60)
    llm.load()
    return llm


@pytest.fixture(scope="module")
def openai_base_url(model_dir):
    server = start_llama_server(model_dir / "qwen2.5-0.5b.gguf", threads=2, n_ctx=4096, api_key=SERVER_KEY)
    yield f"{server.listening_address}/v1"
    del server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_key_nowhere(error: BaseException, key: str) -> None:
    assert key not in str(error)
    assert key not in repr(error)
    assert key not in "".join(traceback.format_exception(error))


# --- local model, in process -------------------------------------------------------------------


def test_本地模型根据给定资料回答数字(local_llm):
    assert local_llm.name == "local:qwen2.5-0.5b"
    assert "3400" in local_llm.complete(QUESTION, max_tokens=60)


def test_本地模型流式输出多段且拼起来等于完整回答(local_llm):
    deltas = list(local_llm.stream(QUESTION, max_tokens=60))

    assert len(deltas) >= 3
    assert "".join(deltas) == local_llm.complete(QUESTION, max_tokens=60)


def test_提前关闭流后生成停止且模型可继续使用(local_llm):
    stream = local_llm.stream(QUESTION, max_tokens=400)
    assert next(stream)
    started = time.monotonic()
    stream.close()

    assert time.monotonic() - started < 5
    assert "3400" in local_llm.complete(QUESTION, max_tokens=60)


def test_多个线程同时提问时逐个生成且答案都正确(local_llm):
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(local_llm.complete(QUESTION, max_tokens=60))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 2
    assert all("3400" in answer for answer in answers)


def test_固定的系统提示只处理一次_下一个问题复用它的KV缓存(local_llm):
    def ask(question: str) -> dict:
        local_llm.complete([{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}], max_tokens=5)
        return dict(local_llm.last_timings)

    first = ask("<资料>\n[1] 乐山市:到2027年,全市经济总量跨上3400亿元台阶。\n</资料>\n\n问题:乐山经济总量目标是多少?")
    second = ask("<资料>\n[1] 南充市:建强科学技术创新平台。\n</资料>\n\n问题:南充要建什么平台?")

    system_tokens = 100  # SYSTEM is ~190 tokens of Qwen's tokenizer
    assert first["prompt_n"] + first["cache_n"] > system_tokens
    assert second["cache_n"] > system_tokens, "第二个问题应复用系统提示的KV缓存"
    assert second["prompt_n"] < second["cache_n"], "只处理问题和依据,不再处理系统提示"


def test_超出上下文长度时报模型不可用(local_llm):
    too_long = [{"role": "user", "content": "乐山市" * 5000}]

    with pytest.raises(LLMUnavailable, match="context size"):
        local_llm.complete(too_long, max_tokens=10)


def test_生成超时报模型不可用且模型随后仍可用(local_llm, monkeypatch):
    monkeypatch.setattr(local_llm, "timeout_s", 0.01)
    with pytest.raises(LLMUnavailable, match="超时"):
        local_llm.complete(QUESTION, max_tokens=400)
    monkeypatch.undo()

    assert "3400" in local_llm.complete(QUESTION, max_tokens=60)


def test_问题里的说法资料里没有_本地模型改用资料的词(local_llm):
    """抄写时要用“科创”这个简称,资料写的是“科技创新”:禁用的是资料不用的词元,资料的词照样能写。"""
    assert "科创" in local_llm.complete(COPY, max_tokens=40)
    steered = local_llm.complete(COPY, max_tokens=40, wording=Wording(avoid=("科创",), source="上海科技创新中心"))
    assert "科创" not in steered
    assert "2020年5月1日" in steered


def test_模型文件不存在时报模型不可用(tmp_path):
    with pytest.raises(LLMUnavailable, match="不存在"):
        LocalLLM(tmp_path / "missing.gguf").complete(QUESTION, max_tokens=10)


def test_模型文件损坏时报加载失败(tmp_path):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + bytes(4096))

    with pytest.raises(LLMUnavailable, match="加载失败"):
        LocalLLM(broken).complete(QUESTION, max_tokens=10)


# --- OpenAI-compatible endpoint ----------------------------------------------------------------


def test_通过OpenAI兼容接口回答且流式与完整一致(openai_base_url):
    llm = OpenAICompatibleLLM(openai_base_url, "qwen2.5-0.5b", SecretStr(SERVER_KEY), timeout_s=60)

    deltas = list(llm.stream(QUESTION, max_tokens=60))

    assert llm.name == "openai:qwen2.5-0.5b"
    assert len(deltas) >= 3
    assert "3400" in "".join(deltas)
    assert "".join(deltas) == llm.complete(QUESTION, max_tokens=60)


def test_OpenAI兼容接口遵守max_tokens(openai_base_url):
    llm = OpenAICompatibleLLM(openai_base_url, "qwen2.5-0.5b", SERVER_KEY, timeout_s=60)

    assert len(list(llm.stream(QUESTION, max_tokens=3))) <= 3


def test_密钥被拒绝时报模型不可用且错误里没有密钥(openai_base_url):
    llm = OpenAICompatibleLLM(openai_base_url, "qwen2.5-0.5b", SecretStr(WRONG_KEY), timeout_s=60)

    with pytest.raises(LLMUnavailable, match="401") as caught:
        llm.complete(QUESTION, max_tokens=10)
    assert_key_nowhere(caught.value, WRONG_KEY)


def test_连不上的端点很快报模型不可用且错误里没有密钥():
    llm = OpenAICompatibleLLM(f"http://127.0.0.1:{free_port()}/v1", "deepseek-chat", WRONG_KEY, timeout_s=5)

    started = time.monotonic()
    with pytest.raises(LLMUnavailable, match="无法连接") as caught:
        llm.complete(QUESTION, max_tokens=10)

    assert time.monotonic() - started < 10
    assert_key_nowhere(caught.value, WRONG_KEY)


def test_错误信息不泄露网址里的凭据():
    llm = OpenAICompatibleLLM(
        f"http://user:{WRONG_KEY}@127.0.0.1:{free_port()}/v1?api-key={WRONG_KEY}", "m", "", timeout_s=5
    )

    with pytest.raises(LLMUnavailable) as caught:
        llm.complete(QUESTION, max_tokens=10)
    assert_key_nowhere(caught.value, WRONG_KEY)


# --- choosing the backend from settings --------------------------------------------------------


def test_按设置选择后端(model_dir):
    assert make_llm(LLMSettings(backend="extractive"), model_dir) is None

    local = make_llm(LLMSettings(backend="local", local_model="qwen2.5-0.5b", timeout_s=30), model_dir)
    assert isinstance(local, LocalLLM)
    assert local.name == "local:qwen2.5-0.5b"
    assert local.timeout_s == 30

    hosted = make_llm(LLMSettings(backend="openai", openai_api_key=SecretStr(WRONG_KEY)), model_dir)
    assert isinstance(hosted, OpenAICompatibleLLM)
    assert hosted.name == "openai:deepseek-chat"
    assert WRONG_KEY not in repr(hosted.__dict__)
