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
from dataclasses import dataclass, replace
from decimal import Decimal

import jieba.posseg

from corpus.chunk import item_marker
from corpus.model import Chunk
from corpus.sentences import sentence_spans
from qa import lexicon
from qa.answerability import FEATURES, Evidence, Verdict, holds_value, loose_coverage, within_asked
from qa.citations import (
    CLAUSE_MARKS, ENDERS, CheckedAnswer, Facts, cite, coverage, facts, figures, fold, numeral_value, with_markers,
)
from qa.places import region_aliases
from qa.question import DEFINITION, LIST, SEVERAL, Question, names_title, parse, shortened_title
from vectorstore.hits import Hit

MAX_QUOTES = 5  # short clause runs (a list's items) may be more than three; the budget keeps the answer short
RELEVANCE_RATIO = 0.7  # a further quote is added only if it scores at least this share of the best
MIN_UNIT_CHARS = 8  # shorter lines are headings and bylines ("中共乐山市委"), shorter runs fragments ("到2025年")
SECTION_ON_TOPIC = 0.5  # a sentence holding no word of the question still answers when its headings match this well
ITEM_ALREADY_SAID = 0.5  # an item (clause) whose new character pairs an answer holds this much of, it has listed
SECTION_IS_QUESTION = 0.5  # a heading holding this share of a list question's topic words is what it asks for
MAX_ITEMS = 12  # a section's measures quoted by their lead clauses, or a list's items quoted apart
EVIDENCE_WEIGHT = 1.0  # how much the answerability model's probability for a sentence adds to its quote's score
_TITLE_TAIL = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月|\*\*|发布日期|来源\s*[:：]")
MAX_LABEL_CHARS = 30
_INTRODUCES_LIST = re.compile(r"(下列|以下|如下)[^。;]{0,20}:")
_ITEM = re.compile(r"[^,\uff0c;\uff1b、]+")  # one item of a list: 、 separates items too
_CLAUSE_END = CLAUSE_MARKS.replace("、", "")  # 、 stays inside a clause: it joins the items of one list
_CLAUSE = re.compile(rf"[^{_CLAUSE_END}]+[{_CLAUSE_END}]*")
_LISTED = re.compile(rf"[^{_CLAUSE_END};\uff1b\n]+[{_CLAUSE_END};\uff1b\n]*")  # a clause, or an item of a list
# What an article provides is said after its circumstances (根据……, 按照……规定) and its subject ("……的组织或者个人,
# 应当……"): a clause holding one of these prepositions, or followed by a clause opening with a modal, leads up to the
# gist. Prepositions and modals of official Chinese, not of any document.
# clauses leading up to an article's gist: its grounds, its scope, or a bare duty to act ("……等部门应当采取措施,")
_PREAMBLE = re.compile(r"根据|按照|依照|依据|对于|为了|基于|^(结合|围绕|对|在|通过)|采取[^,;]{0,4}措施\W*$")
_MODAL_OPENING = re.compile(r"^(应当|不得|可以|必须|须|应)")
# an article saying why the regulation was made (第一条 为了……,制定本条例) is no measure of any chapter, and answers
# only a question on its purpose
_PURPOSE_ARTICLE = re.compile(r"^为了?.*制定本(条例|办法|规定|细则|决定)")
_ASKS_PURPOSE = re.compile(r"目的|为什么|为何|宗旨|立法")
_ARTICLE_NUMBER = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条\s*")
# how a document defines a term: "数字经济是指……", "本条例所称……"
_DEFINES = re.compile(r"是指|指的是|所称|的简称")
KIND_BONUS = 0.4  # what a run holding a value of the kind asked adds (a figure for 多少, a definition for 是指什么)


@dataclass(frozen=True)
class _Candidate:
    chunk: Chunk
    rank: int
    start: int  # span in chunk.text
    end: int
    score: float
    label: str = ""  # shown before the quote, not part of it: the article a gist is quoted from ("第六十六条")
    lead: int | None = None  # where the quote's sentence starts, when it may grow back to it

    @property
    def length(self) -> int:
        return self.end - self.start + (len(self.label) + 1 if self.label else 0)


@dataclass(frozen=True)
class _Asked:
    facts: Facts  # of the question, question words (哪些, 多少) left out
    wants_figure: bool
    evidence: Mapping[tuple[str, int], float]  # (chunk_id, sentence start) → the answerability model's probability
    question: Question


