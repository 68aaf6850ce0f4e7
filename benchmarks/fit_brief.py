"""Fit the briefing's heading and ranking parameters (qa/brief/topic.py, qa/brief/build.py) on the tune topics.

    python benchmarks/fit_brief.py

Scans GENERIC_IDF (jieba IDF below which a topic's nominal term is a generic head word a heading may vary)
and MAX_NAMED_THINGS (up to how many specific names a sentence holds raise it among the measures shown), builds
every tune briefing of benchmarks/eval/briefing/topics.jsonl for each pair and prints coverage, empty cells and
silent documents covered. The pair kept is the one with the highest coverage and no silent document covered,
then the fewest empty cells, then the values closest to the unfitted behaviour (no generic word, 3 names).
Test topics are not read.
"""
from __future__ import annotations

import json
import sys
import tempfile
from itertools import product
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.brief import EVAL, knowledge_base, measure  # noqa: E402
from qa.brief import build as build_module, topic as topic_module  # noqa: E402

GENERIC_IDFS = (0.0, 4.0, 5.0, 5.5)
NAMED_THINGS = (3, 6, 9)


def main() -> None:
    topics = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    tune = [topic for topic in topics if topic["split"] == "tune"]
    engine, doc_ids = knowledge_base(tune)
    rows = []
    with tempfile.TemporaryDirectory() as out:
        for generic, named in product(GENERIC_IDFS, NAMED_THINGS):
            topic_module.GENERIC_IDF, build_module.MAX_NAMED_THINGS = generic, named
            results = [measure(engine, doc_ids, topic, Path(out)) for topic in tune]
            found, total = sum(r["found"] for r in results), sum(r["total"] for r in results)
            empty = sum(r["empty_all"] for r in results) / sum(r["cells_all"] for r in results)
            silent = sum(len(r["silent_but_covered"]) for r in results)
            rows.append((generic, named, found, total, empty, silent))
            print(f"GENERIC_IDF={generic} MAX_NAMED_THINGS={named}: coverage {found}/{total},"
                  f" empty {empty:.0%} of all columns, silent covered {silent}", flush=True)
    best = max((row for row in rows if row[5] == 0),
               key=lambda row: (row[2], -row[4], -row[0], -row[1]))
    print(f"\nkept: GENERIC_IDF = {best[0]}, MAX_NAMED_THINGS = {best[1]}")
    engine.kb.close()


if __name__ == "__main__":
    main()
