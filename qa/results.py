"""The JSON form of answers and search hits, shared by `ask --json`, `search --json` and `eval --out`."""
from __future__ import annotations

from typing import Any

from qa.answer_types import Answer
from vectorstore.hits import Hit


def hit_json(hit: Hit) -> dict[str, Any]:
    chunk = hit.chunk
    return {
        "doc": chunk.doc_id,
        "title": chunk.meta.title,
        "section": chunk.section,
        "text": chunk.text,
        "score": round(hit.score, 4),
        "chunk_id": chunk.chunk_id,
        "start": chunk.start,
        "end": chunk.end,
    }


def answer_json(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "answer": answer.text,
        "refused": answer.refused,
        "citations": [
            {"marker": c.marker, "doc": c.doc_id, "title": c.doc_title, "section": c.section, "quote": c.quote,
             "chunk_id": c.chunk_id, "start": c.start, "end": c.end}
            for c in answer.citations
        ],
        "flagged": answer.flagged,
        "retrieved": [hit_json(hit) for hit in answer.retrieved],
        "backend": answer.backend,
        "notice": answer.notice,
        "latency_ms": {name: round(ms, 1) for name, ms in answer.latency_ms.items()},
    }
