"""Can the retrieved passages answer the question? Decided from what it asks, before any model is asked.

A passage answers an ask when one of its sentences is about the ask's subject and holds an answer of the
kind asked: a figure in the unit asked for a count, a date for 何时, an organisation for 由谁负责. Each
sentence of the retrieved chunks is scored by a logistic model over what can be measured without knowing the
wording in advance (FEATURES): how much of the subject its words and character pairs hold (with and without
its headings), how close the sentence encoder puts it to the question (paraphrase: 经济规模 / 经济总量), its
rank, whether it holds a value of the kind asked, the counted thing beside it, the years, figures and places
the question names. An ask is answerable when its best sentence's probability reaches the threshold.

The weights and the threshold are not set by hand: benchmarks/fit_answerability.py fits them on the tune
split of the evaluation set and writes qa/fitted_parameters.toml, which this module reads.

Small local models invent a figure when the context lacks one, which is why this is decided first.
"""
from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import jieba.posseg

from corpus.sentences import sentence_spans
from qa import lexicon
from qa.citations import figures, fold
from qa.question import (AMOUNT, BODY, COUNT, DATE, DURATION, PERCENT, PERSON, PLACE, QUANTITIES, Question,
                         names_title, shortened_title)
from vectorstore.hits import Hit

PARAMETERS = Path(__file__).with_name("fitted_parameters.toml")
BESIDE_CHARS = 12  # about one clause: 培育数字产业龙头企业10家以上
# (question, sentences) → the sentence encoder's cosine similarity of each sentence to the question
Similarity = Callable[[str, Sequence[str]], Sequence[float]]
FEATURES = ("subject", "subject_in_sentence", "pairs", "dense", "rank", "kind_value", "counted", "years",
            "figures", "unknown_places", "heading", "named_document", "actions", "subject_in_section", "qualified", "beside_value", "target")

# a number, not an ordinal (第十九条) nor the article 一 (一批, 一个): 两个 and 十二个 count, 一个 does not
_N = r"(?<![第零一二两三四五六七八九十百千万亿\d.])(?:\d+(?:\.\d+)?|[零二两三四五六七八九十百千万亿][零一二两三四五六七八九十百千万亿]*|一[零一二两三四五六七八九十百千万亿]+)"
_VALUE = {
    DATE: re.compile(r"\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{4}年(?:底|前|末|起|以前|之前)?|[上下]半年|年底|年初|年末"
                     r"|季度|月底|月初"),
    # 十五个工作日 is a time, not a count; 九千六百多万名: 万 and 多 may stand before the unit
    COUNT: re.compile(rf"{_N}(?:余|多)?(?:万|亿)?(?:余|多)?[{lexicon.COUNT_UNITS}](?!{lexicon.TIME_SPAN_UNITS})"),
    AMOUNT: re.compile(rf"{_N}(?:余|多)?(?:万亿|亿|万|千)?(?:{lexicon.AMOUNT_UNITS})", re.IGNORECASE),
    PERCENT: re.compile(rf"\d+(?:\.\d+)?%|百分之|{_N}成|分之|个百分点|{_N}倍"),
    DURATION: re.compile(rf"(?<!\d)(?:\d{{1,3}}|[一二两三四五六七八九十百]+)(?:{lexicon.TIME_SPAN_UNITS})"),
}
# the word an organisation's name ends in (市工业和信息化主管部门, 人民政府): the body is the noun phrase it closes
_BODY_HEAD = re.compile(r"部门|委员会|厅|局|办公室|政府|人民代表大会|中心|海关|机构|单位|协会|银行|公司|小组|组织|法院|检察院")
_NOUN_TAGS = re.compile(r"^(n|j|b|vn)")


@dataclass(frozen=True)
class Evidence:
    """One sentence of a retrieved chunk, scored for one ask."""

    hit: Hit
    rank: int
    start: int  # span of the sentence in hit.chunk.text
    end: int
    features: tuple[float, ...]
    probability: float

    @property
    def text(self) -> str:
        return self.hit.chunk.text[self.start : self.end]


@dataclass(frozen=True)
class Verdict:
    """Whether the passages answer one ask, and its best sentences, most probable first."""

    ask: Question
    answerable: bool
    evidence: tuple[Evidence, ...]

    @property
    def best(self) -> Evidence | None:
        """The most probable sentence: the answer when the ask is answerable, else the nearest statement."""
        return self.evidence[0] if self.evidence else None


@dataclass(frozen=True)
class Parameters:
    weights: tuple[float, ...]
    bias: float
    threshold: float


