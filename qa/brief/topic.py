"""Which parts of a document are on a briefing's topic.

A topic is its content words (jieba), with runs of single characters jieba leaves (低/碳) joined back
into one term, each weighted by its IDF; a long term also counts in part through its character pairs
(产权保护 for 知识产权保护). A text's share of the topic is the weight of the terms it holds.

Headings weigh most: a section whose heading (or a heading above it, the document's title included) names what the topic is about is on
the topic as a whole. What a topic is about are its nominal terms (人才 of 人才引进和培养, 科技 of 科技创新,
both 未来 and 产业 of 未来产业); its verbs are aspects a section need not repeat: "(六)厚植科技创新人才资源
优势" is on 人才引进和培养 although it says 引才, not 引进. Elsewhere a sentence is taken when it names what
the topic is about and holds most of the topic (数字化 alone is not 数字经济), or, inside a passage the hybrid
search ranks first for the topic within its document, when it holds a good part of the topic's words, the
one rarest in the knowledge base among them: the search bridges wordings (引才育才 finds "柔性引才"), and the
sentence encoder must not put it far from the topic ("引导规范民营医院发展" holds 民营 but is on hospitals).
Where the words fail ("(十一)全面加强美丽乐山建设" says 生态屏障 and 无废城市, not 绿色低碳), the sentence encoder
vouches for a sentence of a passage it ranks first within the document when it puts the sentence close to the
topic as a whole, clearly closer than to any one word of it (dense_sentences).
A heading naming the topic only as one item of a list of subjects ("一体推进教育、科技和人才工作" of 人才发展) puts
on the topic only the sentences under it that hold the topic's own nouns (Topic.lists); below a heading joining the
topic to another subject, a subheading on that other subject alone ("推进以人为本的新型城镇化" under "统筹新型城镇化和乡村
全面振兴") is not on the topic (_on_other_subject).
Text that is not part of the document (other articles of the same newspaper page, filed under
corpus.repair.UNRELATED_HEADING) is never read.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jieba.analyse
import jieba.posseg

from corpus.model import Chunk
from corpus.repair import UNRELATED_HEADING
from corpus.sentences import sentence_spans
from qa.citations import fold

SENTENCE_ON_TOPIC = 0.6  # a sentence outside such a section must hold this share itself
SEARCHED_SENTENCE = 0.45  # ... or this much inside a passage the search ranks among the document's first
SEARCH_RANKS = 3
# ... and the sentence encoder puts it at least this close to the topic: the words of "引导规范民营医院发展" are
# those of 民营经济 (cosine 0.04), the encoder's sense is of hospitals; the lowest sentence on its topic the search
# finds is at 0.16 ("建设一批旅游驿站" of 文化和旅游): benchmarks/fit_brief.py on the tune topics
SEARCHED_COSINE = 0.15
# a heading holding this share of the topic's words ("金融环境建设" of 科技金融, "扩大开放" of 对外开放) over the
# passage the hybrid search ranks among the first HEADED_SEARCH_RANKS for the topic within its document puts that
# section on the topic (3 since the sentence encoder rule: equal coverage, fewer empty cells):
# benchmarks/fit_brief.py on the tune topics
PART_HEADING = 0.45
HEADED_SEARCH_RANKS = 3
# a sentence sharing no word with the topic is on it when the sentence encoder puts it close to the topic
# (cosine >= DENSE_SENTENCE), closer by DENSE_MARGIN than to any one of the topic's words alone (权益保护 is near
# 知识产权保护 through 保护 only), inside one of the DENSE_RANKS passages it ranks first within the document; short
# lines (a ministry's name among the signatories) say nothing: benchmarks/fit_brief.py on the tune topics, with the
# documents the set says are silent as negatives (MIN_DENSE_CHARS is set, not fitted: a line shorter than a clause)
DENSE_SENTENCE = 0.25
DENSE_MARGIN = 0.06
DENSE_RANKS = 5
# ... and puts the heading of its section at least this close to the topic: a section on another subject may hold a
# sentence near the topic by its wording (打造全省营商环境标杆城市, under 激发各类经营主体活力 at 0.04, is at 0.26 to
# 绿色低碳发展 by its 环境); a heading of only a number (第八条) says nothing and is passed over for the one above.
# 0.15 from benchmarks/fit_brief.py on the tune topics: the strictest floor that loses no item (0.2 loses four; the
# heading of 筑牢长江上游生态屏障, 全面加强美丽乐山建设, is at 0.153)
DENSE_HEADING = 0.15
MIN_DENSE_CHARS = 20
MIN_LINE_CHARS = 8  # Chinese characters of a line that ends no sentence, below which it is no measure (set, not fitted)
_SENTENCE_ENDS = tuple("。！？!?；;")
NAME_SLACK = 4  # characters a text may put between the topic's nominal terms beyond the topic's own length
PAIR_CREDIT = 0.5  # a long term found only by its character pairs counts at most this much
# jieba IDF below which a nominal term is a generic head word a heading may vary (经济 3.57, 发展 3.58;
# 未来 4.69, 环境 5.18 stay required): benchmarks/fit_brief.py on the tune topics
GENERIC_IDF = 4.0

# words that frame a topic without saying what it is about ("人才政策" is about 人才)
_FRAMING = frozenset("政策 措施 举措 工作 情况 方面 相关 有关 问题 简报 内容 主要 有哪些 哪些 怎么 如何".split())
# the verbs an official document puts before any subject (促进就业, 提振消费, 优化营商环境): what is done to the topic,
# which a text on it need not repeat ("城镇新增就业106万人" is on 促进就业); a topic that is only such verbs keeps them
_FRAMING_VERBS = frozenset("促进 推动 推进 加强 加快 支持 提升 提振 深化 强化 优化 完善 健全 扩大".split())
# single characters joined into one term (低+碳, 引+才) unless they are connectives, particles or numbers
_JOINING_FLAGS = ("c", "p", "u", "y", "e", "x", "m", "q")
# nouns, times (未来), distinguishing words (民营), abbreviations and idioms (对外开放); not verbal nouns
# (发展, 服务): they say what is done, not what about
_NOMINAL_FLAGS = ("n", "t", "b", "j", "l", "s")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# a heading's number (三、 (五) 1. 第二章 三是), whose 、 lists nothing; the marks that end a heading's clauses
_HEADING_NUMBER = re.compile(
    r"^[#\s]*(?:[一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十百\d]+[)）]|\d+(?:[.．]\d+)*\s*[.、．]?"
    r"|第[一二三四五六七八九十百千\d]+[章节条部分编]+|[一二三四五六七八九十]+是)\s*")
_CLAUSE_BREAK = re.compile(r"[,，;；:：。]")
_TERMS_JOINED = re.compile(r"[和及与以及]")  # what is left of a list item that is only the topic's terms joined
# a sentence wholly in brackets is a note on the text before it (who is responsible for a measure, what a name
# stands for), not a measure: "(责任单位:市财政局、市科委)" (folded, so ASCII brackets)
_NOTE = re.compile(r"^\s*\([^()]*\)[\s。.;；]*$")
_PARALLEL_RUN = re.compile(r"[\u4e00-\u9fff]{2}(?P<last>[\u4e00-\u9fff])(?:[\u4e00-\u9fff]{2}(?P=last)){2,}")


@dataclass(frozen=True)
class Topic:
    text: str
    terms: dict[str, float]  # folded term → weight
    nominal: frozenset[str]  # the terms saying what the topic is about (all terms when none does)
    # the nouns and verbal nouns of each part of a topic joining parts (文化 | 旅游 of 文化和旅游; one part for 养老服务)
    parts: tuple[frozenset[str], ...] = ()

    @classmethod
    def of(cls, topic: str) -> Topic:
        idf, median = jieba.analyse.default_tfidf.idf_freq, jieba.analyse.default_tfidf.median_idf
        terms: dict[str, float] = {}
        nominal: set[str] = set()
        parts: list[set[str]] = [set()]
        run = ""

        def close_run() -> None:
            if len(run) >= 2:  # 低碳: a word jieba does not know, taken as a name
                terms.setdefault(run, median)
                nominal.add(run)
                parts[-1].add(run)

        for pair in _words(fold(topic)):
            word = pair.word
            if len(word) == 1 and _CJK.match(word) and not pair.flag.startswith(_JOINING_FLAGS):
                run += word
                continue
            close_run()
            run = ""
            if pair.flag.startswith("c") or word == "、":  # 文化和旅游: two subjects
                parts.append(set())
            if len(word) >= 2 and _CJK.search(word) and word not in _FRAMING and pair.flag != "m":
                terms[word] = idf.get(word, median)
                if pair.flag.startswith(_NOMINAL_FLAGS):
                    nominal.add(word)
                if pair.flag.startswith(_NOMINAL_FLAGS) or pair.flag == "vn":
                    parts[-1].add(word)
        close_run()
        if any(term not in _FRAMING_VERBS for term in terms):
            terms = {term: weight for term, weight in terms.items() if term not in _FRAMING_VERBS}
            nominal -= _FRAMING_VERBS
        return cls(topic, terms, frozenset(nominal or terms), tuple(frozenset(part & terms.keys()) for part in parts))

    def share(self, folded: str) -> float:
        """The weighted share of the topic's terms in a folded text."""
        total = sum(self.terms.values())
        if not total:
            return 0.0
        return sum(weight * _found(term, folded) for term, weight in self.terms.items()) / total


    def rarest_in(self, texts: Iterable[str]) -> str:
        """The topic's term fewest of these texts hold (未来 of 未来产业 in a corpus where 产业 is everywhere)."""
        texts = list(texts)
        return min(self.terms, key=lambda term: sum(term in text for text in texts), default="")

    @property
    def specific(self) -> frozenset[str]:
        """The nominal terms that are no generic head word (经济 of 民营经济, 发展 of ...): all of them when
        every one is generic."""
        idf = jieba.analyse.default_tfidf.idf_freq
        kept = frozenset(term for term in self.nominal
                         if idf.get(term, jieba.analyse.default_tfidf.median_idf) >= GENERIC_IDF)
        return kept or self.nominal

    def names(self, folded: str) -> bool:
        """The text names what the topic is about: all its nominal terms, close together as in the topic
        ("拓展创新成果应用场景,强化重点领域科技赋能" holds 科技 and 成果 but does not name 科技成果转化)."""
        return self._holds_close(self.nominal, folded)

    def heads(self, folded: str) -> bool:
        """A heading or title is on the topic when it names it with its generic head word varied: a document
        titled 民营企业发展促进条例 is about 民营经济 as a whole. Sentences are held to names()."""
        return self._holds_close(self.specific, folded)

    def keeps_nouns(self, folded: str) -> bool:
        """A text found through the search holds each noun and verbal noun of one part of the topic but its generic
        head words: "深化要素市场化改革" holds 要素 and 市场 but is not on 数据要素市场, "推动金融领域风险化解" is not on
        科技金融, "加快发展养老保险体系" (no 服务) not on 养老服务, "推进教育振兴" (no 乡村) not on 乡村振兴; one part will
        do where the topic joins them (旅游 of 文化和旅游). Its verbs the search may bridge (引才 for 人才引进和培养)."""
        idf, median = jieba.analyse.default_tfidf.idf_freq, jieba.analyse.default_tfidf.median_idf
        for part in [part for part in self.parts if part] or [self.specific]:
            kept = {term for term in part if idf.get(term, median) >= GENERIC_IDF} or part
            if all(term in folded for term in kept):
                return True
        return False

    def holds_specific(self, folded: str) -> bool:
        """The text holds each of the topic's specific nouns (人才 of 人才发展; 科技 and 成果 of 科技成果转化)."""
        return all(term in folded for term in self.specific)

    def lists(self, heading: str) -> bool:
        """A heading (folded) naming the topic as one item of a list of subjects: the clause of it holding the
        topic's nouns enumerates with 、 ("建设创新高地，一体推进教育、科技和人才工作" of 人才发展) or by parallel words
        ("创新链产业链资金链人才链深度融合");
        "扩大对外开放，提升开放水平" is about 对外开放 in both its clauses. The 、 of a heading's number
        (三、) lists nothing, nor does a heading on a topic that is itself a list."""
        if "、" in fold(self.text):
            return False
        clauses = [clause for clause in _CLAUSE_BREAK.split(_HEADING_NUMBER.sub("", heading))
                   if any(term in clause for term in self.specific)]
        return bool(clauses) and all("、" in clause or self._in_parallel_run(clause) for clause in clauses)

    def _in_parallel_run(self, clause: str) -> bool:
        """The topic's noun stands in a run of three or more words ending on one character, a list without 、
        ("创新链产业链资金链人才链深度融合" lists four chains, 人才链 one of them)."""
        return any(term in match.group() for match in _PARALLEL_RUN.finditer(clause) for term in self.specific)

    def scatters(self, folded: str) -> bool:
        """The text holds every one of the topic's nominal terms, but apart, as items of a list do
        ("在科技创新、产业发展、…、金融服务等领域应用" is not on 科技金融): a wording the search may bridge does not
        hold them all."""
        return len(self.nominal) > 1 and all(term in folded for term in self.nominal) and not self.names(folded)

    def only_listed(self, folded: str) -> bool:
        """The text names the topic only as one of the domains a list enumerates up to 等, an item that is the topic
        and nothing more, after the first ("组织对外贸易、境外投资、知识产权保护等方面的培训" is on training, not on
        知识产权保护; "在基础设施建设、人才引进培养、项目资助等方面" on the support the sentence gives); an item that
        narrows the topic ("…、生成式人工智能、…等方面关键技术") is about it, "加强知识产权保护、运用和管理" leads with
        it, and a topic that is itself a list is never only listed."""
        if "、" in fold(self.text):
            return False
        clauses = [clause for clause in _CLAUSE_BREAK.split(folded) if self.names(clause)]
        return bool(clauses) and all(self._listed_item(clause) for clause in clauses)

    def _listed_item(self, clause: str) -> bool:
        items = clause.split("、")
        if len(items) < 3 or "等" not in items[-1]:
            return False
        items[-1] = items[-1][: items[-1].index("等")]
        if self.names(items[0]):
            return False
        holding = [item for item in items[1:] if self.names(item)]
        bare = [_TERMS_JOINED.sub("", re.sub("|".join(map(re.escape, sorted(self.terms, key=len, reverse=True))), "", item))
                for item in holding]
        return bool(holding) and not any(_CJK.search(rest) for rest in bare)

    def _holds_close(self, terms: frozenset[str], folded: str) -> bool:
        if not terms or not all(term in folded for term in terms):
            return False
        width = len(fold(self.text)) + NAME_SLACK
        return any(all(term in folded[max(0, start - width) : start + width] for term in terms)
                   for start in _starts(next(iter(terms)), folded))


