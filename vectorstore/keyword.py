"""The keyword side: jieba words of each chunk's index_text in SQLite, found through FTS5, ranked by BM25.

Exact policy terms, names and figures ("1+6", "24项", "新质生产力") are what dense vectors blur, so this side
carries much of the precision. jieba cuts each chunk once; its words are stored space-joined in one SQLite file
(index_dir/"keyword"/tokens.sqlite), and FTS5 keeps the inverted index over them. Adding or removing a document
changes only its own rows, in one transaction: nothing is rebuilt (the bm25s matrix this replaces was rebuilt
whole after every ingest, 27 s at 100k chunks).
FTS5 finds the candidates; they are ranked by the Lucene BM25 that bm25s computed (k1 1.5, b 0.75), because
FTS5's own bm25() gives a word in half the chunks or more no weight at all, which cost a dev question (q036) one
of its passages.
"""
from __future__ import annotations

import logging
import math
import shutil
import sqlite3
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import jieba

from corpus.model import Chunk
from vectorstore.hits import SearchFilter

# function words and question words: frequent in questions, carry no topic
STOPWORDS = frozenset(
    "的 地 得 了 着 过 和 与 及 以及 或 或者 并 并且 而 且 等 等等 是 在 对 对于 为 为了 把 将 以 从 于 由 被 "
    "其 之 这 那 这些 那些 此 该 各 每 也 都 就 又 还 要 会 能 可 可以 应 应当 有 个 "
    "哪 哪些 哪个 哪里 哪儿 哪一 哪几 什么 多少 几 如何 怎样 怎么 怎么样 是否 是不是 吗 呢 吧 啊 请 "
    "分别 各自 方面 提出 提到".split()
)
K1, B = 1.5, 0.75  # bm25s's defaults, with which the dense weight 0.3 was chosen on dev
CANDIDATES_PER_RESULT = 4  # FTS5 candidates rescored per result asked for: its ranking differs only slightly
# FTS5 looks for candidates by the query's rarer words first (all of them if those find too few): a common word
# adds little to any score, but FTS5 ranks every row it is in (at 100k chunks, keyword p50/p95 40/90 ms with words
# in under 20 % of chunks, 88/169 ms under 50 %, the same passages found for 58 of 60 probes); candidates are
# scored on every query word
CANDIDATE_WORD_SHARE = 0.2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS chunks (
    row INTEGER PRIMARY KEY AUTOINCREMENT,
    chunk_id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL,
    region TEXT NOT NULL,
    year INTEGER NOT NULL,  -- 0 when unknown
    tokens TEXT NOT NULL     -- space-joined: jieba never yields a kept token with whitespace
);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id);
-- the inverted index over chunks.tokens (external content: the words are stored once), kept in step by triggers
CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(
    tokens, content = 'chunks', content_rowid = 'row', tokenize = 'unicode61 remove_diacritics 0');
-- chunk and word counts for BM25's document frequencies and mean length, seeded from chunks already stored
CREATE TABLE IF NOT EXISTS totals (id INTEGER PRIMARY KEY CHECK (id = 0), chunks INTEGER NOT NULL, words INTEGER NOT NULL);
INSERT OR IGNORE INTO totals
    SELECT 0, count(*), coalesce(sum((tokens != '') + length(tokens) - length(replace(tokens, ' ', ''))), 0) FROM chunks;
CREATE TRIGGER IF NOT EXISTS chunk_added AFTER INSERT ON chunks BEGIN
    INSERT INTO words(rowid, tokens) VALUES (new.row, new.tokens);
    UPDATE totals SET chunks = chunks + 1,
        words = words + (new.tokens != '') + length(new.tokens) - length(replace(new.tokens, ' ', ''));
END;
CREATE TRIGGER IF NOT EXISTS chunk_removed AFTER DELETE ON chunks BEGIN
    INSERT INTO words(words, rowid, tokens) VALUES ('delete', old.row, old.tokens);
    UPDATE totals SET chunks = chunks - 1,
        words = words - (old.tokens != '') - length(old.tokens) + length(replace(old.tokens, ' ', ''));
END;
"""


class ChineseTokenizer:
    """jieba with the project's user dictionary, on a private Tokenizer so the global one stays untouched."""

    def __init__(self, userdict: Path | None = None) -> None:
        logging.getLogger("jieba").setLevel(logging.WARNING)  # "Building prefix dict..." on every start
        self._jieba = jieba.Tokenizer()
        if userdict is not None:
            self._jieba.load_userdict(str(userdict))

    def words(self, text: str) -> list[str]:
        """Words and their sub-words (search mode), lower-cased, without stopwords and punctuation.

        Both choices measured on the dev set, keyword side alone: hit@5 1.00 against 0.96 with plain
        `cut` (a question saying 专利 must also match 高价值发明专利) or with the stopwords kept.
        """
        return [
            word
            for word in (raw.strip().lower() for raw in self._jieba.cut_for_search(text))
            if word and word not in STOPWORDS and any(char.isalnum() for char in word)
        ]


