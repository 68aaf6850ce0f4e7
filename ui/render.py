"""Engine records → the HTML the window shows. Pure functions: no Gradio, no knowledge base.

Links to sources are `<a href="#cite-KEY">`; the click listener in ui/app.py turns a click on one
into a request to open that source in the side panel. Every text from a document or a user is
escaped here, so nothing in the corpus can inject markup into the page.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from rapidfuzz import fuzz

from corpus.instructions import addresses_assistant
from corpus.model import Chunk, DocumentMeta
from qa.answer_types import Answer, Citation
from qa.lookup import LookupMatch

INSTRUCTION_LABEL = "疑似对问答系统的指令"
SOURCE_PANEL_HINT = "点击回答中的 [1]、[2] 等标记,在这里查看原文出处。"
NEAREST_PASSAGES = 3
SNIPPET_CHARS = 80
MIN_FUZZY_HIGHLIGHT = 80.0  # rapidfuzz score a near-verbatim quote needs before it is highlighted

_MARKER = re.compile(r"\[(\d+)\]")
_KEY = re.compile(r"^(\d+)-p?\d+$")


@dataclass(frozen=True)
class Source:
    """What one link in an answer points at: a passage and the words in it to highlight."""

    chunk: Chunk
    quotes: tuple[str, ...] = ()  # one marker may cite several sentences of its passage
    label: str = ""  # "[2]" for a citation, "相关段落 1" for a passage shown with a refusal


# -- keys: which turn and which link ------------------------------------------------------------


def citation_key(turn: int, marker: int) -> str:
    return f"{turn}-{marker}"


def passage_key(turn: int, rank: int) -> str:
    return f"{turn}-p{rank}"


def turn_of(key: str) -> int | None:
    """The turn a link key belongs to; None for anything that is not a key (it comes from the page)."""
    found = _KEY.match(key)
    return int(found.group(1)) if found else None


def answer_sources(answer: Answer, turn: int) -> dict[str, Source]:
    """Every link `answer_html` draws for this answer, by key."""
    chunks = {hit.chunk.chunk_id: hit.chunk for hit in answer.retrieved}
    sources: dict[str, Source] = {}
    for c in answer.citations:
        key = citation_key(turn, c.marker)
        if key in sources:
            sources[key] = Source(sources[key].chunk, (*sources[key].quotes, c.quote), sources[key].label)
        elif c.chunk_id in chunks:
            sources[key] = Source(chunks[c.chunk_id], (c.quote,), f"[{c.marker}]")
    if answer.refused:
        for rank, hit in enumerate(answer.retrieved[:NEAREST_PASSAGES], start=1):
            sources[passage_key(turn, rank)] = Source(hit.chunk, (), f"相关段落 {rank}")
    return sources


def passage_link(answer: Answer, turn: int, chunk_id: str) -> str | None:
    """The key of the link by which `answer` cites the passage `chunk_id`, if it cites it."""
    return next((key for key, source in answer_sources(answer, turn).items() if source.chunk.chunk_id == chunk_id),
                None)


def _link(key: str, label: str, title: str = "", kind: str = "pq-cite") -> str:
    title_attr = f' title="{escape(title)}"' if title else ""
    return f'<a class="{kind}" href="#cite-{key}"{title_attr}>{escape(label)}</a>'


# -- the chat -----------------------------------------------------------------------------------


# what makes HTML or Markdown markup of text: a tag, a link or image (![x](http://…) would make the browser fetch
# it), emphasis, code, math. As character references they are shown and never parsed; the rest stays as typed.
_MARKUP = re.compile(r"[&<>\"'\[\]!*_`~$\\]")


def question_html(question: str) -> str:
    """The user's own words in the chat (rendered as Markdown there): shown as typed, no markup, no image."""
    return f'<div class="pq-question">{user_text(question)}</div>'


def user_text(text: str) -> str:
    """Text for a Markdown view, every markup character as a character reference; line breaks kept."""
    return _MARKUP.sub(lambda mark: f"&#{ord(mark.group())};", text).replace("\n", "<br>")


