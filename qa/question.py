"""A question, parsed once at the top of the flow: what it asks for, about what, where and when.

Retrieval (the search text, the places), answerability (the kind of answer and the subject a passage must
hold), the extractive step and the model step all read this record instead of re-reading the question.

The kind of answer is read from the question's ask words: 哪一年/何时 a date, 几家/多少个 a count in that unit,
多少亿元/多少钱 an amount, 比重/占比/百分之几 a percentage, 多长时间/几天 a duration, 谁/哪个部门 a body or
person, 哪里 a place, 有哪些 a list, 概括/主要讲了什么 a summary of a section, 是否/能不能/吗 yes or no,
什么是/怎么界定 a definition, a quoted phrase with 出自哪里 a lookup; anything else asks for a fact.
A question with two asks ("培育几家龙头企业?年产值门槛是多少?") has one part per ask.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache

import jieba.analyse
import jieba.posseg

from corpus.normalize import normalize_query
from qa import lexicon
from qa.citations import figures, fold
from qa.lookup import set_off_phrase
from qa.places import named_regions

DATE, COUNT, AMOUNT, PERCENT, DURATION = "date", "count", "amount", "percent", "duration"
BODY, PERSON, PLACE, LIST, SUMMARY, YESNO, DEFINITION, LOOKUP, FACT = (
    "body", "person", "place", "list", "summary", "yesno", "definition", "lookup", "fact")
QUANTITIES = frozenset({COUNT, AMOUNT, PERCENT, DURATION})  # kinds answered by a figure
VALUE_KINDS = QUANTITIES | {DATE}
SEVERAL = frozenset({LIST, SUMMARY})  # kinds answered by several items of a section
NAMING_PAIRS = 3  # a title is named by about three character pairs found in no other title (科创, 民营企业)
NAMED_SHARE_OF_BEST = 0.75  # "重庆营商环境条例和浙江民营企业条例": every title scoring near the best is named
MAX_NAME_CHARS = 12  # a quoted run longer than this is a sentence to look up, not a name
COMMON_PLACE_FREQ = 1000  # jieba's dictionary count of a place name people write (杭州 2806; 伦理, tagged ns, 596)

_U = lexicon.COUNT_UNITS
_KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (SUMMARY, re.compile(r"概括|总结|概述|简述|主要内容|主要讲|讲了什么|讲了哪些|写了什么|介绍了?哪几|从哪几|哪几方面|哪些方面"
                         r"|主要(?:规定|说|写|涉及)了?些?(?:什么|哪些|啥)|(?:讲|说|写)了些?啥|哪些要点"
                         r"|大意|核心(?:意思|内容)|要义|梳理|(?:怎么|如何)(?:规定|写|讲|说)的|讲了哪几|哪几块"
                         # a part of a document, then an open ask about it: 保障措施一章,大概讲了什么
                         r"|(?:章|节|段|部分|块)[^?]{0,12}(?:什么|啥|哪些|哪几)")),
    (DEFINITION, re.compile(r"什么是|是指什么|指的是什么|怎么界定|如何界定|怎样界定|定义|含义|是什么意思")),
    (PERCENT, re.compile(r"占[^,?]{0,8}(多少|几)|百分之几|百分之多少|比重|占比|比例|几成|多少成|增速|增幅|增长率|\w率[^,?]{0,6}(多少|几)|百分点|几倍|多少倍")),
    (DURATION, re.compile(r"多长时间|多久|几天|多少天|几个月|多少个月|(?:几|多少)个?工作日|几周|多少周|几年内|几个?小时"
                          r"|多少个?小时|期限")),
    (DATE, re.compile(r"哪一?年|哪天|哪一天|何时|什么时候|啥时候|几月|哪个月|日期|哪年")),
    (FACT, lexicon.NUMBER_NAMES),  # 热线是多少: a number as written, no count
    (AMOUNT, re.compile(rf"多少钱|多少(万|亿)?元|多少亿|多少万|多大|多少(?:{lexicon.AMOUNT_UNITS})|规模[^,?]{{0,4}}(多少|几)|金额[^,?]{{0,4}}(多少|几)|资金[^,?]{{0,4}}多少|总量[^,?]{{0,4}}多少")),
    (BODY, re.compile(r"哪[几一二两三四五六七八九十]*个?(部门|单位|机构)")),
    (PLACE, re.compile(r"哪[几一二两三四五六七八九十]*个?(城市|地方|[省市县镇乡])(?![级场民政委长])")),  # 哪几个城市: places
    (LIST, re.compile(r"哪[几一二两三四五六七八九十]+[个项类家种条大方]")),  # 哪几个基地, 哪六个方向: items, not a count
    (COUNT, re.compile(rf"(几|多少)[{_U}]|多少(?![{_U}])")),
    (BODY, re.compile(r"谁|哪个部门|哪些部门|哪些单位|哪个单位|哪个机构|哪些机构|哪家|由哪|什么部门|什么机构|什么单位")),
    (PLACE, re.compile(r"哪里|哪儿|什么地方|哪个地方|哪些地方|哪个区|哪些区|哪几个区|哪个城市|哪些城市|哪[个些][省市县镇乡](?![级场民政委长])")),
    (LIST, re.compile(r"哪些|哪几|有什么|包括什么|分别|各自|几大|几类")),
    (YESNO, re.compile(r"是否|能否|能不能|可不可以|可以[^,?]{0,12}吗|有没有|算不算|是不是|会不会|吗\s*\??$")),
)
_COUNT_UNIT = re.compile(rf"(?:几|多少)([{_U}])")
_COUNTED_AFTER = re.compile(rf"(?:多少|几)[{_U}]?([\u4e00-\u9fff]{{2,20}})")
_UNIT_WORD = re.compile(rf"[万亿千百]*({lexicon.AMOUNT_UNITS}|个百分点)")
_AFTER_FIGURE = re.compile(r"(\d+(?:\.\d+)?[年月日号%])")
_YEAR = re.compile(r"(?:19|20)\d\d")
_PART_BREAK = re.compile(r"(?<=[?;])(?=.)")  # 两问: "…几家?…多少?" or "…;…"
_QUOTED = re.compile(r"“([^“”]+)”|「([^「」]+)」|『([^『』]+)』|\"([^\"]+)\"")
_PUNCT = re.compile(r"[\s\W_]+")
_CLAUSE = re.compile(r"[,;:]")
_ITEMS_ASKED = re.compile(r"哪[零一二两三四五六七八九十百\d]+")
# 多长时间内, 多少天内: the ask for a time span with its 内, which jieba glues to the next word (内要, 天内确认)
_TIME_SPAN_ASK = re.compile(rf"(?:多长时间|多久|(?:几|多少)个?(?:{lexicon.TIME_SPAN_UNITS}))(?:以内|之内|内)?")


@dataclass(frozen=True)
class Question:
    text: str  # as asked
    normalized: str  # normalize_query(text): NFKC, simplified, numbers in digits
    kind: str  # one of the kinds above
    unit: str = ""  # the unit a count is asked in (家, 个, 项), "" when any
    subject: Mapping[str, float] = field(default_factory=dict)  # what it is about: content words, IDF-weighted
    actions: Mapping[str, float] = field(default_factory=dict)  # its verbs (施行, 办结), IDF-weighted
    counted: str = ""  # what a quantity question counts or measures, as worded (龙头企业, 比重)
    places: tuple[str, ...] = ()  # the knowledge base's regions it names
    unknown_places: tuple[str, ...] = ()  # places it names that no document of the knowledge base is from
    years: frozenset[str] = frozenset()
    figures: frozenset[str] = frozenset()  # every figure it names, years included
    parts: tuple[Question, ...] = ()  # the asks of a two-part question; () for one ask
    quoted: str = ""  # a phrase it quotes
    documents: tuple[str, ...] = ()  # doc_ids of the documents it names by their titles ("上海科创条例")
    qualifiers: tuple[tuple[str, str], ...] = ()  # (qualifier, the word it narrows): (人均, GDP), (高压, 供电)

    @property
    def search_text(self) -> str:
        """What retrieval searches for: the question with the equivalents of its terms (规上 → 规模以上, GDP → 地区生产总值)."""
        expansions = [other for group in lexicon.EQUIVALENTS for term in group if len(term) >= 2 and term in self.normalized
                      for other in group if other != term]
        return " ".join([self.normalized, *dict.fromkeys(expansions)])

    @property
    def asks_several(self) -> bool:
        return self.kind in SEVERAL

    @property
    def asks_value(self) -> bool:
        return self.kind in VALUE_KINDS

    def asks(self) -> tuple[Question, ...]:
        """Each ask of the question: its parts, or itself."""
        return self.parts or (self,)


def parse(text: str, aliases: Mapping[str, str] | None = None, titles: Mapping[str, str] | None = None,
          regions: Mapping[str, str] | None = None) -> Question:
    """The record of `text`; `aliases` maps the names people use for the knowledge base's regions to them,
    `titles` and `regions` the knowledge base's doc_ids to their titles and regions."""
    aliases = aliases or {}
    normalized = normalize_query(text)
    whole = _parse_ask(text, normalized, aliases)
    whole = replace(whole, documents=named_documents(normalized, titles or {}, whole.places, regions or {}))
    asks = [piece for piece in _PART_BREAK.split(normalized) if _asks_something(piece)]
    if len(asks) < 2:
        return whole
    parts = []
    for piece in asks:
        part = _parse_ask(piece, piece, aliases)
        # a later ask leans on the first for its place and year ("…到2025年培育几家?年产值门槛多少?")
        parts.append(_inherit(part, whole))
    return replace(whole, parts=tuple(parts))