class KeywordIndex:
    def __init__(self, folder: Path, tokenizer: ChineseTokenizer) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.tokenizer = tokenizer
        self._db = sqlite3.connect(folder / "tokens.sqlite", check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        # INSERT OR REPLACE deletes the old row without firing chunk_removed unless triggers may recurse
        self._db.execute("PRAGMA recursive_triggers=ON")
        had_words = self._has_table("words")
        self._db.executescript(_SCHEMA)
        if not had_words:  # an index from before FTS5: index its stored tokens, drop the bm25s matrix
            with self._db:
                self._db.execute("INSERT INTO words(words) VALUES ('rebuild')")
                self._db.execute("DROP TABLE IF EXISTS generation")
            shutil.rmtree(folder / "bm25", ignore_errors=True)
        # how many chunks each word is in: BM25's document frequency
        self._db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocabulary USING fts5vocab(main, words, row)")
        self._lock = threading.RLock()  # the UI searches from several threads

    def add(self, chunks: Sequence[Chunk]) -> None:
        """Tokenize and store these chunks (replacing any with the same id)."""
        rows = [
            (c.chunk_id, c.doc_id, c.meta.region, c.meta.year or 0, " ".join(self.tokenizer.words(c.index_text)))
            for c in chunks
        ]
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO chunks (chunk_id, doc_id, region, year, tokens) VALUES (?, ?, ?, ?, ?)", rows
            )

    def remove_document(self, doc_id: str) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))

    def clear(self) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM chunks")

    def chunk_ids(self, doc_id: str | None = None) -> set[str]:
        query, args = ("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,)) if doc_id else (
            "SELECT chunk_id FROM chunks", ())
        with self._lock:
            return {chunk_id for (chunk_id,) in self._db.execute(query, args)}

    def search(self, query: str, k: int, filters: SearchFilter | None = None) -> list[tuple[str, float]]:
        """(chunk_id, BM25 score), best first; only chunks sharing a word with the query."""
        words = self.tokenizer.words(query)
        if not words or k <= 0:
            return []
        wanted = k * CANDIDATES_PER_RESULT
        with self._lock:
            chunk_count, word_count = self._db.execute("SELECT chunks, words FROM totals").fetchone()
            frequency = self._document_frequency(words)
            distinct = list(dict.fromkeys(words))
            rare = [word for word in distinct if 0 < frequency.get(word, 0) < chunk_count * CANDIDATE_WORD_SHARE]
            candidates = self._matching(rare, filters, wanted) if rare else []
            if len(candidates) < wanted:  # the rare words alone leave room: every chunk with any word may be one
                candidates = self._matching(distinct, filters, wanted)
        if not candidates:
            return []
        weights = [_idf(frequency.get(word, 0), chunk_count) for word in words]
        mean_length = word_count / chunk_count
        scored = [(chunk_id, _bm25(tokens.split(), words, weights, mean_length)) for chunk_id, tokens in candidates]
        scored.sort(key=lambda pair: -pair[1])  # stable: FTS5's order among equals
        return scored[:k]

    def _matching(self, words: list[str], filters: SearchFilter | None, limit: int) -> list[tuple[str, str]]:
        """(chunk_id, tokens) of the chunks holding any of these words, best first by FTS5's own BM25."""
        conditions, args = ["words MATCH ?"], [" OR ".join(_phrase(word) for word in words)]
        for column, values in (("doc_id", filters.doc_ids), ("region", filters.regions),
                               ("year", filters.years)) if filters else ():
            if values:
                conditions.append(f"chunks.{column} IN ({', '.join('?' * len(values))})")
                args.extend(values)
        return self._db.execute(
            "SELECT chunks.chunk_id, chunks.tokens FROM words JOIN chunks ON chunks.row = words.rowid "
            f"WHERE {' AND '.join(conditions)} ORDER BY rank LIMIT ?", [*args, limit]).fetchall()

    def close(self) -> None:
        self._db.close()

    def _document_frequency(self, words: list[str]) -> dict[str, int]:
        distinct = sorted(set(words))
        return dict(self._db.execute(
            f"SELECT term, doc FROM vocabulary WHERE term IN ({', '.join('?' * len(distinct))})", distinct))

    def _has_table(self, name: str) -> bool:
        return self._db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def _idf(frequency: int, chunk_count: int) -> float:
    return math.log(1 + (chunk_count - frequency + 0.5) / (frequency + 0.5))


def _bm25(tokens: list[str], words: list[str], weights: list[float], mean_length: float) -> float:
    """Lucene BM25 as bm25s scores it; a word asked twice counts twice, as it did there."""
    counts = Counter(tokens)
    length_norm = K1 * (1 - B + B * len(tokens) / mean_length)
    return sum(weight * counts[word] / (length_norm + counts[word]) for word, weight in zip(words, weights))


def _phrase(word: str) -> str:
    """The word as an FTS5 string: quoted, so 1+6 or AND are words to match, not query syntax."""
    return '"' + word.replace('"', '""') + '"'
