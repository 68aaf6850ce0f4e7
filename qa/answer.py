"""Retrieval to answer: the flow every question takes, top to bottom.

    question → validate → stand-alone rewrite (follow-ups) → lookup route ("出自哪里")
             → retrieve (hybrid, every named place) → answerable? (else refuse)
             → LLM with numbered sources, streamed (or extractive) → citation check
             → (lists: the items the model left out, quoted) → Answer

The LLM is called in `Engine.stream` (through qa/llm.py); citations are checked in qa/citations.py; refusal is decided in
qa/evidence.py before the model is asked, because small local models invent answers when the
context does not hold one.
"""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from corpus.normalize import normalize_query
from corpus.sentences import sentence_spans
from qa import evidence, prompts
from qa.answer_types import Answer, Citation
from qa.citations import check_answer, cite, fold
from qa.extractive import complete_list, extractive_answer
from qa.llm import ChatLLM, LLMUnavailable, make_llm
from qa.lookup import extract_quoted_phrase, lookup
from qa.models import ModelNotInstalled
from qa.places import named_regions, region_aliases
from settings import Settings
from vectorstore.hits import Hit, SearchFilter
from vectorstore.knowledge_base import KnowledgeBase

MAX_QUESTION_CHARS = 1000
SHORT_ANSWER_CHARS = 150  # a fact is one or two sentences
LIST_ANSWER_CHARS = 300  # "有哪些/概括" asks for several measures: quoting only two would mislead
REFUSAL = "文件中没有找到能回答这个问题的内容。"
REWRITE_EXTRA_TOKENS = 60  # beyond the quotes' length: the place and subject the model adds to make sentences
# control characters, invisible format characters (zero-width space/joiner, BOM) and lone surrogates
# (what Python makes of invalid UTF-8 bytes in argv): none of them is part of a question
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2060-\u2064\ufeff\ud800-\udfff]")
_LOOKUP_WORDS = re.compile(r"出自|出处|来源于|在哪|哪份|哪个文件|哪些文件|哪一部分|哪部分")
_ASKS_LIST = re.compile(r"哪些|哪几|概括|总结|举措|措施|分别|各自|有什么")
_QUOTE_MARK = re.compile(r"[“「『\"]")
_FOLLOW_UP = re.compile(r"^(那|那么|还有|另外|再|同样)|呢[?？]?$")


class BadQuestion(ValueError):
    """A question the engine cannot take; the message is for the user."""


@dataclass(frozen=True)
class AnswerEvent:
    """What `Engine.stream` yields: the quoted answer at once (provisional when a model will rewrite it), the
    model's text deltas as it writes, then the answer shown in the end (the model's if it passed the check)."""

    delta: str = ""
    answer: Answer | None = None
    provisional: bool = False


def validate_question(text: str, *, what: str = "问题", limit: int = MAX_QUESTION_CHARS,
                      example: str = "要查询的问题", advice: str = ",或用“出处查询”查找长段原文") -> str:
    """The text without control characters; BadQuestion when nothing is left or it is too long."""
    cleaned = _CONTROL.sub("", text or "").strip()
    if not cleaned:
        raise BadQuestion(f"{what}为空:请输入{example}。")
    if len(cleaned) > limit:
        raise BadQuestion(f"{what}过长({len(cleaned)}字):请控制在{limit}字以内{advice}。")
    return cleaned


def standalone_question(question: str, history: Sequence[str], aliases: dict[str, str]) -> str:
    """Rewrite a follow-up ("那南充呢?") into a question that stands alone, from the previous one.

    Done by rule, not by the LLM: the small local models rewrite unreliably, and the rule is
    enough for the follow-ups people type: swap the place, or add the new ask to the old topic.
    """
    if not history or not (_FOLLOW_UP.search(question) or len(question) <= 8):
        return question
    previous = history[-1]
    new_places = named_regions(question, aliases)
    old_places = named_regions(previous, aliases)
    if new_places and old_places:
        rewritten = previous
        for alias, region in aliases.items():
            if region == old_places[0] and alias in rewritten:
                rewritten = rewritten.replace(alias, re.sub(r"(市|省)$", "", new_places[0]))
        return rewritten
    ask = re.sub(r"^(那么|那|还有|另外|再|同样)|呢[?？]?$", "", question).strip(" ,，")
    return f"{previous} {ask}".strip()