def _starts(term: str, folded: str) -> list[int]:
    return [match.start() for match in re.finditer(re.escape(term), folded)]


def _words(folded: str) -> list:
    """The topic's words, a long one (培养人才, 知识产权) as the two-character words it is made of, so a text may
    hold them apart ("培养一批…人才")."""
    words = []
    for pair in jieba.posseg.cut(folded):
        parts = _tiling_pairs(pair.word) if len(pair.word) >= 4 else []
        if parts:
            words += [next(iter(jieba.posseg.cut(part))) for part in parts]
        else:
            words.append(pair)
    return words


def _tiling_pairs(word: str) -> list[str]:
    """The two-character words jieba finds in a word that together make it up (培养人才 → 培养, 人才), or []."""
    found = set(part for part in jieba.cut_for_search(word) if len(part) == 2)
    parts = [word[index : index + 2] for index in range(0, len(word), 2)]
    return parts if len(word) % 2 == 0 and all(part in found for part in parts) else []


def _found(term: str, folded: str) -> float:
    if term in folded:
        return 1.0
    if len(term) < 4:
        return 0.0
    pairs = [term[index : index + 2] for index in range(len(term) - 1)]
    return PAIR_CREDIT * sum(pair in folded for pair in pairs) / len(pairs)


@dataclass(frozen=True)
class OnTopic:
    """A sentence of a chunk on the topic."""

    chunk: Chunk
    start: int  # span in chunk.text
    end: int
    score: float  # higher is more on topic
    in_topic_section: bool
    by_encoder: bool = False  # vouched for by the sentence encoder alone (dense_sentences), not by the words
    by_search: bool = False  # taken for holding part of the topic inside a passage the search ranks first


