"""Files a user uploads: stored under settings.uploads_dir by a safe name, then ingested.

The browser (or an API client) chooses the file name, so it is reduced to a plain name inside the
uploads folder before anything touches the disk. A file the knowledge base cannot read, or already holds
under another name, is taken out again, and a file it replaced is put back, so such an upload changes nothing.
An upload whose name an earlier upload holds becomes a
document of its own unless the user chose to replace that one. A duplicate is not kept aside either: its message names the document holding the content, and deleting that
document deletes the content, as the person deleting it sees.
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pathvalidate import sanitize_filename

from vectorstore.knowledge_base import IngestReport, KnowledgeBase

ALLOWED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")


class BadUpload(ValueError):
    """A file that cannot be taken; the message is for the user."""


def upload_name(original: str) -> str:
    """The name an upload is stored under: the last path component only (either slash), without
    characters a file system rejects, and never hidden (leading dots go), with an allowed suffix."""
    last = re.split(r"[\\/]", original)[-1]
    stem, suffix = Path(last).stem, Path(last).suffix
    # file systems cap names at 255 bytes: shorten the stem, never the suffix that says what the file is
    while len((stem + suffix).encode()) > 200:
        stem = stem[:-1]
    name = sanitize_filename(stem + suffix).lstrip(". ")
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        allowed = "、".join(ALLOWED_SUFFIXES)
        raise BadUpload(f"“{last}”不是支持的文件类型:请上传 {allowed} 文件。")
    if not Path(name).stem.strip():
        raise BadUpload(f"“{last}”没有可用的文件名。")
    return name


@dataclass
class UploadOutcome:
    report: IngestReport
    stored: dict[Path, str] = field(default_factory=dict)  # stored path → the name the user gave
    rejected: list[str] = field(default_factory=list)  # messages for files never stored
    renamed: dict[Path, str] = field(default_factory=dict)  # stored under a new name: its own name was taken

    def messages(self, titles: dict[str, str]) -> list[str]:
        """What happened to each file, in words for the user (titles by doc_id; no server paths)."""
        report = self.report
        lines = [f"已加入《{titles.get(doc_id, doc_id)}》" for doc_id in report.added]
        lines += [f"已更新《{titles.get(doc_id, doc_id)}》" for doc_id in report.updated]
        lines += [f"《{titles.get(doc_id, doc_id)}》内容未变,无需重新索引" for doc_id in report.unchanged]
        lines += [f"无法读取“{self.stored.get(failure.path, failure.path.name)}”:{failure.reason}。知识库未改动。"
                  for failure in report.failed]
        lines += [f"“{self.stored.get(duplicate.path, duplicate.path.name)}”与已有文件《"
                  f"{titles.get(duplicate.existing, duplicate.existing)}》内容相同,未重复导入。"
                  for duplicate in report.duplicates]
        not_taken = {failure.path for failure in report.failed} | {duplicate.path for duplicate in report.duplicates}
        lines += [f"已有同名而内容不同的上传文件,“{given}”另存为“{path.name}”,原文件保留"
                  f"(要替换原文件,请勾选“替换同名文件”后重新上传)。"
                  for path, given in self.renamed.items() if path not in not_taken]
        lines += [f"《{titles.get(doc_id, doc_id)}》有 {len(sentences)} 句像是对问答系统下的指令,已标记,不会作为回答的依据。"
                  for doc_id, sentences in report.instructions.items()]
        return lines + self.rejected


def add_uploads(kb: KnowledgeBase, files: Sequence[tuple[Path, str]], uploads_dir: Path,
                progress: bool = True, replace: bool = False) -> UploadOutcome:
    """Store each (temporary path, name the user gave) under uploads_dir and ingest them together.

    A name an earlier upload holds with other content replaces that upload only when `replace` says so;
    otherwise the file is stored under a free name and becomes a document of its own.
    """
    uploads_dir.mkdir(parents=True, exist_ok=True)
    folder = uploads_dir.resolve()
    replaced: dict[Path, bytes | None] = {}
    outcome = UploadOutcome(IngestReport())
    given_names: set[Path] = set()
    for temporary, given_name in files:
        try:
            target = folder / upload_name(given_name)
        except BadUpload as error:
            outcome.rejected.append(str(error))
            continue
        if target in given_names:
            outcome.rejected.append(f"“{given_name}”与同批的另一个文件同名,已跳过。")
            continue
        given_names.add(target)
        if target.is_file() and not replace and target.read_bytes() != temporary.read_bytes():
            target = _free_name(target, taken=replaced)
            outcome.renamed[target] = given_name
        replaced[target] = target.read_bytes() if target.is_file() else None
        shutil.copyfile(temporary, target)
        outcome.stored[target] = given_name
    if outcome.stored:
        outcome.report = kb.ingest(list(outcome.stored), progress=progress)
    not_taken = [failure.path for failure in outcome.report.failed]
    not_taken += [duplicate.path for duplicate in outcome.report.duplicates]
    for path in not_taken:
        previous = replaced.get(path)
        if previous is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(previous)
    return outcome


def _free_name(path: Path, taken: dict[Path, bytes | None]) -> Path:
    """`名称(2).txt`, `名称(3).txt`…: the first that neither the folder nor this batch holds."""
    number = 2
    while (candidate := path.with_name(f"{path.stem}({number}){path.suffix}")).exists() or candidate in taken:
        number += 1
    return candidate


def remove_document(kb: KnowledgeBase, doc_id: str, uploads_dir: Path) -> str:
    """Take a document out of the knowledge base; its uploaded file goes too, corpus files stay."""
    metas = {meta.doc_id: meta for meta, _ in kb.documents()}
    if doc_id not in metas:
        raise BadUpload(f"知识库中没有文件“{doc_id}”。")
    source = kb.source_of(doc_id)
    kb.delete_document(doc_id)
    if source.parent == uploads_dir.resolve() and source.is_file():  # only the file this document was read from
        source.unlink()
    return f"已删除《{metas[doc_id].title}》。"