class Engine:
    """Answers questions over one knowledge base with the LLM backend chosen per call."""

    def __init__(self, settings: Settings, kb: KnowledgeBase | None = None):
        self.settings = settings
        self.kb = kb or KnowledgeBase(settings)
        self._llms: dict[str, ChatLLM | None] = {}
        self._llms_lock = threading.Lock()  # the app's background load and a first question must share one model

    # -- the pieces -------------------------------------------------------------------------

    def llm(self, backend: str | None = None) -> ChatLLM | None:
        """The backend's client, made once; None means extractive."""
        name = backend or self.settings.llm.backend
        with self._llms_lock:
            if name not in self._llms:
                llm_settings = self.settings.llm.model_copy(update={"backend": name})
                self._llms[name] = make_llm(llm_settings, self.settings.model_dir)
            return self._llms[name]

    def aliases(self) -> dict[str, str]:
        return region_aliases([meta.region for meta, _ in self.kb.documents()])

    def retrieve(self, question: str, filters: SearchFilter | None = None,
                 places: Sequence[str] = ()) -> list[Hit]:
        """Hybrid search; a question naming places gets the best passages of each place first, then the rest
        (a question about 南充 must not lose to a longer Chengdu passage that shares more words)."""
        k = self.settings.retrieval.k
        query = normalize_query(question)
        hits = self.kb.search(query, k=k, filters=filters)
        if not places:
            return hits
        per_place = [
            self.kb.search(query, k=k, filters=_narrow(filters, place)) for place in places
        ]
        merged: list[Hit] = []
        seen: set[str] = set()
        for rank in range(k):  # interleave: every named place is represented near the top
            for ranked in [*per_place, hits]:
                if rank < len(ranked) and ranked[rank].chunk.chunk_id not in seen:
                    seen.add(ranked[rank].chunk.chunk_id)
                    merged.append(ranked[rank])
        return merged[: k + len(places)]

    # -- the flow ---------------------------------------------------------------------------

    def ask(self, question: str, history: Sequence[str] = (), filters: SearchFilter | None = None,
            backend: str | None = None) -> Answer:
        answer = None
        for event in self.stream(question, history, filters, backend):
            answer = event.answer or answer
        assert answer is not None
        return answer

    def stream(self, question: str, history: Sequence[str] = (), filters: SearchFilter | None = None,
               backend: str | None = None) -> Iterator[AnswerEvent]:
        started = time.perf_counter()
        asked = validate_question(question)
        aliases = self.aliases()
        standalone = standalone_question(asked, history, aliases)

        # only a quoted phrase is looked up: "在哪次会议上通过" asks a fact, not a source
        quoted = _QUOTE_MARK.search(standalone) and _LOOKUP_WORDS.search(standalone)
        phrase = extract_quoted_phrase(standalone) if quoted else ""
        if phrase:
            answer = self._lookup_answer(standalone, phrase)
            answer.latency_ms = _latency(started, started, answer.latency_ms.get("retrieve", 0.0))
            yield AnswerEvent(answer=answer)
            return

        places = named_regions(normalize_query(standalone), aliases)
        hits = self.retrieve(standalone, filters, places)
        retrieved_at = time.perf_counter()
        base = Answer(question=standalone, text="", refused=False, retrieved=hits)

        if not evidence.answerable(standalone, hits, places):
            base.text, base.refused, base.backend = REFUSAL, True, "refusal"
            base.latency_ms = _latency(started, retrieved_at)
            yield AnswerEvent(answer=base)
            return

        try:
            llm = self.llm(backend)
        except (LLMUnavailable, ModelNotInstalled) as error:  # the chat never dies with its backend
            llm, base.notice = None, f"大模型不可用({error}),已改用原文摘录模式。"
        quoted = self._extractive(base, started, retrieved_at)
        if llm is None or quoted.refused:
            yield AnswerEvent(answer=quoted)
            return
        # Extract, then write: the verified quotes are shown at once, and the model rewrites only them
        yield AnswerEvent(answer=quoted, provisional=True)
        yield from self._written_from_quotes(llm, quoted, started, retrieved_at)

    def _written_from_quotes(self, llm: ChatLLM, quoted: Answer, started: float,
                             retrieved_at: float) -> Iterator[AnswerEvent]:
        """The model's answer from the quoted answer's evidence, if it passes the citation check; else the quotes,
        with a notice. The check runs against the passages the quotes stand in, numbered as the model saw them."""
        question, hits = quoted.question, quoted.retrieved
        given = prompts.evidence_from_citations(quoted.citations, {hit.chunk.chunk_id: hit.chunk for hit in hits})
        raw, first_token_at = "", None
        try:
            # a rewrite of the quotes needs about as many tokens as they have characters (Qwen: ~1.4 characters
            # a token), and a sentence more; a model that rambles past that only keeps the person waiting
            max_tokens = min(self.settings.llm.max_tokens, len(quoted.text) + REWRITE_EXTRA_TOKENS)
            for delta in llm.stream(prompts.evidence_messages(question, given), max_tokens=max_tokens):
                first_token_at = first_token_at or time.perf_counter()
                raw += delta
                yield AnswerEvent(delta=delta)
        except LLMUnavailable as error:
            yield AnswerEvent(answer=_kept_quotes(quoted, f"大模型调用失败({error}),已改用原文摘录模式。",
                                                  started, retrieved_at, first_token_at))
            return
        sources = [item.chunk for item in given]
        checked = check_answer(raw, sources, self._originals(hits))
        if not checked.supported or checked.flagged or not evidence.addresses(question, checked.text):
            # Nothing survived, something the model added is not in the quotes, or what it says answers
            # another question: the quotes say it verbatim already.
            yield AnswerEvent(answer=_kept_quotes(quoted, "模型的回答未能通过引用核对,以下为原文摘录。",
                                                  started, retrieved_at, first_token_at))
            return
        if _ASKS_LIST.search(question):  # small models drop items of a list: the rest is quoted after
            checked = complete_list(checked, question, hits, _quote_budget(question), self._originals(hits))
        written = replace(quoted, text=checked.text, citations=checked.citations, flagged=checked.flagged,
                          backend=llm.name, latency_ms=_latency(started, retrieved_at, first_token=first_token_at))
        written.latency_ms["quoted"] = quoted.latency_ms["total"]
        yield AnswerEvent(answer=written)

    def _extractive(self, base: Answer, started: float, retrieved_at: float) -> Answer:
        extracted = extractive_answer(base.question, base.retrieved, max_chars=_quote_budget(base.question),
                                      original_texts=self._originals(base.retrieved))
        base.text, base.citations, base.backend = extracted.text, extracted.citations, "extractive"
        if not base.citations:
            base.text, base.refused = REFUSAL, True
        base.latency_ms = _latency(started, retrieved_at, first_token=time.perf_counter())
        return base

    def _originals(self, hits: Sequence[Hit]) -> dict[str, str]:
        """The original file texts behind the hits: exact citation offsets where chunk text was repaired."""
        return {doc_id: self.kb.original_text(doc_id) for doc_id in {hit.chunk.doc_id for hit in hits}}

    def _lookup_answer(self, question: str, phrase: str) -> Answer:
        """"这句话出自哪里": where the phrase stands, each place with the sentence that holds it."""
        started = time.perf_counter()
        chunks = self.kb.chunks()
        originals = {meta.doc_id: self.kb.original_text(meta.doc_id) for meta, _ in self.kb.documents()}
        matches = lookup(phrase, chunks, originals)
        if any(match.exact for match in matches):
            matches = [match for match in matches if match.exact]  # near misses only distract then
        answer = Answer(question=question, text="", refused=not matches, backend="lookup",
                        latency_ms={"retrieve": (time.perf_counter() - started) * 1000})
        if not matches:
            answer.text = f"文件中没有找到“{phrase}”这段话。"
            return answer
        by_id = {chunk.chunk_id: chunk for chunk in chunks}
        lines = []
        for number, match in enumerate(matches, start=1):
            chunk = by_id[match.chunk_id]
            span = _sentence_holding(chunk.text, match.matched_text)
            citation = (cite(number, chunk, *span, originals[chunk.doc_id]) if span else
                        Citation(number, chunk.chunk_id, chunk.doc_id, match.doc_title, match.section,
                                 match.matched_text, match.start, match.end))
            wording = "原文" if match.exact else "近似表述"
            lines.append(f"{wording}见于{chunk.meta.region}《{match.doc_title}》“{_short(match.section or '正文')}”:"
                         f"{citation.quote}[{number}]")
            answer.citations.append(citation)
            answer.retrieved.append(Hit(chunk=chunk, score=match.score))
        answer.text = "\n".join(lines)
        return answer