@cache
def parameters(path: Path = PARAMETERS) -> Parameters:
    table = tomllib.loads(path.read_text(encoding="utf-8"))["answerability"]
    if tuple(table["features"]) != FEATURES:
        raise ValueError(f"{path} was fitted on other features ({table['features']}); run {table['script']}")
    return Parameters(tuple(table["weights"]), table["bias"], table["threshold"])


def judge(question: Question, hits: Sequence[Hit], similarity: Similarity | None = None,
          fitted: Parameters | None = None) -> list[Verdict]:
    """One verdict per ask of the question (its parts, or itself); without `similarity` the dense feature is 0."""
    fitted = fitted or parameters()
    verdicts = []
    for ask in question.asks():
        scored = sorted((Evidence(hit, rank, start, end, values, probability(values, fitted))
                         for rank, hit, start, end, values in candidates(ask, hits, similarity)),
                        key=lambda evidence: evidence.probability, reverse=True)
        best = next((evidence for evidence in scored if can_answer(evidence.features)), None)
        answerable = best is not None and best.probability >= fitted.threshold and _checkable(ask)
        verdicts.append(Verdict(ask, answerable, tuple(scored)))
    return verdicts


def can_answer(values: Sequence[float]) -> bool:
    """A sentence can answer only when it holds a value of the kind asked (a count for 几家, a date for 何时) and
    shares something of what is asked, a word or a character pair in it or its headings: the two rules not left
    to the weights, for a sentence naming the subject in full is no answer without the value, and one sharing
    nothing ("'; DROP TABLE chunks; --") is no answer however close the encoder puts it."""
    shares = values[FEATURES.index("subject")] > 0 or values[FEATURES.index("pairs")] > 0
    return values[FEATURES.index("kind_value")] == 1.0 and shares


def probability(values: Sequence[float], fitted: Parameters) -> float:
    margin = fitted.bias + sum(weight * value for weight, value in zip(fitted.weights, values))
    return 1 / (1 + math.exp(-margin))


def candidates(ask: Question, hits: Sequence[Hit], similarity: Similarity | None = None):
    """(rank, hit, start, end, feature values) for every sentence of the hits from the places the ask names."""
    sentences = []
    # hits are read together per top-level section of a document, as a reader would: who a person is and what he
    # invested may stand in two neighbouring passages of one article
    sections: dict[tuple[str, tuple[str, ...]], str] = {}
    for hit in hits:
        key = (hit.chunk.doc_id, hit.chunk.section_path[:1])
        sections[key] = sections.get(key, fold(hit.chunk.meta.title)) + fold(hit.chunk.section + hit.chunk.text)
    allowed = {id(hit) for hit in within_asked(ask, hits)}
    for rank, hit in enumerate(hits):
        chunk = hit.chunk
        if id(hit) not in allowed:
            continue
        headings = fold(" ".join([*chunk.section_path, chunk.meta.title]))
        whole = headings + fold(chunk.text)
        for start, end in sentence_spans(chunk.text):
            if len(fold(chunk.text[start:end])) >= 4:
                sentences.append((rank, hit, start, end, headings, whole))
    around = {id(hit): sections[(hit.chunk.doc_id, hit.chunk.section_path[:1])] for hit in hits}
    asked = _beyond_titles(ask, {hit.chunk.meta.title for hit in hits if hit.chunk.doc_id in ask.documents})
    dense = (similarity(ask.normalized, [hit.chunk.text[start:end] for _, hit, start, end, _, _ in sentences])
             if similarity and sentences else [0.0] * len(sentences))
    for (rank, hit, start, end, headings, whole), closeness in zip(sentences, dense):
        sentence = fold(hit.chunk.text[start:end])
        yield rank, hit, start, end, features(asked, rank, headings, whole, sentence, float(closeness), hit.chunk.doc_id,
                                              around[id(hit)])


def _beyond_titles(ask: Question, titles: set[str]) -> Question:
    """The ask less the words of the titles (whole or shortened) of the documents it names: they name documents, not
    what is asked of them; "上海科创中心建设条例啥时候施行" asks 施行 of it, which 本条例自……起施行 answers without
    repeating 科创中心建设, and "山东新旧动能条例和重庆营商环境条例" ask nothing about 新旧动能 of 重庆's."""
    named = [fold(title + shortened_title(title)) for title in sorted(titles)]
    return replace(ask, subject={word: weight for word, weight in ask.subject.items()
                                 if not any(names_title(fold(word), title) for title in named)})


