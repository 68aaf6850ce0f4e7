"""Refusal: is there a retrieved passage that could answer the question at all?

Decided before any LLM is asked, because the small local models invent an answer when the context
does not hold one (asked for a figure the documents lack, they make one up). A passage can answer
when
  * it comes from the place the question names (四川省 is not answered by 乐山's decision),
  * it holds every year the question names (a 2027 target does not answer "到2025年"),
  * it holds most of what the question is about: its content nouns, weighted by rarity (IDF),
    and, when the question asks for a quantity (多少, 几个, 比重), one of its sentences holds a
    figure beside the counted thing (几个……示范区: a sentence with 示范区 and a figure).
Verbs and question framing (设定, 打造, 方面, 哪份文件) are left out: documents phrase the same
measure with other verbs, and framing words are never in the answer.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

import jieba.analyse
import jieba.posseg

from corpus.model import Chunk
from corpus.normalize import normalize_query
from corpus.sentences import sentence_spans
from qa.citations import facts, figures, fold
from vectorstore.hits import Hit

MIN_COVERAGE = 0.75  # share of the question's noun weight a passage must hold
MIN_ANSWER_RELEVANCE = 0.15  # an answer sharing less of the question's nouns answers something else
_CONTENT_TAGS = re.compile(r"^(n|vn|an|j|l|b|eng)")  # nouns, noun-like verbs, abbreviations, idioms
_FRAMING = frozenset("方面 主要 目标 文件 份文件 材料 部分 内容 情况 举措 措施 哪些 表述".split())
_QUESTION_WORD = re.compile(r"哪|什么|多少|怎|如何|是否|请问|几")
_ASKS_QUANTITY = re.compile(r"多少|几[个项家件条次所座名类批倍]|比重|占比|百分之")
_COUNTED_AFTER = re.compile(r"(?:多少|几)[个项家件条次所座名类批倍种只]?([\u4e00-\u9fff]{2,20})")
_UNIT = re.compile(r"[万亿千百]*(元|人|吨|亩|斤|公里|平方公里|户|钱|美元|个百分点)")
_AFTER_FIGURE = re.compile(r"(\d+(?:\.\d+)?[年月日号%])")
_YEAR = re.compile(r"(?:19|20)\d\d")


@cache
def _idf() -> tuple[Mapping[str, float], float]:
    table = jieba.analyse.default_tfidf
    return table.idf_freq, table.median_idf


def _cut(text: str):
    """jieba glues a date's 年 to the next word (2026年算力 → 年算力): cut after figures first."""
    return jieba.posseg.cut(_AFTER_FIGURE.sub(r"\1 ", text))


def question_nouns(question: str, places: Sequence[str] = ()) -> dict[str, float]:
    """The question's content nouns with IDF weights, the named places left out (checked apart)."""
    idf, median = _idf()
    place_words = fold(" ".join(places))
    return {
        pair.word: idf.get(pair.word, median)
        for pair in _cut(fold(question))
        if len(pair.word) >= 2 and _CONTENT_TAGS.match(pair.flag)
        and pair.word not in _FRAMING and pair.word not in place_words
    }


def question_words(question: str, places: Sequence[str] = ()) -> dict[str, float]:
    """For a question with no content noun ("成都累计办结了多少件?"): its other words, verbs included."""
    place_words = fold(" ".join(places))
    return {word: weight for word, weight in facts(question).words.items()
            if not _QUESTION_WORD.search(word) and word not in _FRAMING and word not in place_words}


def answerable(question: str, hits: Sequence[Hit], places: Sequence[str] = ()) -> bool:
    """True when some retrieved section could answer `question`; `places` are the regions it names.

    Hits are read together per top-level section of a document, as a reader would: who a person is
    and what he invested may stand in two neighbouring passages of one article.
    """
    normalized = normalize_query(question)
    asked_figures = figures(fold(normalized))
    years = {figure for figure in asked_figures if _YEAR.fullmatch(figure)}
    nouns = question_nouns(normalized, places) or question_words(normalized, places)
    if not nouns and not asked_figures:
        return False  # "🙂🙂🙂", "请问": nothing a passage could be checked against
    quantity_of = fold(counted_thing(normalized, places)) if _ASKS_QUANTITY.search(normalized) else None
    sections: dict[tuple[str, str], list[Chunk]] = {}
    for hit in hits:
        chunk = hit.chunk
        if not (places and chunk.meta.region and chunk.meta.region not in places):
            sections.setdefault((chunk.doc_id, chunk.section_path[:1]), []).append(chunk)
    return any(_could_answer(chunks, nouns, years, quantity_of, asked_figures) for chunks in sections.values())


def loose_coverage(nouns: Mapping[str, float], passage: str) -> float:
    """IDF-weighted share of the nouns the passage holds; a noun it does not hold whole earns the share
    of its character pairs it holds (documents reword: 新兴产业 / 新兴起的产业, 企业 / 公司)."""
    total = sum(nouns.values())
    if not total:
        return 1.0
    held = 0.0
    for noun, weight in nouns.items():
        held += weight * _pair_share(noun, passage)
    return held / total


def counted_thing(question: str, places: Sequence[str] = ()) -> str:
    """What a quantity question counts, as worded: 几个国家级农业高新技术产业示范区 → 国家级农业高新技术产业示范区,
    比重达到多少 → 比重, 投资了多少钱 / 达到多少亿元 → the noun before (投资, 经济总量)."""
    after = _COUNTED_AFTER.search(question)
    if after and not _UNIT.fullmatch(after.group(1)):
        return after.group(1)
    words = [(pair.word, pair.flag) for pair in _cut(question)]
    at = next((i for i, (word, _) in enumerate(words) if _ASKS_QUANTITY.search(word) or word in "几多少"), len(words))
    if at < len(words) and _CONTENT_TAGS.match(words[at][1]) and len(words[at][0]) >= 2:
        return words[at][0]  # 比重, 占比: the quantity is the noun itself
    place_words = fold(" ".join(places))
    before = [word for word, flag in words[:at] if len(word) >= 2 and _CONTENT_TAGS.match(flag)
              and word not in _FRAMING and word not in place_words]
    return before[-1] if before else ""


def _pair_share(phrase: str, text: str) -> float:
    pairs = [phrase[i : i + 2] for i in range(len(phrase) - 1)] or [phrase]
    return sum(pair in text for pair in pairs) / len(pairs)


def _could_answer(chunks: Sequence[Chunk], nouns: Mapping[str, float], years: set[str], quantity_of: str | None,
                  asked_figures: set[str]) -> bool:
    context = fold(" ".join({part for chunk in chunks for part in (*chunk.section_path, chunk.meta.title)}))
    passage = context + "".join(fold(chunk.text) for chunk in chunks)
    if not all(year in passage for year in years) or loose_coverage(nouns, passage) < MIN_COVERAGE:
        return False
    if quantity_of is None:
        return True
    # a quantity question needs a figure in a sentence about the counted thing
    for chunk in chunks:
        for start, end in sentence_spans(chunk.text):
            sentence = fold(chunk.text[start:end])
            if figures(sentence) - asked_figures and _pair_share(quantity_of, fold(chunk.section) + sentence) >= MIN_COVERAGE:
                return True
    return False


def addresses(question: str, answer_text: str) -> bool:
    """Whether a (checked) answer speaks of what was asked: a model can quote true sentences of a source
    that answer another question ("加强经济和社会发展动态监测" for a question on 托底性帮扶)."""
    return loose_coverage(question_nouns(normalize_query(question)), fold(answer_text)) >= MIN_ANSWER_RELEVANCE