def streaming_html(raw: str) -> str:
    """The model's text while it is still writing: unchecked, so shown plain and marked as such."""
    return (
        '<div class="pq-answer pq-streaming">'
        f'<div class="pq-text">{_paragraphs(escape(raw))}</div>'
        '<div class="pq-meta">正在生成…(引用核对前,内容仅供预览)</div></div>'
    )


def provisional_html(quoted: Answer, turn: int, written: str) -> str:
    """The quoted answer, shown at once while the model rewrites it; below it, what the model has written so far
    (unchecked, so plain and marked as a preview). The model's version replaces it only if it passes the check."""
    preview = f'<div class="pq-rewrite-text">{_paragraphs(escape(written))}</div>' if written.strip() else ""
    return answer_html(quoted, turn, provisional=True).removesuffix("</div>") + (
        f'<div class="pq-rewrite"><div class="pq-rewrite-status">{escape(REWRITING)}</div>{preview}</div></div>')


REWRITING = "以上为原文摘录;模型正在据此组织回答,通过引用核对后替换…"


def answer_html(answer: Answer, turn: int, provisional: bool = False) -> str:
    """The checked answer: cited text with clickable markers, unverified claims struck, the sources.

    Kept on one line of HTML: a blank line inside would end the HTML block in the chat's Markdown.
    """
    parts = ['<div class="pq-answer pq-provisional">' if provisional else '<div class="pq-answer">']
    if answer.notice:
        parts.append(f'<div class="pq-notice">⚠ {escape(answer.notice)}</div>')
    if answer.refused:
        parts.append(f'<div class="pq-refusal">{_paragraphs(escape(answer.text))}</div>')
        parts.append(_nearest_passages(answer, turn))
    else:
        parts.append(f'<div class="pq-text">{_linked_text(answer, turn)}</div>')
    if answer.flagged:
        parts.append('<div class="pq-flagged-list">')
        for claim in answer.flagged:
            parts.append(
                f'<div class="pq-flagged"><span class="pq-flag-label">未能核实</span> <del>{escape(claim)}</del></div>'
            )
        parts.append('</div>')
    if answer.citations:
        parts.append('<div class="pq-sources"><div class="pq-sources-title">出处</div>')
        first_by_marker: dict[int, Citation] = {}
        for c in answer.citations:
            first_by_marker.setdefault(c.marker, c)
        for c in first_by_marker.values():
            where = f"《{c.doc_title}》{c.section or '正文'}"
            parts.append(f'<div class="pq-source-line">{_link(citation_key(turn, c.marker), f"[{c.marker}]")} '
                         f'{escape(where)}</div>')
        parts.append('</div>')
    parts.append(f'<div class="pq-meta">{escape(_answer_meta(answer))}</div></div>')
    return "".join(parts)


def _linked_text(answer: Answer, turn: int) -> str:
    cited = {c.marker: c for c in answer.citations}

    def link(match: re.Match) -> str:
        marker = int(match.group(1))
        if marker not in cited:
            return match.group(0)
        citation = cited[marker]
        return _link(citation_key(turn, marker), f"[{marker}]", f"《{citation.doc_title}》{citation.section}")

    return _paragraphs(_MARKER.sub(link, escape(answer.text)))


def _nearest_passages(answer: Answer, turn: int) -> str:
    if not answer.retrieved:
        return ""
    items = []
    for rank, hit in enumerate(answer.retrieved[:NEAREST_PASSAGES], start=1):
        chunk = hit.chunk
        where = f"《{chunk.meta.title}》{chunk.section or '正文'}"
        items.append(
            f'<li>{_link(passage_key(turn, rank), where, kind="pq-passage-link")}'
            f'<div class="pq-snippet">{escape(_snippet(chunk.text))}</div></li>'
        )
    return ('<div class="pq-nearest"><div class="pq-sources-title">最接近的段落(它们不能回答这个问题,仅供参考)</div>'
            f'<ol>{"".join(items)}</ol></div>')


def _answer_meta(answer: Answer) -> str:
    kind, _, model = answer.backend.partition(":")  # "local:qwen2.5-1.5b", "openai:deepseek-chat"
    backend = {"extractive": "原文摘录", "refusal": "未调用大模型", "lookup": "出处查询",
               "local": f"本地模型 {model}", "openai": f"在线模型 {model}"}.get(kind, answer.backend)
    seconds = answer.latency_ms.get("total", 0.0) / 1000
    return f"回答方式:{backend} · 用时 {seconds:.1f} 秒"


