"""The answer record the engine returns to the CLI, the eval and the UI."""
from __future__ import annotations

from dataclasses import dataclass, field

from vectorstore.hits import Hit


@dataclass(frozen=True)
class Citation:
    marker: int  # the [n] in the answer text
    chunk_id: str
    doc_id: str
    doc_title: str
    section: str  # "二、明确主攻方向 > (一)培育壮大先进制造业集群"
    quote: str  # verbatim from the source document (display script)
    start: int  # offsets of the quote in the original file text
    end: int


@dataclass
class Answer:
    question: str
    text: str  # Chinese answer with [n] markers; flagged sentences are marked, never shown as cited
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Hit] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)  # sentences the citation check could not support
    backend: str = ""  # "local:qwen2.5-1.5b", "openai:deepseek-chat", "extractive"
    notice: str = ""  # e.g. "本地模型不可用,已改用摘录模式" when the LLM failed
    latency_ms: dict[str, float] = field(default_factory=dict)  # retrieve, first_token, total