def extractive_answer(
    question: str | Question, hits: Sequence[Hit], max_chars: int = 150,
    original_texts: Mapping[str, str] | None = None,
) -> CheckedAnswer:
    """A few verbatim quotes (about max_chars in all, at most MAX_QUOTES) with [n] markers and citations.

    An empty answer (no citations) means no retrieved sentence shares anything with the question.
    Pass `original_texts` (doc_id → decoded file text) for exact offsets where chunk text was repaired.
    """
    parsed = _parsed(question, hits)
    return _render(_quotes(parsed, hits, max_chars), original_texts or {}, where=_asks_where(parsed))


def answer_asks(verdicts: Sequence[Verdict], hits: Sequence[Hit], max_chars: int,
                original_texts: Mapping[str, str] | None = None) -> CheckedAnswer:
    """Each ask of a question answered from the passages: the answerable ones quoted, one line each; an ask the
    documents do not answer said to be missing ("文件未写明……"), beside its nearest statement, cited."""
    verdicts = _without_instructions(verdicts)
    markers: dict[str, int] = {}
    lines, citations = [], []
    share = max_chars // max(1, len(verdicts)) if len(verdicts) > 1 else max_chars
    quoted = {i: _quotes(verdict.ask, hits, share, verdict) for i, verdict in enumerate(verdicts) if verdict.answerable}
    within: set[int] = set()  # asks answered by the rest of a sentence quoted for another
    for i, verdict in enumerate(verdicts):
        if quoted.get(i):
            continue
        # "新增……1200家,总量达到1.8万家": the rest of a sentence quoted for one ask may answer the next
        if any(_answered_within(verdict.ask, quotes, share) for quotes in quoted.values()):
            within.add(i)
    # the nearest statement to a missing ask comes from the documents the other asks are answered from
    answered_docs = {quote.chunk.doc_id for quotes in quoted.values() for quote in quotes}
    # words quoted for one ask are not quoted again for another ("鼓励商业银行……" for 贷款 and for 保险): a quote is
    # left out where another ask's quote holds it (the first of equal ones stays)
    every = [(i, k, quote) for i, quotes in quoted.items() for k, quote in enumerate(quotes)]
    held = {(i, k) for i, k, quote in every
            if any(_holds(other, quote) and (other.length > quote.length or (j, m) < (i, k))
                   for j, m, other in every if j != i)}
    for i, verdict in enumerate(verdicts):
        if i in within:
            continue
        if quoted.get(i):
            fresh = [quote for k, quote in enumerate(quoted[i]) if (i, k) not in held]
            if not fresh:
                continue
            rendered = _render(fresh, original_texts or {}, markers, where=_asks_where(verdict.ask))
            lines.append(rendered.text)
            citations += rendered.citations
            continue
        line = missing_statement(verdict.ask)
        nearest = next((evidence for evidence in verdict.evidence if evidence.hit.chunk.doc_id in answered_docs),
                       None) if answered_docs else verdict.best
        if nearest is None and verdict.best is not None and verdict.best.hit.chunk.meta.region in verdict.ask.places:
            nearest = verdict.best
        if nearest is not None and (len(verdicts) > 1 or names_subject(nearest)):
            candidate = _Candidate(nearest.hit.chunk, nearest.rank, nearest.start,
                                   _trim(nearest.hit.chunk.text, nearest.start, nearest.end), nearest.probability)
            rendered = _render([candidate], original_texts or {}, markers, where=_asks_where(verdict.ask))
            line += "相关表述:" + rendered.text
            citations += rendered.citations
        lines.append(line)
    return CheckedAnswer(text="\n".join(lines), citations=citations)


def _without_instructions(verdicts: Sequence[Verdict]) -> list[Verdict]:
    """The asks less those naming nothing ("南充怎么焕新升级传统产业?简单概括一下。"): such a part says how to answer
    the others, so they are answered as it asks (a summary), not said to be missing."""
    instructions = [verdict for verdict in verdicts if len(verdicts) > 1 and not any(
        lexicon.CONTENT_TAGS.match(pair.flag) for pair in jieba.posseg.cut(verdict.ask.normalized))]
    if not instructions or len(instructions) == len(verdicts):
        return list(verdicts)
    several = next((verdict.ask.kind for verdict in instructions if verdict.ask.asks_several), None)
    return [replace(verdict, ask=replace(verdict.ask, kind=several)) if several and not verdict.ask.asks_value
            else verdict for verdict in verdicts if verdict not in instructions]


def _whole_sentence(quote: _Candidate) -> _Candidate:
    """The quote grown to the whole sentence it was cut from (without its closing mark)."""
    text = quote.chunk.text
    span = next(((start, end) for start, end in sentence_spans(text) if start <= quote.start < end), None)
    if span is None:
        return quote
    sentence = text[span[0] : span[1]]
    lead, end = span[0] + len(sentence) - len(sentence.lstrip()), span[0] + len(sentence.rstrip(ENDERS + CLAUSE_MARKS + " \n"))
    return replace(quote, start=min(quote.start, lead), end=max(quote.end, end))