def is_document_text(chunk: Chunk) -> bool:
    return not chunk.section_path or chunk.section_path[0] != UNRELATED_HEADING


def on_topic_sentences(topic: Topic, chunks: Sequence[Chunk], searched: Iterable[Chunk] = (),
                       rarest: str = "") -> list[OnTopic]:
    """The sentences of a document's chunks on the topic, in document order; `searched` are the passages the
    hybrid search ranked first for the topic within the document, `rarest` the topic's term that is rarest in
    the knowledge base (Topic.rarest_in), which a sentence found through the search must hold."""
    searched = [chunk for chunk in searched if is_document_text(chunk)]
    searched_ids = {chunk.chunk_id for chunk in searched[:SEARCH_RANKS]}
    chunks = [chunk for chunk in chunks if is_document_text(chunk)]
    sections = {chunk.section_path for chunk in chunks}
    title = fold(chunks[0].meta.title) if chunks else ""
    # the title is the heading above all others: a document titled on the topic is on it throughout
    headed = _partly_headed(topic, searched[:HEADED_SEARCH_RANKS])
    # a heading naming the topic as one subject of several it lists ("一体推进教育、科技和人才工作") puts on
    # the topic only the sentences under it that hold the topic's own nouns; any other heading on it, the whole section
    covering = {path: _covering(topic, title, path, headed) for path in sections}
    found = []
    for chunk in chunks:
        headings = fold("".join(chunk.section_path))
        for start, end in sentence_spans(chunk.text):
            sentence = fold(chunk.text[start:end])
            if (_is_heading(sentence, chunk.section_path) or (title and (sentence in title or title in sentence))
                    or _is_bare_line(sentence) or _NOTE.match(sentence)):
                continue
            cover = covering[chunk.section_path]
            in_section = cover == _WHOLE or (cover == _LISTED and topic.holds_specific(sentence))
            own = topic.share(sentence)
            near = topic.share(headings + sentence)
            searched_here = chunk.chunk_id in searched_ids
            # a sentence naming the topic as one domain of a list ("…、知识产权保护等方面的培训") is on another subject
            by_words = in_section or (topic.names(sentence) and own >= SENTENCE_ON_TOPIC and not topic.only_listed(sentence))
            if by_words or (searched_here and own >= SEARCHED_SENTENCE and rarest in sentence and not topic.scatters(sentence)
                            and not topic.only_listed(sentence) and topic.keeps_nouns(sentence)):
                found.append(OnTopic(chunk, start, end, own + near + in_section + 0.5 * searched_here, in_section,
                                     by_search=not by_words))
    return found


