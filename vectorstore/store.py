"""The vector side: sentence embeddings in one Chroma collection, stamped with the embedder that made them.

Each chunk is embedded sentence by sentence and scores as its best sentence. A sentence encoder averages a
400-character passage into a vague vector; one question usually matches one sentence (on the dev set, dense
hit@5 went from 0.52 with one vector per chunk to 0.78 with one per sentence, at the same embedding cost,
since USE's cost follows the number of tokens). What is embedded is the sentence in index form (NFKC,
simplified) so that a simplified question matches a traditional document; the sentence as the document
writes it rides along in the metadata, with the chunk's citation fields.
Chroma runs embedded (a folder beside the other indexes) or as a server (`chroma run`), same code either way.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import chromadb
import httpx
from chromadb.api import ServerAPI
from chromadb.api.client import Client
from chromadb.config import Settings as ChromaSettings
from chromadb.config import System
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from corpus.model import Chunk
from corpus.normalize import to_index_text
from corpus.sentences import sentence_spans
from settings import StoreSettings
from vectorstore.hits import SearchFilter

_IDENTITY_KEY = "embedder"
_MIN_SENTENCE_CHARS = 4  # shorter pieces ("1." or a lone quote) say nothing on their own
_SENTENCES_PER_CHUNK = 4  # how many sentences to fetch per chunk wanted: the best ones cluster in few chunks


class EmbedderMismatch(RuntimeError):
    """The index was built by another embedder: its vectors cannot be compared with this one's."""

    def __init__(self, built_with: str, asked_for: str) -> None:
        super().__init__(
            f"index built with {built_with}, settings ask for {asked_for}: "
            "re-ingest with --rebuild or change settings"
        )
        self.built_with = built_with
        self.asked_for = asked_for


class StoreUnavailable(RuntimeError):
    """The Chroma server named in the settings does not answer."""


@contextmanager
def _answering(where: str) -> Iterator[None]:
    """Network failures of a Chroma server become one error that names the server, whatever the call."""
    try:
        yield
    except httpx.TransportError as error:
        raise StoreUnavailable(f"Chroma server at {where} does not answer ({type(error).__name__}): "
                               "start it again (chroma run), or set store.mode = \"embedded\"") from None


def connect(store: StoreSettings, index_dir: Path) -> chromadb.ClientAPI:
    """An embedded client on index_dir/"chroma", or an HTTP client when settings.store.mode is "server"."""
    if store.mode == "embedded":
        return chromadb.PersistentClient(path=str(index_dir / "chroma"), settings=_embedded_settings(index_dir))
    try:
        return chromadb.HttpClient(host=store.host, port=store.port,
                                   settings=ChromaSettings(anonymized_telemetry=False))
    except Exception as error:  # chromadb raises a bare ValueError/ConnectError depending on the failure
        raise StoreUnavailable(f"Chroma server at {store.host}:{store.port} does not answer: {error}") from error


def reconnect_embedded(index_dir: Path) -> chromadb.ClientAPI:
    """An embedded client that reads the index as it is on disk now, after another process wrote to it.

    Embedded Chroma shares one System per path within a process, and that System keeps each collection's
    HNSW index as it first loaded it: vectors another process added later never show in its queries (its
    own writes catch up, its reads do not). from_system puts a newly started System in the shared one's
    place; a client still on the old one (a search in flight on another thread) finishes on it, and the
    old System is freed with its last client.
    """
    system = System(_embedded_settings(index_dir))
    system.instance(ServerAPI)
    system.start()
    return Client.from_system(system)


def _embedded_settings(index_dir: Path) -> ChromaSettings:
    # what PersistentClient would set: a later PersistentClient on this path must find equal settings
    return ChromaSettings(anonymized_telemetry=False, is_persistent=True, persist_directory=str(index_dir / "chroma"))