def _answers_ask(ask: Question, text: str) -> bool:
    """The (folded) text holds a value of the kind `ask` wants, or for an ask of no value kind a word of it."""
    if not text.strip(","):
        return False
    if ask.asks_value:
        return bool(figures(text)) and holds_value(ask, text)
    return loose_coverage(ask.subject, text) > 0 or bool(ask.figures & figures(text))


def _answered_within(ask: Question, quotes: list[_Candidate], budget: int) -> bool:
    """Whether `ask` is answered by `quotes` (made for another ask of the question): as they stand, when they hold a
    figure of it ("第4批51项" for 第4批有多少项), or one grown to its whole sentence within `budget` ("新增……1200家,
    总量达到1.8万家" answers 总共有多少 too); the grown quote then replaces its run in `quotes`."""
    for quote in quotes:
        said = fold(quote.chunk.text[quote.start : quote.end])
        if ask.figures & figures(said) and _answers_ask(ask, said):
            return True
    for k, quote in enumerate(quotes):
        whole, text = _whole_sentence(quote), quote.chunk.text
        added = fold(text[whole.start : quote.start] + "," + text[quote.end : whole.end])
        if whole.length <= budget and _answers_ask(ask, added):
            quotes[k] = whole
            return True
    return False


def names_subject(evidence: Evidence) -> bool:
    """The sentence (with its headings) holds every word of the ask's subject: the nearest statement to show
    beside a value the documents lack (a 2027 target for a question on 2025)."""
    return evidence.features[FEATURES.index("subject")] == 1.0


def missing_statement(ask: Question) -> str:
    """"文件未写明2026年的具体家数。": what the documents do not state, in the ask's own terms."""
    years = "、".join(sorted(ask.years))
    what = ask.counted or "".join(sorted(ask.subject, key=ask.subject.get, reverse=True)[:2])
    measure = {"count": f"具体{ask.unit}数" if ask.unit else "具体数量", "amount": "具体金额",
               "percent": "具体比例", "duration": "具体时限", "date": "具体时间"}.get(ask.kind, "相关内容")
    about = f"{years}年" * bool(years) + (f"{what}的" if what else "")
    return f"文件未写明{about}{measure}。"


def complete_list(
    answer: CheckedAnswer, question: str | Question, hits: Sequence[Hit], max_chars: int,
    original_texts: Mapping[str, str] | None = None,
) -> CheckedAnswer:
    """The answer followed by the quotes it left out, for questions asking for several items (有哪些, 分别).

    A small model lists three of five measures, or one place of two; what it left out is added as the
    extractive answer would quote it, under "原文另有:", cited with the answer's own markers where the
    quote comes from a source it cites already.
    """
    parsed = _parsed(question, hits)
    said, asked = fold(answer.text), fold(parsed.normalized)
    names_only = parsed.kind == LIST  # 概括 and 分别 ask for more than the names of the items
    left_out = [quote for quote in _quotes(parsed, hits, max_chars) if not _said(quote, asked, said, names_only)]
    if not left_out:
        return answer
    markers = {citation.chunk_id: citation.marker for citation in answer.citations}
    added = _render(left_out, original_texts or {}, markers)
    return CheckedAnswer(text=f"{answer.text}\n原文另有:\n{added.text}", citations=answer.citations + added.citations,
                         flagged=answer.flagged)


def _parsed(question: str | Question, hits: Sequence[Hit]) -> Question:
    """A question given as text (briefings, tests) parsed with the places of the hits."""
    if isinstance(question, Question):
        return question
    return parse(question, region_aliases([hit.chunk.meta.region for hit in hits]))


