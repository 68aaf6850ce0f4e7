"""How the keyword index scales: 100k chunks, then one more document.

Chunks are ~400-character windows of the seed documents at shifting offsets (so the texts differ and the
vocabulary is the seeds'). Measures tokenizing + storing (FTS5 indexes rows as they are stored: there is no
build step), opening the stored index with its first search, adding one document afterwards, and search latency.

usage: .venv/bin/python benchmarks/keyword_scale.py [--chunks 100000] [--seeds DIR]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from corpus.model import Chunk, DocumentMeta
from corpus.normalize import to_index_text
from corpus import USERDICT_PATH
from vectorstore.keyword import ChineseTokenizer, KeywordIndex

SHARED = Path(__file__).resolve().parents[2] / "shared"
CHUNKS_PER_DOCUMENT = 50
QUERIES = ["经济总量迈上什么台阶", "托底性帮扶支持政策", "嘉陵江实验室", "一次挂号管三天", "天府粮仓千园建设",
           "高价值发明专利拥有量", "科技人才评价机制", "民营经济贡献", "职务科技成果单列管理", "三星堆遗址申遗"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--seeds", type=Path, default=SHARED / "corpus-seeds")
    args = parser.parse_args()

    text = to_index_text("".join(path.read_text(encoding="utf-8") for path in sorted(args.seeds.glob("*.txt"))))
    tokenizer = ChineseTokenizer(USERDICT_PATH)
    with tempfile.TemporaryDirectory() as folder:
        index = KeywordIndex(Path(folder), tokenizer)
        started = time.perf_counter()
        for first in range(0, args.chunks, CHUNKS_PER_DOCUMENT):
            index.add(_document(text, first, CHUNKS_PER_DOCUMENT))
        added = time.perf_counter() - started
        opened = _timed(lambda: KeywordIndex(Path(folder), tokenizer).search(QUERIES[0], 30))
        one_more = _timed(lambda: index.add(_document(text, args.chunks, CHUNKS_PER_DOCUMENT)))
        latencies = [_timed(lambda q=q: index.search(q, 30)) for q in QUERIES * 3]

    print(f"keyword index, {args.chunks} chunks of ~400 characters")
    print(f"  tokenize + store all          {added:8.1f} s  ({args.chunks / added:.0f} chunks/s)")
    print(f"  open + first search           {opened * 1000:8.1f} ms")
    print(f"  add one {CHUNKS_PER_DOCUMENT}-chunk document     {one_more:8.2f} s")
    print(f"  search p50 / p95 / max        {statistics.median(latencies) * 1000:8.1f} / "
          f"{statistics.quantiles(latencies, n=20)[-1] * 1000:.1f} / {max(latencies) * 1000:.1f} ms")


def _document(text: str, first: int, count: int) -> list[Chunk]:
    doc_id = f"doc{first // count:05d}"
    meta = DocumentMeta(doc_id=doc_id, title=doc_id, region="四川省", date="2024-01-01")
    chunks = []
    for ordinal in range(count):
        offset = ((first + ordinal) * 137) % (len(text) - 400)
        window = text[offset:offset + 400]
        chunks.append(Chunk(doc_id, (), window, window, offset, offset + 400, ordinal, meta))
    return chunks


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
