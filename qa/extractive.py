"""The answer without an LLM, and the fallback when the LLM fails: the source sentences that best
answer the question, quoted verbatim and cited, so nothing in it can be invented.

Each sentence of the retrieved chunks offers one quote: the tightest run of its clauses that holds
what it has for the question. A quote scores by how well its document and section headings match the
question, the share of the rest of the question's words it holds (IDF-weighted), the question's
figures and years it holds, whether it has figures when the question asks for one (多少, 哪一年), and
its chunk's rank. A question naming places is answered from those places' documents, and one naming
several (乐山和南充) gets the best quote of each place first.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from corpus.model import Chunk
from corpus.normalize import normalize_query
from corpus.sentences import sentence_spans
from qa.citations import (
    CLAUSE_MARKS, ENDERS, CheckedAnswer, Facts, cite, coverage, facts, figures, fold, with_markers,
)
from vectorstore.hits import Hit

MAX_QUOTES = 5  # short clause runs (a list's items) may be more than three; the budget keeps the answer short
RELEVANCE_RATIO = 0.7  # a further quote is added only if it scores at least this share of the best
MIN_UNIT_CHARS = 8  # shorter lines are headings and bylines ("中共乐山市委"), shorter runs fragments ("到2025年")
SECTION_ON_TOPIC = 0.5  # a sentence holding no word of the question still answers when its headings match this well
_ASKS_FIGURE = re.compile(r"多少|几[个项家年次]|比例|比重|占比|增长|增速|规模|金额|哪一?年|哪天|何时|什么时候|目标")
_QUESTION_WORD = re.compile(r"哪|什么|多少|怎|如何|是否|请问|概括|介绍|各自|分别")
_CLAUSE_END = CLAUSE_MARKS.replace("、", "")  # 、 stays inside a clause: it joins the items of one list
_CLAUSE = re.compile(rf"[^{_CLAUSE_END}]+[{_CLAUSE_END}]*")


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


@dataclass(frozen=True)
class _Asked:
    facts: Facts  # of the question, question words (哪些, 多少) left out
    wants_figure: bool


def extractive_answer(
    question: str, hits: Sequence[Hit], max_chars: int = 150, original_texts: Mapping[str, str] | None = None
) -> CheckedAnswer:
    """A few verbatim quotes (about max_chars in all, at most MAX_QUOTES) with [n] markers and citations.

    An empty answer (no citations) means no retrieved sentence shares anything with the question.
    Pass `original_texts` (doc_id → decoded file text) for exact offsets where chunk text was repaired.
    """
    question_facts = facts(normalize_query(question))
    asked = _Asked(
        Facts(question_facts.figures, question_facts.terms,
              {word: weight for word, weight in question_facts.words.items() if not _QUESTION_WORD.search(word)}),
        wants_figure=bool(_ASKS_FIGURE.search(question)),
    )
    candidates = [unit for rank, hit in enumerate(hits) for unit in _units(asked, hit.chunk, rank, max_chars)]
    places = _named_places(question, hits)
    if any(candidate.chunk.meta.region in places for candidate in candidates):
        # 南充……有哪些: the province's or another city's similar wording does not answer it
        candidates = [candidate for candidate in candidates if candidate.chunk.meta.region in places]
    candidates.sort(key=lambda candidate: candidate.score, reverse=True)
    return _render(_choose(candidates, places, max_chars), original_texts or {})


def _units(asked: _Asked, chunk: Chunk, rank: int, max_chars: int) -> Iterator[_Candidate]:
    """One quote candidate per sentence of the chunk: the tightest run of its clauses that holds all the
    sentence can offer the question (the whole sentence when it offers nothing but its section)."""
    whereabouts = fold(" ".join([chunk.section, chunk.meta.title, chunk.meta.region]))
    # what the headings already match says nothing about which sentence of the section answers
    rest = Facts(
        asked.facts.figures,
        frozenset(term for term in asked.facts.terms if term not in whereabouts),
        {word: weight for word, weight in asked.facts.words.items() if word not in whereabouts},
    )
    section_on_topic = coverage(asked.facts.words, whereabouts) >= SECTION_ON_TOPIC
    context_score = 0.3 * coverage(asked.facts.words, whereabouts) + 0.2 / (rank + 1)
    if asked.facts.terms:
        context_score += 0.3 * sum(term in whereabouts for term in asked.facts.terms) / len(asked.facts.terms)
    for sentence_start, sentence_end in sentence_spans(chunk.text):
        sentence = chunk.text[sentence_start:sentence_end]
        if len(sentence) < MIN_UNIT_CHARS or fold(sentence).rstrip(ENDERS) in whereabouts:
            continue  # a heading line: the citation shows the section anyway
        clauses = [(sentence_start + run.start(), sentence_start + run.end()) for run in _CLAUSE.finditer(sentence)]
        folded = [fold(chunk.text[start:end]) for start, end in clauses]
        held = [figures(text) for text in folded]
        best: tuple[tuple[float, int], int, int, bool] | None = None
        for first in range(len(clauses)):
            for last in range(first, len(clauses)):
                start, end = clauses[first][0], _trim(chunk.text, clauses[first][0], clauses[last][1])
                if end - start > max_chars:
                    break
                if end - start < MIN_UNIT_CHARS:
                    continue
                text, window_figures = "".join(folded[first : last + 1]), set().union(*held[first : last + 1])
                score, holds = _window_score(rest, asked.wants_figure, text, window_figures)
                offers = holds or (asked.wants_figure and bool(window_figures))
                # equal scores: the shortest run that holds the answer, or the whole sentence if it holds none
                key = (round(score, 9), -(end - start) if offers else end - start)
                if best is None or key > best[0]:
                    best = (key, start, end, holds)
        if best is not None and (best[3] or section_on_topic):  # else it shares nothing with the question
            yield _Candidate(chunk, rank, best[1], best[2], best[0][0] + context_score)


def _trim(text: str, start: int, end: int) -> int:
    """End of a clause run without its trailing comma or colon."""
    return start + len(text[start:end].rstrip(_CLAUSE_END))


def _window_score(rest: Facts, wants_figure: bool, text: str, held: set[str]) -> tuple[float, bool]:
    """(score, whether the text holds a word, figure or term of the question) for one run of clauses;
    `rest` is the question less what the chunk's headings already match."""
    score = coverage(rest.words, text)
    holds = any(word in text for word in rest.words)
    if rest.figures:
        shared = len(rest.figures & held)
        score += 0.5 * shared / len(rest.figures)
        holds = holds or shared > 0
    if wants_figure and held:
        score += 0.4
    if rest.terms:
        named = sum(term in text for term in rest.terms)
        score += 0.3 * named / len(rest.terms)
        holds = holds or named > 0
    return score, holds


def _named_places(question: str, hits: Sequence[Hit]) -> list[str]:
    """The regions of the retrieved documents the question names, by full or short name (乐山市 / 乐山)."""
    regions = dict.fromkeys(hit.chunk.meta.region for hit in hits if hit.chunk.meta.region)
    return [region for region in regions if re.sub(r"(省|市|县|区)$", "", region) in question]


def _choose(candidates: list[_Candidate], places: list[str], max_chars: int) -> list[_Candidate]:
    if not candidates:
        return []
    chosen: list[_Candidate] = []
    if len(places) >= 2:  # one sentence per named place, each the best of its place
        for place in places:
            best = next((candidate for candidate in candidates if candidate.chunk.meta.region == place), None)
            if best is not None:
                chosen.append(best)
    floor = RELEVANCE_RATIO * candidates[0].score
    for candidate in candidates:
        if len(chosen) >= MAX_QUOTES or candidate.score < floor:
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