def _said(quote: _Candidate, question: str, said: str, names_only: bool) -> bool:
    """Whether the answer holds the quote's items: most of each clause's character pairs that the question
    does not hold ("设备更新" of "实施设备更新科技赋能行动" when asked for 科技赋能行动); with `names_only`,
    those of its lead clause, which names the measure (有哪些 asks for the names). Pairs, not words: the
    model may cut and reword what it repeats (晶硅光伏行动)."""
    quoted = fold(quote.chunk.text[quote.start : quote.end])
    asked = _pairs(question)
    for item in _ITEM.findall(_CLAUSE.match(quoted).group() if names_only else quoted):
        new = _pairs(item) - asked
        if new and sum(pair in said for pair in new) / len(new) < ITEM_ALREADY_SAID:
            return False
    return True


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _quotes(question: Question, hits: Sequence[Hit], max_chars: int, verdict: Verdict | None = None) -> list[_Candidate]:
    """The quotes that answer best, in source order (see the module docstring)."""
    question_facts = facts(question.normalized)
    asked = _Asked(
        Facts(question_facts.figures, question_facts.terms,
              {word: weight for word, weight in question_facts.words.items()
               if not lexicon.QUESTION_WORD.search(word) and word not in lexicon.FRAMING}),
        wants_figure=question.asks_value or bool(lexicon.ASKS_TARGETS.search(question.normalized)),
        evidence={(evidence.hit.chunk.chunk_id, evidence.start): evidence.probability
                  for evidence in (verdict.evidence if verdict else ())},
        question=question,
    )
    # quoted only from the passages the ask may be answered from, as answerability judged it (南充……有哪些: the
    # province's or another city's similar wording does not answer it)
    hits = within_asked(question, hits)
    if question.kind in SEVERAL:
        items = _section_items(asked, question, hits, max_chars)
        if items:
            return items
    candidates = [unit for rank, hit in enumerate(hits) for unit in _units(asked, hit.chunk, rank, max_chars)]
    candidates.sort(key=lambda candidate: candidate.score, reverse=True)
    return _choose(candidates, question, max_chars)


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
        if len(sentence) < MIN_UNIT_CHARS or fold(sentence).rstrip(ENDERS) in whereabouts or _heading_line(sentence):
            continue  # a heading line (of the section, or of a table of contents): the citation shows the section
        if _PURPOSE_ARTICLE.search(_ARTICLE_NUMBER.sub("", fold(sentence).strip())) and not _ASKS_PURPOSE.search(
                asked.question.normalized):
            continue
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
                score, holds = _window_score(rest, asked, text, window_figures)
                offers = holds or (asked.wants_figure and bool(window_figures))
                # equal scores: the shortest run that holds the answer, or the whole sentence if it holds none
                key = (round(score, 9), -(end - start) if offers else end - start)
                if best is None or key > best[0]:
                    best = (key, start, end, holds)
        if best is not None and (best[3] or section_on_topic):  # else it shares nothing with the question
            end = best[2]
            if not asked.question.asks_value:
                # what a sentence says of its topic follows it: "……未能形成预期科技成果的,不作负面评价"
                for _, clause_end in clauses:
                    trimmed = _trim(chunk.text, best[1], clause_end)
                    if trimmed > end and trimmed - best[1] <= max_chars:
                        end = trimmed
            if _INTRODUCES_LIST.search(fold(sentence)):  # "履行下列职责:": the items that follow are the answer
                end = _run_on(chunk.text, sentence_end, best[1], max_chars) or end
            best = (best[0], best[1], end, best[3])
            judged = EVIDENCE_WEIGHT * asked.evidence.get((chunk.chunk_id, sentence_start), 0.0)
            lead = sentence_start + len(sentence) - len(sentence.lstrip())
            yield _Candidate(chunk, rank, best[1], best[2], best[0][0] + context_score + judged, lead=lead)


def named_section(question: Question, chunks: Sequence[Chunk]) -> tuple[str, tuple[str, ...]] | None:
    """(doc_id, heading path) of the section a list or summary question names, at any level of the headings of
    `chunks` ("保障措施" names 五、保障措施; "新兴产业和未来产业" names its (二)); None when no heading matches its
    topic. Of equally good headings the first chunk's wins: pass the retrieved ones first. Sibling headings matching
    it as well (10.开拓新型工业化场景, 11.打造跨界融合场景 for 应用场景……哪几类) are the sub-points asked for: their
    parent section is named."""
    # its verbs only when its nouns name neither a heading nor an announced list: 保障措施一章 is about 保障, but
    # 培育壮大……哪几项行动 is not about 培育, nor “重点做好9个方面工作” about a heading holding 做好
    matching = _matching_headings(question.subject, chunks, question)
    announced = None if matching else _announced_section(question, chunks)
    if announced:
        return announced
    matching = matching or _matching_headings(question.subject | question.actions, chunks, question)
    if not matching:
        return None
    best = max(matching, key=lambda key: key[:2])
    siblings = {key[3] for key in matching if key[:3] == best[:3] and key[3][:-1] == best[3][:-1]}
    if len(siblings) >= 2 and len(best[3]) >= 2:
        return best[2], best[3][:-1]
    return best[2], best[3]


