"""Retrieval to answer: the flow every question takes, top to bottom.

    question → validate → stand-alone rewrite (follow-ups) → parse once (qa/question.py: kind, subject, places,
             years, parts) → lookup route ("出自哪里") → retrieve (hybrid, every named place)
             → answerable? per ask (qa/answerability.py; else refuse)
             → LLM with numbered sources, streamed (or extractive) → citation check
             → (lists: the items the model left out, quoted; asks not answered: said to be missing) → Answer

The LLM is called in `Engine.stream` (through qa/llm.py); citations are checked in qa/citations.py; refusal is
decided in qa/answerability.py before the model is asked, because small local models invent answers when the
context does not hold one. Both backends answer the same asks from the same verdicts.
"""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from corpus.instructions import addresses_assistant
from corpus.model import Chunk
from corpus.normalize import normalize_query
from corpus.sentences import sentence_spans
from qa import answerability, lexicon, prompts
from qa.answer_types import Answer, Citation
from qa.citations import CheckedAnswer, check_answer, cite, figures, fold, with_markers
from qa.disagreement import note_disagreement
from qa.extractive import answer_asks, complete_list, missing_statement, named_section
from qa.inputs import BadQuestion, validate_backend, validate_history, validate_question  # BadQuestion: re-exported
from qa.llm import ChatLLM, LLMUnavailable, make_llm
from qa.lookup import (MIN_REWORDED_SIMILARITY, LookupMatch, extract_quoted_phrase, located, lookup,
                       reworded_candidates)
from qa.models import ModelNotInstalled
from qa.places import named_regions, region_aliases
from qa.question import LOOKUP, QUANTITIES, Question, parse
from settings import Settings
from vectorstore.hits import Hit, SearchFilter
from vectorstore.knowledge_base import KnowledgeBase

_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
SHORT_ANSWER_CHARS = 150  # a fact is one or two sentences
LIST_ANSWER_CHARS = 400  # "有哪些/概括" asks for every sub-point of a section: quoting only two would mislead
REFUSAL = "文件中没有找到能回答这个问题的内容。"
MAX_KEPT_VECTORS = 50_000  # sentence vectors kept between questions (~100 MB at 512 dimensions)
MAX_SECTION_CHUNKS = 40  # a chapter's articles; more would be a whole document, not a section
MIN_ANSWER_RELEVANCE = 0.15  # an answer sharing less of the question's subject answers something else
REWRITE_EXTRA_TOKENS = 60  # beyond the quotes' length: the place and subject the model adds to make sentences


@dataclass(frozen=True)
class AnswerEvent:
    """What `Engine.stream` yields: the quoted answer at once (provisional when a model will rewrite it), the
    model's text deltas as it writes, then the answer shown in the end (the model's if it passed the check)."""

    delta: str = ""
    answer: Answer | None = None
    provisional: bool = False


def standalone_question(question: str, history: Sequence[str], aliases: dict[str, str]) -> str:
    """Rewrite a follow-up ("那南充呢?") into a question that stands alone, from the previous one.

    Done by rule, not by the LLM: the small local models rewrite unreliably, and the rule is
    enough for the follow-ups people type: swap the place, or add the new ask to the old topic.
    """
    if not history or not (lexicon.FOLLOW_UP_HEAD.search(question) or lexicon.FOLLOW_UP_TAIL.search(question)
                           or len(question) <= 8):
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
    ask = lexicon.FOLLOW_UP_TAIL.sub("", lexicon.FOLLOW_UP_HEAD.sub("", question)).strip(" ,，")
    return f"{previous} {ask}".strip()


