"""Repair what scraping and re-encoding did to a document, without losing the way back to the original.

`repair(original)` returns the display text (what chunks are cut from and what users read) and a piecewise map
from any span of it to the span of the original file text it came from, so a citation can open the exact spot.
Every repair is an edit of the original (a span deleted, or replaced by "□"); the text between edits is copied.

Repairs, each reported in `warnings`:
  * pinyin artefacts of converted traditional text: 發(fā)展 → 發展;
  * scraping noise lines (打开网易新闻 查看精彩图片), newspaper continuation marks ((上接第1版));
  * trailing footers: source lines, contact lines and the slogans between them (图文来源:… 电邮:… 电话:…);
  * garbled runs (mojibake such as "å¤§å­¦", 锟斤拷, U+FFFD, GBK bytes read as another encoding) are replaced by
    "□", the sign Chinese editors use for an illegible character, so a gap is shown instead of indexing garbage;
  * a sentence repeated back to back (a scraper stutter) keeps its first copy;
  * a sentence broken across a page or column break ("实施智能制造行\n\n动,") is joined again, and so is a line
    broken where a scraped page had a link ("制定\n“十四五”规划\n，全面总结");
  * what a scraper or a markdown export adds to a page: its header fields (**发布日期**: …, 来源：…), rules (---),
    comments (<!-- INFO END -->), link lists (【原文下载】, - [附件.pdf](…)), a licence notice after the text,
    markdown marks (## 第一章, **一、…**, [text](url)) and invisible characters (U+200B, U+FEFF …).
Kept as they are, because they are the source: odd wording ("习" alone, "高水平质量的发展"), repeated but not
adjacent passages. Other articles printed on the same newspaper page after the document (seed leshan-innovation-
driven ends with a 2021 portrait and an employment letter) are not deleted — people do ask about them — but
`unrelated_from` marks where they begin, so the chunker files them under their own heading instead of under the
document's last section.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from corpus.normalize import to_index_text
from corpus.sentences import sentence_spans

ILLEGIBLE = "□"
UNRELATED_HEADING = "同版其他内容（非本文件正文）"  # the section other articles of the page are filed under

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_ARTEFACT = re.compile(rf"(?<=[{_CJK}])\([a-zü{_TONE_VOWELS}]*[{_TONE_VOWELS}][a-zü{_TONE_VOWELS}]*\)")

# matched from a line's start (re.match with pos: "^" would only match at the start of the whole text)
_NOISE_LINE = re.compile(
    r"\s*(?:打开.{0,8}(?:新闻|APP|App|客户端)\s*)?查看(?:精彩|更多|高清)?(?:图片|大图)\s*$"
    r"|\s*返回.{0,6}查看更多\s*$"
    r"|\s*点击(?:查看|阅读)(?:原文|全文)\s*$"
)
_CONTINUATION_MARK = re.compile(r"[(（](?:上接|下转|接|转)第?\s*[0-9一二三四五六七八九十]+\s*版[)）]")
_FOOTER_MARK = re.compile(
    r"^[(（]?\s*(?:图文|文章|本文|信息)?来源\s*[:：]|^(?:电邮|邮箱|电子邮箱|E-?mail|电话|联系电话|传真|地址|网址|"
    r"(?:责任)?编辑|责编|审核|校对|监制|出品|投稿)\s*[:：]",
    re.IGNORECASE,
)
_FOOTER_LINE_MAX = 40  # footers and slogans are short lines; a long line ends the footer

_GARBLED = re.compile(
    # UTF-8 read as Latin-1 / cp1252: å¤§å­¦, â€œ
    r"(?:[\u00c2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    r"\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,2}){2,}"
    r"|(?:锟斤拷)+|烫{3,}|屯{3,}|\ufffd+"
    # GBK/Big5 bytes decoded wrongly inside Chinese text: a "?"/"!" glued to characters and a stray capital,
    # as in 確?茖W論證 (確保科學論證) and 高!皩烁傔M (高校“對標競進)
    rf"|(?<=[{_CJK}])[?!][{_CJK}]{{1,6}}[A-Z](?=[{_CJK}、，,。])"
)

# whole lines a scraper or a markdown export adds; matched from a line's start
_MARKUP_LINE = re.compile(
    r"\s*(?:<!--.*?-->|-{3,}|\*{3,}|_{3,}|#{1,6}\s*(?:政策)?(?:全文|正文|原文)|【[^】\n]{2,10}】"
    r"|[-*+]\s*\[[^\]\n]*\]\([^)\n]*\)(?:\s*\(\w{2,5}\))?"
    # a government site's page furniture: where you are, font size, print / close, share
    r"|(?:当前位置|您的位置|您现在的位置|所在位置)\s*[:：].*|首页\s*[>›»/].*|字号\s*[:：]?\s*[大中小](?:\s*[大中小]){1,2}"
    r"|[【\[]?\s*(?:打印本页|打印|关闭本页|关闭窗口|关闭)\s*[】\]]?(?:\s*[【\[]?\s*(?:打印本页|打印|关闭本页|关闭窗口|关闭)\s*[】\]]?)*"
    r"|分享到\s*[:：]?.{0,30})\s*$"
)
_FIELD_NAMES = (r"发布日期|发布时间|发文日期|成文日期|发布机构|发布单位|发文机关|文章来源|信息来源|来源|原文链接|原文地址|"
                r"检索时间|检索关键词|关键词|主题分类|分类|附件|更新时间|索引号|浏览次数|作者")
_MARKDOWN_FIELD = re.compile(rf"\s*\*\*\s*(?:{_FIELD_NAMES})\s*\*\*\s*[:：]")  # **发布日期**: … (anywhere)
_PLAIN_FIELD = re.compile(rf"\s*(?:{_FIELD_NAMES})\s*[:：][^。！？!?]{{0,60}}$")  # 来源：四川日报 (above the text)
_FIELD_LINE_MAX = 80
# a licence or copyright notice set apart after the text (a Wikisource page's template)
_LICENCE = re.compile(r"\s*(?:本作品|本文(?:件)?(?:来自|属于|采用|依据)|Public domain|公有领域|版权所有|Copyright|知识共享)",
                      re.IGNORECASE)
_LICENCE_GAP_LINES = 3  # the blank lines that set the notice apart
_MARKDOWN_HEADING_MARK = re.compile(r"(?<![^\n])[ \t]*#{1,6}[ \t]+")
_MARKDOWN_LINK = re.compile(r"\[(?=[^\]\n]+\]\([^)\n]*\))|\]\([^)\n]*\)")  # the marks of [text](url), text kept
_BOLD_MARK = re.compile(r"\*\*|__")
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")  # zero-width spaces and joiners, BOM, soft hyphen

_REPEAT_MIN_CHARS = 8  # short sentences ("是。") may legitimately repeat

_LINE_BREAK_MIN_CHARS = 40  # only long body lines are candidates for a broken sentence
_OPEN_ENDINGS = tuple("。！？!?；;：:”’」』）)…—")
_FIRST_SENTENCE_END = re.compile(r"[。！？!?]")
# a line cannot start with these: it continues the line before it
_PROSE = re.compile(r"[，,、；;]")
_CONTINUING = tuple("，,、。；;：:！!？?）)》」』”’…")
# coarse: does a numbered heading start here (corpus.chunk tells the levels apart)
_CN_DIGITS = "一二三四五六七八九十"
_NUMBER = f"[{_CN_DIGITS}]+"
_HEADING_START = re.compile(rf"\s*(?:{_NUMBER}、|[(（](?:{_NUMBER}|\d+)[)）]|\d{{1,2}}[.．、]|第[{_CN_DIGITS}百\d]+[章节条部]|{_NUMBER}是)")
_INLINE_HEADING_TAIL = re.compile(rf"[。！？!?]\s*(?:{_NUMBER}、|[(（]{_NUMBER}[)）])[^。！？!?]*$")

# "■记者 唐诗敏", "本报记者 张三": a marker or a space sets the name apart (记者问答 is a heading, not a byline)
BYLINE = re.compile(r"\s*(?:[■▲●◆]\s*(?:本报|本刊)?(?:记者|通讯员|实习生)\s*|(?:本报|本刊)?(?:记者|通讯员|实习生)\s+)"
                     r"[\u4e00-\u9fff]{2,4}(?:\s|$)")


@dataclass(frozen=True)
class _Segment:
    start: int  # in the repaired text
    original_start: int
    original_end: int
    copied: bool  # copied char by char (else one replacement standing for the whole original span)


@dataclass(frozen=True)
class Repaired:
    original: str
    text: str
    warnings: tuple[str, ...]
    segments: tuple[_Segment, ...]  # the map back: every span of `text` lies in one or more segments
    unrelated_from: int | None = None  # offset in `text` where other articles of the same page begin

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that text[start:end] was repaired from."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span {start}:{end} is not inside the repaired text (length {len(self.text)})")
        first, last = self._segment_at(start), self._segment_at(end - 1)
        original_start = first.original_start + (start - first.start if first.copied else 0)
        original_end = last.original_start + (end - last.start) if last.copied else last.original_end
        return original_start, original_end

    def _segment_at(self, offset: int) -> _Segment:
        return self.segments[bisect.bisect_right(self.segments, offset, key=lambda segment: segment.start) - 1]


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    replacement: str = ""


def repair(original: str) -> Repaired:
    lines = list(_lines(original))
    warnings: list[str] = []
    removed = (_noise_lines(original, lines, warnings) | _footer_lines(original, lines, warnings)
               | _boilerplate_lines(original, lines, warnings))
    edits = [_Edit(start, min(end + 1, len(original))) for number, (start, end) in enumerate(lines) if number in removed]
    kept = [(number, start, end) for number, (start, end) in enumerate(lines) if number not in removed]
    edits += _markup_edits(original, kept, warnings)
    edits += _pinyin_edits(original, kept, warnings)
    for number, start, end in kept:
        edits += _line_edits(original, number, start, end, warnings)
    edits += _line_break_joins(original, kept, warnings)
    text, segments = _apply(original, edits)
    repaired = Repaired(original, text, tuple(warnings), segments)
    unrelated_from = _other_articles_start(text)
    if unrelated_from is None:
        return repaired
    headline = text[unrelated_from:].split("\n", 1)[0].strip()
    line_number = original.count("\n", 0, repaired.to_original(unrelated_from, unrelated_from + 1)[0]) + 1
    warnings.append(f"第{line_number}行起（「{headline}」）是同一报纸版面上的其他文章，不属于本文件，已单独归入“{UNRELATED_HEADING}”"
                    " (other articles of the same newspaper page follow the document)")
    return Repaired(original, text, tuple(warnings), segments, unrelated_from)


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line, end at its newline (or at the end of the text)."""
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def _noise_lines(original: str, lines: list[tuple[int, int]], warnings: list[str]) -> set[int]:
    noise = {number for number, (start, end) in enumerate(lines) if _NOISE_LINE.match(original, start, end)}
    if noise:
        start, end = lines[min(noise)]
        warnings.append(f"删除抓取噪声行 {len(noise)} 行，如「{original[start:end].strip()}」(removed scraping noise)")
    return noise