def _asks_something(piece: str) -> bool:
    return bool(lexicon.QUESTION_WORD.search(piece)) and len(_PUNCT.sub("", piece)) >= 4


def _parse_ask(text: str, normalized: str, aliases: Mapping[str, str]) -> Question:
    places = tuple(named_regions(normalized, aliases))
    kind = _kind(normalized)
    unit_match = _COUNT_UNIT.search(normalized)
    # 哪两所, 哪六个: the number of items asked for is no figure a passage must hold
    asked_figures = frozenset(figures(fold(_ITEMS_ASKED.sub("哪", normalized))))
    place_words = fold(" ".join(places))
    quoted = next((next(g for g in match.groups() if g) for match in _QUOTED.finditer(normalized)), "")
    asked_about = _TIME_SPAN_ASK.sub(",", normalized)
    return Question(
        text=text, normalized=normalized, kind=kind,
        unit=unit_match.group(1) if unit_match and kind == COUNT else "",
        subject=subject_words(asked_about, places),
        actions=action_words(asked_about),
        counted=counted_thing(asked_about, places) if kind in QUANTITIES else _post(normalized) if kind == PERSON else "",
        places=places,
        unknown_places=tuple(place for place in _named_places(normalized)
                             if place not in place_words and not any(place in alias or alias in place
                                                                     for alias in aliases)),
        years=frozenset(figure for figure in asked_figures if _YEAR.fullmatch(figure)),
        figures=asked_figures,
        quoted=quoted,
        qualifiers=qualified_words(normalized),
    )


