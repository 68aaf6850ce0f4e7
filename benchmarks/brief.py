"""Briefings measured on benchmarks/eval/briefing/topics.jsonl: coverage, empty table cells, off-topic checks, time.

    python benchmarks/brief.py [--topics FILE] [--split tune|test|all] [--ids b01,b05] [--backend local]
                               [--out build/briefs]

--topics defaults to benchmarks/eval/briefing/topics.jsonl (8 tune topics, and 4 test topics that were
printed on every run while the briefing was developed, so no longer held out);
benchmarks/eval/briefing/heldout.jsonl holds test topics written before the changes they measure.
Each topic lists, per document, the items its text gives on the topic (programme names, targets,
figures: verbatim strings of the file) and the documents that say nothing on it. The knowledge base holds
the demo corpus (corpus/documents) and the corpus-extra files the set names, read from
../shared/corpus-extra at run time; it is built once under build/brief-kb and reused. Every briefing is
built over exactly the topic's documents (extractively unless --backend names an LLM), and written to --out as Markdown for reading.

Reported per split:
- coverage: the share of expected items that appear in what the briefing shows for their document
  (its programmes, targets, measures and table row), compared after NFKC, traditional → simplified and
  removing pinyin artefacts (發(fā)展);
- empty cells: the share of "—" cells in the rows of documents with expected items, over the columns
  shown and over all of qa.brief.TABLE_COLUMNS (a document reported as not covering the topic counts
  as a row of empty cells);
- off-topic: documents said to say nothing that the briefing covers, and footnotes quoting text that
  is not part of its document (another article of the same newspaper page);
- seconds per briefing; with a local model also its prompt tokens, tokens written and their seconds
  (llama.cpp's timings of the last generation) and the load average, as the machine may be busy.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from settings import apply_offline_environment, load_settings  # noqa: E402

apply_offline_environment()

from corpus import DOCUMENTS_DIR  # noqa: E402
from corpus.repair import UNRELATED_HEADING  # noqa: E402
from qa.answer import Engine  # noqa: E402
from qa.brief import TABLE_COLUMNS, Briefing, briefing_markdown, build_briefing  # noqa: E402
from qa.citations import fold  # noqa: E402

EVAL = REPO / "benchmarks" / "eval" / "briefing" / "topics.jsonl"
SHARED = Path(os.environ.get("POLICYQA_SHARED_DIR") or REPO.parent / "shared")  # ../shared beside the checkout
SEEDS = SHARED / "corpus-seeds"
EXTRA = SHARED / "corpus-extra"
KB_DIR = REPO / "build" / "brief-kb"
_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = re.compile(rf"\([a-zü{_TONES}]*[{_TONES}][a-zü{_TONES}]*\)")


def comparable(text: str) -> str:
    return fold(_PINYIN.sub("", text))


def knowledge_base(topics: list[dict]) -> tuple[Engine, dict[str, str]]:
    """The engine over the demo corpus and the extra files the set names; file name → doc_id."""
    engine = Engine(load_settings(data_dir=KB_DIR, llm={"backend": "extractive"}))
    names = {name for topic in topics for name in [*topic["items"], *topic["silent"]]}
    extra = sorted(EXTRA / name for name in names if (EXTRA / name).exists())
    for report in (engine.kb.ingest(None, progress=False), engine.kb.ingest(extra, progress=False)):
        if report.failed:
            raise SystemExit(report.summary())
    demo_by_bytes = {path.read_bytes(): path.name for path in DOCUMENTS_DIR.glob("*.txt")}
    by_file = {meta.file_name: meta.doc_id for meta, _ in engine.kb.documents()}
    doc_ids = {}
    for name in names:
        seed = SEEDS / name
        file_name = demo_by_bytes[seed.read_bytes()] if seed.exists() else name
        doc_ids[name] = by_file[file_name]
    return engine, doc_ids


def shown_for(briefing: Briefing, doc_id: str) -> str:
    """Everything the briefing shows for one document, folded."""
    texts = []
    for document in briefing.documents:
        if document.doc_id == doc_id:
            texts += [entry.text for entry in (*document.programmes, *document.targets, *document.sentences)]
            texts += [group.heading for group in document.groups]
    for row in briefing.table:
        if row.doc_id == doc_id:
            texts += [entry.text for column in briefing.columns for entry in row.cells[column]]
    return comparable("\n".join(texts))


def measure(engine: Engine, doc_ids: dict[str, str], topic: dict, out: Path, backend: str = "extractive") -> dict:
    wanted = [doc_ids[name] for name in [*topic["items"], *topic["silent"]]]
    started = time.perf_counter()
    briefing = build_briefing(engine, topic["topic"], doc_ids=wanted, backend=backend)
    seconds = time.perf_counter() - started
    timings = dict(getattr(engine.llm(backend), "last_timings", {}) or {})
    (out / f"{topic['id']}.md").write_text(briefing_markdown(briefing), encoding="utf-8")

    missing = []
    found = total = 0
    for name, items in topic["items"].items():
        shown = shown_for(briefing, doc_ids[name])
        for item in items:
            total += 1
            if comparable(item) in shown:
                found += 1
            else:
                missing.append(f"{name}: {item}")
    rows = {row.doc_id: row for row in briefing.table}
    empty_shown = empty_all = cells_shown = cells_all = 0
    for name in topic["items"]:
        row = rows.get(doc_ids[name])
        shown_columns = briefing.columns or TABLE_COLUMNS
        cells_shown += len(shown_columns)
        cells_all += len(TABLE_COLUMNS)
        # a document reported as not covering the topic is a row of empty cells under the columns shown
        empty_shown += sum(not row.cells[column] for column in shown_columns) if row else len(shown_columns)
        empty_all += sum(not row.cells[column] for column in TABLE_COLUMNS) if row else len(TABLE_COLUMNS)
    covered = {document.doc_id for document in briefing.documents if document.covered}
    silent_but_covered = [name for name in topic["silent"] if doc_ids[name] in covered]
    unrelated = [footnote.quote[:30] for footnote in briefing.footnotes if footnote.section.startswith(UNRELATED_HEADING)]
    return {"id": topic["id"], "topic": topic["topic"], "found": found, "total": total, "missing": missing,
            "empty_shown": empty_shown, "cells_shown": cells_shown, "empty_all": empty_all, "cells_all": cells_all,
            "silent_but_covered": silent_but_covered, "unrelated": unrelated, "seconds": seconds,
            "model": _model_line(briefing, timings)}


def _model_line(briefing: Briefing, timings: dict) -> str:
    if briefing.backend == "extractive" and not timings:
        return briefing.notice
    parts = [f"backend {briefing.backend}", f"load {os.getloadavg()[0]:.1f}"]
    if timings:
        parts += [f"prompt {timings.get('prompt_n', 0):.0f} tok (+{timings.get('cache_n', 0):.0f} cached)"
                  f" {timings.get('prompt_ms', 0) / 1000:.1f} s",
                  f"written {timings.get('predicted_n', 0):.0f} tok {timings.get('predicted_ms', 0) / 1000:.1f} s"]
    return ", ".join(parts) + (f"; {briefing.notice}" if briefing.notice else "")


def report(split: str, results: list[dict]) -> None:
    if not results:
        return
    found, total = sum(r["found"] for r in results), sum(r["total"] for r in results)
    empty_shown = sum(r["empty_shown"] for r in results) / sum(r["cells_shown"] for r in results)
    empty_all = sum(r["empty_all"] for r in results) / sum(r["cells_all"] for r in results)
    seconds = [r["seconds"] for r in results]
    print(f"\n== {split}: {len(results)} topics")
    for r in results:
        print(f"  {r['id']} {r['topic']}: {r['found']}/{r['total']} items, empty {r['empty_shown']}/{r['cells_shown']}"
              f" shown ({r['empty_all']}/{r['cells_all']} of all columns), {r['seconds']:.1f} s"
              + (f", silent docs covered: {r['silent_but_covered']}" if r["silent_but_covered"] else "")
              + (f", unrelated text quoted: {r['unrelated']}" if r["unrelated"] else "")
              + (f"\n      {r['model']}" if r["model"] else ""))
        for line in r["missing"]:
            print(f"      missing {line}")
    print(f"  coverage {found / total:.2f} ({found}/{total}); empty cells {empty_shown:.0%} of shown columns,"
          f" {empty_all:.0%} of all {len(TABLE_COLUMNS)} columns")
    print(f"  off-topic: {sum(len(r['silent_but_covered']) for r in results)} silent documents covered,"
          f" {sum(len(r['unrelated']) for r in results)} quotes from other articles")
    print(f"  seconds per briefing: median {statistics.median(seconds):.1f}, max {max(seconds):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--topics", type=Path, default=EVAL)
    parser.add_argument("--split", choices=("tune", "test", "all"), default="all")
    parser.add_argument("--ids", default="", help="comma-separated topic ids (all of the split by default)")
    parser.add_argument("--backend", default="extractive", help="extractive, local or openai")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "briefs")
    args = parser.parse_args()
    topics = [json.loads(line) for line in args.topics.read_text(encoding="utf-8").splitlines() if line.strip()]
    topics = [topic for topic in topics if args.split in ("all", topic["split"])
              and (not args.ids or topic["id"] in args.ids.split(","))]
    args.out.mkdir(parents=True, exist_ok=True)
    engine, doc_ids = knowledge_base(topics)
    results = {split: [measure(engine, doc_ids, topic, args.out, args.backend) for topic in topics if topic["split"] == split]
               for split in ("tune", "test")}
    for split, measured in results.items():
        report(split, measured)
    engine.kb.close()


if __name__ == "__main__":
    main()