def _matching_headings(words: Mapping[str, float], chunks: Sequence[Chunk],
                       question: Question) -> list[tuple[float, int, str, tuple[str, ...]]]:
    """(share of the topic held, depth, doc_id, heading path) of each heading of the chunks of the places asked
    that holds SECTION_IS_QUESTION of the topic `words` (less the words naming the chunk's document), or is the part
    the question names by ordinal (第三章 names 第三章 产业基础设施建设, whatever its words)."""
    ordinals = {_part_ordinal(match) for match in lexicon.PART_ORDINAL.finditer(question.normalized)} - {None}
    matching = []
    for chunk in chunks:
        if question.places and chunk.meta.region not in question.places:
            continue
        place_and_title = _place_and_title(chunk)
        topic = {word: weight for word, weight in words.items() if not names_title(word, place_and_title)}
        for depth, heading in enumerate(chunk.section_path):
            held = loose_coverage(topic, fold(heading)) if topic else 0.0
            numbered = lexicon.PART_ORDINAL.match(heading.strip())
            if numbered and _part_ordinal(numbered) in ordinals:
                held = 1.0 + held
            if held >= SECTION_IS_QUESTION:
                matching.append((held, depth, chunk.doc_id, tuple(chunk.section_path[: depth + 1])))
    return matching


def _part_ordinal(match: re.Match[str]) -> tuple[Decimal, str] | None:
    """(number, part) of a 第N章 / 第N条 match, the number read from Chinese or Arabic digits; None for a 第百条
    whose digits make no number."""
    number = numeral_value(match.group(1))
    return None if number is None else (number, match.group(2))


def _place_and_title(chunk: Chunk) -> str:
    """What names the chunk's document, not a section of it: its place and title, whole and shortened (二十大报告)."""
    return fold(chunk.meta.region + chunk.meta.title + shortened_title(chunk.meta.title))


def _announced_section(question: Question, chunks: Sequence[Chunk]) -> tuple[str, tuple[str, ...]] | None:
    """(doc_id, heading path) of a section whose passage ends by announcing what its sub-sections hold, in words of
    the question ("重点做好9个方面工作:" for “重点做好9个方面工作”都有哪些): the items are the sub-sections after it."""
    for chunk in chunks:
        if question.places and chunk.meta.region not in question.places:
            continue
        last = sentence_spans(chunk.text)[-1:] if chunk.text.rstrip().endswith((":", "\uff1a")) else []
        if last and coverage(question.subject, fold(chunk.text[last[0][0] : last[0][1]])) >= SECTION_IS_QUESTION:
            return chunk.doc_id, tuple(chunk.section_path)
    return None


def _section_items(asked: _Asked, question: Question, hits: Sequence[Hit], max_chars: int) -> list[_Candidate]:
    """The sub-points of the section a list or summary question names, in order; [] when it names none.

    A section with sub-headings ((一)(二), a chapter's articles) gives one item per sub-section, led by its heading
    ("(二)加大金融支持") or, for an article, its lead clause. A section without them states one measure per sentence
    and names it first: "(二)培育壮大新兴产业和未来产业。做大做强新能源汽车产业,加快……。突破发展电子信息产业,……"
    answers "南充培育壮大的新兴产业和未来产业有哪些" with "做大做强新能源汽车产业,加快……;突破发展电子信息产业,……".
    Every item is quoted by its lead, then each grown by its next clauses in turn while the budget lasts (all of
    them named, rather than two in full). Words of the question beyond the heading ("哪几项科技赋能行动") keep only
    the leads that hold them.
    """
    named = named_section(question, [hit.chunk for hit in hits])
    if named is None:
        return []
    doc_id, path = named
    section = sorted({hit.chunk.chunk_id: hit.chunk for hit in hits if hit.chunk.doc_id == doc_id
                      and tuple(hit.chunk.section_path[: len(path)]) == path}.values(), key=lambda chunk: chunk.ordinal)
    heading = fold(path[-1])
    place_and_title = _place_and_title(section[0])
    topic = {word: weight for word, weight in asked.facts.words.items() if not names_title(word, place_and_title)}
    # what the question asks beyond the heading: 科技赋能行动 in 先进制造业集群……哪几项科技赋能行动
    beyond = {word: weight for word, weight in topic.items() if loose_coverage({word: weight}, heading) < 0.5}
    measures = _subsection_leads(section, len(path))
    if len(measures) < 2:
        measures = [runs for part in section for runs in _measures(part, heading)
                    if not beyond or coverage(beyond, fold(part.text[runs[0].start : runs[0].end])) >= 0.5]
    measures = measures[:MAX_ITEMS]
    # "举措和目标": the targets are the figures, often last in a long sentence ("到2025年,……4家以上")
    targets = [i for i, runs in enumerate(measures) if asked.wants_figure and figures(fold(
        runs[-1].chunk.text[runs[0].end : runs[-1].end]))]
    chosen = _grow_in_turn(measures, max_chars, targets)
    return chosen if len(chosen) >= 2 else []


