"""From a file to the chunks search indexes: load → repair → metadata → cut by heading."""
from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from corpus import DOCUMENTS_DIR, MANIFEST_PATH
from corpus.chunk import chunk_document, outline
from corpus.load import DEFAULT_MAX_BYTES, UnreadableDocument, load_text
from corpus.manifest import load_manifest
from corpus.metadata import derive_meta
from corpus.model import Chunk, DocumentMeta
from corpus.repair import repair

__all__ = ["PreparedDocument", "UnreadableDocument", "is_system_path", "iter_corpus", "packaged_manifest",
           "prepare_document"]


@dataclass(frozen=True)
class PreparedDocument:
    path: Path
    meta: DocumentMeta
    original_text: str  # the decoded file text that chunk offsets point into
    content_hash: str  # sha256 of the file's bytes
    chunks: tuple[Chunk, ...]
    warnings: tuple[str, ...]  # what repair changed or flagged, for the ingest report

    @property
    def outline(self) -> list[tuple[int, str]]:
        return outline(self.chunks)


@functools.cache
def packaged_manifest() -> Mapping[str, DocumentMeta]:
    return load_manifest(MANIFEST_PATH)


def _packaged_meta(path: Path) -> DocumentMeta | None:
    """The manifest's entry for one of the manifest's own files; a file elsewhere that shares a name
    (an upload, a copy in another folder) is another document and must not wear its title and date."""
    return packaged_manifest().get(path.name) if path.resolve().parent == DOCUMENTS_DIR else None


def prepare_document(path: str | Path, meta: DocumentMeta | None = None, max_chars: int = 400,
                     max_bytes: int = DEFAULT_MAX_BYTES) -> PreparedDocument:
    """Read, repair and chunk one file. Raises UnreadableDocument.

    Without `meta`, a file of the packaged corpus folder gets its manifest entry, so the demo documents carry
    the same metadata however they are ingested; any other file gets metadata derived from its text.
    """
    path = Path(path)
    if is_system_path(path.resolve()):  # a file named on the command line, or a link to one, is no exception
        raise UnreadableDocument(path, _SYSTEM_FILE)
    original = load_text(path, max_bytes)
    repaired = repair(original)
    if meta is None:
        # other articles printed after the document (a newspaper page) must not lend it their date or place
        meta = _packaged_meta(path) or derive_meta(path.name, repaired.text[:repaired.unrelated_from], original)
    elif not meta.file_name:
        meta = replace(meta, file_name=path.name)
    chunks = chunk_document(repaired, meta, max_chars)
    if not chunks:
        raise UnreadableDocument(path, "去除噪声后没有正文 (no text left after removing noise)")
    return PreparedDocument(path=path, meta=meta, original_text=original,
                            content_hash=hashlib.sha256(path.read_bytes()).hexdigest(), chunks=tuple(chunks),
                            warnings=repaired.warnings)


def iter_corpus(folder: str | Path, manifest: Mapping[str, DocumentMeta] | None = None, max_chars: int = 400,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[PreparedDocument | UnreadableDocument]:
    """Every file under `folder` (hidden ones aside), prepared, or the UnreadableDocument saying why not.

    One bad file never stops the rest. `manifest` maps file names to metadata; files it does not name are
    treated as by prepare_document. Links are not followed out of the folder, and no system file is read.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"不是文件夹 (not a folder): {folder}")
    manifest = manifest or {}
    for path in _walk(folder.resolve()):
        if isinstance(path, UnreadableDocument):
            yield path
            continue
        try:
            yield prepare_document(path, manifest.get(path.name), max_chars, max_bytes)
        except UnreadableDocument as unreadable:
            yield unreadable


# what a folder walk never reads, however it got there (a link, or the folder given is one of these)
_SYSTEM_FOLDERS = tuple(Path(folder) for folder in (
    "/etc", "/proc", "/sys", "/dev", "/boot", "/run", "/bin", "/sbin", "/lib", "/lib64", "/usr/lib",
    "/usr/bin", "/usr/sbin", "/var/lib", "/var/log", "/var/run"))


def _walk(root: Path) -> list[Path | UnreadableDocument]:
    """The regular files under `root` in path order, without following links; a link leading out of `root`
    or into a system folder is reported, one inside it is left to its target (read where it stands)."""
    found: list[Path | UnreadableDocument] = []
    for directory, subfolders, files in os.walk(root, followlinks=False):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in [*subfolders, *files]:
            path = Path(directory, name)
            if not path.is_symlink():
                if name in files and not name.startswith("."):  # a pipe too: load_text refuses it, never waits on it
                    found.append(UnreadableDocument(path, _SYSTEM_FILE) if is_system_path(path) else path)
                continue
            target = path.resolve()
            if not target.is_relative_to(root) or is_system_path(target):
                found.append(UnreadableDocument(path, "是指向所给文件夹之外的链接，未读取 (link out of the folder)"))
    return sorted(found, key=lambda item: item.path if isinstance(item, UnreadableDocument) else item)


_SYSTEM_FILE = "是系统文件，不读取 (system file)"


def is_system_path(path: Path) -> bool:
    """Whether the path lies in a folder of the operating system, which no knowledge base is made of."""
    return any(path.is_relative_to(folder) for folder in _SYSTEM_FOLDERS)
