"""The knowledge base: documents in, hybrid search out.

Three stores under settings.index_dir, kept consistent by the catalog's protocol (see catalog.py):
  catalog.sqlite  documents, their chunks, and whether both indexes hold them
  chroma/         chunk vectors (or a Chroma server, settings.store.mode == "server")
  keyword/        jieba tokens and their SQLite FTS5 index
Ingest is incremental (by content fingerprint) and survives kill -9 at any point: the next open redoes
every document the catalog does not mark complete, so no chunk is duplicated or missing.
"""
from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict
from tqdm import tqdm

from corpus import USERDICT_PATH
from corpus.instructions import instruction_spans
from corpus.model import Chunk, DocumentMeta
from corpus.normalize import normalize_query
from corpus.pipeline import PreparedDocument, UnreadableDocument, is_system_path, iter_corpus, prepare_document
from settings import Settings
from vectorstore import fusion
from vectorstore.catalog import Catalog, text_hash
from vectorstore.corrections import Corrections
from vectorstore.embeddings import make_embedder
from vectorstore.hits import Hit, SearchFilter
from vectorstore.keyword import ChineseTokenizer, KeywordIndex
from vectorstore.store import VectorIndex, connect, reconnect_embedded

SearchMode = Literal["hybrid", "dense", "keyword"]


@dataclass(frozen=True)
class FailedFile:
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class DuplicateFile:
    """A new file whose text the knowledge base already holds under another name: not indexed again."""

    path: Path
    existing: str  # doc_id of the document holding the same text

    def __str__(self) -> str:
        return f"{self.path} 与已有文件《{self.existing}》内容相同,未重复导入"


@dataclass(frozen=True)
class _Queued:
    """A document waiting for its batch to fill, with what the catalog will record for it."""

    document: PreparedDocument
    source: Path
    fingerprint: str
    is_new: bool
    text_hash: str  # a later file of the same batch with this text is a duplicate


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)  # doc ids
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[FailedFile] = field(default_factory=list)
    duplicates: list[DuplicateFile] = field(default_factory=list)
    instructions: dict[str, list[str]] = field(default_factory=dict)  # doc id → its sentences addressed to the assistant
    empty_folders: list[Path] = field(default_factory=list)  # given folders that held no file to read
    chunks_indexed: int = 0  # embedded in this run
    chunks_total: int = 0  # in the knowledge base afterwards
    seconds: float = 0.0

    def summary(self) -> str:
        counts = (f"新增 {len(self.added)} 篇,更新 {len(self.updated)} 篇,未变 {len(self.unchanged)} 篇,"
                  f"移除 {len(self.removed)} 篇,重复 {len(self.duplicates)} 个文件,失败 {len(self.failed)} 个文件;"
                  f"本次索引 {self.chunks_indexed} 块,共 {self.chunks_total} 块,用时 {self.seconds:.1f} 秒")
        flagged = [f"《{doc_id}》有 {len(sentences)} 句像是对问答系统下的指令,已标记,不会作为回答的依据:"
                   + ";".join(f"“{sentence[:60]}”" for sentence in sentences)
                   for doc_id, sentences in self.instructions.items()]
        empty = [f"文件夹 {folder} 中没有可读取的文件 (no file in the folder)" for folder in self.empty_folders]
        return "\n".join([counts, *empty, *map(str, self.duplicates), *flagged])


def _absolute(path: Path) -> Path:
    """The file's absolute path, its folders resolved but not a link it may be: a link names its own source."""
    return path.parent.resolve() / path.name


def _with_doc_id(document: PreparedDocument, doc_id: str) -> PreparedDocument:
    if doc_id == document.meta.doc_id:
        return document
    meta = replace(document.meta, doc_id=doc_id)
    return replace(document, meta=meta, chunks=tuple(replace(chunk, doc_id=doc_id, meta=meta)
                                                     for chunk in document.chunks))