def _subsection_leads(section: Sequence[Chunk], depth: int) -> list[list[_Candidate]]:
    """One item per sub-section (the headings one level below `depth`): every sentence of the section that opens
    with the sub-headings' numbering ((一)…(八) may share one chunk), as clause runs from its start to the end of
    the sentence after it."""
    first = next((chunk.section_path[depth] for chunk in section if len(chunk.section_path) > depth), None)
    marker = item_marker(first) if first else None
    if marker is None:
        return []
    items, seen = [], set()
    for chunk in section:
        spans = sentence_spans(chunk.text)
        for index, (sentence_start, _) in enumerate(spans):
            at = sentence_start + len(chunk.text[sentence_start:]) - len(chunk.text[sentence_start:].lstrip("# \n\u3000"))
            if not marker.match(chunk.text, at):
                continue
            numbering = marker.match(chunk.text, at).group()
            label, begin, first_span = "", at, index
            if numbering.endswith("条"):  # an article: its gist, after its number, circumstances and subject
                begin = _gist_start(chunk.text, at + len(numbering), spans[index][1])
                if begin is None:
                    continue
                label = numbering
            elif _heading_line(chunk.text[at : spans[index][1]]) and index + 1 < len(spans):
                # a heading on a line of its own ("**(一)推动……开放**" in the file, its markup cleaned away) labels
                # its body's quote: a quote running from heading into body would not stand verbatim in the file
                label = chunk.text[at : spans[index][1]].strip(" \u3000\n#*")
                first_span = index + 1
                body = chunk.text[spans[first_span][0] : spans[first_span][1]]
                begin = spans[first_span][0] + len(body) - len(body.lstrip(" \u3000\n"))
            runs = []
            for span_start, span_end in spans[first_span : first_span + 2]:
                start = max(span_start, begin)
                for clause in _CLAUSE.finditer(chunk.text[start:span_end]):
                    end = _trim(chunk.text, start + clause.start(), start + clause.end())
                    if end - at >= MIN_UNIT_CHARS // 2 and (not runs or end > runs[-1].end):
                        runs.append(_Candidate(chunk, 0, begin, end, 1.0, label))
            lead = fold(chunk.text[at : runs[0].end]) if runs else ""
            if runs and lead not in seen:
                seen.add(lead)
                items.append(runs)
    return items


def _gist_start(text: str, start: int, end: int) -> int | None:
    """Where the gist of an article's first sentence text[start:end] begins: after the clauses that lead up to it
    (_PREAMBLE); None for an article saying why the regulation was made."""
    begin = start + len(text[start:end]) - len(text[start:end].lstrip(" \u3000"))
    if _PURPOSE_ARTICLE.search(fold(text[begin:end])):
        return None
    clauses = [(begin + clause.start(), fold(clause.group())) for clause in _CLAUSE.finditer(text[begin:end])]
    for (at, clause), (_, following) in zip(clauses, clauses[1:]):
        if not (_PREAMBLE.search(clause) or _MODAL_OPENING.search(following)):
            return at
    return clauses[-1][0] if clauses else begin


def _measures(chunk: Chunk, heading: str) -> Iterator[list[_Candidate]]:
    """Per sentence (the heading left out), its clause runs from the start: the lead clause (joined with
    the next while shorter than MIN_UNIT_CHARS), the lead and the next clause, …, the whole sentence."""
    for sentence_start, sentence_end in sentence_spans(chunk.text):
        sentence = chunk.text[sentence_start:sentence_end]
        if fold(sentence).rstrip(ENDERS) in heading:
            continue
        ends = [_trim(chunk.text, sentence_start + clause.start(), sentence_start + clause.end())
                for clause in _CLAUSE.finditer(sentence)]
        runs = [_Candidate(chunk, 0, sentence_start, end, 1.0) for end in ends if end - sentence_start >= MIN_UNIT_CHARS]
        if runs:
            yield runs


def _grow_in_turn(measures: list[list[_Candidate]], max_chars: int, first: Sequence[int] = ()) -> list[_Candidate]:
    """The first run of each measure that fits; then the measures listed in `first` grown whole while
    they fit, then each measure's next run in turn while they fit."""
    while sum(runs[0].length for runs in measures) > max_chars and len(measures) > 2:
        measures = measures[:-1]
    taken = [0] * len(measures)

    def grow(i: int) -> bool:
        runs = measures[i]
        total = sum(measures[j][taken[j]].length for j in range(len(measures)))
        if taken[i] + 1 < len(runs) and total - runs[taken[i]].length + runs[taken[i] + 1].length <= max_chars:
            taken[i] += 1
            return True
        return False

    for i in first:
        if i < len(measures):
            while grow(i):
                pass
    while any([grow(i) for i in range(len(measures))]):  # a list, not a generator: every measure gets its turn
        pass
    return [runs[taken[i]] for i, runs in enumerate(measures)]