def within_asked(ask: Question, hits: Sequence[Hit]) -> list[Hit]:
    """The hits an ask may be answered from. A named document is answered from itself ("未来产业实施意见要求……" is
    not answered by 上海's 未来产业基金), a place named beside it from that place's documents, and a named place from
    its own (四川省 is not answered by 乐山's decision); passages of no known place stay."""
    named_regions = {hit.chunk.meta.region for hit in hits if hit.chunk.doc_id in ask.documents}

    def within(chunk) -> bool:
        if chunk.doc_id in ask.documents:
            return True
        if ask.documents and (chunk.meta.region in named_regions or chunk.meta.region not in ask.places):
            return False
        return not ask.places or not chunk.meta.region or chunk.meta.region in ask.places

    return [hit for hit in hits if within(hit.chunk)]


def features(ask: Question, rank: int, headings: str, whole: str, sentence: str, dense: float,
             doc_id: str = "", section: str = "") -> tuple[float, ...]:
    """The FEATURES of one sentence for one ask; `headings` and `whole` are its chunk's (folded), `dense` the
    sentence encoder's similarity of the sentence to the ask, `section` the retrieved text of its section."""
    subject = ask.subject
    asked_figures = ask.figures - ask.years
    held_figures = figures(whole)
    values = {
        "subject": loose_coverage(subject, headings + sentence),
        "subject_in_sentence": loose_coverage(subject, sentence),
        "pairs": _pair_share(_content(ask), headings + sentence),
        "dense": dense,
        "rank": 1 / (rank + 1),
        "kind_value": float(holds_value(ask, sentence)),
        "counted": loose_coverage({fold(ask.counted): 1.0}, headings + sentence) if ask.kind in QUANTITIES and ask.counted
        else loose_coverage(subject, sentence),
        "years": float(all(year in whole for year in ask.years)),
        "figures": sum(figure in held_figures for figure in asked_figures) / len(asked_figures) if asked_figures else 1.0,
        "unknown_places": (sum(fold(place) in whole for place in ask.unknown_places) / len(ask.unknown_places)
                           if ask.unknown_places else 1.0),
        "heading": loose_coverage(subject, headings),
        "named_document": float(not ask.documents or doc_id in ask.documents),
        "actions": loose_coverage(ask.actions, sentence),
        "subject_in_section": loose_coverage(subject, section or whole),
        "qualified": float(qualified(ask, sentence)),
        "beside_value": beside_value(ask, sentence),
        "target": float(not lexicon.ASKS_TARGET.search(ask.normalized) or bool(lexicon.STATES_TARGET.search(sentence))),
    }
    return tuple(values[name] for name in FEATURES)


def qualified(ask: Question, sentence: str) -> bool:
    """False when the sentence states a thing the question narrows without the qualifier: 经济总量 for 人均GDP, 低压供电
    for 高压供电, 后备企业 for 民营企业. The qualifier held in an equivalent (民企 for 民营企业) counts."""
    def held(word: str) -> bool:
        return any(variant in sentence for variant in lexicon.variants(word))
    return not any(held(head) and not held(qualifier) and not held(qualifier + head)
                   for qualifier, head in ask.qualifiers)


def loose_coverage(words: Mapping[str, float], passage: str) -> float:
    """IDF-weighted share of the words the passage holds; a word it does not hold whole earns the share of its
    character pairs it holds (documents reword: 新兴产业 / 新兴起的产业, 企业 / 公司)."""
    total = sum(words.values())
    if not total:
        return 1.0
    return sum(weight * max(_pair_share(variant, passage) for variant in lexicon.variants(word))
               for word, weight in words.items()) / total


def holds_value(ask: Question, sentence: str) -> bool:
    """The (folded) sentence holds a value of the kind asked that the question does not already name: "全市57家
    技术创新中心……具体是多少家" is not answered by the 57家 it quotes, nor "哪些单位" by 各单位; always true for
    kinds without one (a list, a summary, a fact)."""
    if ask.kind == PERSON:  # the post named whole (总书记 is not 市委书记), a person's name beside it
        return bool(ask.counted) and fold(ask.counted) in sentence and any(
            pair.flag.startswith("nr") for pair in jieba.posseg.cut(sentence))
    if ask.kind not in _VALUE and ask.kind not in (BODY, PLACE):
        return True
    return bool(value_spans(ask, sentence))