def _paragraphs(escaped: str) -> str:
    """Line breaks kept, blank lines between them dropped (scraped pages put one after every line)."""
    return re.sub(r"\n\s*\n", "\n", escaped.strip()).replace("\n", "<br>")


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[:SNIPPET_CHARS] + "…"


# -- the source panel ---------------------------------------------------------------------------


def source_html(source: Source, section_chunks: Sequence[Chunk]) -> str:
    """One passage with its document's details, the cited words marked, and the section around it.

    `section_chunks` are the chunks shown when the reader expands the passage, in document order;
    the cited chunk among them is marked so the reader keeps their place.
    """
    chunk, meta = source.chunk, source.chunk.meta
    parts = [
        '<div class="pq-source">',
        f'<div class="pq-source-label">{escape(source.label)}</div>',
        f'<div class="pq-source-title">《{escape(meta.title)}》</div>',
        f'<div class="pq-source-meta">{_meta_line(meta)}</div>',
        f'<div class="pq-source-section">位置:{escape(chunk.section or "正文")}</div>',
        f'<blockquote class="pq-passage">{_paragraphs(highlight(chunk.text, source.quotes))}</blockquote>',
    ]
    if addresses_assistant(chunk.text):
        parts.insert(5, f'<div class="pq-notice">⚠ 这段文字含{INSTRUCTION_LABEL},不作为回答依据。</div>')
    if len(section_chunks) > 1:
        expanded = "".join(
            f'<div class="pq-context{" pq-context-cited" if c.chunk_id == chunk.chunk_id else ""}">'
            f'{_paragraphs(highlight(c.text, source.quotes) if c.chunk_id == chunk.chunk_id else escape(c.text))}</div>'
            for c in section_chunks
        )
        parts.append(f'<details class="pq-expand"><summary>展开上下文(本节共 {len(section_chunks)} 段)</summary>'
                     f'{expanded}</details>')
    parts.append('</div>')
    return "".join(parts)


def _meta_line(meta: DocumentMeta) -> str:
    fields = [("发文", meta.issuer), ("日期", meta.date), ("地区", meta.region), ("来源", meta.source)]
    return " · ".join(f"{name}:{escape(value)}" for name, value in fields if value) or "发文信息不详"


def highlight(text: str, quotes: Sequence[str]) -> str:
    """Escaped `text` with each quote wrapped in <mark>; a near-verbatim quote (whitespace, a repaired
    character) is found by fuzzy alignment, anything less is not marked rather than marked wrongly."""
    spans = sorted(span for span in (_quote_span(text, quote) for quote in quotes) if span[0] < span[1])
    parts, position = [], 0
    for start, end in spans:
        start = max(start, position)  # overlapping quotes share one mark
        if start < end:
            parts += [escape(text[position:start]), f"<mark>{escape(text[start:end])}</mark>"]
            position = end
    return "".join(parts) + escape(text[position:])


def _quote_span(text: str, quote: str) -> tuple[int, int]:
    quote = quote.strip()
    if not quote:
        return 0, 0
    found = text.find(quote)
    if found >= 0:
        return found, found + len(quote)
    if len(quote) > len(text):
        return 0, 0
    alignment = fuzz.partial_ratio_alignment(quote, text, score_cutoff=MIN_FUZZY_HIGHLIGHT)
    return (alignment.dest_start, alignment.dest_end) if alignment else (0, 0)


def section_context(chunk: Chunk, document_chunks: Sequence[Chunk]) -> list[Chunk]:
    """The chunks of the cited chunk's section; a section cut into one chunk gets its neighbours."""
    ordered = sorted(document_chunks, key=lambda c: c.ordinal)
    section = [c for c in ordered if c.section_path == chunk.section_path]
    if len(section) > 1:
        return section
    return [c for c in ordered if abs(c.ordinal - chunk.ordinal) <= 1]


# -- lookup -------------------------------------------------------------------------------------