def _heading_line(sentence: str) -> bool:
    """A line that is only a numbered heading ("第七章 数字经济安全" of a table of contents, "（二）加大金融支持"):
    it names a section, it says nothing of it."""
    line = sentence.strip(" \u3000\n#*")
    return (item_marker(line) is not None and len(line) <= MAX_LABEL_CHARS
            and not any(mark in line for mark in ENDERS + CLAUSE_MARKS))


def _run_on(text: str, after: int, start: int, max_chars: int) -> int:
    """The furthest clause or item end (an item of a list ends at ;) after `after` that keeps text[start:end] within
    max_chars, or 0."""
    end = 0
    for clause in _LISTED.finditer(text, after):
        trimmed = clause.start() + len(clause.group().rstrip(_CLAUSE_END + ";\uff1b\n \u3000"))
        if trimmed - start > max_chars:
            break
        end = trimmed
    return end


def _trim(text: str, start: int, end: int) -> int:
    """End of a clause run without its trailing comma or colon."""
    return start + len(text[start:end].rstrip(_CLAUSE_END))


def _window_score(rest: Facts, asked: _Asked, text: str, held: set[str]) -> tuple[float, bool]:
    """(score, whether the text holds a word, figure or term of the question) for one run of clauses;
    `rest` is the question less what the chunk's headings already match."""
    score = coverage(rest.words, text)
    holds = any(word in text for word in rest.words)
    if rest.figures:
        shared = len(rest.figures & held)
        score += 0.5 * shared / len(rest.figures)
        holds = holds or shared > 0
    if asked.wants_figure and held and holds_value(asked.question, text):
        score += KIND_BONUS
    if asked.question.kind == DEFINITION and _DEFINES.search(text):
        score += KIND_BONUS
    if rest.terms:
        named = sum(term in text for term in rest.terms)
        score += 0.3 * named / len(rest.terms)
        holds = holds or named > 0
    return score, holds


def _choose(candidates: list[_Candidate], question: Question, max_chars: int) -> list[_Candidate]:
    if not candidates:
        return []
    chosen: list[_Candidate] = []
    # one sentence per side the question names, each its best: a document (重庆营商环境条例和浙江民营企业条例), or a
    # place none of the named documents is from (乐山和四川; 国家规划……北京的条例……)
    regions = {candidate.chunk.doc_id: candidate.chunk.meta.region for candidate in candidates}
    named_regions = {regions[doc_id] for doc_id in question.documents if doc_id in regions}
    sides = [lambda candidate, doc_id=doc_id: candidate.chunk.doc_id == doc_id for doc_id in question.documents]
    sides += [lambda candidate, place=place: candidate.chunk.meta.region == place
              for place in question.places if place not in named_regions]
    if len(sides) >= 2:
        for side in sides:
            best = next((candidate for candidate in candidates if side(candidate)), None)
            if best is not None and best not in chosen:
                chosen.append(best)
    floor = RELEVANCE_RATIO * candidates[0].score
    for candidate in candidates:
        if len(chosen) >= (MAX_ITEMS if question.asks_several else MAX_QUOTES) or candidate.score < floor:
            break
        fits = sum(other.length for other in chosen) + candidate.length <= max_chars
        if (fits or not chosen) and not any(_overlaps(candidate, other) for other in chosen):
            chosen.append(candidate)
    if question.asks_several:
        chosen = _with_siblings(chosen, max_chars)
    return sorted(_grown_back(chosen, max_chars), key=lambda candidate: (candidate.rank, candidate.start))


def _with_siblings(chosen: list[_Candidate], max_chars: int) -> list[_Candidate]:
    """A list answered by two or more numbered items of one passage ((一)(三)(四)) gets the items between and after
    them too ((二)), while the budget lasts: an item holding none of the question's words is still one of the list."""
    chosen = list(chosen)
    for chunk in {candidate.chunk.chunk_id: candidate.chunk for candidate in chosen}.values():
        quoted = [candidate for candidate in chosen if candidate.chunk.chunk_id == chunk.chunk_id]
        numbering = [item_marker(chunk.text[candidate.start : candidate.end]) for candidate in quoted]
        marker = next((pattern for pattern in numbering if pattern is not None and numbering.count(pattern) >= 2), None)
        if marker is None:
            continue
        first = min(candidate.start for candidate, pattern in zip(quoted, numbering) if pattern is marker)
        for start, end in sentence_spans(chunk.text):
            at = start + len(chunk.text[start:end]) - len(chunk.text[start:end].lstrip())
            if at < first or not marker.match(chunk.text, at) or len(chosen) >= MAX_ITEMS:
                continue
            item = _Candidate(chunk, quoted[0].rank, at, at + len(chunk.text[at:end].rstrip(ENDERS + CLAUSE_MARKS + " \n")), 0.0)
            if (not any(_overlaps(item, other) for other in chosen)
                    and sum(other.length for other in chosen) + item.length <= max_chars):
                chosen.append(item)
    return chosen