def _kept_quotes(quoted: Answer, notice: str, started: float, retrieved_at: float,
                 first_token_at: float | None) -> Answer:
    """The quoted answer as the final one, saying why the model's is not shown."""
    latency = _latency(started, retrieved_at, first_token=first_token_at)
    latency["quoted"] = quoted.latency_ms["total"]
    return replace(quoted, notice=notice, latency_ms=latency)


def _quote_budget(question: str) -> int:
    return LIST_ANSWER_CHARS if _ASKS_LIST.search(question) else SHORT_ANSWER_CHARS


def _sentence_holding(text: str, matched: str) -> tuple[int, int] | None:
    """Span of the sentence of `text` that holds the matched words (compared folded: scripts and
    artefacts differ), or None when the match straddles sentences."""
    target = fold(matched)
    for start, end in sentence_spans(text):
        if target and target in fold(text[start:end]):
            return start, end
    return None


def _short(section: str, limit: int = 40) -> str:
    """Press-conference sections are named by the reporter's whole question: keep the answer readable."""
    return " > ".join(part if len(part) <= limit else part[: limit - 1] + "…" for part in section.split(" > "))


def _narrow(filters: SearchFilter | None, region: str) -> SearchFilter:
    base = filters or SearchFilter()
    return SearchFilter(doc_ids=base.doc_ids, regions=(region,), years=base.years)


def _latency(started: float, retrieved_at: float, retrieve: float | None = None,
             first_token: float | None = None) -> dict[str, float]:
    now = time.perf_counter()
    latency = {
        "retrieve": retrieve if retrieve is not None else (retrieved_at - started) * 1000,
        "total": (now - started) * 1000,
    }
    if first_token is not None:
        latency["first_token"] = (first_token - started) * 1000
    return latency
