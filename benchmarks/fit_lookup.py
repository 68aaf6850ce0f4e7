"""Fit qa/lookup.py's MIN_REWORDED_SIMILARITY on the tune lookup items: how close (sentence-encoder cosine) the
nearest sentence must stand to a quoted phrase that alignment placed nowhere for it to be the phrase's source.

Every tune item of benchmarks/eval/*.jsonl whose question quotes a phrase to look up (出自哪里) and whose phrase
qa/lookup.py's alignment does not find gives one case: the nearest sentence's similarity, and whether accepting it is
right (an answerable item whose gold evidence that sentence, or the passage it stands in, holds) or wrong (an unanswerable item, or another
sentence). The threshold is the one that decides most cases right, midway between the cases on either side of it.

usage: python benchmarks/fit_lookup.py [DATASET.jsonl …] [--shared DIR]   (default: benchmarks/eval/*.jsonl, tune items)
"""
from __future__ import annotations

import argparse
from pathlib import Path

from settings import apply_offline_environment

apply_offline_environment()

from rapidfuzz import fuzz  # noqa: E402

from benchmarks.run_eval import eval_engine, items_by_split  # noqa: E402
from qa.citations import fold  # noqa: E402
from qa.lookup import MIN_FUZZY_SCORE, extract_quoted_phrase, lookup  # noqa: E402
from qa.question import LOOKUP  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def cases(engine, items: list[dict]) -> list[tuple[float, bool, str]]:
    """(similarity of the nearest sentence, whether it is the right answer, item id) per item that needs it."""
    chunks = engine.kb.chunks()
    originals = {meta.doc_id: engine.kb.original_text(meta.doc_id) for meta, _ in engine.kb.documents()}
    found = []
    for item in items:
        question = item["question"]
        phrase = extract_quoted_phrase(question) if engine.parse(question).kind == LOOKUP else ""
        if not phrase or lookup(phrase, chunks, originals):
            continue
        closest = engine.closest_sentence(phrase)
        if closest is None:
            continue
        similarity, chunk, start, end = closest
        sentence, passage = fold(chunk.text[start:end]), fold(chunk.text)
        # the source: the sentence is the quote, or stands in the passage holding it (the article a lookup names)
        right = item["type"] != "unanswerable" and any(
            fuzz.partial_ratio(fold(evidence["quote"]), sentence) >= MIN_FUZZY_SCORE * 100
            or fold(evidence["quote"]) in passage for evidence in item["evidence"])
        found.append((similarity, right, item["id"]))
    return found


def fit(found: list[tuple[float, bool, str]]) -> float:
    """The threshold deciding most cases right (accept at or above it), midway between neighbouring cases; of equally
    good ones, the one in the widest gap."""
    values = sorted({similarity for similarity, _, _ in found})
    cuts = [((low + high) / 2, high - low) for low, high in zip(values, values[1:])]
    cuts += [(values[0] - 1e-3, 0.0), (values[-1] + 1e-3, 0.0)]

    def right(cut: float) -> int:
        return sum((similarity >= cut) == accepted for similarity, accepted, _ in found)

    return max(cuts, key=lambda cut: (right(cut[0]), cut[1]))[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="*", type=Path)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    datasets = args.datasets or sorted((REPO / "benchmarks" / "eval").glob("*.jsonl"))
    tune = items_by_split(datasets).get("tune", [])  # fitted on tune only
    found = cases(eval_engine(args.shared), tune)
    for similarity, right, item_id in sorted(found):
        print(f"{similarity:.3f}  {'source' if right else 'not it':6s}  {item_id}")
    cut = fit(found)
    decided = sum((similarity >= cut) == right for similarity, right, _ in found)
    print(f"MIN_REWORDED_SIMILARITY = {cut:.4f}  ({decided}/{len(found)} tune cases decided right)")


if __name__ == "__main__":
    main()