def _kind(normalized: str) -> str:
    if lexicon.LOOKUP_WORDS.search(normalized) and (lexicon.QUOTE_MARK.search(normalized) or set_off_phrase(normalized)):
        return LOOKUP
    unquoted = _QUOTED.sub("", normalized)  # a quoted name ("专精特新") is not an ask
    kind = _kind_of(unquoted)
    # "…提高了十一点六个百分点,那城镇人口增加了多少人?": the clause holding the ask says what is asked, when it
    # says more than a bare 多少 (…的比重,达到多少? is still a share)
    clause = next((piece for piece in reversed(_CLAUSE.split(unquoted)) if lexicon.QUESTION_WORD.search(piece)), "")
    # a summary asked of a part stays one ("跟破产有关的几条,核心内容梳理一下" asks no count)
    if clause and clause != unquoted and kind != SUMMARY:
        asked = _kind_of(clause)
        if asked not in (FACT, kind) and not (asked == COUNT and not _COUNT_UNIT.search(clause)):
            kind = asked
    return PERSON if kind == BODY and "谁" in unquoted and _post(unquoted) else kind


def _kind_of(text: str) -> str:
    return next((kind for kind, pattern in _KIND_PATTERNS if pattern.search(text)), FACT)


def _post(normalized: str) -> str:
    """The post a question asks the holder of, as worded (乐山市委书记 → 市委书记), or ""."""
    return next((pair.word for pair in _cut(normalized) if lexicon.JOB_TITLE.search(pair.word)), "")