def _grown_back(chosen: list[_Candidate], max_chars: int) -> list[_Candidate]:
    """The chosen quotes, best first, each grown back to the start of its sentence while the budget lasts: the
    subject and conditions the tightest run left out ("全市首批7家孵化器中,有6家……", "除……另有规定外,不得……")."""
    grown = list(chosen)
    for i, candidate in enumerate(chosen):
        if candidate.lead is None or candidate.lead >= candidate.start:
            continue
        longer = replace(candidate, start=candidate.lead)
        others = grown[:i] + grown[i + 1 :]
        if (sum(other.length for other in others) + longer.length <= max_chars
                and not any(_overlaps(longer, other) for other in others)):
            grown[i] = longer
    return grown


def _holds(one: _Candidate, other: _Candidate) -> bool:
    """`one` quotes every word `other` does."""
    if one.chunk.chunk_id == other.chunk.chunk_id:
        return one.start <= other.start and other.end <= one.end
    return one.chunk.doc_id == other.chunk.doc_id and fold(
        other.chunk.text[other.start : other.end]) in fold(one.chunk.text[one.start : one.end])


def _overlaps(one: _Candidate, other: _Candidate) -> bool:
    """The same words of the same document: chunks may overlap, and cut a sentence at their edge."""
    if one.chunk.doc_id != other.chunk.doc_id:
        return False
    if one.chunk.chunk_id == other.chunk.chunk_id:
        return one.start < other.end and other.start < one.end
    one_text, other_text = fold(one.chunk.text[one.start : one.end]), fold(other.chunk.text[other.start : other.end])
    return one_text in other_text or other_text in one_text


def _short_title(title: str) -> str:
    """A title as a label: without the markdown mark and the adoption line scraped onto it ("……条例2022年8月30日 …通过")."""
    return _TITLE_TAIL.split(title.lstrip("# "), maxsplit=1)[0].strip()[:MAX_LABEL_CHARS]


def _render(chosen: list[_Candidate], original_texts: Mapping[str, str],
            markers: dict[str, int] | None = None, where: bool = False) -> CheckedAnswer:
    """One line per document, led by its place so a multi-document answer says which is which, its quotes
    joined by ";"; `markers` (chunk_id → [n], updated) continues the numbering of an answer the quotes are added to. With
    `where` (the question asks which document, part or article says it), a line per section, led by the document's
    title and the section's headings."""
    markers = {} if markers is None else markers  # numbered on: the next line's new passages get the next numbers
    lines: list[tuple[tuple[str, str], str, list[str]]] = []  # ((doc_id, section), label, marked quotes)
    citations = []
    for candidate in chosen:
        chunk = candidate.chunk
        marker = markers.setdefault(chunk.chunk_id, len(markers) + 1)
        quote = chunk.text[candidate.start : candidate.end]
        if candidate.label:
            quote = f"{candidate.label} {quote}"
        place = (chunk.doc_id, chunk.section if where else "")
        if not lines or lines[-1][0] != place:
            label = chunk.meta.region or _short_title(chunk.meta.title)
            if where:
                headings = " > ".join(heading.lstrip("# ")[:MAX_LABEL_CHARS] for heading in chunk.section_path)
                label = f"{chunk.meta.region}《{_short_title(chunk.meta.title)}》" + f"“{headings}”" * bool(headings)
            lines.append((place, label, []))
        lines[-1][2].append(with_markers(quote, [marker]).rstrip(ENDERS + CLAUSE_MARKS))
        citations.append(cite(marker, chunk, candidate.start, candidate.end, original_texts.get(chunk.doc_id)))
    text = "\n".join(f"{label}:" * bool(label) + ";".join(quotes) + "。" for _, label, quotes in lines)
    return CheckedAnswer(text=text, citations=citations)


def _asks_where(question: Question) -> bool:
    """"是哪份文件、哪一部分说的", "出自哪一条": the answer names the document and section of each quote."""
    # 在哪 asks for a source only as 在哪份/在哪里说的, not in 在哪些方面
    return any(match.group() != "在哪" for match in lexicon.LOOKUP_WORDS.finditer(question.normalized))