class Engine:
    """Answers questions over one knowledge base with the LLM backend chosen per call."""

    def __init__(self, settings: Settings, kb: KnowledgeBase | None = None):
        self.settings = settings
        self.kb = kb or KnowledgeBase(settings)
        self._llms: dict[str, ChatLLM | None] = {}
        self._sentence_vectors: dict[str, np.ndarray] = {}
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

    def similarity(self, question: str, sentences: Sequence[str]) -> list[float]:
        """The sentence encoder's cosine similarity of each sentence to the question (answerability's dense side:
        经济规模 and 经济总量 share no word but stand close); sentence vectors are kept, as sentences recur."""
        embedder = self.kb.embedder()
        missing = [sentence for sentence in dict.fromkeys(sentences) if sentence not in self._sentence_vectors]
        if len(self._sentence_vectors) + len(missing) > MAX_KEPT_VECTORS:
            self._sentence_vectors.clear()
        for sentence, vector in zip(missing, embedder.embed_documents(missing) if missing else []):
            self._sentence_vectors[sentence] = _unit(np.asarray(vector, dtype=float))
        asked = _unit(np.asarray(embedder.embed_query(question), dtype=float))
        return [float(self._sentence_vectors[sentence] @ asked) for sentence in sentences]

    def parse(self, question: str, aliases: dict[str, str] | None = None) -> Question:
        """The question's record against the knowledge base's documents: their titles and regions, read once."""
        metas = [meta for meta, _ in self.kb.documents()]
        return parse(question, self.aliases() if aliases is None else aliases,
                     {meta.doc_id: meta.title for meta in metas}, {meta.doc_id: meta.region for meta in metas})

    def retrieve(self, question: Question | str, filters: SearchFilter | None = None) -> list[Hit]:
        """Hybrid search; a question naming documents or places gets the best passages of each first, then the
        rest (a question about 南充 must not lose to a longer Chengdu passage that shares more words; one about
        "上海科创条例" not to the other Shanghai documents)."""
        if isinstance(question, str):  # a briefing's topic
            question = self.parse(question)
        k = self.settings.retrieval.k
        query = question.search_text
        hits = _evidence(self.kb.search(query, k=k, filters=filters))
        named = ({meta.doc_id: meta for meta, _ in self.kb.documents() if meta.doc_id in question.documents}
                 if question.documents else {})
        # within a named document its title's words match every passage: search for the rest of the question; a
        # place named beside it and not its own ("四川怎么落实十四五数字经济规划") is searched as well
        named_regions = {meta.region for meta in named.values()}
        narrowed = ([(_narrow(filters, doc_id=doc_id), _without_title(question, named[doc_id].title))
                     for doc_id in question.documents]
                    + [(_narrow(filters, region=place), query) for place in question.places if place not in named_regions])
        narrowed = [(narrow, text) for narrow, text in narrowed if narrow is not None]
        if not narrowed:
            return hits
        per_place = [_evidence(self.kb.search(text, k=k, filters=narrow)) for narrow, text in narrowed]
        merged: list[Hit] = []
        seen: set[str] = set()
        for rank in range(k):  # interleave: every named place is represented near the top
            for ranked in [*per_place, hits]:
                if rank < len(ranked) and ranked[rank].chunk.chunk_id not in seen:
                    seen.add(ranked[rank].chunk.chunk_id)
                    merged.append(ranked[rank])
        return merged[: k + len(narrowed)]

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
        history, backend = validate_history(history, asked), validate_backend(backend)
        aliases = self.aliases()
        standalone = standalone_question(asked, history, aliases)

        parsed = self.parse(standalone, aliases)

        # only a quoted phrase is looked up: "在哪次会议上通过" asks a fact, not a source
        phrase = extract_quoted_phrase(standalone) if parsed.kind == LOOKUP else ""
        if phrase:
            answer = self._lookup_answer(standalone, phrase)
            answer.latency_ms = _latency(started, started, answer.latency_ms.get("retrieve", 0.0))
            yield AnswerEvent(answer=answer)
            return

        hits = self.retrieve(parsed, filters)
        if parsed.asks_several:
            hits = self._with_named_section(parsed, hits)
        retrieved_at = time.perf_counter()
        base = Answer(question=standalone, text="", refused=False, retrieved=hits)
        verdicts = answerability.judge(parsed, hits, self.similarity)

        if not any(verdict.answerable for verdict in verdicts):
            base.text, base.refused, base.backend = REFUSAL, True, "refusal"
            if len(verdicts) == 1 and verdicts[0].ask.asks_value:  # what exactly is missing, beside its nearest statement
                missing = answer_asks(verdicts, hits, SHORT_ANSWER_CHARS, self._originals(hits))
                base.text, base.citations = f"{REFUSAL}{missing.text}", missing.citations
            base.latency_ms = _latency(started, retrieved_at)
            yield AnswerEvent(answer=base)
            return

        try:
            llm = self.llm(backend)
        except (LLMUnavailable, ModelNotInstalled) as error:  # the chat never dies with its backend
            llm, base.notice = None, f"大模型不可用({error}),已改用原文摘录模式。"
        quoted = self._extractive(base, parsed, verdicts, started, retrieved_at)
        if llm is None or quoted.refused:
            yield AnswerEvent(answer=quoted)
            return
        # Extract, then write: the verified quotes are shown at once, and the model rewrites only them
        yield AnswerEvent(answer=quoted, provisional=True)
        yield from self._written_from_quotes(llm, quoted, parsed, verdicts, started, retrieved_at)

    def _written_from_quotes(self, llm: ChatLLM, quoted: Answer, parsed: Question,
                             verdicts: Sequence[answerability.Verdict], started: float,
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
            for delta in llm.stream(prompts.evidence_messages(question, given), max_tokens=max_tokens,
                                    wording=prompts.wording(question, given)):
                first_token_at = first_token_at or time.perf_counter()
                raw += delta
                yield AnswerEvent(delta=delta)
        except LLMUnavailable as error:
            yield AnswerEvent(answer=_kept_quotes(quoted, f"大模型调用失败({error}),已改用原文摘录模式。",
                                                  started, retrieved_at, first_token_at))
            return
        sources = [item.chunk for item in given]
        checked = check_answer(raw, sources, self._originals(hits))
        if not answers(parsed, verdicts, checked, quoted):
            # Nothing survived, or what survived answers another question or lacks the value asked: the quotes
            # say it verbatim already.
            yield AnswerEvent(answer=_kept_quotes(quoted, "模型的回答未能通过引用核对,以下为原文摘录。",
                                                  started, retrieved_at, first_token_at))
            return
        # what failed the check is dropped, not shown struck out: the reader gets the verified part and is told
        notice = f"模型回答中有{len(checked.flagged)}处未能通过引用核对,已删去。" if checked.flagged else ""
        checked = CheckedAnswer(checked.text, checked.citations)
        if parsed.asks_several:  # small models drop items of a list: the rest is quoted after
            checked = complete_list(checked, parsed, hits, _quote_budget(parsed), self._originals(hits))
        else:  # nor does a fact lose a figure the quotes gave
            checked = with_what_it_left_out(checked, quoted, parsed.subject)
        missing = [missing_statement(verdict.ask) for verdict in verdicts if not verdict.answerable]
        if missing:  # the same asks the extractive answer says are missing
            checked = CheckedAnswer("\n".join([checked.text, *missing]), checked.citations, checked.flagged)
        written = replace(quoted, text=checked.text, citations=checked.citations, flagged=[], notice=notice,
                          backend=llm.name, latency_ms=_latency(started, retrieved_at, first_token=first_token_at))
        written.latency_ms["quoted"] = quoted.latency_ms["total"]
        note_disagreement(written, self._originals(hits))
        yield AnswerEvent(answer=written)

    def _extractive(self, base: Answer, parsed: Question, verdicts: Sequence[answerability.Verdict],
                    started: float, retrieved_at: float) -> Answer:
        extracted = answer_asks(verdicts, base.retrieved, _quote_budget(parsed), self._originals(base.retrieved))
        base.text, base.citations, base.backend = extracted.text, extracted.citations, "extractive"
        if not base.citations:
            base.text, base.refused = REFUSAL, True
        # noted here, where the quotes are made, so the quotes shown first and the same quotes kept when the
        # model's answer fails carry the note once
        note_disagreement(base, self._originals(base.retrieved))
        base.latency_ms = _latency(started, retrieved_at, first_token=time.perf_counter())
        return base

    def lookup(self, phrase: str, k: int = 5) -> list[LookupMatch]:
        """Where the phrase stands (qa/lookup.py), or, when alignment places it nowhere, its reworded source.
        Raises ValueError for an empty phrase. The chat, the CLI and the UI's 出处查询 all ask here."""
        originals = {meta.doc_id: self.kb.original_text(meta.doc_id) for meta, _ in self.kb.documents()}
        return lookup(phrase, self.kb.chunks(), originals, k=k) or self._reworded(phrase, originals)

    def _reworded(self, phrase: str, originals: dict[str, str]) -> list[LookupMatch]:
        """A phrase reworded beyond what alignment finds ("政府不能拿换届当理由不兑现承诺"): the sentence of the
        best passages the sentence encoder puts closest to it, if close enough to be its source."""
        closest = self.closest_sentence(phrase)
        if closest is None or closest[0] < MIN_REWORDED_SIMILARITY:
            return []
        best, chunk, start, end = closest
        return [located(chunk, start, end, originals[chunk.doc_id], best)]

    def closest_sentence(self, phrase: str) -> tuple[float, Chunk, int, int] | None:
        """(similarity, chunk, start, end) of the sentence of the best passages the sentence encoder puts closest to
        the phrase; None when the search finds nothing. benchmarks/fit_lookup.py fits the similarity that makes it
        the phrase's source."""
        hits = self.kb.search(normalize_query(phrase), k=self.settings.retrieval.k)
        spans = [(hit.chunk, start, end) for hit in hits
                 for start, end in reworded_candidates(hit.chunk.text, len(fold(phrase)))]
        if not spans:
            return None
        closeness = self.similarity(phrase, [chunk.text[start:end] for chunk, start, end in spans])
        best, (chunk, start, end) = max(zip(closeness, spans), key=lambda pair: pair[0])
        return best, chunk, start, end

    def _with_named_section(self, question: Question, hits: list[Hit]) -> list[Hit]:
        """The hits, then the rest of the section a list or summary question names: every sub-point is answered,
        not only those retrieval happened to rank; none when the question names a part by its number (第五十一条) that
        the documents do not have. The section is looked for among all the headings of the documents
        asked about (those named, else those retrieved), not only the retrieved passages': "北京条例的保障措施一章"
        names 第八章 保障措施 though no passage of it ranks."""
        documents = question.documents or dict.fromkeys(hit.chunk.doc_id for hit in answerability.within_asked(question, hits))
        outlines = {doc_id: self.kb.chunks(doc_id) for doc_id in documents}
        named = named_section(question, [hit.chunk for hit in hits] + [chunk for outline in outlines.values()
                                                                        for chunk in outline])
        if named is None:
            # "条例第五十一条是怎么规定的" of a regulation of fifty articles: no passage answers it, the nearest does not
            return [] if lexicon.PART_ORDINAL.search(question.normalized) else hits
        doc_id, path = named
        held = {hit.chunk.chunk_id for hit in hits}
        rest = [chunk for chunk in outlines.get(doc_id) or self.kb.chunks(doc_id)
                if tuple(chunk.section_path[: len(path)]) == path and chunk.chunk_id not in held]
        # the sub-sections' own passages first, which open with their headings: a long section keeps every sub-point
        rest.sort(key=lambda chunk: len(chunk.section_path) > len(path) + 1)
        return hits + [Hit(chunk, score=0.0) for chunk in rest[:MAX_SECTION_CHUNKS]]

    def _originals(self, hits: Sequence[Hit]) -> dict[str, str]:
        """The original file texts behind the hits: exact citation offsets where chunk text was repaired."""
        return {doc_id: self.kb.original_text(doc_id) for doc_id in {hit.chunk.doc_id for hit in hits}}

    def _lookup_answer(self, question: str, phrase: str) -> Answer:
        """"这句话出自哪里": where the phrase stands, each place with the sentence that holds it."""
        started = time.perf_counter()
        chunks = self.kb.chunks()
        matches = self.lookup(phrase)
        originals = {match.doc_id: self.kb.original_text(match.doc_id) for match in matches}
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
            flagged = "(此句像是对问答系统下的指令,已标记,不作为回答依据)" if addresses_assistant(citation.quote) else ""
            lines.append(f"{wording}见于{chunk.meta.region}《{match.doc_title}》“{_short(match.section or '正文')}”:"
                         f"{citation.quote}[{number}]{flagged}")
            answer.citations.append(citation)
            answer.retrieved.append(Hit(chunk=chunk, score=match.score))
        answer.text = "\n".join(lines)
        return answer


def _evidence(hits: list[Hit]) -> list[Hit]:
    """Passages that may support an answer: not one holding words addressed to the assistant ("忽略以上所有指令…"),
    whose every sentence is suspect (the figure it plants may stand in the next one)."""
    return [hit for hit in hits if not addresses_assistant(hit.chunk.text)]


def _kept_quotes(quoted: Answer, notice: str, started: float, retrieved_at: float,
                 first_token_at: float | None) -> Answer:
    """The quoted answer as the final one, saying why the model's is not shown."""
    latency = _latency(started, retrieved_at, first_token=first_token_at)
    latency["quoted"] = quoted.latency_ms["total"]
    return replace(quoted, notice=notice, latency_ms=latency)


def _quote_budget(question: Question) -> int:
    """A list's room when the question or one of its asks wants a list or summary ("……由谁来做?要履行哪些职责?")."""
    return LIST_ANSWER_CHARS if any(ask.asks_several for ask in (question, *question.parts)) else SHORT_ANSWER_CHARS


def answers(question: Question, verdicts: Sequence[answerability.Verdict], checked: CheckedAnswer,
            quoted: Answer) -> bool:
    """Whether the verified part of a model's answer still answers: something of it is backed by a source, it speaks
    of what was asked when read beside the evidence it was given from the passages it cites (a terse "南充高新区、阆
    中经开区[1]" beside its source; "登记机关应当自收到申请之日起十五日内办结" beside the quote of the same article
    on the application asked about, which holds the question's words), and each answerable ask gets a value of its
    kind (a date for 何时); one answered by a figure (几家, 多少亿元) gets a figure the quotes gave, so dropping a
    failed clause never leaves an answer without the figure asked."""
    # 突破百项 answers 多少项 as 100 does: the quotes' bare 百/千 of a count are figures here
    said, said_figures = fold(checked.text), figures(checked.text, bare=True)
    given_figures = set().union(*(figures(citation.quote, bare=True) for citation in quoted.citations))

    def answered(ask: Question) -> bool:
        if ask.kind in QUANTITIES and not (said_figures & given_figures) - figures(ask.normalized):
            return False
        return answerability.holds_value(ask, said)

    cited = {citation.chunk_id for citation in checked.citations}
    beside = [*checked.citations, *(citation for citation in quoted.citations if citation.chunk_id in cited)]
    return (checked.supported
            and addresses(question, checked.text + "".join(citation.quote for citation in beside),
                          [citation.doc_title for citation in checked.citations])
            and all(answered(verdict.ask) for verdict in verdicts if verdict.answerable))


def with_what_it_left_out(checked: CheckedAnswer, quoted: Answer, asked: Iterable[str] = ()) -> CheckedAnswer:
    """The model's answer, then each quote of the quoted answer holding a figure, or a word of the question's
    subject (`asked`), that the model's answer does not, under "原文另有:": the version that replaces the quotes
    never loses a figure they gave (a model answering 2家 that drops the 100亿元 asked beside it), nor the
    sentence on what was asked (a question on 伦理审查 answered from the quote on 伦理风险评估 beside it). A quote's
    heading numbers (第五十九条, 13.) are where it stands, and the years it sets its targets for (到2025年) when,
    not what it says. Quotes from a passage the answer cites keep its marker."""
    said, said_figures = fold(checked.text), figures(checked.text)
    markers = {citation.chunk_id: citation.marker for citation in checked.citations}
    lines: list[str] = []
    added: list[Citation] = []
    for citation in quoted.citations:
        quote = fold(citation.quote)
        # the year a target is set for ("到2025年,……1.54件") says when, not what: the value said, nothing is lost
        lost = (figures(citation.quote) - figures(citation.section) - said_figures - set(_YEAR.findall(quote))
                or {word for word in asked if word in quote and word not in said})
        if not lost or any((c.chunk_id, c.start) == (citation.chunk_id, citation.start) for c in added):
            continue
        marker = markers.setdefault(citation.chunk_id, len(markers) + 1)
        lines.append(with_markers(citation.quote.strip(), [marker]))
        added.append(replace(citation, marker=marker))
    if not lines:
        return checked
    return CheckedAnswer(f"{checked.text}\n原文另有:\n" + "\n".join(lines), checked.citations + added, checked.flagged)


def addresses(question: Question, answer_text: str, titles: Sequence[str] = ()) -> bool:
    """Whether a (checked) answer speaks of what was asked: a model can quote true sentences of a source
    that answer another question ("加强经济和社会发展动态监测" for a question on 托底性帮扶). The subject's words
    that stand in the title of a document the answer cites may name that document, not what of it is asked, so the
    answer also passes on the rest of the subject alone: "本条例自…起施行" answers when a regulation's title holds the
    question's 人工智能产业 (a subject all in the title asks of the document as a whole; the value asked, a date
    for 何时, is checked apart), and the rest (关基 of a question on a plan's 关基防护) must stand in the answer."""
    folded, folded_titles = fold(answer_text), fold("".join(titles))
    asked = {word: weight for word, weight in question.subject.items() if word not in folded_titles}
    return not asked or any(answerability.loose_coverage(subject, folded) >= MIN_ANSWER_RELEVANCE
                            for subject in (question.subject, asked))


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


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def _without_title(question: Question, title: str) -> str:
    """The question's search text less its subject words that stand in the title (科创, 条例 of 上海科创条例)."""
    folded_title = fold(title)
    text = question.search_text
    for word in question.subject:
        if word in folded_title:
            text = text.replace(word, " ")
    return text if text.strip(" ?,.") else question.search_text


def _narrow(filters: SearchFilter | None, region: str = "", doc_id: str = "") -> SearchFilter | None:
    """The person's filter narrowed to one named place or document; None when the filter leaves it out (a
    question naming 乐山 under a 南充 filter is answered from 南充's documents or not at all)."""
    base = filters or SearchFilter()
    if (region and base.regions and region not in base.regions) or (doc_id and base.doc_ids and doc_id not in base.doc_ids):
        return None
    return SearchFilter(doc_ids=(doc_id,) if doc_id else base.doc_ids, regions=(region,) if region else base.regions,
                        years=base.years)


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
