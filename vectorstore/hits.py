"""What a search returns, and how it can be narrowed."""
from __future__ import annotations

from dataclasses import dataclass

from corpus.model import Chunk


@dataclass(frozen=True)
class SearchFilter:
    """Empty tuples mean "no restriction"."""

    doc_ids: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    def admits(self, chunk: Chunk) -> bool:
        meta = chunk.meta
        return (
            (not self.doc_ids or chunk.doc_id in self.doc_ids)
            and (not self.regions or meta.region in self.regions)
            and (not self.years or meta.year in self.years)
        )


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused score, higher is better
    dense_score: float | None = None  # cosine similarity from the vector side, if it found the chunk
    keyword_score: float | None = None  # BM25 score from the keyword side, if it found the chunk