def _inherit(part: Question, whole: Question) -> Question:
    return replace(part, places=part.places or whole.places, years=part.years or whole.years,
                 unknown_places=part.unknown_places or whole.unknown_places, documents=whole.documents)


@cache
def _idf() -> tuple[Mapping[str, float], float]:
    table = jieba.analyse.default_tfidf
    return table.idf_freq, table.median_idf


def _cut(text: str):
    """jieba glues a date's 年 to the next word (2026年算力 → 年算力): cut after figures first."""
    return jieba.posseg.cut(_AFTER_FIGURE.sub(r"\1 ", text))


def subject_words(normalized: str, places: Sequence[str] = ()) -> dict[str, float]:
    """What the question is about: its content words with IDF weights, less the places it names (checked apart),
    framing and question words; a question with no content noun ("累计办结了多少件?") keeps its other words."""
    idf, median = _idf()
    place_words = fold(" ".join(places))
    pairs = [pair for pair in _cut(fold(normalized)) if len(pair.word) >= 2 and re.search(r"[\u4e00-\u9fffA-Za-z]", pair.word)
             and pair.word not in lexicon.FRAMING and pair.word not in place_words
             and not lexicon.QUESTION_WORD.search(pair.word)]
    nouns = {pair.word: idf.get(pair.word, median) for pair in pairs if lexicon.CONTENT_TAGS.match(pair.flag)}
    nouns = nouns or {pair.word: idf.get(pair.word, median) for pair in pairs if pair.flag != "m"}
    # a term of official usage jieba cuts in two (经济|规模) is one word, so its equivalents (经济总量) count for it
    for term in _equivalent_terms(fold(normalized)):
        pieces = [word for word in nouns if word in term]
        if pieces:
            nouns[term] = sum(nouns.pop(word) for word in pieces)
    # a quoted name ("保障措施", “进万企”) is what the question is about, as one word standing for its pieces
    for match in _QUOTED.finditer(fold(normalized)):
        term = next(group for group in match.groups() if group)
        if len(term) <= MAX_NAME_CHARS:
            pieces = [word for word in nouns if word in term and word != term]
            nouns[term] = sum(nouns.pop(word) for word in pieces) if pieces else nouns.get(term, median)
    return nouns


def action_words(normalized: str) -> dict[str, float]:
    """The question's verbs (施行, 公示, 牵头): documents may word a measure with other verbs, so they are read apart
    from the subject, as one more sign a sentence speaks of what was asked."""
    idf, median = _idf()
    return {pair.word: idf.get(pair.word, median) for pair in _cut(fold(normalized))
            if pair.flag.startswith("v") and pair.flag != "vn" and len(pair.word) >= 2
            and pair.word not in lexicon.FRAMING and not lexicon.QUESTION_WORD.search(pair.word)}


def qualified_words(normalized: str) -> tuple[tuple[str, str], ...]:
    """Each qualifier of the question (lexicon.QUALIFIERS) with the word it narrows, the next word or the rest of
    its own word: 人均GDP → (人均, GDP), 高压供电 → (高压, 供电), 民营企业 → (民营, 企业)."""
    words = [pair.word for pair in _cut(fold(normalized))]
    found = []
    for index, word in enumerate(words):
        match = lexicon.QUALIFIERS.match(word)
        if not match:
            continue
        rest = word[match.end():]
        head = rest if len(rest) >= 2 else next((after for after in words[index + 1 : index + 2]
                                                 if len(after) >= 2 and not _PUNCT.fullmatch(after)), "")
        if head and not lexicon.QUESTION_WORD.search(head):
            found.append((match.group(), head))
    return tuple(dict.fromkeys(found))


def _equivalent_terms(folded: str) -> list[str]:
    return [term for group in lexicon.EQUIVALENTS for term in group if len(term) >= 2 and term in folded]


def counted_thing(normalized: str, places: Sequence[str] = ()) -> str:
    """What a quantity question counts, as worded: 几个国家级农业高新技术产业示范区 → 国家级农业高新技术产业示范区,
    比重达到多少 → 比重, 投资了多少钱 / 达到多少亿元 → the noun before (投资, 经济总量)."""
    counted = _counted_as_worded(normalized, places)
    # 经济规模……多大: the counted 规模 is part of a term whose equivalents the documents use (经济总量)
    return next((term for term in _equivalent_terms(fold(normalized)) if counted and counted in term), counted)


