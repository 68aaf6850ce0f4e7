"""Fusing the dense and the keyword ranking into one.

Both take each side's candidates as (chunk_id, score) best first and return Fused rows best first.
`weighted_sum` is what search uses (chosen on the dev set by benchmarks/retrieval.py, which also
scores `reciprocal_rank` against it): BM25 scores spread widely between a chunk holding the query's
rare terms and one sharing only common words, and rank-only fusion throws that margin away.
"""
from __future__ import annotations

from dataclasses import dataclass

Ranking = list[tuple[str, float]]


@dataclass(frozen=True)
class Fused:
    chunk_id: str
    score: float
    dense_score: float | None
    keyword_score: float | None


def weighted_sum(dense: Ranking, keyword: Ranking, dense_weight: float) -> list[Fused]:
    """dense_weight * normalised cosine + (1 - dense_weight) * normalised BM25, each scaled to [0, 1].

    Cosine similarities are min-max scaled over the candidates (their raw range is narrow and
    model-dependent); BM25 is divided by the best score (0 stays 0: no shared word, no credit).
    """
    dense_scaled = _min_max(dense)
    best_keyword = max((score for _, score in keyword), default=0.0)
    keyword_scaled = {chunk_id: score / best_keyword for chunk_id, score in keyword} if best_keyword > 0 else {}
    return _combine(dense, keyword, lambda chunk_id: dense_weight * dense_scaled.get(chunk_id, 0.0)
                    + (1 - dense_weight) * keyword_scaled.get(chunk_id, 0.0))


def reciprocal_rank(dense: Ranking, keyword: Ranking, dense_weight: float, k: int = 60) -> list[Fused]:
    """Weighted reciprocal-rank fusion (Cormack et al.): sum of weight / (k + rank) over the two sides."""
    dense_rank = {chunk_id: rank for rank, (chunk_id, _) in enumerate(dense, start=1)}
    keyword_rank = {chunk_id: rank for rank, (chunk_id, _) in enumerate(keyword, start=1)}

    def score(chunk_id: str) -> float:
        total = dense_weight / (k + dense_rank[chunk_id]) if chunk_id in dense_rank else 0.0
        return total + ((1 - dense_weight) / (k + keyword_rank[chunk_id]) if chunk_id in keyword_rank else 0.0)

    return _combine(dense, keyword, score)


def _combine(dense: Ranking, keyword: Ranking, score) -> list[Fused]:
    dense_scores, keyword_scores = dict(dense), dict(keyword)
    fused = [
        Fused(chunk_id, score(chunk_id), dense_scores.get(chunk_id), keyword_scores.get(chunk_id))
        for chunk_id in dict.fromkeys([chunk_id for chunk_id, _ in dense + keyword])
    ]
    return sorted(fused, key=lambda row: row.score, reverse=True)


def _min_max(ranking: Ranking) -> dict[str, float]:
    if not ranking:
        return {}
    scores = [score for _, score in ranking]
    low, high = min(scores), max(scores)
    return {chunk_id: (score - low) / (high - low) if high > low else 1.0 for chunk_id, score in ranking}
