""""Where is this sentence from?": find the documents and sections where a phrase stands.

Both sides are folded (qa.citations.fold: NFKC, traditional → simplified), so a simplified phrase
finds the traditional provincial decision; positions are carried back to the original file text,
whose artefacts (发(fā)展) the chunks no longer hold. Exact matches rank first and say so; a slight
paraphrase is found by fuzzy alignment (rapidfuzz partial_ratio) over the folded chunk texts.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from corpus.model import Chunk
from corpus.sentences import sentence_spans
from qa import lexicon
from qa.citations import CLAUSE_MARKS, ENDERS, fold, fold_keys, original_span
from qa.inputs import BadQuestion, validate_phrase

MIN_FUZZY_SCORE = 0.75  # share of the phrase matched in the best-aligned window; below this it is another sentence
MIN_FUZZY_CHARS = 12  # shorter phrases are looked up exactly: "建设世界一流大学" would match 建設世界一流的大科學
CONTEXT_CHARS = 80
# a sentence (or a clause run, see reworded_candidates) the sentence encoder puts this close to a phrase alignment could
# not place is its reworded source. Fitted by benchmarks/fit_lookup.py on the 9 tune lookup items alignment misses
# (sources at 0.555-0.904, the one nearest span that was not the source at 0.554), midway between the two
MIN_REWORDED_SIMILARITY = 0.5548

_QUOTED = re.compile(r"“([^“”]+)”|「([^「」]+)」|『([^『』]+)』|\"([^\"]+)\"|‘([^‘’]+)’")
_SOURCE_QUESTION = re.compile(
    r"(这句话|这段话|这句|这段|这一表述|这个表述|这种说法|这个说法|此话|此句)?(是|最早)?"
    r"(出自|出于|来自|源自|来源于|的出处|出处|在哪|见于).*$"
)
_CLAUSE_END = re.compile(r"[,，;；]")
_SET_OFF = re.compile(r"[:：]|——|—|--")
MIN_SET_OFF_CHARS = 8  # a phrase set off by a colon is a sentence of a document, not a word ("四川的目标:……")
_EDGE = rf"[\s“”「」『』\"'‘’{ENDERS}{CLAUSE_MARKS}]+"
_EDGE_PUNCT = re.compile(rf"^{_EDGE}|{_EDGE}$")


@dataclass(frozen=True)
class LookupMatch:
    chunk_id: str
    doc_id: str
    doc_title: str
    section: str
    start: int  # offsets of the match in the original file text
    end: int
    matched_text: str  # verbatim from the original file
    context: str  # the match with about CONTEXT_CHARS of the original on each side
    exact: bool
    score: float  # 1.0 for an exact match, else the alignment score in 0..1


def extract_quoted_phrase(question: str) -> str:
    """The phrase a "where is this from" question asks about, or "" when it names none.

    “打造具有国际竞争力的中国绿色硅谷”这句话出自哪份文件? → 打造具有国际竞争力的中国绿色硅谷
    The longest quoted span wins (inner ‘…’ quotes stay part of it); without quotes, a phrase set off from the
    ask by a colon or dash (出处是哪:要推动铁路运单物权化) is taken, else the question's "出自哪…" tail is cut off.
    """
    quoted = [next(group for group in match.groups() if group) for match in _QUOTED.finditer(question)]
    if quoted:
        return _EDGE_PUNCT.sub("", max(quoted, key=len))
    set_off = set_off_phrase(question)
    if set_off:
        return set_off
    if not _SOURCE_QUESTION.search(question):
        return ""
    return _EDGE_PUNCT.sub("", _SOURCE_QUESTION.sub("", question))


def set_off_phrase(question: str) -> str:
    """The phrase a colon or dash sets off from a source ask, on either side ("这句话是哪份文件里的:……",
    "……——出自哪部条例?"), or "": the other side asks nothing itself and is long enough to be a sentence."""
    parts = _SET_OFF.split(question, maxsplit=1)
    if len(parts) != 2:
        return ""
    for ask, phrase in (parts, parts[::-1]):
        phrase = _EDGE_PUNCT.sub("", phrase)
        if (lexicon.SOURCE_ASK.search(ask) and not lexicon.QUESTION_WORD.search(phrase)
                and len(phrase) >= MIN_SET_OFF_CHARS):
            return phrase
    return ""


def lookup(phrase: str, chunks: Sequence[Chunk], original_texts: Mapping[str, str], k: int = 5) -> list[LookupMatch]:
    """The k best places in the corpus where `phrase` (or a slight paraphrase of it) stands."""
    phrase = validate_phrase(phrase)
    target = fold(extract_quoted_phrase(phrase) or _EDGE_PUNCT.sub("", phrase))
    if not target:
        raise BadQuestion("要查找出处的句子为空:请给出一段原文。")
    candidates: list[LookupMatch] = []
    for chunk in chunks:
        original = original_texts.get(chunk.doc_id)
        if original is None:
            raise ValueError(f"缺少文件 {chunk.doc_id} 的原文,无法定位出处。")
        folded, positions = _folded_view(chunk.text)
        for folded_start, folded_end, score in _matches(target, folded):
            start, end = original_span(chunk, positions[folded_start], positions[folded_end - 1] + 1, original)
            candidates.append(_match(chunk, original, start, end, score))
    return _distinct_locations(candidates)[:k]


def _folded_view(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the position in `text` it came from."""
    folded, positions = [], []
    for position, key in enumerate(fold_keys(text)):
        folded.append(key)
        positions.extend([position] * len(key))
    return "".join(folded), positions