def encoder_agrees(topic: Topic, found: Sequence[OnTopic], similarity) -> list[OnTopic]:
    """The sentences, but those taken through the search that the sentence encoder puts far from the topic
    (cosine below SEARCHED_COSINE): a sentence may hold the topic's words in another sense, "引导规范民营医院发展"
    those of 民营经济. `similarity(text, sentences)` gives the encoder's cosine of each to the text."""
    searched = [item for item in found if item.by_search]
    if not searched:
        return list(found)
    closeness = similarity(topic.text, [item.chunk.text[item.start:item.end] for item in searched])
    far = {id(item) for item, close in zip(searched, closeness) if close < SEARCHED_COSINE}
    return [item for item in found if id(item) not in far]


def dense_sentences(topic: Topic, ranked: Sequence[Chunk], similarity, found: Sequence[OnTopic]) -> list[OnTopic]:
    """The sentences of the passages the sentence encoder ranks first within a document (`ranked`, best first)
    that it puts close to the topic, though they share no word with it ("筑牢长江上游生态屏障" of 绿色低碳发展);
    `similarity(text, sentences)` gives the encoder's cosine of each to the text, `found` are the sentences already
    taken. A document the words find nothing in may be on the topic through these alone."""
    taken = {(item.chunk.chunk_id, item.start) for item in found}
    candidates = []
    # a document's opening lines, before its first heading, state its whole purpose, close to any topic
    # ("发展新质生产力是推动高水平发展的内在要求"): only its sections are read
    for chunk in [chunk for chunk in ranked if is_document_text(chunk) and chunk.section_path][:DENSE_RANKS]:
        title = fold(chunk.meta.title)
        for start, end in sentence_spans(chunk.text):
            sentence = fold(chunk.text[start:end])
            # a sentence naming the topic only as one domain of a list is on another subject, whoever reads it
            if ((chunk.chunk_id, start) in taken or len(sentence) < MIN_DENSE_CHARS or _NOTE.match(sentence)
                    or _is_heading(sentence, chunk.section_path) or (title and title in sentence)
                    or topic.only_listed(sentence)):
                continue
            candidates.append((chunk, start, end))
    if not candidates:
        return []
    texts = [chunk.text[start:end] for chunk, start, end in candidates]
    closeness = similarity(topic.text, texts)
    by_word = [similarity(term, texts) for term in topic.terms]
    headings = sorted({_named_heading(chunk.section_path) for chunk, _, _ in candidates} - {""})
    heading_closeness = dict(zip(headings, similarity(topic.text, headings)), **{"": float("inf")})
    return [OnTopic(chunk, start, end, close, False, by_encoder=True)
            for index, ((chunk, start, end), close) in enumerate(zip(candidates, closeness))
            if close >= DENSE_SENTENCE and close - max((word[index] for word in by_word), default=0.0) >= DENSE_MARGIN
            and heading_closeness[_named_heading(chunk.section_path)] >= DENSE_HEADING]