def _footer_lines(original: str, lines: list[tuple[int, int]], warnings: list[str]) -> set[int]:
    """The tail of short lines from the first source/contact line to the end, slogans between them included."""
    footer_start = None
    for number in range(len(lines) - 1, -1, -1):
        line = original[lines[number][0]:lines[number][1]].strip()
        if len(line) > _FOOTER_LINE_MAX:
            break
        if _FOOTER_MARK.search(line):
            footer_start = number
    if footer_start is None:
        return set()
    footer = [line for line in (original[start:end].strip() for start, end in lines[footer_start:]) if line]
    warnings.append(f"删除文末来源/联系方式页脚 {len(footer)} 行：{' / '.join(footer)} (removed trailing footer)")
    return set(range(footer_start, len(lines)))


def _boilerplate_lines(original: str, lines: list[tuple[int, int]], warnings: list[str]) -> set[int]:
    """Scraper headers and footers, rules, comments, link lists and a licence notice after the text."""
    texts = [original[start:end] for start, end in lines]
    removed = {number for number, line in enumerate(texts)
               if _MARKUP_LINE.match(line) or (len(line) <= _FIELD_LINE_MAX * 4 and _MARKDOWN_FIELD.match(line))}
    for number, line in enumerate(texts):  # plain "来源：…" fields only above the text's first sentence
        field = is_scraper_field(line)
        if _FIRST_SENTENCE_END.search(INVISIBLE.sub("", line)) and not field:
            break
        if field:
            removed.add(number)
    removed |= _licence_lines(texts)
    if removed:
        example = next(texts[number].strip() for number in sorted(removed) if texts[number].strip())
        warnings.append(f"删除网页抓取或排版残留 {len(removed)} 行，如「{example[:30]}」(removed scraper and markup lines)")
    return removed


