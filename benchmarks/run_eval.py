"""The answer benchmark: every item of benchmarks/eval/*.jsonl answered over a knowledge base of all documents,
scored per split (tune, test) by the shared score.py, printed side by side, by question type too.

The knowledge base holds the demo documents (corpus/documents) and every <shared>/corpus-extra/*.txt. It is
built once and kept under build/eval-kb/<key>, the key naming the documents (names and bytes) and the code
that cuts and indexes them (corpus/, vectorstore/, the retrieval and embedder settings), so a change to
either builds a fresh one and an unchanged setup reuses it.

usage: python benchmarks/run_eval.py [DATASET.jsonl …] [--shared DIR] [--llm extractive|local|openai]
                                     [--dev | --no-dev] [--out DIR]
  default datasets: benchmarks/eval/*.jsonl; --dev adds <shared>/eval/dev.jsonl as its own column.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

from settings import apply_offline_environment

apply_offline_environment()

from qa.answer import Engine  # noqa: E402
from qa.evaluate import run_dataset  # noqa: E402
from settings import load_settings  # noqa: E402
from vectorstore.knowledge_base import KnowledgeBase  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
INDEX_CODE = ("corpus", "vectorstore")  # what decides how a document is cut and indexed
SHOWN = ("hit@5", "answer_terms", "false_refusal", "refusal_on_unanswerable", "citation_valid",
         "cites_gold_evidence", "answer_chars_p50", "total_ms_p50")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="*", type=Path)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--llm", default="extractive", choices=["extractive", "local", "openai"])
    parser.add_argument("--dev", action=argparse.BooleanOptionalAction, default=True,
                        help="also answer <shared>/eval/dev.jsonl, reported as the split 'dev'")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "eval-results")
    args = parser.parse_args()

    datasets = args.datasets or sorted((REPO / "benchmarks" / "eval").glob("*.jsonl"))
    splits = items_by_split(datasets)
    if args.dev:
        splits["dev"] = read_items(args.shared / "eval" / "dev.jsonl")
    engine = eval_engine(args.shared)
    scorer = args.shared / "eval" / "score.py"
    seeds = ["--seeds", str(args.shared / "corpus-seeds"), "--seeds", str(args.shared / "corpus-extra")]
    args.out.mkdir(parents=True, exist_ok=True)
    scores = {}
    for split, items in splits.items():
        dataset, results = args.out / f"{split}.items.jsonl", args.out / f"{split}.{args.llm}.results.jsonl"
        dataset.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
        run_dataset(engine, dataset, results, backend=args.llm)
        scores[split] = json.loads(subprocess.run(
            [sys.executable, str(scorer), str(dataset), str(results), *seeds, "--json"],
            check=True, capture_output=True, text=True).stdout)
    print(_table(scores, args.llm))


def eval_engine(shared: Path) -> Engine:
    """An engine over the cached knowledge base of the demo documents and every <shared>/corpus-extra/*.txt."""
    documents = sorted((REPO / "corpus" / "documents").glob("*.txt")) + sorted((shared / "corpus-extra").glob("*.txt"))
    settings = load_settings(data_dir=REPO / "build" / "eval-kb" / _kb_key(documents, load_settings()))
    kb = KnowledgeBase(settings)
    report = kb.ingest(documents, progress=False)
    print(f"knowledge base {settings.data_dir}: {len(kb.documents())} documents ({report.summary()})", file=sys.stderr)
    return Engine(settings, kb)


def read_items(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def items_by_split(datasets: list[Path]) -> dict[str, list[dict]]:
    splits: dict[str, list[dict]] = {"tune": [], "test": []}
    for dataset in datasets:
        for item in read_items(dataset):
            splits.setdefault(item.get("split", "unsplit"), []).append(item)
    return {split: items for split, items in splits.items() if items}


def _kb_key(documents: list[Path], settings) -> str:
    """Names and bytes of the documents, the source of the code that indexes them, and its settings."""
    digest = hashlib.sha1()
    for document in documents:
        digest.update(document.name.encode() + hashlib.sha1(document.read_bytes()).digest())
    for package in INDEX_CODE:
        for source in sorted((REPO / package).rglob("*")):
            if source.is_file() and source.suffix in (".py", ".toml", ".txt") and "__pycache__" not in source.parts:
                digest.update(str(source.relative_to(REPO)).encode() + source.read_bytes())
    digest.update(settings.embedder.model_dump_json().encode() + settings.retrieval.model_dump_json().encode())
    return digest.hexdigest()[:16]


def _table(scores: dict[str, dict], backend: str) -> str:
    splits = list(scores)
    lines = [f"backend: {backend}", f"{'':26s}" + "".join(f"{split:>10s}" for split in splits),
             f"{'items':26s}" + "".join(f"{scores[split]['items']:>10}" for split in splits)]
    for metric in SHOWN:
        lines.append(f"{metric:26s}" + "".join(f"{_cell(scores[split].get(metric)):>10s}" for split in splits))
    types = sorted({kind for split in splits for kind in scores[split]["by_type"]})
    lines.append("by type: answer_terms (answerable) / refused_ok (unanswerable), n")
    for kind in types:
        cells = []
        for split in splits:
            row = scores[split]["by_type"].get(kind)
            value = None if row is None else row["refused_ok" if kind == "unanswerable" else "terms"]
            cells.append(f"{_cell(value)} n={row['n']}" if row else "-")
        lines.append(f"  {kind:24s}" + "".join(f"{cell:>14s}" for cell in cells))
    return "\n".join(lines)


def _cell(value) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()
