"""The answer without an LLM, and the fallback when the LLM fails: the source sentences that best
answer the question, quoted verbatim and cited, so nothing in it can be invented.

A sentence of a retrieved chunk scores by how well its document and section headings match the
question, the share of the rest of the question's words it holds (IDF-weighted: words the headings
already match say nothing about which sentence of the section answers), the question's figures and
years it holds, whether it has figures when the question asks for one (多少, 哪一年), and its chunk's rank.
A sentence longer than the answer budget is cut to its best run of clauses. A question naming
several places (乐山和南充) gets the best sentence of each place first.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from corpus.model import Chunk
from corpus.normalize import normalize_query
from qa.citations import CheckedAnswer, Facts, cite, coverage, facts, figures, fold, sentence_spans, with_markers
from vectorstore.hits import Hit

MAX_SENTENCES = 3
RELEVANCE_RATIO = 0.6  # a further sentence is added only if it scores at least this share of the best
_ASKS_FIGURE = re.compile(r"多少|几[个项家年次]|比例|比重|占比|增长|增速|规模|金额|哪一?年|哪天|何时|什么时候|目标")
_CLAUSE = re.compile(r"[^,,、::]+[,,、::]*")
_QUESTION_WORD = re.compile(r"哪|什么|多少|怎|如何|是否|请问|概括|介绍|各自|分别")
MIN_UNIT_CHARS = 8  # shorter lines are headings and bylines ("中共乐山市委"), not answers


@dataclass(frozen=True)
class _Candidate:
    chunk: Chunk
    rank: int
    start: int  # span in chunk.text
    end: int
    score: float

    @property
    def length(self) -> int:
        return self.end - self.start


def extractive_answer(
    question: str, hits: Sequence[Hit], max_chars: int = 150, original_texts: Mapping[str, str] | None = None
) -> CheckedAnswer:
    """Up to MAX_SENTENCES quoted sentences (about max_chars in all) with [n] markers and citations.

    An empty answer (no citations) means no retrieved sentence shares anything with the question.
    Pass `original_texts` (doc_id → decoded file text) for exact offsets where chunk text was repaired.
    """
    asked = facts(normalize_query(question))
    asked = Facts(asked.figures, asked.terms, {word: weight for word, weight in asked.words.items()
                                               if not _QUESTION_WORD.search(word)})
    wants_figure = bool(_ASKS_FIGURE.search(question))
    candidates = sorted(
        (
            _Candidate(hit.chunk, rank, start, end, _score(asked, wants_figure, hit.chunk, rank, start, end))
            for rank, hit in enumerate(hits)
            for start, end in _units(hit.chunk.text, max_chars)
        ),
        key=lambda candidate: candidate.score,
        reverse=True,
    )
    chosen = _choose(candidates, _named_places(question, hits), max_chars)
    return _render(chosen, original_texts or {})


def _units(text: str, max_chars: int) -> list[tuple[int, int]]:
    """The sentences of a chunk; a sentence over the budget gives its runs of clauses that fit instead."""
    units = []
    for start, end in sentence_spans(text):
        if end - start < MIN_UNIT_CHARS:
            continue
        if end - start <= max_chars:
            units.append((start, end))
            continue
        clauses = [(start + match.start(), start + match.end()) for match in _CLAUSE.finditer(text[start:end])]
        for first in range(len(clauses)):
            last = first
            while last + 1 < len(clauses) and clauses[last + 1][1] - clauses[first][0] <= max_chars:
                last += 1
            end_of_run = clauses[first][0] + len(text[clauses[first][0] : clauses[last][1]].rstrip(",,、::"))
            units.append((clauses[first][0], end_of_run))
    return units


def _score(asked: Facts, wants_figure: bool, chunk: Chunk, rank: int, start: int, end: int) -> float:
    sentence = fold(chunk.text[start:end])
    held_figures = figures(sentence)
    whereabouts = fold(" ".join([chunk.section, chunk.meta.title, chunk.meta.region]))
    if sentence in whereabouts:
        return 0.0  # the heading line itself: the citation shows it anyway
    rest = {word: weight for word, weight in asked.words.items() if word not in whereabouts}
    score = coverage(rest, sentence) + 0.3 * coverage(asked.words, whereabouts)
    if asked.figures:
        score += 0.5 * len(asked.figures & held_figures) / len(asked.figures)
    if wants_figure and held_figures:
        score += 0.2
    if asked.terms:
        score += 0.3 * sum(term in sentence + whereabouts for term in asked.terms) / len(asked.terms)
    return score + 0.2 / (rank + 1)


def _named_places(question: str, hits: Sequence[Hit]) -> list[str]:
    """The regions of the retrieved documents the question names, by full or short name (乐山市 / 乐山)."""
    regions = dict.fromkeys(hit.chunk.meta.region for hit in hits if hit.chunk.meta.region)
    return [region for region in regions if re.sub(r"(省|市|县|区)$", "", region) in question]


def _choose(candidates: list[_Candidate], places: list[str], max_chars: int) -> list[_Candidate]:
    if not candidates or candidates[0].score <= 0.2:  # nothing but the rank prior: no sentence answers
        return []
    chosen: list[_Candidate] = []
    if len(places) >= 2:  # one sentence per named place, each the best of its place
        for place in places:
            best = next((candidate for candidate in candidates if candidate.chunk.meta.region == place), None)
            if best is not None:
                chosen.append(best)
    floor = RELEVANCE_RATIO * candidates[0].score
    for candidate in candidates:
        if len(chosen) >= MAX_SENTENCES or candidate.score < floor:
            break
        fits = sum(other.length for other in chosen) + candidate.length <= max_chars
        if (fits or not chosen) and not any(_overlaps(candidate, other) for other in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda candidate: (candidate.rank, candidate.start))


def _overlaps(one: _Candidate, other: _Candidate) -> bool:
    """The same words of the same document: chunks may overlap, and cut a sentence at their edge."""
    if one.chunk.doc_id != other.chunk.doc_id:
        return False
    if one.chunk.chunk_id == other.chunk.chunk_id:
        return one.start < other.end and other.start < one.end
    one_text, other_text = fold(one.chunk.text[one.start : one.end]), fold(other.chunk.text[other.start : other.end])
    return one_text in other_text or other_text in one_text


def _render(chosen: list[_Candidate], original_texts: Mapping[str, str]) -> CheckedAnswer:
    """Each quote on its own line, led by its place so a multi-document answer says which is which."""
    markers: dict[str, int] = {}
    lines, citations = [], []
    for candidate in chosen:
        chunk = candidate.chunk
        marker = markers.setdefault(chunk.chunk_id, len(markers) + 1)
        quote = chunk.text[candidate.start : candidate.end]
        label = chunk.meta.region or chunk.meta.title
        lines.append(f"{label}:{with_markers(quote, [marker])}" if label else with_markers(quote, [marker]))
        citations.append(cite(marker, chunk, candidate.start, candidate.end, original_texts.get(chunk.doc_id)))
    return CheckedAnswer(text="\n".join(lines), citations=citations)