def lookup_html(phrase: str, matches: Sequence[LookupMatch]) -> str:
    """qa.lookup.LookupMatch list → where the phrase stands, exact matches first (as lookup ranks them)."""
    if not phrase.strip():
        return '<div class="pq-notice">请粘贴一句或一段原文。</div>'
    if not matches:
        return f'<div class="pq-refusal">文件中没有找到“{escape(phrase.strip())}”这段话或相近的表述。</div>'
    items = []
    for match in matches:
        kind = '<span class="pq-badge pq-exact">原文</span>' if match.exact else '<span class="pq-badge">近似</span>'
        if addresses_assistant(match.matched_text):
            kind += f' <span class="pq-badge pq-instruction">{INSTRUCTION_LABEL}</span>'
        items.append(
            '<div class="pq-lookup">'
            f'<div class="pq-lookup-head">{kind} 《{escape(match.doc_title)}》'
            f'<span class="pq-lookup-section">{escape(match.section or "正文")}</span>'
            f'<span class="pq-score">原文第 {match.start}–{match.end} 字 · 相似度 {match.score:.0%}</span></div>'
            f'<blockquote class="pq-passage">…{_paragraphs(highlight(match.context, (match.matched_text,)))}…</blockquote>'
            '</div>'
        )
    return "".join(items)


# -- documents ----------------------------------------------------------------------------------

DOCUMENT_COLUMNS = ["文件", "发文机关", "地区", "日期", "类型", "来源", "分块数", "文件ID"]


def document_rows(documents: Sequence[tuple[DocumentMeta, int]],
                  instructions: Mapping[str, Sequence[str]] | None = None) -> list[list]:
    """One row per document; one with sentences addressed to the assistant says so after its title."""
    instructions = instructions or {}
    return [
        [meta.title + (f"(⚠ {len(instructions[meta.doc_id])} 句{INSTRUCTION_LABEL},不作为回答依据)"
                       if instructions.get(meta.doc_id) else ""),
         meta.issuer, meta.region, meta.date or "不详", meta.kind, meta.source, count, meta.doc_id]
        for meta, count in documents
    ]


# -- briefing -----------------------------------------------------------------------------------



def _footnote_label(self, tokens, idx, options, env) -> str:
    return f"[{escape(tokens[idx].meta['label'])}]"


def _footnote_item(self, tokens, idx, options, env) -> str:
    anchor = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    return f'<li id="fn{anchor}" value="{escape(tokens[idx].meta["label"])}" class="footnote-item">'


# Gradio's Markdown knows no footnotes: the briefing is turned into HTML here. Raw HTML stays off
# (document text must not become markup); the one tag the briefing writes, <br> between entries of
# a table cell, is put back after escaping. Notes keep the briefing's own numbers (the plugin would
# renumber them and show "[26:1]" for a repeat), so the page, the Word and the Markdown file agree.
_BRIEFING_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table").use(footnote_plugin)
_BRIEFING_MARKDOWN.disable("image")  # a topic or a document's ![x](http://…) must not make the browser fetch it
_BRIEFING_MARKDOWN.add_render_rule("footnote_caption", _footnote_label)
_BRIEFING_MARKDOWN.add_render_rule("footnote_open", _footnote_item)


def briefing_html(markdown: str) -> str:
    return _BRIEFING_MARKDOWN.render(markdown).replace("&lt;br&gt;", "<br>")


def briefing_progress_html(titles: Sequence[str], done: int, written: int, seconds: float) -> str:
    """While a briefing is built: each document read (✓), being read (…) or waiting, then the points."""
    lines = []
    for index, title in enumerate(titles):
        state, mark = ("pq-done", "✓") if index < done else ("pq-reading", "…") if index == done else ("pq-waiting", "·")
        lines.append(f'<li class="{state}">{mark} 《{escape(title)}》</li>')
    if done >= len(titles):
        what = f"正在撰写要点(已写 {written} 字)" if written else "正在比较各文件、撰写要点"
        lines.append(f'<li class="pq-reading">… {what}</li>')
    return (f'<div class="pq-progress" id="briefing-progress"><div class="pq-progress-title">正在生成简报:'
            f'已读 {min(done, len(titles))}/{len(titles)} 份文件 · {seconds:.0f} 秒</div><ul>{"".join(lines)}</ul></div>')