def _named_heading(path: tuple[str, ...]) -> str:
    """The innermost heading that says something past its number (第三十五条 says nothing), or ""."""
    return next((named for heading in reversed(path) if (named := _HEADING_NUMBER.sub("", heading).strip())), "")


_WHOLE, _LISTED = "whole", "listed"


def _covering(topic: Topic, title: str, path: tuple[str, ...], headed: set[tuple[str, ...]]) -> str:
    """How much of a section its headings (the document's title above all) put on the topic: _WHOLE, _LISTED (only
    the sentences holding the topic's own nouns: the topic is one subject of several a heading lists) or ""."""
    on_topic = [heading for heading in (title, *map(fold, path)) if heading and topic.heads(heading)]
    on_topic += [fold(path[len(prefix) - 1]) for prefix in headed if prefix and path[: len(prefix)] == prefix]
    if not on_topic or (not (title and topic.heads(title)) and _on_other_subject(topic, path, set(on_topic))):
        return ""
    return _LISTED if all(topic.lists(heading) for heading in on_topic) else _WHOLE


def _on_other_subject(topic: Topic, path: tuple[str, ...], on_topic: set[str]) -> bool:
    """Below the heading that puts a section on the topic, a heading holding none of the topic's words but a subject
    word of that heading the topic does not have is on that other subject: under "统筹新型城镇化和乡村全面振兴",
    "推进以人为本的新型城镇化" is on 城镇化, not on 乡村振兴."""
    headings = [fold(heading) for heading in path]
    depth = max((index for index, heading in enumerate(headings) if heading in on_topic), default=len(headings))
    others = _subject_words(headings[depth]) - topic.terms.keys() if depth < len(headings) else set()
    return any(not topic.share(heading) and others & _subject_words(heading) for heading in headings[depth + 1 :])


