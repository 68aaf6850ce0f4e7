"""What a person or a program hands the engine, checked in one place for the CLI, the API and the window alike.

Every check raises BadQuestion with a message for the user, in Chinese: a wrong type, an empty or overlong text,
a conversation longer than the limit, a year outside any document's range, an unknown backend, a document or a
place the knowledge base does not hold. Invisible characters (control, zero-width, bidi overrides, lone
surrogates) are removed first: none of them is part of what anyone meant to ask.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from qa.places import region_aliases
from vectorstore.hits import SearchFilter

MAX_QUESTION_CHARS = 1000
MAX_CONVERSATION_CHARS = 4 * MAX_QUESTION_CHARS  # the question and its history together
MAX_RESULTS = 50
BACKENDS = ("local", "openai", "extractive")
YEARS = range(1949, 2101)  # the documents' possible years; anything else is a typo, never a filter
# control characters, invisible format characters (zero-width space/joiner, BOM, bidi marks, embeddings and
# isolates) and lone surrogates (what Python makes of invalid UTF-8 bytes in argv)
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
                        "\ud800-\udfff]")


class BadQuestion(ValueError):
    """A question (or a parameter of it) the engine cannot take; the message is for the user."""


def clean_text(text: str) -> str:
    return _INVISIBLE.sub("", text).strip()


def validate_question(text: object, *, what: str = "问题", limit: int = MAX_QUESTION_CHARS,
                      example: str = "要查询的问题", advice: str = ",或用“出处查询”查找长段原文") -> str:
    """The text without invisible characters; BadQuestion when it is no text, nothing is left, or it is too long."""
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise BadQuestion(f"{what}必须是一段文字,而不是{_kind(text)}。")
    cleaned = clean_text(text)
    if not cleaned:
        raise BadQuestion(f"{what}为空:请输入{example}。")
    if len(cleaned) > limit:
        raise BadQuestion(f"{what}过长({len(cleaned)}字):请控制在{limit}字以内{advice}。")
    return cleaned


def validate_phrase(text: object) -> str:
    """A sentence to look up (出处查询), under the same rules as a question."""
    return validate_question(text, what="要查找出处的句子", example="一句或一段原文", advice="")


def validate_history(history: object, question: str = "") -> list[str]:
    """The earlier questions of a conversation: strings, or chat messages ({"role", "content"}) of which the
    user's count. With the question they must stay within MAX_CONVERSATION_CHARS."""
    if history is None:
        return []
    if isinstance(history, (str, bytes)) or not isinstance(history, Sequence):
        raise BadQuestion(f"对话历史必须是问题的列表,而不是{_kind(history)}。")
    turns = []
    for turn in history:
        if isinstance(turn, dict) and isinstance(turn.get("content"), str):
            if turn.get("role", "user") != "user":
                continue
            turn = turn["content"]
        if not isinstance(turn, str):
            raise BadQuestion(f"对话历史中的每一项必须是问题文字或对话消息,而不是{_kind(turn)}。")
        if cleaned := clean_text(turn):
            turns.append(cleaned)
    total = len(question) + sum(map(len, turns))
    if total > MAX_CONVERSATION_CHARS:
        raise BadQuestion(f"对话过长(问题和历史共{total}字):请控制在{MAX_CONVERSATION_CHARS}字以内,或开始新对话。")
    return turns


def validate_years(years: object) -> tuple[int, ...]:
    """Years as ints (the window sends them as text): each a whole number between 1949 and 2100."""
    checked = []
    for year in _as_list(years, "年份"):
        text = year.strip() if isinstance(year, str) else year
        if isinstance(text, bool) or not (isinstance(text, int) or (isinstance(text, str) and text.isascii()
                                                                      and text.isdigit())):
            raise BadQuestion(f"年份必须是整数,如 2024,而不是“{_shown(year)}”。")
        value = text if isinstance(text, int) else int(text) if len(text) <= 4 else None  # no int() of 10^6 digits
        if value not in YEARS:
            raise BadQuestion(f"年份“{_shown(year)}”超出范围:请给出 {YEARS.start}–{YEARS.stop - 1} 之间的年份。")
        checked.append(value)
    return tuple(checked)


def validate_backend(backend: object) -> str | None:
    """One of BACKENDS, or None (empty) for the configured one."""
    if backend is None or backend == "":
        return None
    if not isinstance(backend, str) or backend not in BACKENDS:
        raise BadQuestion(f"回答方式“{_shown(backend)}”不存在:可选 {'、'.join(BACKENDS)}。")
    return backend


def validate_count(k: object, what: str = "结果数") -> int:
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_RESULTS:
        raise BadQuestion(f"{what}须为 1 到 {MAX_RESULTS} 之间的整数,而不是“{_shown(k)}”。")
    return k


def validate_doc_ids(kb, doc_ids: object) -> tuple[str, ...]:
    """Ids of documents the knowledge base holds now (not when a page was loaded)."""
    wanted = _as_list(doc_ids, "文件")
    known = {meta.doc_id for meta, _ in kb.documents()}
    unknown = [_shown(doc_id) for doc_id in wanted if not isinstance(doc_id, str) or doc_id not in known]
    if unknown:
        raise BadQuestion(f"知识库中没有文件“{'、'.join(unknown)}”:可用 `policyqa docs` 或“文件管理”查看已有文件的 ID。")
    return tuple(wanted)


def validate_regions(kb, regions: object) -> tuple[str, ...]:
    """Places of the knowledge base's documents, by full or short name (乐山 → 乐山市)."""
    wanted = _as_list(regions, "地区")
    aliases = region_aliases(sorted({meta.region for meta, _ in kb.documents()}))
    unknown = [_shown(region) for region in wanted if not isinstance(region, str) or region.strip() not in aliases]
    if unknown:
        raise BadQuestion(f"知识库中没有地区“{'、'.join(unknown)}”的文件:可选 {'、'.join(sorted(set(aliases.values())))}。")
    return tuple(dict.fromkeys(aliases[region.strip()] for region in wanted))


def search_filter(kb, doc_ids: object = (), regions: object = (), years: object = ()) -> SearchFilter | None:
    """The filter a search or a question runs under, every part checked; None when nothing narrows it."""
    checked = SearchFilter(doc_ids=validate_doc_ids(kb, doc_ids), regions=validate_regions(kb, regions),
                           years=validate_years(years))
    return checked if (checked.doc_ids or checked.regions or checked.years) else None


def _as_list(values: object, what: str) -> list:
    if values is None or values == "":
        return []
    if isinstance(values, (str, int)) and not isinstance(values, bool):
        return [values]
    if isinstance(values, (list, tuple)):
        return list(values)
    raise BadQuestion(f"{what}必须是一个列表,而不是{_kind(values)}。")


def _kind(value: object) -> str:
    return {list: "列表", tuple: "列表", dict: "对象", int: "数字", float: "数字", bool: "真假值"}.get(type(value), type(value).__name__)


def _shown(value: object, limit: int = 40) -> str:
    if isinstance(value, int) and abs(value) >= 10**limit:  # str() of a huge int is slow, or refused
        return f"{limit}位以上的数字"
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"