def _counted_as_worded(normalized: str, places: Sequence[str]) -> str:
    after = _COUNTED_AFTER.search(normalized)
    if after and not _UNIT_WORD.fullmatch(after.group(1)):
        return after.group(1)
    words = [(pair.word, pair.flag) for pair in _cut(normalized)]
    at = next((i for i, (word, _) in enumerate(words) if re.search(r"多少|几|百分之", word)), len(words))
    if at < len(words) and lexicon.CONTENT_TAGS.match(words[at][1]) and len(words[at][0]) >= 2:
        return words[at][0]  # 比重, 占比: the quantity is the noun itself
    place_words = fold(" ".join(places))
    before = [word for word, flag in words[:at] if len(word) >= 2 and lexicon.CONTENT_TAGS.match(flag)
              and word not in lexicon.FRAMING and word not in place_words]
    return before[-1] if before else ""


def _named_places(normalized: str) -> list[str]:
    """Places the question names: words jieba tags as places (ns) that carry an administrative suffix (湖北省,
    武汉市) or are common place names (武汉, 湖北); a rare ns word is as often a mistagged noun (伦理)."""
    return [pair.word for pair in jieba.posseg.cut(normalized) if pair.flag == "ns" and len(pair.word) >= 2
            and pair.word not in lexicon.PLACE_NOUNS  # 哪个城市 asks for a place, it names none
            and (lexicon.REGION_SUFFIX.search(pair.word) or jieba.dt.FREQ.get(pair.word, 0) >= COMMON_PLACE_FREQ)]


def named_documents(normalized: str, titles: Mapping[str, str], places: Sequence[str] = (),
                    regions: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The documents a question names by (a shortening of) their titles: "上海科创条例" names 上海市推进科技创新中心建设
    条例, "二十大报告" the report to the 第二十次全国代表大会 (lexicon.TITLE_SHORTENINGS). A title scores the rarity
    (log N/df over the titles) of each character pair of the question it holds; it is named when it holds at least
    NAMING_PAIRS pairs' worth of pairs no other title has, and scores near the best. A question naming places names
    no document of another place (`regions`: doc_id → region): "四川的人工智能专项" does not name 深圳's 人工智能条例."""
    regions = regions or {}
    titles = {doc_id: title for doc_id, title in titles.items()
              if not places or regions.get(doc_id, "") in ("", lexicon.NATIONAL, *places)}
    if not titles:
        return ()
    pairs = {doc_id: _title_pairs(title) | _title_pairs(shortened_title(title)) for doc_id, title in titles.items()}
    frequency: dict[str, int] = {}
    for held in pairs.values():
        for pair in held:
            frequency[pair] = frequency.get(pair, 0) + 1
    asked = _title_pairs(normalized)
    count = len(titles)
    scores = {doc_id: sum(math.log(count / frequency[pair]) for pair in asked & held) for doc_id, held in pairs.items()}
    best = max(scores.values())
    if best < NAMING_PAIRS * math.log(count):
        return ()
    return tuple(doc_id for doc_id, score in sorted(scores.items(), key=lambda item: -item[1])
                 if score >= NAMED_SHARE_OF_BEST * best)


def shortened_title(title: str) -> str:
    """The title as official Chinese shortens it (……第二十次全国代表大会上的报告 → ……二十大报告)."""
    for pattern, short in lexicon.TITLE_SHORTENINGS:
        title = pattern.sub(short, title)
    return title


def names_title(word: str, title: str) -> bool:
    """The (folded) word names the (folded) title, or part of it: it stands in it, or, of three characters or more,
    abbreviates it as official Chinese does, keeping some of its characters in order (自贸区 of 自由贸易试验区)."""
    if word in title:
        return True
    remaining = iter(title)  # each character is looked for after the one before it
    return len(word) >= 3 and all(character in remaining for character in word)


def _title_pairs(text: str) -> set[str]:
    chinese = "".join(re.findall(r"[\u4e00-\u9fff]+", fold(text)))
    return {chinese[i : i + 2] for i in range(len(chinese) - 1)}