def _subject_words(heading: str) -> set[str]:
    """The nouns and verbal nouns of a heading that are no generic head word (GENERIC_IDF) nor framing."""
    idf, median = jieba.analyse.default_tfidf.idf_freq, jieba.analyse.default_tfidf.median_idf
    return {pair.word for pair in jieba.posseg.cut(heading)
            if len(pair.word) >= 2 and (pair.flag.startswith(_NOMINAL_FLAGS) or pair.flag == "vn")
            and pair.word not in _FRAMING and pair.word not in _FRAMING_VERBS and idf.get(pair.word, median) >= GENERIC_IDF}


def _partly_headed(topic: Topic, searched: Sequence[Chunk]) -> set[tuple[str, ...]]:
    """The sections of the passages the search ranks first whose heading holds part of the topic: the search
    says the passage is about it, the heading that its section is ("第六章 金融环境建设" of 科技金融, whose
    第四十二条 on 创业投资基金 names neither word). Of the headings above a passage, the nearest holding enough."""
    found = set()
    for chunk in searched:
        path = chunk.section_path
        for depth in range(len(path), 0, -1):
            if topic.share(fold(path[depth - 1])) >= PART_HEADING:
                found.add(path[:depth])
                break
    return found


def _is_bare_line(sentence: str) -> bool:
    """A short line that ends no sentence says nothing a measure would: a signatory (教育部), a document's
    number (某部发〔2024〕12号), a date."""
    return len(_CJK.findall(sentence)) < MIN_LINE_CHARS and not sentence.rstrip().endswith(_SENTENCE_ENDS)


def _is_heading(sentence: str, path: tuple[str, ...]) -> bool:
    """The heading line repeated at the top of its section's text ("(六)厚植科技创新人才资源优势。"), or any
    Markdown heading line."""
    if sentence.startswith("#"):
        return True  # a Markdown heading line ("## 第七章 数字经济安全"), wherever the chunker filed it
    bare = sentence.rstrip("。.;；:：")
    return any(bare and (bare == fold(heading).rstrip("。.") or fold(heading).startswith(bare)) for heading in path)
