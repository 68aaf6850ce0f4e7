"""Cut a repaired document into Chunks: at its headings first, then at sentence ends.

Chinese official documents number their levels 第X部分/章 > 第X节 > 第X条 > 一、 > (一) > 1. > (1), with 第X方面
and 一是、二是 items inside paragraphs. A heading is either a line of its own ("二、明确主攻方向") or the lead
sentence of its paragraph ("(一)培育壮大先进制造业集群。实施……"): then the heading is that sentence without its 。.
Scraped texts also glue headings to the end of the previous paragraph ("……现代化。二、以创新为主导……"); such a
heading is recognised when it is the next number of its level. Unnumbered short lines are headings too
("全会主要特点"), and press conferences are cut into questions, each with the named official's answer.

Where a level's parent heading is missing (a text that restarts (一) without its 一、), a numbered item owns only
its own paragraph: the unnumbered paragraphs after it are the lost parent's text, not the item's.

A chunk's `text` is the verbatim passage of the repaired text; its `section_path` carries the headings and its
`index_text` is the path plus the passage, normalized — the path is indexed so that a question about "乐山……方面的
举措" finds every chunk of that section, not only the one that repeats the heading.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from corpus.metadata import ORGAN_LINE
from corpus.model import Chunk, DocumentMeta
from corpus.normalize import chinese_number, to_index_text
from corpus.repair import BYLINE, UNRELATED_HEADING, Repaired
from corpus.sentences import sentence_spans

MIN_CHARS = 60  # a passage shorter than this is merged with a neighbour in the same section

_ENDERS = "。！？!?"
_FIRST_ENDER = re.compile(f"[{_ENDERS}]")
_CLAUSE = re.compile(r"[^，,]+[，,]?")

_CN = "一二三四五六七八九十"
# a 第X heading is followed by a space, a colon, a comma or the line end: "第二部分为……" is a sentence, not a heading
_AFTER_ORDINAL = r"(?=[\s\u3000:：,，、.．]|$)"


@dataclass(frozen=True)
class _Level:
    kind: str
    rank: int  # a heading closes every open heading of the same or a higher rank number
    marker: re.Pattern[str]
    item: bool = False  # a list item: owns only its own paragraph when it is a lead sentence


_UNRELATED, _STANDALONE, _QUESTION, _SPEAKER = -1, 0, 1, 2  # _UNRELATED: also a document's parts (附件, 印发通知)
_ARTICLE_RANK = 5
_LEAD_RANK = 8  # below (一), beside 1.
_LEAD_PARENTS = ("cn", "paren_cn", "arabic")  # the items whose paragraphs may open with a lead phrase
_LEAD_MIN, _LEAD_MAX = 4, 24
_NOT_IN_LEAD = re.compile(r"[，,；;：:“”\"（(是]|^(?:同时|此外|另外|目前|当前|今年|去年|近年来|总之|因此|其中)")
_NUMBERED = (
    _Level("part", 3, re.compile(rf"第(?P<number>[{_CN}百零〇\d]+)(?:部分|编|章){_AFTER_ORDINAL}")),
    _Level("section", 4, re.compile(rf"第(?P<number>[{_CN}百零〇\d]+)节{_AFTER_ORDINAL}")),
    _Level("article", _ARTICLE_RANK, re.compile(rf"第(?P<number>[{_CN}百零〇\d]+)条{_AFTER_ORDINAL}")),
    _Level("cn", 6, re.compile(rf"(?P<number>[{_CN}]+)、")),
    _Level("paren_cn", 7, re.compile(rf"[(（](?P<number>[{_CN}]+)[)）]"), item=True),
    _Level("arabic", 8, re.compile(r"(?P<number>\d{1,2})[.．、](?!\d)"), item=True),
    _Level("paren_arabic", 9, re.compile(r"[(（](?P<number>\d{1,2})[)）]"), item=True),
    _Level("aspect", 10, re.compile(rf"第(?P<number>[{_CN}]+)方面{_AFTER_ORDINAL}")),
    _Level("enum", 11, re.compile(rf"(?P<number>[{_CN}]+)是"), item=True),
)
# "第四部分为全面推进……改革,重点对……": a report walking through a document's parts names each part in the
# lead clause of its paragraph; that clause is the section a reader would cite
_PART_SUMMARY = re.compile(rf"第[{_CN}百零〇\d]+部分(?:至第[{_CN}百零〇\d]+部分)?为[^，,。；;:：]{{2,40}}")
_DEFINITION_COLON = re.compile(r"(?<=.{2})[:：]")
_INLINE_KINDS = ("cn", "paren_cn")  # the levels scraped texts glue to the previous paragraph
_INLINE_HEADING = re.compile(rf"(?<=[{_ENDERS}])\s*(?=[{_CN}]+、|[(（][{_CN}]+[)）])")

_STANDALONE_MAX = 30
_TITLE_LINE_MAX = 80
_NOT_IN_STANDALONE = re.compile(r"[。！？!?；;，,|]|[:：]$")
_DATE_LINE = re.compile(r"\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
# an answer starts with the official's title and name ("市商务局党组书记张金泉:"), or just "答："
_ANSWER_LINE = re.compile(r"(?:答|(?P<who>[^\s,，。:：;；!?！？“”\"]{4,40}))\s*[:：](?=\S)")
# a transcript's turns: "新华社：目前……怎么样？" asks, "顾军：近年来……" answers
_TURN = re.compile(r"(?P<who>[^\s:：,，。;；!?！？“”\"、]{2,24})[:：](?=\S)")
_MIN_TURNS = 2  # question-and-answer pairs that make a text a transcript
_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}(?<![是说来的有们这那])")  # "张三", not "具体来说" or "一是"
# a notice that issues the document after it (印发通知): its sentence, then the signature and date
_ISSUES = re.compile(r"印发给你们|现予(?:以)?印发|现印发|转发给你们|印发给各")
_NOTICE_MAX_BLOCKS = 20
_NOTICE_LABEL = "印发通知"
_PUBLIC_NOTE = re.compile(r"[(（][^()（）]{2,12}[)）]$")  # （此件公开发布）
# an appendix: "附件1", "附件2 名词解释", "名词解释" on a line of its own ("附件：…" lists the attachments instead)
_APPENDIX = re.compile(r"(?:附件\s*[\d一二三四五六七八九十]*(?:\s+(?P<title>[^:：\s].{0,30}))?|名词解释|附录|附表)")
# "第五章行政行为规范": a chapter line without a space after its number
_CHAPTER_LINE = {"part": re.compile(rf"第(?P<number>[{_CN}百零〇\d]+)(?:编|章)(?=[\u4e00-\u9fff])"),
                 "section": re.compile(rf"第(?P<number>[{_CN}百零〇\d]+)节(?=[\u4e00-\u9fff])")}
_ARTICLE_PATH = re.compile(rf"第[{_CN}百零〇\d]+条")
_CONTENTS = ("目录", "目次")
_JOB_TITLE = re.compile(r"书记|秘书长|主任|局长|部长|市长|省长|区长|县长|主席|委员|院长|经理|董事长|发言人|负责人")


@dataclass(frozen=True)
class _Heading:
    kind: str
    rank: int
    text: str
    introduces: bool  # a line that only introduces what follows (no sentence of its own)
    item: bool = False


@dataclass
class _Block:
    """A paragraph, or the part of one that starts at a glued-on heading; start/end in the repaired text."""

    start: int
    end: int
    heading: _Heading | None = None
    title: bool = False  # one of the document's title lines at the top
    restarts: bool = False  # the document proper begins here, after a notice that issues it


@dataclass
class _Section:
    path: tuple[str, ...]
    blocks: list[_Block] = field(default_factory=list)

    @property
    def introduces_only(self) -> bool:
        return all(block.title or (block.heading is not None and block.heading.introduces) for block in self.blocks)


@dataclass(frozen=True)
class _Piece:
    path: tuple[str, ...]
    start: int
    end: int
    spans_subsections: bool = False  # merged from passages of different subsections (its path is their parent's)


def chunk_document(repaired: Repaired, meta: DocumentMeta, max_chars: int = 400) -> list[Chunk]:
    if max_chars < 2 * MIN_CHARS:
        raise ValueError(f"max_chars={max_chars} is too small: chunks must hold at least {2 * MIN_CHARS} characters")
    text = repaired.text
    blocks = _classify(text, _split_lines(text))
    sections = _fold_introductions(_sections(text, blocks, repaired.unrelated_from))
    pieces = _merge_tiny([piece for section in sections for piece in _pack(text, section, max_chars)], max_chars)
    chunks = []
    for ordinal, piece in enumerate(pieces):
        passage = text[piece.start:piece.end]
        start, end = repaired.to_original(piece.start, piece.end)
        chunks.append(Chunk(doc_id=meta.doc_id, section_path=piece.path, text=passage,
                            index_text=_index_text(piece.path, passage), start=start, end=end, ordinal=ordinal,
                            meta=meta))
    return chunks


def outline(chunks: Iterable[Chunk]) -> list[tuple[int, str]]:
    """The heading tree of a document as (depth, heading), in document order, from its chunks' section paths."""
    seen: set[tuple[str, ...]] = set()
    entries = []
    for chunk in chunks:
        for depth in range(len(chunk.section_path)):
            prefix = chunk.section_path[:depth + 1]
            if prefix not in seen:
                seen.add(prefix)
                entries.append((depth, prefix[-1]))
    return entries


