"""`policyqa eval`: answer every item of a dataset and score the results with the shared scorer.

Only `id`, `question` and, for a follow-up, `history` (the earlier questions of the conversation) of each
item are read, so any dataset of the dev.jsonl format works.
"""
from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from qa.answer import BadQuestion, Engine
from qa.results import answer_json


def run_dataset(engine: Engine, dataset: Path, out: Path, backend: str | None = None,
                on_item: Callable[[str], None] | None = None) -> int:
    """Write one result line per dataset item; returns the number of items answered."""
    items = [json.loads(line) for line in dataset.read_text(encoding="utf-8").splitlines() if line.strip()]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as results:
        for item in items:
            try:
                record = answer_json(engine.ask(item["question"], history=item.get("history") or (), backend=backend))
            except BadQuestion as error:
                record = {"answer": str(error), "refused": True, "citations": [], "retrieved": [], "latency_ms": {}}
            record["id"] = item["id"]
            results.write(json.dumps(record, ensure_ascii=False) + "\n")
            results.flush()
            if on_item:
                on_item(item["id"])
    return len(items)


def find_scorer(dataset: Path) -> Path | None:
    """The shared scorer stands beside the dev set (../shared/eval/score.py)."""
    for candidate in (dataset.parent / "score.py", Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"):
        if candidate.is_file():
            return candidate
    return None


def score(scorer: Path, dataset: Path, results: Path, as_json: bool = False) -> str:
    command = [sys.executable, str(scorer), str(dataset), str(results)] + (["--json"] if as_json else [])
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout
