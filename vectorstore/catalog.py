"""The catalog: which documents the knowledge base holds, their chunks, and whether both indexes have them.

A small SQLite file (index_dir/"catalog.sqlite") that makes ingest crash-safe. A document is written here
as 'pending' with all its chunks in one transaction *before* either index is touched, and becomes
'complete' only after both indexes hold exactly those chunks; a deletion is marked 'deleting' first.
So after a kill at any point, every document not 'complete' names exactly what to redo.
It also answers documents(), chunks() and original_text() without touching the indexes, and which documents
hold a given text (text_hash), so the same content under another file name is not indexed twice.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from corpus.instructions import instruction_spans
from corpus.model import Chunk, DocumentMeta

State = Literal["pending", "deleting", "complete"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    meta TEXT NOT NULL,            -- DocumentMeta as JSON
    source TEXT NOT NULL,          -- absolute path of the file it was read from
    fingerprint TEXT NOT NULL,     -- content hash + metadata + chunk size: equal means nothing to redo
    original_text TEXT NOT NULL,   -- decoded file text: chunk offsets point into it
    state TEXT NOT NULL CHECK (state IN ('pending', 'deleting', 'complete')),
    text_hash TEXT NOT NULL DEFAULT ''  -- text_hash(original_text): the same content under any file name
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    section_path TEXT NOT NULL,    -- JSON list of headings
    text TEXT NOT NULL,
    index_text TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_in_order ON chunks(doc_id, ordinal);
CREATE INDEX IF NOT EXISTS documents_by_source ON documents(source);
CREATE TABLE IF NOT EXISTS instructions (  -- sentences addressed to the assistant (corpus/instructions.py)
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    start INTEGER NOT NULL,        -- offsets in original_text
    end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS instructions_of ON instructions(doc_id);
"""

_CHUNK_COLUMNS = "chunk_id, doc_id, ordinal, section_path, text, index_text, start, end"


@dataclass(frozen=True)
class CatalogEntry:
    meta: DocumentMeta
    source: Path
    fingerprint: str
    state: State