class KnowledgeBase:
    def __init__(self, settings: Settings, embedder: Embeddings | None = None) -> None:
        """Open (or create) the knowledge base in settings.index_dir.

        `embedder` lets a caller share one loaded model between knowledge bases; by default the one
        settings.embedder names is made. The vector side opens at first use, so documents() and chunks()
        work, and rebuild() can run, even when the index was built by another embedder.
        """
        self._settings = settings
        self._embedder = embedder
        index_dir = settings.index_dir
        self._catalog = Catalog(index_dir / "catalog.sqlite")
        self._corrections = Corrections(index_dir / "corrections.sqlite")  # a person's, outliving any re-index
        self._keyword = KeywordIndex(index_dir / "keyword", ChineseTokenizer(USERDICT_PATH))
        self._client = connect(settings.store, index_dir)
        self._vector_index: VectorIndex | None = None
        self._finished_interrupted = False

    # --- ingest ----------------------------------------------------------------------------------------------

    def ingest(self, paths_or_folder: str | Path | Sequence[str | Path] | None = None,
               progress: bool = True) -> IngestReport:
        """Bring the knowledge base up to date with these files and folders (default: settings.corpus_dir).

        Unchanged documents are skipped, changed ones replaced; for a folder, documents that came from it
        and are no longer there are removed. Unreadable files are reported and leave the index as it was.
        """
        started = time.perf_counter()
        if paths_or_folder is None:
            targets = [Path(self._settings.corpus_dir)]
        elif isinstance(paths_or_folder, (str, Path)):
            targets = [Path(paths_or_folder)]
        else:
            targets = [Path(target) for target in paths_or_folder]
        report = IngestReport()
        self._finish_interrupted()  # before this run starts its own
        with tqdm(desc="索引", unit="块", file=sys.stderr, disable=not progress, dynamic_ncols=True) as bar:
            for target in targets:
                if target.is_dir():
                    documents = iter_corpus(target, max_chars=self._settings.retrieval.max_chunk_chars)
                    seen = self._ingest_each(documents, report, bar)
                    if not seen:
                        report.empty_folders.append(target)
                    self._remove_vanished(target, seen, report)
                else:
                    self._ingest_each([self._prepare(target)], report, bar)
        report.chunks_total = sum(self._catalog.chunk_counts().values())
        report.seconds = time.perf_counter() - started
        return report

    def _ingest_each(self, documents: Iterable[PreparedDocument | UnreadableDocument], report: IngestReport,
                     bar: tqdm) -> set[Path]:
        """Ingest a stream of prepared documents, a batch at a time (memory stays flat); returns the sources seen.

        Documents are gathered until they hold embedder.batch_size chunks, so that many small documents share one
        embedding call and one Chroma write: 1000 chunks written 3 at a time, as 3-chunk documents each were, took
        43 s against 19 s in writes of 64 (larger writes than 64 gained nothing more).
        """
        seen: set[Path] = set()
        taken: set[str] = set()  # ids given in this run, not yet in the catalog
        batch: list[_Queued] = []
        for document in documents:
            source = _absolute(Path(document.path))
            seen.add(source)
            if isinstance(document, UnreadableDocument):
                report.failed.append(FailedFile(source, document.reason))
                continue
            existing = self._catalog.from_source(source)
            # a document is its source: the same file again replaces it; another file with a taken name gets a
            # new id, so it never overwrites a document that came from somewhere else
            doc_id = existing.meta.doc_id if existing else self._catalog.free_doc_id(document.meta.doc_id, taken)
            taken.add(doc_id)
            document = _with_doc_id(document, doc_id)
            document = self._corrected(document)
            fingerprint = self._fingerprint(document)
            if existing is not None and existing.state == "complete" and existing.fingerprint == fingerprint:
                report.unchanged.append(doc_id)
                continue
            content = text_hash(document.original_text)
            if existing is None and (twin := self._same_text_as(content, batch)):
                report.duplicates.append(DuplicateFile(source, twin))
                continue
            batch.append(_Queued(document, source, fingerprint, is_new=existing is None, text_hash=content))
            if sum(len(queued.document.chunks) for queued in batch) >= self._settings.embedder.batch_size:
                self._ingest_batch(batch, report, bar)
                batch = []
        if batch:
            self._ingest_batch(batch, report, bar)
        return seen

    def _ingest_batch(self, batch: list[_Queued], report: IngestReport, bar: tqdm) -> None:
        for queued in batch:  # every one 'pending' before either index is touched
            document = queued.document
            self._catalog.begin(document.meta, queued.source, queued.fingerprint, document.original_text,
                                document.chunks)
        bar.set_postfix_str(batch[-1].document.meta.doc_id)
        self._index({queued.document.meta.doc_id: queued.document.chunks for queued in batch}, bar)
        for queued in batch:
            document = queued.document
            (report.added if queued.is_new else report.updated).append(document.meta.doc_id)
            report.chunks_indexed += len(document.chunks)
            if spans := instruction_spans(document.original_text):
                report.instructions[document.meta.doc_id] = [document.original_text[start:end] for start, end in spans]

    def _index(self, chunks_by_document: dict[str, Sequence[Chunk]], bar: tqdm | None = None) -> None:
        """Make both indexes hold exactly these chunks of these documents, then mark them complete."""
        for doc_id in chunks_by_document:
            self._vectors().remove_document(doc_id)
            self._keyword.remove_document(doc_id)
        chunks = [chunk for document_chunks in chunks_by_document.values() for chunk in document_chunks]
        batch_size = self._settings.embedder.batch_size
        for first in range(0, len(chunks), batch_size):
            batch = chunks[first:first + batch_size]
            self._vectors().add(batch)
            self._keyword.add(batch)
            if bar is not None:
                bar.update(len(batch))
        for doc_id in chunks_by_document:
            self._catalog.set_state(doc_id, "complete")

    def _remove_vanished(self, folder: Path, seen: set[Path], report: IngestReport) -> None:
        """Documents of this folder whose file is gone; and any a walk of an older version read through a link
        into a system folder (/etc/passwd), which no walk reads now and whose folder is unknown."""
        folder = folder.resolve()
        for entry in self._catalog.entries():
            if (entry.source.is_relative_to(folder) and entry.source not in seen) or is_system_path(entry.source):
                self.delete_document(entry.meta.doc_id)
                report.removed.append(entry.meta.doc_id)

    def _prepare(self, path: Path, meta: DocumentMeta | None = None) -> PreparedDocument | UnreadableDocument:
        try:
            return prepare_document(path, meta, max_chars=self._settings.retrieval.max_chunk_chars)
        except UnreadableDocument as unreadable:
            return unreadable

    def _same_text_as(self, content: str, waiting: Sequence[_Queued]) -> str | None:
        """The doc_id of a document already holding the text with this hash, if any (in the knowledge base,
        or waiting in the batch: two copies in one folder must not both be indexed).

        One whose file is gone does not count: its folder's next ingest removes it, and this file must take
        its place then, not be lost with it (a renamed file, or a copy whose original was deleted). A file
        that changes while keeping its name is never checked: it updates its own document.
        """
        in_batch = (queued.document.meta.doc_id for queued in waiting if queued.text_hash == content)
        return next(in_batch, None) or next((entry.meta.doc_id for entry in self._catalog.holding(content)
                                             if entry.source.is_file()), None)

    def _fingerprint(self, document: PreparedDocument) -> str:
        """What decides whether a document must be re-chunked and re-embedded."""
        # the cut itself is part of the recipe: a newer chunker re-indexes a file whose bytes did not change
        cut = [(chunk.chunk_id, chunk.section) for chunk in document.chunks]
        recipe = json.dumps([document.content_hash, asdict(document.meta), cut], ensure_ascii=False)
        return hashlib.sha1(recipe.encode()).hexdigest()

    def _corrected(self, document: PreparedDocument) -> PreparedDocument:
        """The document with the metadata a person corrected in place of what was derived."""
        meta = self._corrections.apply(document.meta)
        if meta == document.meta:
            return document
        return replace(document, meta=meta, chunks=tuple(replace(chunk, meta=meta) for chunk in document.chunks))

    def correct(self, doc_id: str, fields: dict[str, str]) -> DocumentMeta:
        """Correct a document's title, issuer, region, date or kind, and index it again with them, so that
        filters, citations and briefings use them. Raises KeyError, or BadCorrection naming what is wrong."""
        entry = self._catalog.entry(doc_id)
        if entry is None:
            raise KeyError(f"no document {doc_id!r} in the knowledge base")
        self._corrections.save(doc_id, fields)
        meta = self._corrections.apply(entry.meta)
        if entry.source.is_file():  # read again, so that the next ingest of the file finds nothing to redo
            prepared = self._prepare(entry.source, meta)
            if isinstance(prepared, PreparedDocument):
                with tqdm(disable=True) as bar:
                    self._ingest_each([prepared], IngestReport(), bar)
                return meta
        chunks = [replace(chunk, meta=meta) for chunk in self._catalog.chunks(doc_id)]
        self._catalog.begin(meta, entry.source, entry.fingerprint, self._catalog.original_text(doc_id), chunks)
        self._index({doc_id: chunks})
        return meta

    def _open_vectors(self) -> VectorIndex:
        store = self._settings.store
        address = f"{store.host}:{store.port}" if store.mode == "server" else ""
        return VectorIndex(self._client, store.collection, self._get_embedder(), address)

    def delete_document(self, doc_id: str) -> None:
        self._finish_interrupted()
        vectors = self._vectors()
        if self._catalog.entry(doc_id) is None:
            raise KeyError(f"no document {doc_id!r} in the knowledge base")
        self._catalog.set_state(doc_id, "deleting")
        vectors.remove_document(doc_id)
        self._keyword.remove_document(doc_id)
        self._catalog.forget(doc_id)
        self._corrections.forget(doc_id)

    def rebuild(self, progress: bool = True) -> IngestReport:
        """Empty both indexes and index every catalogued document again with the current embedder and chunker.

        Documents are re-read from their source files (keeping their metadata); one whose file is gone is
        re-indexed from its stored chunks. Safe to interrupt: what is left 'pending' is redone on next open.
        """
        entries = self._catalog.entries()
        self._finished_interrupted = True  # what an interrupted run left is redone with everything else
        self._catalog.reopen_all()  # first: a kill from here on leaves every document to be redone
        VectorIndex.drop(self._client, self._settings.store.collection)
        self._keyword.clear()
        self._vector_index = self._open_vectors()
        report = IngestReport()
        started = time.perf_counter()
        with tqdm(desc="重建索引", unit="块", file=sys.stderr, disable=not progress, dynamic_ncols=True) as bar:
            present = [entry for entry in entries if entry.source.is_file()]
            self._ingest_each((self._prepare(entry.source, entry.meta) for entry in present), report, bar)
            self._repair(bar)
        report.chunks_total = sum(self._catalog.chunk_counts().values())
        report.seconds = time.perf_counter() - started
        return report

    def _finish_interrupted(self) -> None:
        """Finish what an interrupted run left, once, before this process's first write (or the repair would take
        the document it is just starting for a crashed one). Only writes do it: a question must not wait
        for a document an ingest left half-indexed, which search leaves out meanwhile (see hits)."""
        if not self._finished_interrupted:
            self._finished_interrupted = True
            self._vectors()
            self._repair()

    def _vectors(self) -> VectorIndex:
        """The vector side, opened at first use. Reopening after another process wrote does not repair: that
        process may be in the middle of its ingest."""
        if self._vector_index is None:
            self._vector_index = self._open_vectors()
        elif self._settings.store.mode == "embedded" and self._catalog.changed_elsewhere():
            # another process (`policyqa ingest` while the app runs) wrote vectors this process's Chroma would
            # not show; a server serves every writer's vectors already
            self._client = reconnect_embedded(self._settings.index_dir)
            self._vector_index = self._open_vectors()
        return self._vector_index

    def _repair(self, bar: tqdm | None = None) -> None:
        """Finish what an interrupted run left: redo pending documents from their stored chunks, drop deletions."""
        for entry in self._catalog.unfinished():
            doc_id = entry.meta.doc_id
            if entry.state == "deleting":
                self.delete_document(doc_id)
            else:
                self._index({doc_id: self._catalog.chunks(doc_id)}, bar)

    def embedder(self) -> Embeddings:
        """The embedder the index was built with: the same vectors for comparing sentences outside a search."""
        return self._get_embedder()

    def _get_embedder(self) -> Embeddings:
        if self._embedder is None:
            self._embedder = make_embedder(self._settings.embedder)
        return self._embedder

    # --- search ----------------------------------------------------------------------------------------------

    def search(self, query: str, k: int = 5, filters: SearchFilter | None = None,
               mode: SearchMode = "hybrid") -> list[Hit]:
        """The k best passages for the query; `mode` picks one side alone (for comparison and diagnosis)."""
        dense, keyword = self.candidates(query, filters, max(self._settings.retrieval.candidates, k), mode)
        return self.hits(fusion.weighted_sum(dense, keyword, self._settings.retrieval.dense_weight), k)

    def candidates(self, query: str, filters: SearchFilter | None = None, count: int | None = None,
                   mode: SearchMode = "hybrid") -> tuple[fusion.Ranking, fusion.Ranking]:
        """Each side's candidates before fusion, (chunk_id, score) best first (settings.retrieval.candidates)."""
        normalized = normalize_query(query)
        count = count or self._settings.retrieval.candidates
        dense = self._vectors().search(normalized, count, filters) if mode != "keyword" else []
        keyword = self._keyword.search(normalized, count, filters) if mode != "dense" else []
        return dense, keyword

    def hits(self, ranked: Sequence[fusion.Fused], k: int) -> list[Hit]:
        """The first k fused rows as Hits, skipping passages whose text repeats a better one."""
        chunks = self._catalog.chunks_by_id((row.chunk_id for row in ranked), complete_only=True)
        hits: list[Hit] = []
        seen_texts: set[str] = set()
        for row in ranked:
            if len(hits) >= k:
                break
            chunk = chunks.get(row.chunk_id)
            if chunk is None or chunk.index_text in seen_texts:
                continue
            seen_texts.add(chunk.index_text)
            hits.append(Hit(chunk, row.score, row.dense_score, row.keyword_score))
        return hits

    def as_retriever(self, k: int = 5, filters: SearchFilter | None = None) -> BaseRetriever:
        return KnowledgeBaseRetriever(knowledge_base=self, k=k, filters=filters)

    # --- what is in it ---------------------------------------------------------------------------------------

    def documents(self) -> list[tuple[DocumentMeta, int]]:
        """Each document with its searchable chunks: none while an interrupted run left it half-indexed,
        since questions leave it out until the next write finishes it."""
        counts = self._catalog.chunk_counts()
        return [(entry.meta, counts.get(entry.meta.doc_id, 0) if entry.state == "complete" else 0)
                for entry in self._catalog.entries()]

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        return self._catalog.chunks(doc_id)

    def instructions(self) -> dict[str, list[str]]:
        """By document: its sentences flagged at ingest as addressed to the assistant."""
        flagged = {}
        for doc_id, spans in self._catalog.instructions().items():
            text = self._catalog.original_text(doc_id)
            flagged[doc_id] = [text[start:end] for start, end in spans]
        return flagged

    def unfinished_documents(self) -> list[str]:
        """Documents an interrupted run left half-indexed or half-deleted: the next ingest finishes them."""
        return [entry.meta.doc_id for entry in self._catalog.unfinished()]

    def original_text(self, doc_id: str) -> str:
        return self._catalog.original_text(doc_id)

    def source_of(self, doc_id: str) -> Path:
        """The file the document was read from."""
        entry = self._catalog.entry(doc_id)
        if entry is None:
            raise KeyError(f"no document {doc_id!r} in the knowledge base")
        return entry.source

    def index_contents(self) -> dict[str, set[str]]:
        """Chunk ids held by the catalog, the vector index and the keyword index (they must be equal)."""
        vectors = self._vectors()
        return {
            "catalog": {chunk.chunk_id for chunk in self._catalog.chunks()},
            "vectors": vectors.chunk_ids(),
            "keyword": self._keyword.chunk_ids(),
        }

    def close(self) -> None:
        self._catalog.close()
        self._corrections.close()
        self._keyword.close()


class KnowledgeBaseRetriever(BaseRetriever):
    """LangChain view of the hybrid search: Documents in the source's own script, with citation metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    knowledge_base: KnowledgeBase
    k: int = 5
    filters: SearchFilter | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [_as_document(hit) for hit in self.knowledge_base.search(query, self.k, self.filters)]


def _as_document(hit: Hit) -> Document:
    chunk = hit.chunk
    return Document(
        id=chunk.chunk_id,
        page_content=chunk.text,
        metadata={
            "chunk_id": chunk.chunk_id, "doc_id": chunk.doc_id, "title": chunk.meta.title, "section": chunk.section,
            "start": chunk.start, "end": chunk.end, "region": chunk.meta.region, "date": chunk.meta.date,
            "score": hit.score, "dense_score": hit.dense_score, "keyword_score": hit.keyword_score,
        },
    )