def value_spans(ask: Question, sentence: str) -> list[tuple[int, int]]:
    """Where the (folded) sentence states a value of the kind asked that the question does not state: a figure, a
    date, a body's or a place's name."""
    asked = fold(ask.normalized)
    if ask.kind in (BODY, PLACE):
        names = _bodies(sentence) if ask.kind == BODY else _places(sentence)
        if ask.kind == BODY and "谁" in asked:  # 由谁来做: a body or a person's name
            names += [pair.word for pair in jieba.posseg.cut(sentence) if pair.flag.startswith("nr") and len(pair.word) >= 2]
        return [(at, at + len(name)) for name in names if name not in asked for at in [sentence.find(name)] if at >= 0]
    if ask.kind in (AMOUNT, COUNT) and not ask.unit and lexicon.MONEY_WORDS.search(asked):
        # 投了多少钱: a sum in 元, not 12609公里
        kinds, units = (AMOUNT,), ("元",)
    elif ask.kind == AMOUNT and lexicon.AREA_WORDS.search(asked):  # 占地多大: 亩, 平方公里, not 千亿
        kinds, units = (AMOUNT,), lexicon.AREA_UNITS
    elif ask.kind == COUNT and not ask.unit:  # a bare 多少 is answered by any amount or count: 184.69亿元, 7.9万户;
        # a share only answers a change (增长了多少: 6.6%) or a share (比例 and 占比 are asked as percentages):
        # 50% is not a GDP
        kinds, units = tuple(QUANTITIES if lexicon.CHANGE_WORDS.search(ask.normalized) else QUANTITIES - {PERCENT}), ()
    else:
        kinds, units = (ask.kind,), ()
    count_units = _units_for(ask.unit) if ask.kind == COUNT else ""
    spans = []
    for kind in kinds:
        for match in _VALUE[kind].finditer(sentence):
            found = match.group()
            if units and not any(unit in found for unit in units) or count_units and found[-1] not in count_units:
                continue
            if _new_value(ask, asked, found):
                spans.append(match.span())
    return spans


def beside_value(ask: Question, sentence: str) -> float:
    """How much of what a value question is about stands beside a value of the kind asked (设立100亿元的未来产业基金,
    龙头企业10家), not elsewhere in a long sentence holding other figures: the subject's coverage within BESIDE_CHARS
    of the value, the best over its values. Other kinds: whether the sentence holds a value."""
    if ask.kind not in _VALUE:
        return float(holds_value(ask, sentence))
    return max((loose_coverage(ask.subject, sentence[max(0, start - BESIDE_CHARS) : end + BESIDE_CHARS])
                for start, end in value_spans(ask, sentence)), default=0.0)


def _units_for(unit: str) -> str:
    """The count units that answer one asked in `unit` (多少条 → 条, 项, 款, 件, …)."""
    return unit + "".join(group for group in lexicon.INTERCHANGEABLE_UNITS if unit and unit in group)


def _new_value(ask: Question, asked: str, found: str) -> bool:
    """A value the question does not state itself: its figures (2025年, 三个 → 3) or, without any, its words (上半年)."""
    held = figures(found)
    return not held <= ask.figures if held else found not in asked


def _bodies(sentence: str) -> list[str]:
    """The organisations a sentence names: each run of nouns closed by a body's head word (市工业和信息化主管部门 →
    信息化主管部门); a bare head word (各单位 → 单位) names none."""
    bodies, run = [], ""
    for pair in jieba.posseg.cut(sentence):
        if _NOUN_TAGS.match(pair.flag):
            run += pair.word
            if _BODY_HEAD.search(pair.word):
                bodies.append(run)
        else:
            run = ""
    # 各单位, 有关主管部门: a head word with no more than general modifiers names no body
    return [body for body in bodies if lexicon.GENERIC_BODY.sub("", _BODY_HEAD.sub("", body))]


def _places(sentence: str) -> list[str]:
    """The places a sentence names: words jieba tags as places, less the common nouns it also tags (城市, 地区)."""
    return [pair.word for pair in jieba.posseg.cut(sentence)
            if pair.flag == "ns" and len(pair.word) >= 2 and pair.word not in lexicon.PLACE_NOUNS]


def _content(ask: Question) -> str:
    """The question less its ask words, punctuation and the places it names: what a passage must echo."""
    text = fold(ask.normalized)
    for place in ask.places:
        text = text.replace(fold(place), "")
    return re.sub(r"[\W\d_]+", "", lexicon.QUESTION_WORD.sub("", text))


def _pair_share(phrase: str, text: str) -> float:
    pairs = [phrase[i : i + 2] for i in range(len(phrase) - 1)] or ([phrase] if phrase else [])
    if not pairs:
        return 1.0
    return sum(pair in text for pair in pairs) / len(pairs)


def _checkable(ask: Question) -> bool:
    """"🙂🙂🙂", "请问": nothing a passage could be checked against."""
    return bool(ask.subject or ask.figures or ask.quoted)