class VectorIndex:
    """Sentence vectors in one cosine-space Chroma collection, opened only by the embedder that built it."""

    def __init__(self, client: chromadb.ClientAPI, collection: str, embedder: Embeddings, where: str = "") -> None:
        self._where = where or "the embedded index"  # named in errors: host:port of a server
        self._client = client
        self._collection_name = collection
        self._embedder = embedder
        self.identity: str = embedder.identity
        with _answering(self._where):
            self._store = self._open()

    def _open(self) -> Chroma:
        store = Chroma(
            client=self._client,
            collection_name=self._collection_name,
            embedding_function=self._embedder,
            collection_metadata={_IDENTITY_KEY: self.identity},
            collection_configuration={"hnsw": {"space": "cosine"}},
        )
        # get_or_create keeps an existing collection's metadata, so this reads what the index was built with
        stamped = self._client.get_collection(self._collection_name).metadata or {}
        built_with = stamped.get(_IDENTITY_KEY, "an unknown embedder")
        if built_with != self.identity:
            raise EmbedderMismatch(built_with, self.identity)
        return store

    @staticmethod
    def drop(client: chromadb.ClientAPI, collection: str) -> None:
        """Delete the collection whatever built it (a rebuild must work after an embedder change)."""
        if any(existing.name == collection for existing in client.list_collections()):
            client.delete_collection(collection)

    def add(self, chunks: Sequence[Chunk]) -> None:
        """Embed and upsert each chunk's sentences: ids are deterministic, so adding a chunk twice is harmless."""
        units = [(f"{chunk.chunk_id}#{n}", display, indexed, chunk)
                 for chunk in chunks for n, (display, indexed) in enumerate(sentences(chunk))]
        if units:
            with _answering(self._where):
                self._store.add_texts(
                    texts=[indexed for _, _, indexed, _ in units],
                    metadatas=[_metadata(chunk, display) for _, display, _, chunk in units],
                    ids=[unit_id for unit_id, _, _, _ in units],
                )

    def remove_document(self, doc_id: str) -> None:
        with _answering(self._where):
            self._store.delete(where={"doc_id": doc_id})

    def search(self, query: str, k: int, filters: SearchFilter | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity of its best sentence), best first."""
        if k <= 0:
            return []
        query_vector = self._embedder.embed_query(query)
        with _answering(self._where):
            found = self._store.similarity_search_by_vector_with_relevance_scores(
                query_vector, k * _SENTENCES_PER_CHUNK, filter=chroma_where(filters))
        best: dict[str, float] = {}
        for sentence, cosine_distance in found:  # best first, so a chunk's first sentence is its best
            best.setdefault(sentence.metadata["chunk_id"], 1.0 - cosine_distance)
        return list(best.items())[:k]

    def chunk_ids(self, doc_id: str | None = None) -> set[str]:
        with _answering(self._where):
            found = self._store.get(where={"doc_id": doc_id} if doc_id else None, include=["metadatas"])
        return {metadata["chunk_id"] for metadata in found["metadatas"]}


def chroma_where(filters: SearchFilter | None) -> dict | None:
    """The SearchFilter as a Chroma `where` clause (None when it admits everything)."""
    if filters is None:
        return None
    clauses = [
        {field: {"$in": list(values)}}
        for field, values in (("doc_id", filters.doc_ids), ("region", filters.regions), ("year", filters.years))
        if values
    ]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def sentences(chunk: Chunk) -> list[tuple[str, str]]:
    """The chunk's sentences as (display form, index form); the whole passage when it has no real sentence."""
    displays = [chunk.text[start:end] for start, end in sentence_spans(chunk.text)]
    kept = [(display, indexed) for display in displays
            if len(indexed := to_index_text(display)) >= _MIN_SENTENCE_CHARS]
    return kept or [(chunk.text, chunk.index_text)]


def _metadata(chunk: Chunk, sentence: str) -> dict[str, str | int]:
    metadata: dict[str, str | int] = {
        "chunk_id": chunk.chunk_id,
        "doc_id": chunk.doc_id,
        "section": chunk.section,
        "start": chunk.start,
        "end": chunk.end,
        "ordinal": chunk.ordinal,
        "title": chunk.meta.title,
        "region": chunk.meta.region,
        "text": sentence,
    }
    if chunk.meta.year is not None:  # Chroma metadata cannot hold None; a missing year matches no year filter
        metadata["year"] = chunk.meta.year
    return metadata