def _matches(target: str, folded: str) -> list[tuple[int, int, float]]:
    """(start, end, score) in `folded`: every exact occurrence, else the best fuzzy alignment."""
    exact = [(found.start(), found.end(), 1.0) for found in re.finditer(re.escape(target), folded)]
    if exact or len(target) < MIN_FUZZY_CHARS:
        return exact
    alignment = fuzz.partial_ratio_alignment(target, folded, score_cutoff=MIN_FUZZY_SCORE * 100)
    if alignment is None:
        return []
    start, end = _trim_to_shared(target, folded, alignment.dest_start, alignment.dest_end)
    return [(start, end, min(alignment.score / 100, 0.99))]  # 1.0 is kept for exact matches


def _trim_to_shared(target: str, folded: str, start: int, end: int) -> tuple[int, int]:
    """partial_ratio's window has the phrase's length; a paraphrase may be a little longer or shorter,
    so align the phrase with a widened window and keep the span from its first to its last shared character."""
    slack = len(target) // 4
    window_start = max(0, start - slack)
    window = folded[window_start : min(len(folded), end + slack)]
    shared = [op for op in Indel.opcodes(target, window) if op.tag == "equal"]
    return window_start + shared[0].dest_start, window_start + shared[-1].dest_end


def reworded_candidates(text: str, length: int) -> list[tuple[int, int]]:
    """The spans of `text` a phrase of `length` characters may be a rewording of: each sentence, and each run of a
    sentence's clauses from one clause on that is about as long as the phrase; a long sentence buries the closeness
    of the clause a phrase rewords ("政府不能拿换届当理由不兑现承诺" is one clause of a sentence of four)."""
    spans = []
    for start, end in sentence_spans(text):
        spans.append((start, end))
        clause_starts = [start] + [found.end() for found in _CLAUSE_END.finditer(text, start, end) if found.end() < end]
        for clause_start in clause_starts if len(clause_starts) > 1 else ():
            stop = next((found.end() for found in _CLAUSE_END.finditer(text, clause_start, end)
                         if found.end() - clause_start >= length), end)
            if (clause_start, stop) != (start, end):
                spans.append((clause_start, stop))
    return spans


def located(chunk: Chunk, start: int, end: int, original: str, score: float) -> LookupMatch:
    """The match of chunk.text[start:end] (a sentence found otherwise than by alignment), scored `score` (< 1)."""
    start, end = original_span(chunk, start, end, original)
    return _match(chunk, original, start, end, min(score, 0.99))


def _match(chunk: Chunk, original: str, start: int, end: int, score: float) -> LookupMatch:
    return LookupMatch(
        chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, doc_title=chunk.meta.title, section=chunk.section,
        start=start, end=end, matched_text=original[start:end],
        context=original[max(0, start - CONTEXT_CHARS) : end + CONTEXT_CHARS],
        exact=score == 1.0, score=score,
    )


def _distinct_locations(candidates: list[LookupMatch]) -> list[LookupMatch]:
    """Best first (exact before fuzzy), one result per place: overlapping chunks find the same spot twice."""
    kept: list[LookupMatch] = []
    for match in sorted(candidates, key=lambda match: (-match.score, match.doc_id, match.start)):
        same_place = (other for other in kept if other.doc_id == match.doc_id)
        if not any(match.start < other.end and other.start < match.end for other in same_place):
            kept.append(match)
    return kept
