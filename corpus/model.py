"""The two records that flow through the whole pipeline: a Document and the Chunks cut from it."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocumentMeta:
    """What a person needs to know about a source document (from corpus/manifest.toml or derived)."""

    doc_id: str  # readable, stable: "leshan-2024-industry"
    title: str
    issuer: str = ""  # 中共乐山市委
    region: str = ""  # 乐山市 / 四川省 / 成都市
    date: str = ""  # ISO date "2024-06-25", or "" when unknown
    source: str = ""  # 乐山发布, a newspaper, a URL
    file_name: str = ""
    kind: str = ""  # 条例 / 决定 / 政府工作报告 / 实施意见 / 行动方案 / 新闻发布会 …

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date[:4].isdigit() else None


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage, cut at heading and sentence boundaries.

    `text` is the display text in the document's own script (after repair of artefacts);
    `index_text` is what search sees (NFKC, simplified). `start`/`end` are character offsets
    of the passage in the original decoded file text, so a citation can open the exact spot.
    """

    doc_id: str
    section_path: tuple[str, ...]
    text: str
    index_text: str
    start: int
    end: int
    ordinal: int  # position of the chunk within its document
    meta: DocumentMeta = field(compare=False)

    @property
    def chunk_id(self) -> str:
        """Same document and same text give the same id across runs."""
        digest = hashlib.sha1(f"{self.doc_id}\x00{self.start}\x00{self.text}".encode()).hexdigest()
        return f"{self.doc_id}:{digest[:16]}"

    @property
    def section(self) -> str:
        return " > ".join(self.section_path)
