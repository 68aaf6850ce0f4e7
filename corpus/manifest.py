"""Document metadata written by a person: a TOML manifest (the demo corpus's), and the doc_id of any file.

Files no manifest names get metadata derived from their text (corpus.metadata).
"""
from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from pathlib import Path

from corpus.model import DocumentMeta

_REQUIRED = ("doc_id", "file", "title")
_OPTIONAL = ("issuer", "region", "date", "source", "kind")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def load_manifest(path: str | Path) -> dict[str, DocumentMeta]:
    """`[[document]]` tables of a TOML manifest, by file name. Raises ValueError naming the bad entry."""
    path = Path(path)
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("document", [])
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: 不是有效的 TOML (invalid TOML): {error}") from error
    metas: dict[str, DocumentMeta] = {}
    doc_ids: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path} 第{number}个 [[document]]"
        missing = [key for key in _REQUIRED if not str(entry.get(key, "")).strip()]
        unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
        if missing or unknown:
            raise ValueError(f"{where}: 缺少字段 {missing} / 未知字段 {unknown} (missing or unknown fields)")
        if entry.get("date") and not _ISO_DATE.fullmatch(entry["date"]):
            raise ValueError(f"{where}: 日期须为 YYYY-MM-DD 或留空，而不是 {entry['date']!r} (date must be ISO)")
        if entry["file"] in metas or entry["doc_id"] in doc_ids:
            raise ValueError(f"{where}: 文件或 doc_id 重复 (duplicate file or doc_id)")
        doc_ids.add(entry["doc_id"])
        metas[entry["file"]] = DocumentMeta(
            doc_id=entry["doc_id"], title=entry["title"], file_name=entry["file"],
            **{key: entry.get(key, "") for key in _OPTIONAL},
        )
    return metas


def doc_id_for(file_name: str) -> str:
    """A readable, stable id from the file name: letters, digits and Chinese characters joined by "-"."""
    stem = unicodedata.normalize("NFKC", Path(file_name).stem).lower()
    slug = "-".join(re.findall(r"[a-z0-9\u4e00-\u9fff]+", stem))
    return slug or "doc-" + hashlib.sha1(file_name.encode()).hexdigest()[:10]
