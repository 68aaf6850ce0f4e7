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
    """Write one result line per dataset item; returns the number of items answered. Raises BadQuestion for a
    dataset that cannot be read, naming the line, before anything is written."""
    if out.resolve() == dataset.resolve():
        raise BadQuestion(f"结果文件“{out}”就是数据集本身:写结果会覆盖数据集,请换一个 --out。")
    items = read_dataset(dataset)
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


def read_dataset(dataset: Path) -> list[dict]:
    """The items of a JSONL dataset, each with a text `id` and `question` and, if any, a `history` of texts."""
    try:
        lines = dataset.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise BadQuestion(f"读不了数据集“{dataset}”:{error}") from None
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadQuestion(f"数据集第 {number} 行不是 JSON:{error.msg}。") from None
        history = item.get("history") or [] if isinstance(item, dict) else None
        if not (isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("question"), str)
                and isinstance(history, list) and all(isinstance(turn, str) for turn in history)):
            raise BadQuestion(f"数据集第 {number} 行须是含文字 id 和 question(及可选的 history 问题列表)的 JSON 对象。")
        items.append(item)
    return items


def find_scorer(dataset: Path) -> Path | None:
    """The shared scorer stands beside the dev set (../shared/eval/score.py)."""
    for candidate in (dataset.parent / "score.py", Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"):
        if candidate.is_file():
            return candidate
    return None


def score(scorer: Path, dataset: Path, results: Path, as_json: bool = False) -> str:
    command = [sys.executable, str(scorer), str(dataset), str(results)] + (["--json"] if as_json else [])
    scored = subprocess.run(command, capture_output=True, text=True)
    if scored.returncode != 0:  # the scorer's own complaint about the dataset, not a traceback of ours
        last = (scored.stderr.strip().splitlines() or ["(无输出)"])[-1]
        raise BadQuestion(f"评分脚本 {scorer} 未能打分:{last}")
    return scored.stdout
