"""Real components for fault tests: the USE embedder, two small documents, a `chroma run` server and a
llama.cpp server in processes of their own (so a test can kill, freeze or restart them)."""
from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from settings import EmbedderSettings

VENV_BIN = Path(sys.executable).parent

SMALL_DOCUMENTS = {
    "丁市数字经济意见.txt": """中共丁市委关于加快发展数字经济的意见
(2024年5月8日中共丁市委第七次全体会议通过)
一、发展目标
到2027年,全市数字经济核心产业增加值突破600亿元,占地区生产总值比重达到12%。建成5G基站1.2万个,千兆光网覆盖全部乡镇。
二、重点任务
(一)壮大电子信息产业。引进芯片封装测试项目5个以上,打造丁市集成电路产业园。支持龙头企业建设工业互联网平台,带动中小企业上云用云。
(二)推进数据要素市场化。组建丁市数据集团,开放公共数据集300个,建设城市数据交易服务中心。
""",
    "戊州生态保护方案.txt": """戊州生态环境保护三年行动方案
一、工作目标
到2026年,全州森林覆盖率达到48%,县级以上城市空气质量优良天数比率保持在95%以上,重点河流断面水质全部达到Ⅲ类。
二、主要措施
(一)守护大江大河。实施戊江干流生态修复工程,建设沿江生态廊道120公里,关停入河排污口42个。
(二)推进绿色转型。淘汰燃煤小锅炉260台,新增光伏装机80万千瓦,创建绿色工厂25家。
""",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def free_port():
    """Gives a port nothing listens on (yet)."""
    return _free_port


def wait_until(ready, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.3)
    raise TimeoutError(f"{what} not ready within {seconds:.0f} s")


@pytest.fixture(scope="session")
def use_embedder():
    from vectorstore.embeddings import make_embedder

    return make_embedder(EmbedderSettings(kind="use"))


@pytest.fixture(scope="session")
def write_small_corpus():
    """Writes the two small documents into a folder (they ingest in a few seconds) and returns it."""

    def write(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in SMALL_DOCUMENTS.items():
            (folder / name).write_text(text, encoding="utf-8")
        return folder

    return write


@pytest.fixture
def kb(demo_settings, use_embedder):
    """A knowledge base over a private copy of the demo one (tests/conftest.py: demo_settings)."""
    from vectorstore.knowledge_base import KnowledgeBase

    knowledge_base = KnowledgeBase(demo_settings, embedder=use_embedder)
    yield knowledge_base
    knowledge_base.close()


@pytest.fixture
def small_corpus(tmp_path, write_small_corpus) -> Path:
    return write_small_corpus(tmp_path / "corpus")


class ChromaServer:
    """A real `chroma run` on a fixed path and port, which a test may kill and start again."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(VENV_BIN / "chroma"), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._answers, 120, "chroma run")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(30)

    def _answers(self) -> bool:
        import chromadb

        assert self.process.poll() is None, f"chroma run exited with {self.process.returncode}"
        try:
            chromadb.HttpClient(host="127.0.0.1", port=self.port).heartbeat()
            return True
        except Exception:  # chromadb raises whatever its HTTP layer raised while the port is closed
            return False


@pytest.fixture(scope="session")
def start_chroma_server():
    """Starts a real `chroma run` on a free port over a folder; every one started is stopped at the end."""
    started: list[ChromaServer] = []

    def start(path: Path) -> ChromaServer:
        server = ChromaServer(path)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.kill()


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory):
    from qa.models import install_model

    directory = tmp_path_factory.mktemp("models")
    install_model("qwen2.5-0.5b", directory)
    return directory


class LlamaServer:
    """llama.cpp's OpenAI-compatible server with the real 0.5B model, in a child process a test can
    freeze (SIGSTOP: it accepts connections and never answers) or kill."""

    api_key = "sk-robustness-server-key-81c2"

    def __init__(self, model: Path) -> None:
        script = ("import time\n"
                  "from qa.llm import start_llama_server\n"
                  f"server = start_llama_server({str(model)!r}, api_key={self.api_key!r})\n"
                  "print(server.listening_address, flush=True)\n"
                  "time.sleep(10**6)\n")
        self.process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        self.base_url = self.process.stdout.readline().strip() + "/v1"
        assert self.base_url.startswith("http"), "llama server did not start"

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(30)


@pytest.fixture
def llama_server(model_dir):
    server = LlamaServer(model_dir / "qwen2.5-0.5b.gguf")
    yield server
    if server.process.poll() is None:
        server.kill()  # SIGKILL ends a frozen process too