def outline_lines(chunks: Iterable[Chunk]) -> list[str]:
    return ["  " * depth + heading for depth, heading in outline(chunks)]


def _index_text(path: tuple[str, ...], passage: str) -> str:
    # headings the passage already starts with are not repeated: they would count twice for keyword search
    headings = [heading for heading in path if heading not in passage]
    return to_index_text(" ".join([*headings, passage]))


def _split_lines(text: str) -> Iterator[_Block]:
    """Paragraphs (non-empty lines), cut again where a heading was glued to the end of a paragraph.

    Numbered headings found at a paragraph's start are attached here, since whether a glued-on number is a
    heading depends on the numbers seen so far.
    """
    last_number: dict[str, int] = {}
    start = 0
    for line in text.split("\n"):
        line_start, line_end = start, start + len(line)
        start = line_end + 1
        position = line_start + len(line) - len(line.lstrip())
        end = line_start + len(line.rstrip())
        while position < end:
            heading = _numbered_heading(text, position, end, last_number)
            block_end = _glued_heading_start(text, position, end, last_number) or end
            block = _Block(position, position + len(text[position:block_end].rstrip()))
            if heading is not None:
                block.heading = _with_extent(heading, text[block.start:block.end])
            yield block
            position = block_end


def _numbered_heading(text: str, start: int, end: int, last_number: dict[str, int]) -> _Heading | None:
    for level in _NUMBERED:
        match = level.marker.match(text, start, end)
        if match is None and level.kind in _CHAPTER_LINE and _is_standalone(text[start:end]):
            match = _CHAPTER_LINE[level.kind].match(text, start, end)
        if match is None:
            continue
        number = _number(match.group("number"))
        if number is None:
            continue
        last_number[level.kind] = number
        for lower in _NUMBERED:  # a new 二、 restarts the (一) under it
            if lower.rank > level.rank:
                last_number.pop(lower.kind, None)
        return _Heading(level.kind, level.rank, match.group(), introduces=False, item=level.item)
    return None