def is_scraper_field(line: str) -> bool:
    """A header field a scraper or a newspaper puts above a text: "**发布日期**: …", "来源：四川日报", "來源：…"."""
    if _MARKDOWN_FIELD.match(line):
        return True
    return len(line) <= _FIELD_LINE_MAX and _PLAIN_FIELD.match(to_index_text(line)) is not None


def _licence_lines(texts: list[str]) -> set[int]:
    """From a licence notice set apart by blank lines in the last third of the text, to the end."""
    for number in range(len(texts) * 2 // 3, len(texts)):
        gap = texts[max(0, number - _LICENCE_GAP_LINES):number]
        if _LICENCE.match(texts[number]) and len(gap) == _LICENCE_GAP_LINES and not any(line.strip() for line in gap):
            return set(range(number, len(texts)))
    return set()


def _markup_edits(original: str, kept: list[tuple[int, int, int]], warnings: list[str]) -> list[_Edit]:
    """Markdown marks (## 第一章, **一、…**, [text](url)) and invisible characters, the words kept."""
    edits, invisible = [], 0
    for _, start, end in kept:
        for pattern in (_MARKDOWN_HEADING_MARK, _BOLD_MARK, _MARKDOWN_LINK, INVISIBLE):
            for match in pattern.finditer(original, start, end):
                edits.append(_Edit(match.start(), match.end()))
                invisible += pattern is INVISIBLE
    if invisible:
        warnings.append(f"删除不可见字符 {invisible} 个 (removed invisible characters)")
    if len(edits) > invisible:
        warnings.append(f"删除 Markdown 标记 {len(edits) - invisible} 处 (removed markdown marks)")
    return edits


def _pinyin_edits(original: str, kept: list[tuple[int, int, int]], warnings: list[str]) -> list[_Edit]:
    edits = [_Edit(match.start(), match.end()) for _, start, end in kept
             for match in _PINYIN_ARTEFACT.finditer(original, start, end)]
    if edits:
        example = original[edits[0].start - 1:edits[0].end + 1]
        warnings.append(f"删除拼音注音 {len(edits)} 处，如「{example}」(removed pinyin artefacts)")
    return edits


def _line_edits(original: str, number: int, start: int, end: int, warnings: list[str]) -> list[_Edit]:
    """Continuation marks, garbled runs and back-to-back repeated sentences within one line."""
    edits = []
    for match in _CONTINUATION_MARK.finditer(original, start, end):
        edits.append(_Edit(match.start(), match.end()))
        warnings.append(f"第{number + 1}行：删除报纸转版标记「{match.group()}」(removed continuation mark)")
    for match in _GARBLED.finditer(original, start, end):
        edits.append(_Edit(match.start(), match.end(), ILLEGIBLE))
        context = original[max(start, match.start() - 6):min(end, match.end() + 6)]
        warnings.append(f"第{number + 1}行：疑似乱码「{match.group()}」（…{context}…）不编入索引，正文以{ILLEGIBLE}标出"
                        " (garbled run replaced)")
    previous, previous_end, repeats = None, start, 0
    for sentence_start, sentence_end in sentence_spans(original, start, end):
        sentence = original[sentence_start:sentence_end]
        if sentence == previous and len(sentence) >= _REPEAT_MIN_CHARS:
            edits.append(_Edit(previous_end, sentence_end))  # with the space that set it apart
            previous_end, repeats = sentence_end, repeats + 1
            continue
        if repeats:
            warnings.append(f"第{number + 1}行：删除紧邻重复 {repeats} 次的句子「{previous}」(removed repeated sentence)")
        previous, previous_end, repeats = sentence, sentence_end, 0
    if repeats:
        warnings.append(f"第{number + 1}行：删除紧邻重复 {repeats} 次的句子「{previous}」(removed repeated sentence)")
    return edits


def _line_break_joins(original: str, kept: list[tuple[int, int, int]], warnings: list[str]) -> list[_Edit]:
    """A body line that stops mid-sentence continues on the next line: a page or column break, or a link.

    A long line without an ending is cut (a page break), and so is the line after it when that one was its
    continuation (a scraped page breaks around every link: "制定\n“十四五”规划\n，全面总结"); a line that
    starts with a comma or a closing mark always continues the line before it.
    """
    body = [(number, start, end) for number, start, end in kept if _unmarked(original[start:end]).strip()]
    edits = []
    continued = False
    for (number, start, end), (_, next_start, next_end) in zip(body, body[1:]):
        line, next_line = _unmarked(original[start:end]).rstrip(), _unmarked(original[next_start:next_end])
        # a title line is long too, but it is not prose: it has no commas
        long_line = continued or (len(line.strip()) >= _LINE_BREAK_MIN_CHARS and _PROSE.search(line) is not None)
        unclosed = line.count("（") + line.count("(") > line.count("）") + line.count(")")  # "…（责任单位："
        continued = (next_line.lstrip().startswith(_CONTINUING)
                     or (long_line and (unclosed or not line.endswith(_OPEN_ENDINGS))
                         and not _INLINE_HEADING_TAIL.search(line) and not _HEADING_START.match(next_line)))
        if continued:
            line_end = start + len(original[start:end].rstrip())
            next_raw = original[next_start:next_end]
            next_line_start = next_start + len(next_raw) - len(next_raw.lstrip())
            edits.append(_Edit(line_end, next_line_start))
            warnings.append(f"第{number + 1}行：句子跨页断开，已接合「…{line[-6:]}|{next_line.strip()[:6]}…」"
                            " (joined a sentence broken across a page)")
    return edits


def _unmarked(line: str) -> str:
    """A line as read, without markdown marks and invisible characters."""
    return INVISIBLE.sub("", _BOLD_MARK.sub("", _MARKDOWN_HEADING_MARK.sub("", line)))


def _apply(original: str, edits: list[_Edit]) -> tuple[str, tuple[_Segment, ...]]:
    """The repaired text and its map to the original; an edit overlapping an earlier one is already covered."""
    parts: list[str] = []
    segments: list[_Segment] = []
    length = position = 0
    for edit in sorted(edits, key=lambda edit: (edit.start, -edit.end)):
        if edit.start < position:
            continue
        if edit.start > position:
            segments.append(_Segment(length, position, edit.start, copied=True))
            parts.append(original[position:edit.start])
            length += edit.start - position
        if edit.replacement:
            segments.append(_Segment(length, edit.start, edit.end, copied=False))
            parts.append(edit.replacement)
            length += len(edit.replacement)
        position = edit.end
    if position < len(original) or not segments:
        segments.append(_Segment(length, position, len(original), copied=True))
        parts.append(original[position:])
    return "".join(parts), tuple(segments)


def _other_articles_start(text: str) -> int | None:
    """Start of the headline above a reporter's byline that comes well after the document began."""
    headline = None
    for start, end in _lines(text):
        line = text[start:end]
        if BYLINE.match(line) and start > len(text) // 5:
            return headline if headline is not None else start
        if line.strip():
            headline = start
    return None
