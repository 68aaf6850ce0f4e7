"""Two documents that give different figures for the same thing: the answer says so and cites both.

"The same thing" is read off the question: two sentences of documents about the same place, naming the same
years, each holding most of the question's words, with figures of the same unit that share no value
(3400亿元 in one, 1万亿元 in the other). The answer then ends in "两份文件表述不一致:《甲》为…[1],《乙》为…[2]。"
(every disagreeing document is named), and the reader sees all the sources instead of one figure picked silently.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import cn2an

from corpus.model import Chunk
from corpus.normalize import to_index_text
from corpus.sentences import sentence_spans
from qa.answer_types import Answer
from qa.citations import cite

NOTE = "文件表述不一致"  # after how many: "两份文件表述不一致", "三份文件表述不一致"
MIN_QUESTION_COVERAGE = 0.6  # share of the question's character pairs a sentence must hold to speak of its subject

_MULTIPLIERS = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}
_UNITS = "元|%|个|家|项|件|座|所|名|人|公里|亩|吨|千瓦|户|套|倍|台|辆|条|次"
_FIGURE = re.compile(rf"(?<![第\d.])(\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?({_UNITS})?")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
_ASKING = re.compile(r"多少|几[个项家]?|什么|哪些|哪个|怎样|如何|是否|分别|目标|设定|提出|达到|要求|规划|计划"
                     r"|[吗呢了的是为有在将和与及?!,.:;、\s]")


@dataclass(frozen=True)
class _Statement:
    chunk: Chunk
    start: int  # the sentence in chunk.text
    end: int
    years: frozenset[str]
    figures: dict[str, dict[float, str]]  # unit → value → the figure as written


def note_disagreement(answer: Answer, originals: Mapping[str, str]) -> None:
    """Append the note and the other document's citation to `answer` when its sources disagree on a figure."""
    if answer.refused or not answer.citations:
        return
    subject = _pairs(_ASKING.sub(" ", to_index_text(answer.question)))
    if not subject:
        return
    question_years = frozenset(_YEAR.findall(to_index_text(answer.question)))
    cited = {citation.chunk_id for citation in answer.citations}
    statements = [statement for hit in answer.retrieved for statement in _statements(hit.chunk, subject)
                  if question_years <= statement.years]
    for first in (statement for statement in statements if statement.chunk.chunk_id in cited):
        for unit in first.figures:
            others = _disagreeing(first, unit, statements)
            if others:
                _append_note(answer, (first, *others), unit, originals)
                return


def _disagreeing(first: _Statement, unit: str, statements: list[_Statement]) -> list[_Statement]:
    """One statement from each other document of the same place and years whose figures of `unit` share no
    value with the first's: all of them are named, so the reader sees every version, not just two."""
    others: dict[str, _Statement] = {}
    for other in statements:
        if (other.chunk.doc_id == first.chunk.doc_id or other.chunk.doc_id in others
                or other.years != first.years or other.chunk.meta.region != first.chunk.meta.region):
            continue
        if unit in other.figures and not first.figures[unit].keys() & other.figures[unit].keys():
            others[other.chunk.doc_id] = other
    return list(others.values())


def _statements(chunk: Chunk, subject: set[str]) -> list[_Statement]:
    statements = []
    for start, end in sentence_spans(chunk.text):
        sentence = to_index_text(chunk.text[start:end])
        if len(subject & _pairs(sentence)) < MIN_QUESTION_COVERAGE * len(subject):
            continue
        figures: dict[str, dict[float, str]] = {}
        for match in _FIGURE.finditer(_YEAR.sub(" ", sentence)):
            number, multiplier, unit = match.groups()
            if multiplier or unit:
                value = float(number) * _MULTIPLIERS.get(multiplier or "", 1)
                figures.setdefault(unit or "", {})[value] = match.group().replace(" ", "")
        if figures:
            statements.append(_Statement(chunk, start, end, frozenset(_YEAR.findall(sentence)), figures))
    return statements


def _append_note(answer: Answer, statements: tuple[_Statement, ...], unit: str,
                 originals: Mapping[str, str]) -> None:
    parts = []
    for statement in statements:
        chunk = statement.chunk
        marker = next((citation.marker for citation in answer.citations if citation.chunk_id == chunk.chunk_id
                       and citation.quote in chunk.text[statement.start:statement.end]), None)
        if marker is None:
            marker = max(citation.marker for citation in answer.citations) + 1
            answer.citations.append(cite(marker, chunk, statement.start, statement.end, originals.get(chunk.doc_id)))
        figures = "、".join(statement.figures[unit].values())
        parts.append(f"《{chunk.meta.title}》为{figures}[{marker}]")
    count = "两" if len(parts) == 2 else cn2an.an2cn(len(parts))
    answer.text = f"{answer.text.rstrip()}\n{count}份{NOTE}:{','.join(parts)}。"


def _pairs(text: str) -> set[str]:
    """The pairs of neighbouring characters of each run of Chinese characters, letters or digits."""
    return {run[i:i + 2] for run in re.findall(r"[\u4e00-\u9fffA-Za-z0-9]+", text) for i in range(len(run) - 1)}