def _glued_heading_start(text: str, start: int, end: int, last_number: dict[str, int]) -> int | None:
    for match in _INLINE_HEADING.finditer(text, start + 1, end):
        for level in _NUMBERED:
            if level.kind not in _INLINE_KINDS:
                continue
            marker = level.marker.match(text, match.end(), end)
            if marker and _number(marker.group("number")) == last_number.get(level.kind, 0) + 1:
                return match.end()
    return None


def _number(numeral: str) -> int | None:
    return int(numeral) if numeral.isdigit() else chinese_number(numeral)


def _with_extent(heading: _Heading, block_text: str) -> _Heading:
    """The heading as shown in section paths: the whole line, or the lead sentence without its 。."""
    if heading.kind == "article":  # 第十二条: the article's text is its body, the number its name
        return heading
    first_end = _FIRST_ENDER.search(block_text)
    if first_end is None:
        if heading.kind in ("part", "section"):  # "第一章　总　则", "第一章  总则" and "第一章总则" are "第一章 总则"
            name = re.sub(r"\s+", "", block_text[len(heading.text):])
            return replace(heading, text=f"{heading.text} {name}".strip(), introduces=True)
        return replace(heading, text=block_text.strip(), introduces=True)
    lead = block_text[:first_end.start()]
    colon = _DEFINITION_COLON.search(lead)
    if heading.item and colon:  # a glossary entry: "1.“两重”：是指……" is named by its term
        lead = lead[:colon.start()]
    return replace(heading, text=lead.strip())