class Catalog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        had_instructions = _has_table(self._db, "instructions")
        self._db.executescript(_SCHEMA)
        _add_text_hashes(self._db)
        if not had_instructions:
            _flag_instructions(self._db)
        self._lock = threading.RLock()  # one connection shared by the UI's threads
        self._seen_version = self._data_version()

    # --- the ingest protocol -------------------------------------------------------------------------------

    def begin(self, meta: DocumentMeta, source: Path, fingerprint: str, original_text: str,
              chunks: Sequence[Chunk]) -> None:
        """Record the document and its new chunks as 'pending' (replacing any earlier version), atomically."""
        with self._lock, self._db:
            self._db.execute("DELETE FROM chunks WHERE doc_id = ?", (meta.doc_id,))
            self._db.execute(
                "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, 'pending', ?)",
                (meta.doc_id, json.dumps(dataclasses.asdict(meta), ensure_ascii=False), str(source), fingerprint,
                 original_text, text_hash(original_text)),
            )
            self._db.execute("DELETE FROM instructions WHERE doc_id = ?", (meta.doc_id,))
            self._db.executemany("INSERT INTO instructions VALUES (?, ?, ?)",
                                 [(meta.doc_id, *span) for span in instruction_spans(original_text)])
            self._db.executemany(
                f"INSERT INTO chunks ({_CHUNK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(c.chunk_id, c.doc_id, c.ordinal, json.dumps(c.section_path, ensure_ascii=False), c.text,
                  c.index_text, c.start, c.end) for c in chunks],
            )

    def set_state(self, doc_id: str, state: State) -> None:
        with self._lock, self._db:
            self._db.execute("UPDATE documents SET state = ? WHERE doc_id = ?", (state, doc_id))

    def forget(self, doc_id: str) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def reopen_all(self) -> None:
        """Mark every document 'pending' with no fingerprint: the indexes are being rebuilt from scratch."""
        with self._lock, self._db:
            self._db.execute("UPDATE documents SET state = 'pending', fingerprint = ''")

    # --- reading -------------------------------------------------------------------------------------------

    def entry(self, doc_id: str) -> CatalogEntry | None:
        with self._lock:
            row = self._db.execute(
                "SELECT meta, source, fingerprint, state FROM documents WHERE doc_id = ?", (doc_id,)
            ).fetchone()
        return _entry(*row) if row else None

    def entries(self, state: State | None = None) -> list[CatalogEntry]:
        query = "SELECT meta, source, fingerprint, state FROM documents"
        with self._lock:
            rows = self._db.execute(query + " WHERE state = ?" if state else query, (state,) if state else ())
            return sorted((_entry(*row) for row in rows), key=lambda entry: entry.meta.doc_id)

    def from_source(self, source: Path) -> CatalogEntry | None:
        """The document read from this file: a document is its source, not its file name."""
        query = "SELECT meta, source, fingerprint, state FROM documents WHERE source = ? ORDER BY doc_id"
        with self._lock:
            row = self._db.execute(query, (str(source),)).fetchone()
        return _entry(*row) if row else None

    def free_doc_id(self, wanted: str, taken: Iterable[str] = ()) -> str:
        """`wanted`, or `wanted-2`, `wanted-3`… when another document (or one of `taken`) holds it."""
        taken = set(taken)
        candidate, number = wanted, 1
        while candidate in taken or self.entry(candidate) is not None:
            number += 1
            candidate = f"{wanted}-{number}"
        return candidate

    def holding(self, content: str) -> list[CatalogEntry]:
        """The documents whose text has this text_hash, whatever their file's name, encoding or spacing."""
        query = "SELECT meta, source, fingerprint, state FROM documents WHERE text_hash = ? ORDER BY doc_id"
        with self._lock:
            return [_entry(*row) for row in self._db.execute(query, (content,))]

    def unfinished(self) -> list[CatalogEntry]:
        return [entry for entry in self.entries() if entry.state != "complete"]

    def chunk_counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._db.execute("SELECT doc_id, count(*) FROM chunks GROUP BY doc_id"))

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        """In document order, then ordinal order."""
        where, args = ("WHERE doc_id = ?", (doc_id,)) if doc_id else ("", ())
        with self._lock:
            rows = self._db.execute(f"SELECT {_CHUNK_COLUMNS} FROM chunks {where} ORDER BY doc_id, ordinal",
                                    args).fetchall()
        return self._to_chunks(rows)

    def chunks_by_id(self, chunk_ids: Iterable[str], complete_only: bool = False) -> dict[str, Chunk]:
        """`complete_only`: not those of a document whose indexing is unfinished (its indexes may hold part)."""
        wanted = list(chunk_ids)
        complete = " AND doc_id IN (SELECT doc_id FROM documents WHERE state = 'complete')" if complete_only else ""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE chunk_id IN ({','.join('?' * len(wanted))}){complete}",
                wanted).fetchall()
        return {chunk.chunk_id: chunk for chunk in self._to_chunks(rows)}

    def instructions(self) -> dict[str, list[tuple[int, int]]]:
        """By document: the spans of its sentences flagged as addressed to the assistant, in order."""
        flagged: dict[str, list[tuple[int, int]]] = {}
        with self._lock:
            rows = self._db.execute("SELECT doc_id, start, end FROM instructions ORDER BY doc_id, start")
            for doc_id, start, end in rows:
                flagged.setdefault(doc_id, []).append((start, end))
        return flagged

    def original_text(self, doc_id: str) -> str:
        with self._lock:
            row = self._db.execute("SELECT original_text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(f"no document {doc_id!r} in the knowledge base")
        return row[0]

    def changed_elsewhere(self) -> bool:
        """Whether another connection (another process's ingest) committed to the catalog since the last call.

        One cheap query: SQLite's data_version moves only with other connections' commits, not this one's.
        """
        with self._lock:
            version = self._data_version()
            changed, self._seen_version = version != self._seen_version, version
        return changed

    def close(self) -> None:
        self._db.close()

    def _data_version(self) -> int:
        return self._db.execute("PRAGMA data_version").fetchone()[0]

    def _to_chunks(self, rows: list[tuple]) -> list[Chunk]:
        metas = self._metas({row[1] for row in rows})
        return [
            Chunk(doc_id=doc_id, section_path=tuple(json.loads(section_path)), text=text, index_text=index_text,
                  start=start, end=end, ordinal=ordinal, meta=metas[doc_id])
            for _, doc_id, ordinal, section_path, text, index_text, start, end in rows
        ]

    def _metas(self, doc_ids: set[str]) -> dict[str, DocumentMeta]:
        wanted = sorted(doc_ids)
        metas = {}
        with self._lock:
            for first in range(0, len(wanted), 500):  # stay under SQLite's limit on query parameters
                batch = wanted[first:first + 500]
                query = f"SELECT doc_id, meta FROM documents WHERE doc_id IN ({','.join('?' * len(batch))})"
                metas.update((doc_id, DocumentMeta(**json.loads(meta))) for doc_id, meta in self._db.execute(query, batch))
        return metas


def text_hash(text: str) -> str:
    """Equal for the same words whatever the file's encoding, line ends, full-width forms or spacing."""
    return hashlib.sha256("".join(unicodedata.normalize("NFKC", text).split()).encode()).hexdigest()


def _add_text_hashes(db: sqlite3.Connection) -> None:
    """A catalog written before text_hash existed gets the column, filled from the text it stores."""
    if "text_hash" not in {column for _, column, *_ in db.execute("PRAGMA table_info(documents)")}:
        with db:
            db.execute("ALTER TABLE documents ADD COLUMN text_hash TEXT NOT NULL DEFAULT ''")
            stored = db.execute("SELECT doc_id, original_text FROM documents")
            hashes = [(text_hash(text), doc_id) for doc_id, text in stored]
            db.executemany("UPDATE documents SET text_hash = ? WHERE doc_id = ?", hashes)
    db.execute("CREATE INDEX IF NOT EXISTS documents_by_text ON documents(text_hash)")


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def _flag_instructions(db: sqlite3.Connection) -> None:
    """A catalog written before instructions were flagged gets the flags of the texts it stores."""
    with db:
        stored = db.execute("SELECT doc_id, original_text FROM documents").fetchall()
        db.executemany("INSERT INTO instructions VALUES (?, ?, ?)",
                       [(doc_id, *span) for doc_id, text in stored for span in instruction_spans(text)])


def _entry(meta: str, source: str, fingerprint: str, state: State) -> CatalogEntry:
    return CatalogEntry(meta=DocumentMeta(**json.loads(meta)), source=Path(source), fingerprint=fingerprint,
                        state=state)
