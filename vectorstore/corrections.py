"""Metadata a person corrected (in the documents tab): kept apart from what is derived, so that it outlives a
re-index, a rebuild and a changed file, and applied wherever a document is indexed.

A small SQLite file beside the catalog (index_dir/"corrections.sqlite"): one row per document, the corrected
fields as JSON. Only the fields a reader sees and filters on can be corrected; the doc_id never is.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import re
import sqlite3
import threading
from pathlib import Path

from corpus.model import DocumentMeta

CORRECTABLE = ("title", "issuer", "region", "date", "kind")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_CHARS = 200


class BadCorrection(ValueError):
    """A correction that cannot be kept; the message says why in Chinese."""


class Corrections:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS corrections (doc_id TEXT PRIMARY KEY, fields TEXT NOT NULL)")
        self._lock = threading.RLock()

    def save(self, doc_id: str, fields: dict[str, str]) -> dict[str, str]:
        """Record these corrected fields (merged with earlier ones); returns all of the document's corrections."""
        cleaned = _validated(fields)
        with self._lock, self._db:
            merged = self.of(doc_id) | cleaned
            self._db.execute("INSERT OR REPLACE INTO corrections VALUES (?, ?)",
                             (doc_id, json.dumps(merged, ensure_ascii=False)))
        return merged

    def of(self, doc_id: str) -> dict[str, str]:
        with self._lock:
            row = self._db.execute("SELECT fields FROM corrections WHERE doc_id = ?", (doc_id,)).fetchone()
        return json.loads(row[0]) if row else {}

    def apply(self, meta: DocumentMeta) -> DocumentMeta:
        """The metadata with a person's corrections over what was derived."""
        corrected = self.of(meta.doc_id)
        return dataclasses.replace(meta, **corrected) if corrected else meta

    def forget(self, doc_id: str) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM corrections WHERE doc_id = ?", (doc_id,))

    def close(self) -> None:
        self._db.close()


def _is_calendar_date(text: str) -> bool:
    """YYYY-MM-DD naming a day that exists (2024-02-30 does not)."""
    try:
        return bool(_ISO_DATE.fullmatch(text)) and bool(datetime.date.fromisoformat(text))
    except ValueError:
        return False


def _validated(fields: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(fields) - set(CORRECTABLE))
    if unknown:
        raise BadCorrection(f"不能更正这些字段：{'、'.join(unknown)}（可更正：标题、发文机关、地区、日期、类型）")
    cleaned = {name: " ".join(str(value).split()) for name, value in fields.items()}
    if "title" in cleaned and not cleaned["title"]:
        raise BadCorrection("标题不能为空")
    if cleaned.get("date") and not _is_calendar_date(cleaned["date"]):
        raise BadCorrection(f"日期须写成 YYYY-MM-DD（如 2024-06-25）或留空，而不是“{cleaned['date']}”")
    too_long = [name for name, value in cleaned.items() if len(value) > _MAX_CHARS]
    if too_long:
        raise BadCorrection(f"字段过长（不超过 {_MAX_CHARS} 字）：{'、'.join(too_long)}")
    return cleaned