def _classify(text: str, blocks: Iterable[_Block]) -> list[_Block]:
    """Mark the unnumbered structure: title lines, questions and answers, short heading lines."""
    blocks = list(blocks)
    line = [text[block.start:block.end] for block in blocks]
    for index, block in enumerate(blocks[:-1]):
        if block.heading or _FIRST_ENDER.search(line[index]) or len(line[index]) > _TITLE_LINE_MAX:
            break
        block.title = True
    for index, block in enumerate(blocks):
        described = _PART_SUMMARY.match(line[index])
        if block.heading is None and described:
            block.heading = _Heading("part", 3, described.group(0), introduces=False)
    for index, block in enumerate(blocks[:-1]):
        answer = blocks[index + 1]
        answered = _ANSWER_LINE.match(line[index + 1])
        if block.heading is None and answer.heading is None and line[index].endswith(("?", "？")) and answered:
            block.heading = _Heading("question", _QUESTION, line[index], introduces=True)
            if answered.group("who"):
                answer.heading = _Heading("speaker", _SPEAKER, answered.group("who"), introduces=False)
    _mark_turns(blocks, line)
    standalone = [not block.title and block.heading is None and index + 1 < len(blocks)
                  and _is_standalone(line[index]) and not _DATE_LINE.match(line[index + 1])
                  for index, block in enumerate(blocks)]
    for index in range(1, len(blocks)):  # the organs that sign above a date are no headings
        if _DATE_LINE.match(line[index]):
            above = index - 1
            while above >= 0 and blocks[above].heading is None and ORGAN_LINE.fullmatch(to_index_text(line[above])):
                standalone[above] = False
                above -= 1
    classified: list[_Block] = []
    index = 0
    while index < len(blocks):
        if not standalone[index]:
            classified.append(blocks[index])
            index += 1
            continue
        run_end = index
        while run_end + 1 < len(blocks) and standalone[run_end + 1]:
            run_end += 1
        run = blocks[index:run_end + 1]
        if any(_JOB_TITLE.search(line[member]) for member in range(index, run_end + 1)):
            # a photo caption cut into lines: "中共成都市委副秘书长 / 市委政研室主任 / …曾明友 / 介绍了…"
            run = [_Block(run[0].start, run[-1].end)]
        for block in run:
            block.heading = _Heading("standalone", _STANDALONE, " ".join(text[block.start:block.end].split()),
                                     introduces=True)
        classified += run
        index = run_end + 1
    _unmark_contents(text, classified)
    _mark_parts(text, classified)
    return classified


def _unmark_contents(text: str, blocks: list[_Block]) -> None:
    """A table of contents before the body ("目录", then 第一章 … 第N章 with nothing under them, repeated later
    with the text) is part of the preamble, not chapters: each chapter is a section once, where its text is."""
    headings = [block.heading.text if block.heading and block.heading.kind in ("part", "section") else None
                for block in blocks]
    for index, block in enumerate(blocks):
        if "".join(text[block.start:block.end].split()) in _CONTENTS:
            block.heading = None
            continue
        listed = headings[index]
        if listed is None:
            continue
        nothing_under = index + 1 < len(blocks) and headings[index + 1] is not None
        if nothing_under and listed in headings[index + 1:][1:]:
            block.heading = None
        elif not nothing_under and listed in headings[index + 1:] and _follows_contents(headings, index):
            block.heading = None  # the last entry of the list


def _follows_contents(headings: list[str | None], index: int) -> bool:
    return index > 0 and headings[index - 1] is not None and headings[index - 1] in headings[index + 1:]


def _mark_turns(blocks: list[_Block], line: list[str]) -> None:
    """A transcript of turns: "媒体名：……？" asks, "人名：……" answers, over as many paragraphs as it takes."""
    pairs = [index for index in range(len(blocks) - 1)
             if _is_question_turn(line[index]) and _TURN.match(line[index + 1])
             and not _is_question_turn(line[index + 1])]
    if len(pairs) < _MIN_TURNS:
        return
    answerers = {_TURN.match(line[index + 1]).group("who") for index in pairs}
    asking = False
    for index, block in enumerate(blocks):
        turn = _TURN.match(line[index])
        if block.heading is not None and block.heading.kind in ("question", "speaker"):
            continue
        if _is_question_turn(line[index]) and index in pairs:
            block.heading = _Heading("question", _QUESTION, line[index], introduces=True)
            asking = True
        elif turn and asking and (turn.group("who") in answerers or _NAME.fullmatch(turn.group("who"))):
            block.heading = _Heading("speaker", _SPEAKER, turn.group("who"), introduces=False)


def _is_question_turn(line: str) -> bool:
    return _TURN.match(line) is not None and ("？" in line or "?" in line)


