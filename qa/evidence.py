"""Refusal: is there a retrieved passage that could answer the question at all?

Decided before any LLM is asked, because the small local models invent an answer when the context
does not hold one (asked for a figure the documents lack, they make one up). A passage can answer
when it comes from the place the question names, holds every year the question names, and holds most
of the question's information (IDF-weighted words, as the citation check weighs them).

The near misses this catches are the dangerous ones: "乐山到2025年经济总量" when the document sets
a 2027 target, "四川省……数字经济" when only a city's decision has the figure.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.normalize import normalize_query
from qa.citations import coverage, facts, fold
from vectorstore.hits import Hit

MIN_COVERAGE = 0.6  # tuned on the dev set's unanswerable and answerable items together
_YEAR = re.compile(r"(?:19|20)\d\d")
_QUESTION_WORDS = re.compile(r"哪|什么|多少|怎|如何|是否|请问|概括|介绍|各自|分别|提出|达到|要求")


def answerable(question: str, hits: Sequence[Hit], places: Sequence[str] = ()) -> bool:
    """True when some hit could answer `question`; `places` are the regions the question names."""
    asked = facts(normalize_query(question))
    years = {figure for figure in asked.figures if _YEAR.fullmatch(figure)}
    place_words = fold(" ".join(places))
    words = {
        word: weight for word, weight in asked.words.items()
        if not _QUESTION_WORDS.search(word) and word not in place_words
    }
    for hit in hits:
        chunk = hit.chunk
        if places and chunk.meta.region and chunk.meta.region not in places:
            continue
        passage = fold(" ".join([*chunk.section_path, chunk.meta.title, chunk.text]))
        if all(year in passage for year in years) and coverage(words, passage) >= MIN_COVERAGE:
            return True
    return False
