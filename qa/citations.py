"""Checking an answer against the numbered sources it was written from: THE place a citation is verified.

The LLM sees sources [1]..[n], one per retrieved chunk, and marks each claim with [n]. A claim (the
text up to its markers, or a sentence) is supported by a chunk when
  * every figure in it (30%, 2027年, 3400亿元, 1.54件, “1+6”, 六万亿) is a figure of the quote shown
    for it, compared as values, so 六万亿 and 6万亿 are the same figure;
  * every named entity (jieba ns/nt/nz/nr), quoted term (“嘉才计划”) and specific noun (jieba noun
    with IDF >= KEY_NOUN_IDF: 光伏, 量子, 氢能) stands in the quote shown for it or in its document's
    title, issuer, region or section path: the things a claim is about must all be there;
  * most of its information stands in the quote shown for it: the share of its words, weighted by
    how rare they are (jieba's IDF table), found there is at least MIN_COVERAGE (all of them for a
    claim of a few words). This is what rejects an invented measure that names no figure or entity.
A claim naming several places together without markers ("甲市、乙市都……") is cited to their sources only when each
source says all of it but the others' names: every figure and word (`_said_by_each`).
Everything is compared on `to_index_text`, so a traditional-script chunk supports a simplified claim.

Claims that fail are taken out of the displayed text and returned in `flagged`; connectives with
nothing to check ("具体如下:") pass without a citation.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

import cn2an
import jieba
import jieba.analyse
import jieba.posseg
from rapidfuzz.distance import Indel

from corpus.model import Chunk, DocumentMeta
from corpus.normalize import to_index_text
from corpus.sentences import ENDERS, sentence_spans
from qa.answer_types import Citation
from qa.lexicon import CLAIM_FRAMING

MIN_COVERAGE = 0.6  # share of a claim's information (IDF-weighted words) its quotes must hold
SHORT_CLAIM_WORDS = 3  # claims of at most this many words must have every word in their quotes
KEY_NOUN_IDF = 8.0  # a noun at least this rare (光伏, 量子, 氢能; not 产业, 建设) names what a claim is about
QUOTE_MAX_CHARS = 200  # a quote may join neighbouring sentences of the chunk up to this length

# Full-width forms are spelled as escapes: documents and model answers use both ，and , (and ；：（）).
CLAUSE_MARKS = ",\uff0c、:\uff1a"  # end a clause
_MARKER = re.compile(r"[\[【]\s*(\d+(?:\s*[,\uff0c、]\s*\d+)*)\s*[\]】]")
_CLAIM_PROSE = re.compile(rf"[^{ENDERS}:\uff1a\n]+[{ENDERS}:\uff1a\n]*|[{ENDERS}:\uff1a\n]+")
_CLAUSE_PROSE = re.compile(r"[^,\uff0c;\uff1b]+[,\uff0c;\uff1b]*")
_ITEM_PROSE = re.compile(r"[^、]+、*")
_AFTER_MARKER = re.compile(rf"[{ENDERS}{CLAUSE_MARKS}\s]*")  # closes the claim the marker ends
_TRAILING_PUNCT = re.compile(rf"[\s{ENDERS}{CLAUSE_MARKS}]+$")
_LIST_ENUMERATOR = re.compile(r"^\s*(?:\d{1,2}[.\uff0e、)\uff09](?!\d)|[(\uff08]\d{1,2}[)\uff09]|[-*•])\s*")

_ARABIC = re.compile(r"(\d+(?:\.\d+)?)(万亿|亿|万)?(%)?")
_FORMULA = re.compile(r"\d+(?:\+\d+)+")  # “1+6”: one programme name, not two figures
_CHINESE_RUN = re.compile(
    r"(百分之)?([零〇一二两三四五六七八九十百千万亿]+)(个?)([项家件条次届年月日天倍人户所座名类批期轮%]?)"
)
_FRACTION = re.compile(r"([二两三四五六七八九十]+|\d+)分之([一二两三四五六七八九十]+|\d+)")  # 四分之三: 75%
_MAGNITUDE = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8, "万亿": Decimal(10) ** 12}

_FOLD_TABLE = str.maketrans({"著": "着", "‘": "“", "「": "“", "『": "“", "’": "”", "」": "”", "』": "”"})
_QUOTED = re.compile(r"“([^“”]{2,40})”|\"([^\"]{2,40})\"|《([^《》]{2,60})》")  # on folded text
_ENTITY_TAGS = {"ns", "nt", "nz", "nr", "nrt", "nrfg"}


@dataclass
class CheckedAnswer:
    """An answer as it may be shown: cited prose, its citations, and what could not be verified."""

    text: str  # markers renumbered 1..m in order of first use; flagged claims are not in it
    citations: list[Citation] = field(default_factory=list)  # one per (marker, quote)
    flagged: list[str] = field(default_factory=list)  # claims no source supports, markers removed

    @property
    def supported(self) -> bool:
        """At least one claim of the answer is backed by a source."""
        return bool(self.citations)


# -- comparing text across scripts ---------------------------------------------------------------


def fold(text: str) -> str:
    """The form every comparison happens in: index text without whitespace, one kind of quote mark.

    t2s leaves 著 in 著力 while simplified documents write 着力, so 著 is folded too (as the eval does);
    the provincial decision writes “低端产业” where a question nests ‘低端产业’.
    """
    return re.sub(r"\s+", "", to_index_text(text)).translate(_FOLD_TABLE)


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    return fold(char)


def fold_keys(text: str) -> list[str]:
    """One folded key per character of `text` (possibly "" for whitespace), so positions carry over."""
    folded = to_index_text(text)
    # the usual case: NFKC and t2s changed characters one for one, and converting the whole text
    # uses t2s's phrase table; otherwise fall back to converting character by character
    return [_fold_char(char) for char in (folded if len(folded) == len(text) else text)]


def original_span(chunk: Chunk, start: int, end: int, original_text: str | None) -> tuple[int, int]:
    """Offsets in the original file of chunk.text[start:end].

    chunk.text differs from the original slice only where artefacts were repaired (e.g. the pinyin
    "(fā)" after 發), so the two are aligned on folded characters and the span carried across.
    Without the original text the chunk is taken to be verbatim.
    """
    if original_text is None:
        return chunk.start + start, chunk.start + end
    region = original_text[chunk.start : chunk.end]
    if region == chunk.text:
        return chunk.start + start, chunk.start + end
    opcodes = Indel.opcodes(fold_keys(chunk.text), fold_keys(region))
    return chunk.start + _carry(opcodes, start, is_end=False), chunk.start + _carry(opcodes, end, is_end=True)


def _carry(opcodes, position: int, *, is_end: bool) -> int:
    """Where a start position (or an exclusive end position) of the source lands in the destination."""
    char = position - 1 if is_end else position
    for op in opcodes:
        if op.tag == "insert" or not op.src_start <= char < op.src_end:
            continue
        if op.tag == "equal":
            return op.dest_start + (char - op.src_start) + (1 if is_end else 0)
        return op.dest_start  # a character the original lacks: keep the span tight around it
    return opcodes.dest_len if char >= opcodes.src_len else 0


# -- what a claim says that can be checked --------------------------------------------------------


def figures(text: str, *, bare: bool = False) -> set[str]:
    """The figures in a text as comparable values: {"2027", "340000000000", "30%", "1+6", ...}; a fraction
    (四分之三, 三分之一) is the percentage it stands for, so 四分之三 and 75% agree.

    A Chinese numeral counts when it is a quantity (十二届, 九次, 六万亿, 三天), not when it is part of a
    word (进一步, 千园, 五区共兴); a bare 一 (一批, 一次) is an article and is left out. With `bare`, a 百 or 千
    counting things (百项, 千家) or leading a magnitude (千亿) is the 100, 1000 or 10^11 it says.
    """
    folded = re.sub(r"(?<=\d),(?=\d{3})", "", fold(text))
    found = set(_FORMULA.findall(folded))
    for whole, part in _FRACTION.findall(folded):  # a share, as the percentage it is
        shares = [numeral_value(whole), numeral_value(part)]
        if None not in shares and shares[0]:
            found.add(_figure((shares[1] / shares[0] * 100).quantize(Decimal("0.01")), "%"))
    folded = _FRACTION.sub(" ", folded)
    for number, magnitude, percent in _ARABIC.findall(folded):
        found.add(_figure(Decimal(number) * _MAGNITUDE.get(magnitude, 1), percent))
    for per_hundred, run, classifier, unit in _CHINESE_RUN.findall(folded):
        is_quantity = per_hundred or len(run) > 1 or classifier or unit
        value = _chinese_value(run) if is_quantity else None
        # 百项, 千家, 千亿(立方米): 100, 1000, 10^11 of them
        if value is None and bare and run[0] in "百千" and (classifier or unit or len(run) > 1 and run[-1] in "万亿"):
            value = _chinese_value("一" + run)
        if value is not None and value != 1:
            found.add(_figure(value, "%" if per_hundred or unit == "%" else ""))
    return found


def numeral_value(numeral: str) -> Decimal | None:
    """The value of a numeral in Arabic or Chinese digits (12, 十二, 一百零一); None for one that is no number (百)."""
    return Decimal(numeral) if numeral.isdigit() else _chinese_value(numeral)


def _figure(value: Decimal, percent: str) -> str:
    return f"{value.normalize():f}{percent}"


def _chinese_value(run: str) -> Decimal | None:
    try:
        return Decimal(str(cn2an.cn2an(run, "smart")))
    except (ValueError, InvalidOperation, KeyError):
        return None  # 万亿 alone, 千万 used as an adverb: not a figure


@dataclass(frozen=True)
class Facts:
    """What a text says that can be checked against a source."""

    figures: frozenset[str]
    terms: frozenset[str]  # quoted terms, named entities and specific nouns: what the text is about
    words: Mapping[str, float]  # the words carrying its information, weighted by IDF (rarer weighs more)

    @property
    def checkable(self) -> bool:
        """Says something a source must back: only connectives ("具体如下:") say nothing."""
        return bool(self.figures or self.terms or self.words)

    @property
    def required_coverage(self) -> float:
        """In a claim of a few words every word is the claim ("量子计算产业" is not "量子科技产业")."""
        return 1.0 if len(self.words) <= SHORT_CLAIM_WORDS else MIN_COVERAGE


def facts(text: str) -> Facts:
    folded = fold(text)
    tagged = list(jieba.posseg.cut(folded))
    quoted = {next(group for group in match.groups() if group) for match in _QUOTED.finditer(folded)}
    idf, median = jieba.analyse.default_tfidf.idf_freq, jieba.analyse.default_tfidf.median_idf
    words = {
        pair.word: idf.get(pair.word, median)
        for pair in tagged
        if len(pair.word) >= 2 and pair.flag != "m"  # numerals are checked as figures
        and re.search(r"[\u4e00-\u9fff]", pair.word) and not _framing(pair.word)
    }
    # the things a claim is about must all be there; its verbs may be the writer's own (迈上 for 跨上)
    things = {
        pair.word for pair in tagged if pair.word in words
        and (pair.flag in _ENTITY_TAGS or _is_noun(pair.flag) and words[pair.word] >= KEY_NOUN_IDF)
    }
    return Facts(frozenset(figures(folded)), frozenset(quoted | things), words)


def _framing(word: str) -> bool:
    """A word an answer frames with: one of CLAIM_FRAMING, or one jieba keeps whole that is made of them (具体措施 is
    具体 + 措施, 主要任务 is 主要 + 任务)."""
    halves = [word[index : index + 2] for index in range(0, len(word), 2)]
    return word in CLAIM_FRAMING or len(halves) > 1 and all(half in CLAIM_FRAMING for half in halves)


def _is_noun(flag: str) -> bool:
    return flag.startswith("n") or flag in ("vn", "j")


def coverage(words: Mapping[str, float], evidence: str) -> float:
    """The IDF-weighted share of `words` found in the folded `evidence` (1.0 when there are none)."""
    total = sum(words.values())
    return sum(weight for word, weight in words.items() if word in evidence) / total if total else 1.0


@dataclass(frozen=True)
class _Claim:
    prose: str  # as written, markers removed
    markers: tuple[int, ...]
    facts: Facts


def _split_claims(answer_text: str) -> list[_Claim]:
    """A claim ends at its marker group, or at a sentence end or colon; "A[1],B[2]。" is two claims,
    and "五项:A、B" is two, so a count the source never states does not take the list down with it."""
    drafts: list[tuple[str, list[int]]] = []  # (prose, markers)
    pieces = _MARKER.split(answer_text)  # prose, marker group, prose, marker group, ...
    for index, piece in enumerate(pieces):
        if index % 2:
            if drafts:
                markers = drafts[-1][1]
                markers.extend(number for number in map(int, re.findall(r"\d+", piece)) if number not in markers)
            continue
        if drafts and drafts[-1][1]:  # punctuation right after a marker closes that claim
            lead = _AFTER_MARKER.match(piece).group()
            drafts[-1] = (drafts[-1][0] + lead, drafts[-1][1])
            piece = piece[len(lead) :]
        drafts.extend((prose, []) for prose in _CLAIM_PROSE.findall(piece))
    return [
        _Claim(prose, tuple(markers), facts(_LIST_ENUMERATOR.sub("", prose)))  # "1. 新能源汽车" is not the figure 1
        for prose, markers in drafts
        if prose.strip()
    ]


def _clauses(claim: _Claim) -> list[_Claim]:
    """The claim cut at its commas and semicolons (、 stays: it joins the items of one list)."""
    parts = [part for part in _CLAUSE_PROSE.findall(claim.prose) if part.strip(f" {CLAUSE_MARKS}{ENDERS}")]
    return [_Claim(part, claim.markers, facts(_LIST_ENUMERATOR.sub("", part))) for part in parts]


def _items(claim: _Claim, sources: Sequence[Chunk]) -> list[_Claim]:
    """The claim cut at its 、: the items of a list. Not when an item before the last says nothing but places of
    the sources ("甲市、乙市都……"): what follows is said of every place named, which no item alone says."""
    parts = [part for part in _ITEM_PROSE.findall(claim.prose) if part.strip(f" {CLAUSE_MARKS}{ENDERS}")]
    items = [_Claim(part, claim.markers, facts(_LIST_ENUMERATOR.sub("", part))) for part in parts]
    places = "".join(fold(chunk.meta.region + chunk.meta.issuer) for chunk in sources)
    if any(item.facts.terms and all(word in places for word in item.facts.terms | item.facts.words.keys())
           for item in items[:-1]):
        return []
    return items


# -- the check --------------------------------------------------------------------------------------


def check_answer(
    answer_text: str, sources: list[Chunk], original_texts: Mapping[str, str] | None = None
) -> CheckedAnswer:
    """Keep the claims the sources support, cite each with a verbatim quote, flag the rest.

    `sources` are the chunks in the order they were numbered for the model. Pass `original_texts`
    (doc_id → decoded file text) to get exact offsets where chunk text was repaired.
    """
    renumbered: dict[int, int] = {}  # source number → marker shown
    seen_quotes: set[tuple[int, int]] = set()
    text, citations, flagged = "", [], []
    claims = _split_claims(answer_text)
    while claims:
        claim = claims.pop(0)
        backing = _backing(claim, sources)
        clauses = _clauses(claim) if backing is None else []
        if len(clauses) > 1 and any(_backing(clause, sources) is not None for clause in clauses):
            # a model sentence may join facts that stand in different sentences ("养老方面打造A,慈善方面塑造B"):
            # judge its clauses one by one, so a true half is kept and only an invented half is flagged
            claims[:0] = clauses
            continue
        items = _items(claim, sources) if backing is None and len(clauses) <= 1 else []
        if len(items) > 1 and any(_backing(item, sources) is not None for item in items):
            # a list written without markers ("涉及A、B、C") may gather items of several quotes, more than any one
            # quote holds: each item is judged alone, by the same check, and an item no quote holds is flagged
            claims[:0] = items
            continue
        if backing is None:
            flagged.append(claim.prose.strip())
            if not text.endswith("\n"):
                text += claim.prose[len(claim.prose.rstrip()) :]  # keep its line break, so lists stay lists
            continue
        markers = [renumbered.setdefault(number, len(renumbered) + 1) for number, _ in backing]
        text += with_markers(claim.prose, markers)
        for (number, (start, end)), marker in zip(backing, markers, strict=True):
            if (marker, start) in seen_quotes:
                continue
            seen_quotes.add((marker, start))
            chunk = sources[number - 1]
            original = original_texts.get(chunk.doc_id) if original_texts else None
            citations.append(cite(marker, chunk, start, end, original))
    return CheckedAnswer(text=_close(text), citations=citations, flagged=flagged)


_Quote = tuple[int, tuple[int, int]]  # (1-based source number, span in that chunk's text)


def _backing(claim: _Claim, sources: Sequence[Chunk]) -> list[_Quote] | None:
    """The quotes that back the claim ([] for a connective with nothing to check), or None when nothing does."""
    if claim.markers:
        if any(not 1 <= marker <= len(sources) for marker in claim.markers):
            return None  # the model cited a source it was never given
        cited = _quotes_supporting(claim.facts, sources, claim.markers)
        if cited is not None:
            return cited
    elif not claim.facts.checkable:
        return []
    # Re-attribution: a claim whose figures and names stand in another source than the one it cites
    # is cited to that source, since the reader needs the passage that holds it, not the model's slip;
    # it passed the same check against that passage. A claim without a marker is placed the same way.
    candidates = [
        quotes for number in range(1, len(sources) + 1) if number not in claim.markers
        for quotes in [_quotes_supporting(claim.facts, sources, [number])] if quotes is not None
    ]
    if not candidates:
        return _said_by_each(claim.facts, sources)
    return max(candidates, key=lambda quotes: _quote_coverage(claim.facts, sources, quotes))


def _said_by_each(claim: Facts, sources: Sequence[Chunk]) -> list[_Quote] | None:
    """The quotes of the sources a claim names together ("甲市、乙市都……[1][2]" written without its markers), when
    each of them says the whole claim but the names of the others' places (their region or issuer): every figure
    and every word of it, those names aside, which the named source's own whereabouts then hold. None otherwise.

    Stricter than one source's check, which lets a paraphrase's own words pass: pooled, a figure or word could
    stand in either source, so here a figure one source gives is never said of another, and a comparison neither
    makes ("……做法相同") has words no source holds."""
    places = [fold(chunk.meta.region + chunk.meta.issuer) for chunk in sources]
    backing: list[_Quote] = []
    for number, chunk in enumerate(sources, start=1):
        own = _whereabouts(chunk, chunk.meta)[0]
        naming = {term for term in claim.terms if term not in own
                  and any(term in place for index, place in enumerate(places, start=1) if index != number)}
        rest = Facts(claim.figures, claim.terms - naming,
                     {word: weight for word, weight in claim.words.items() if word not in naming})
        span = _best_quote_span(rest, chunk)
        text, held = _quote_evidence(chunk, span)
        if naming and span and rest.figures <= held and all(word in text for word in rest.terms | rest.words.keys()):
            backing.append((number, span))
    pooled = "".join(_quote_evidence(sources[number - 1], span)[0] for number, span in backing)
    if len(backing) < 2 or not all(word in pooled for word in claim.terms | claim.words.keys()):
        return None
    return backing


def _quotes_supporting(claim: Facts, sources: Sequence[Chunk], numbers: Sequence[int]) -> list[_Quote] | None:
    """The best quote of each numbered source, if together they hold every figure and name of the claim
    and most of its information; None otherwise. [] when titles and sections alone hold it ("乐山:").

    The check is made on the quotes a reader will see (with their documents' titles and sections), not
    on whole chunks: a claim stitched from words scattered over a passage is not what the passage says.
    Several sources are pooled only when the model cited them together ("…[1][2]"), which is how it
    marks a claim drawn from two passages.
    """
    spans = {number: _best_quote_span(claim, sources[number - 1]) for number in numbers}
    evidence = [_quote_evidence(sources[number - 1], spans[number]) for number in numbers]
    pooled_text = "".join(text for text, _ in evidence)
    pooled_figures = frozenset().union(*(held for _, held in evidence))
    if not _holds(claim, pooled_text, pooled_figures):
        return None
    return [(number, span) for number, span in spans.items() if span]


def _holds(claim: Facts, evidence: str, held_figures: frozenset[str]) -> bool:
    """Every figure and name of the claim, and most of its information, are in the (folded) evidence."""
    return (
        claim.figures <= held_figures
        and all(term in evidence for term in claim.terms)
        and coverage(claim.words, evidence) >= claim.required_coverage
    )


def _quote_coverage(claim: Facts, sources: Sequence[Chunk], quotes: list[_Quote]) -> float:
    return coverage(claim.words, "".join(_quote_evidence(sources[number - 1], span)[0] for number, span in quotes))


def _quote_evidence(chunk: Chunk, span: tuple[int, int] | None) -> tuple[str, frozenset[str]]:
    """(folded text, figures) a quote vouches for: the quote plus where it stands."""
    place, place_figures = _whereabouts(chunk, chunk.meta)  # a Chunk's hash leaves its meta out
    if span is None:
        return place, place_figures
    quote = fold(chunk.text[span[0] : span[1]])
    return place + quote, place_figures | frozenset(figures(quote))


@lru_cache(maxsize=4096)
def _whereabouts(chunk: Chunk, meta: DocumentMeta) -> tuple[str, frozenset[str]]:
    """Title, issuer, region, date and section of a chunk, folded, with their figures."""
    text = fold(" ".join([meta.title, meta.issuer, meta.region, meta.date, chunk.section]))
    return text, frozenset(figures(text))


def with_markers(prose: str, markers: Sequence[int]) -> str:
    """Markers go before the claim's closing punctuation: "…台阶[1]。"."""
    if not markers:
        return prose
    body = _TRAILING_PUNCT.sub("", prose)
    return body + "".join(f"[{marker}]" for marker in markers) + prose[len(body) :]


def _close(text: str) -> str:
    """A dropped last claim can leave a dangling comma; end the text as a sentence instead."""
    stripped = text.strip()
    if stripped and stripped[-1] in CLAUSE_MARKS:
        return stripped[:-1] + "。"
    return stripped


def cite(marker: int, chunk: Chunk, start: int, end: int, original_text: str | None) -> Citation:
    file_start, file_end = original_span(chunk, start, end, original_text)
    return Citation(
        marker=marker, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, doc_title=chunk.meta.title,
        section=chunk.section, quote=chunk.text[start:end], start=file_start, end=file_end,
    )


# -- choosing the quote -----------------------------------------------------------------------------


class _Sentence(NamedTuple):
    start: int
    end: int
    folded: str
    figures: frozenset[str]


@lru_cache(maxsize=4096)
def _sentences(chunk: Chunk) -> tuple[_Sentence, ...]:
    return tuple(
        _Sentence(start, end, folded, frozenset(figures(folded)))
        for start, end in sentence_spans(chunk.text)
        for folded in [fold(chunk.text[start:end])]
    )


def _best_quote_span(claim: Facts, chunk: Chunk) -> tuple[int, int] | None:
    """The chunk sentence that best backs the claim, joined with neighbours while they add figures,
    terms or words the claim still misses and the quote stays short; None when no sentence shares
    anything with it. Figures and names the chunk's title or section already hold do not pick a sentence."""
    place, place_figures = _whereabouts(chunk, chunk.meta)
    wanted_figures = claim.figures - place_figures
    wanted_terms = {term for term in claim.terms if term not in place}
    sentences = _sentences(chunk)

    def joined(first: int, last: int) -> tuple[str, frozenset[str]]:
        run = sentences[first : last + 1]
        return place + "".join(sentence.folded for sentence in run), frozenset().union(*(s.figures for s in run))

    def score(first: int, last: int) -> float:
        text, held = joined(first, last)
        named = len(wanted_figures & held) + sum(term in text for term in wanted_terms)
        return named + coverage(claim.words, text) * bool(claim.words)

    ranked = sorted(range(len(sentences)), key=lambda index: score(index, index), reverse=True)
    if not ranked or score(ranked[0], ranked[0]) <= coverage(claim.words, place) * bool(claim.words):
        return None  # no sentence adds anything to what the title and section say
    first = last = ranked[0]
    while True:  # grow the quote by the neighbour that adds most, while it fits and something is missing
        text, held = joined(first, last)
        if _holds(claim, text, held | place_figures):
            break
        grown = [
            (score(start, end), start, end)
            for start, end in ((first - 1, last), (first, last + 1))
            if 0 <= start and end < len(sentences) and sentences[end].end - sentences[start].start <= QUOTE_MAX_CHARS
        ]
        best = max(grown, default=None)
        if best is None or best[0] <= score(first, last):
            break
        _, first, last = best
    return sentences[first].start, sentences[last].end