def _mark_parts(text: str, blocks: list[_Block]) -> None:
    """The parts of a document: a notice that issues it (印发通知) before it, appendices after it.

    The notice runs from the top to its date under the signature; the document proper starts after it with its
    own title line. An appendix starts at its "附件N" line and holds everything to the next one.
    """
    line = [text[block.start:block.end].strip() for block in blocks]
    issuing = next((index for index in range(min(len(blocks), _NOTICE_MAX_BLOCKS)) if _ISSUES.search(line[index])),
                   None)
    body_start = 0
    if issuing is not None:
        dated = next((index for index in range(issuing + 1, min(len(blocks), issuing + 8))
                      if _DATE_LINE.match(line[index])), None)
        if dated is not None:
            body_start = dated + 1 + (dated + 1 < len(blocks) and bool(_PUBLIC_NOTE.fullmatch(line[dated + 1])))
            for block in blocks[1:body_start]:
                block.heading = None
            blocks[0].heading = _Heading("notice", _UNRELATED, _NOTICE_LABEL, introduces=True)
            if body_start < len(blocks):
                blocks[body_start].restarts = True
                if _is_standalone(line[body_start]):  # the document's own title line: its preamble
                    blocks[body_start].heading, blocks[body_start].title = None, True
    for index in range(max(body_start, 1), len(blocks)):
        appendix = _APPENDIX.fullmatch(line[index])
        if appendix is None:
            continue
        label = " ".join(line[index].split())
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if appendix.group(0).startswith("附件") and not appendix.group("title") and following is not None \
                and _is_standalone(line[index + 1]):  # "附件1" above its title line
            label = f"{label} {' '.join(line[index + 1].split())}"
            following.heading, following.title = None, True
        blocks[index].heading = _Heading("appendix", _UNRELATED, label, introduces=True)


def _is_standalone(line: str) -> bool:
    return (len(line) <= _STANDALONE_MAX and not _NOT_IN_STANDALONE.search(line) and not _DATE_LINE.match(line)
            and not BYLINE.match(line))


def _sections(text: str, blocks: list[_Block], unrelated_from: int | None) -> list[_Section]:
    """Group blocks under the headings open at each point; a section per heading (and one for the preamble).

    Under a numbered item, a paragraph that opens with a short phrase of its own ("做实项目支撑扩大有效投资。持续开展
    ……") is a heading too: the sub-item it names, owning its paragraph only.
    """
    unrelated = _Heading("unrelated", _UNRELATED, UNRELATED_HEADING, introduces=True)
    stack: list[_Heading] = []
    sections: list[_Section] = []
    current: _Section | None = None
    for block in blocks:
        if unrelated_from is not None and block.start >= unrelated_from and unrelated not in stack:
            stack, current = [unrelated], None
        if block.restarts:
            stack, current = [], None
        heading = block.heading
        if heading is not None and heading.rank > _ARTICLE_RANK and any(open_heading.kind == "article"
                                                                         for open_heading in stack):
            heading = None  # an article's (一)(二) and short lines are its text, not sections of it
        if (heading is None and stack and stack[-1].kind in _LEAD_PARENTS
                and (current is None or not current.introduces_only)):  # None: right after an item of its own
            heading = _lead_heading(text[block.start:block.end])
        if heading is None:
            if current is None:
                current = _Section(tuple(open_heading.text for open_heading in stack))
                sections.append(current)
            current.blocks.append(block)
            continue
        while stack and stack[-1].rank >= heading.rank:
            stack.pop()
        parent_missing = all(open_heading.rank == _UNRELATED for open_heading in stack)
        stack.append(heading)
        current = _Section(tuple(open_heading.text for open_heading in stack), [block])
        sections.append(current)
        if heading.item and not heading.introduces and (heading.kind in ("enum", "lead") or parent_missing):
            stack.pop()  # the paragraphs after this item belong to its parent (or to the lost parent)
            current = None
    return sections


def _lead_heading(paragraph: str) -> _Heading | None:
    first_end = _FIRST_ENDER.search(paragraph)
    if first_end is None or paragraph[first_end.start()] != "。":
        return None
    lead = paragraph[:first_end.start()].strip()
    if not _LEAD_MIN <= len(lead) <= _LEAD_MAX or _NOT_IN_LEAD.search(lead) or len(paragraph) - len(lead) < MIN_CHARS:
        return None
    return _Heading("lead", _LEAD_RANK, lead, introduces=False, item=True)


def _fold_introductions(sections: list[_Section]) -> list[_Section]:
    """A section of heading lines only (or the title only) becomes the start of the section after it."""
    folded: list[_Section] = []
    waiting: list[_Block] = []
    for section in sections:
        if section.introduces_only:
            waiting += section.blocks
            continue
        folded.append(_Section(section.path, waiting + section.blocks))
        waiting = []
    if waiting:  # headings at the very end introduce nothing: they close the last section
        if folded:
            folded[-1].blocks += waiting
        else:
            folded.append(_Section((), waiting))
    return folded


def _pack(text: str, section: _Section, max_chars: int) -> list[_Piece]:
    """Sentences packed into passages of even length, none over max_chars unless one sentence is.

    Each passage costs its unused room squared; the cheapest cutting has few passages of about equal length
    and no short leftover at the end (a greedy fill would leave one).
    """
    units = [unit for block in section.blocks for unit in _units(text, block.start, block.end, max_chars)]
    cost = [0.0] + [math.inf] * len(units)  # cost[j]: the cheapest cutting of units[:j]
    cut = [0] * (len(units) + 1)  # cut[j]: where the last passage of that cutting starts
    for end in range(1, len(units) + 1):
        for start in range(end - 1, -1, -1):
            length = units[end - 1][1] - units[start][0]
            if length > max_chars and end - start > 1:
                break
            candidate = cost[start] + max(0, max_chars - length) ** 2
            if candidate < cost[end]:
                cost[end], cut[end] = candidate, start
    pieces = []
    end = len(units)
    while end > 0:
        pieces.append(_Piece(section.path, units[cut[end]][0], units[end - 1][1]))
        end = cut[end]
    return pieces[::-1]


def _units(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """Sentences of text[start:end]; a sentence longer than max_chars is cut at its commas as a last resort."""
    for sentence_start, sentence_end in sentence_spans(text, start, end):
        if sentence_end - sentence_start <= max_chars:
            yield sentence_start, sentence_end
            continue
        for clause in _CLAUSE.finditer(text, sentence_start, sentence_end):
            stripped = clause.group().strip()
            if stripped:
                clause_start = clause.start() + clause.group().index(stripped)
                yield clause_start, clause_start + len(stripped)


def _merge_tiny(pieces: list[_Piece], max_chars: int) -> list[_Piece]:
    """Merge each passage under MIN_CHARS into a neighbour under the same parent heading, if they fit together."""
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        candidates = [] if piece.end - piece.start >= MIN_CHARS else [
            (neighbour, merged) for neighbour in (index + 1, index - 1)  # the next first: a short passage introduces
            if 0 <= neighbour < len(pieces) and (merged := _merged(piece, pieces[neighbour], max_chars)) is not None
        ]
        if not candidates:
            index += 1
            continue
        neighbour, merged = max(candidates, key=lambda candidate: len(candidate[1].path))  # the most specific path
        index = min(index, neighbour)
        pieces[index:index + 2] = [merged]  # looked at again: it may still be short
    return pieces


def _merged(piece: _Piece, other: _Piece, max_chars: int) -> _Piece | None:
    """A short passage and its neighbour as one, or None when they do not fit or are not under the same parent.

    The result keeps the most specific path the two share; a section's short introduction merged into its first
    subsection keeps the subsection's path, as a heading line does.
    """
    start, end = min(piece.start, other.start), max(piece.end, other.end)
    common = _common_prefix(piece.path, other.path)
    if piece.path != other.path and any(_ARTICLE_PATH.fullmatch(heading) for heading in piece.path + other.path):
        return None  # an article is cited by its number: two articles never share a passage
    # one level up at most: a passage that already stands for its subsections stays under their parent
    if end - start > max_chars or len(common) < len(piece.path) - (0 if piece.spans_subsections else 1):
        return None
    if other.start > piece.start and common == piece.path and not piece.spans_subsections:
        return _Piece(other.path, start, end, other.spans_subsections)
    spans = piece.spans_subsections or other.spans_subsections or piece.path != other.path
    return _Piece(common, start, end, spans)


def _common_prefix(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    length = 0
    while length < min(len(first), len(second)) and first[length] == second[length]:
        length += 1
    return first[:length]


def item_marker(heading: str) -> re.Pattern[str] | None:
    """The numbering a heading starts with ((一), 第三条, 1.), from the table above: what finds the heading's
    sibling items in a passage (qa/extractive.py lists every sub-point of a section by it)."""
    text = heading.lstrip("# ").strip()
    return next((level.marker for level in _NUMBERED if level.marker.match(text)), None)
