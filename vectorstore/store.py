"""The vector side: chunk embeddings in one Chroma collection, stamped with the embedder that made them.

Chroma runs embedded (a folder beside the other indexes) or as a server (`chroma run`), same code either way.
What is embedded is the chunk's index_text (simplified, normalised) so that a simplified question matches a
traditional document; the display text rides along in the metadata so results show the document's own script.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from corpus.model import Chunk
from settings import StoreSettings
from vectorstore.hits import SearchFilter

_IDENTITY_KEY = "embedder"


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


def connect(store: StoreSettings, index_dir: Path) -> chromadb.ClientAPI:
    """An embedded client on index_dir/"chroma", or an HTTP client when settings.store.mode is "server"."""
    no_telemetry = ChromaSettings(anonymized_telemetry=False)
    if store.mode == "embedded":
        return chromadb.PersistentClient(path=str(index_dir / "chroma"), settings=no_telemetry)
    try:
        return chromadb.HttpClient(host=store.host, port=store.port, settings=no_telemetry)
    except Exception as error:  # chromadb raises a bare ValueError/ConnectError depending on the failure
        raise StoreUnavailable(f"Chroma server at {store.host}:{store.port} does not answer: {error}") from error


class VectorIndex:
    """Chunk vectors in one cosine-space Chroma collection, opened only by the embedder that built it."""

    def __init__(self, client: chromadb.ClientAPI, collection: str, embedder: Embeddings) -> None:
        self._client = client
        self._collection_name = collection
        self._embedder = embedder
        self.identity: str = embedder.identity
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
        """Embed and upsert: chunk ids are deterministic, so adding the same chunk twice is harmless."""
        if chunks:
            self._store.add_texts(
                texts=[chunk.index_text for chunk in chunks],
                metadatas=[_metadata(chunk) for chunk in chunks],
                ids=[chunk.chunk_id for chunk in chunks],
            )

    def remove_document(self, doc_id: str) -> None:
        self._store.delete(where={"doc_id": doc_id})

    def search(self, query: str, k: int, filters: SearchFilter | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity), best first."""
        return self.search_by_vector(self._embedder.embed_query(query), k, filters)

    def search_by_vector(
        self, vector: list[float], k: int, filters: SearchFilter | None = None
    ) -> list[tuple[str, float]]:
        if k <= 0:
            return []
        found = self._store.similarity_search_by_vector_with_relevance_scores(vector, k, filter=chroma_where(filters))
        return [(document.id, 1.0 - cosine_distance) for document, cosine_distance in found]

    def chunk_ids(self, doc_id: str | None = None) -> set[str]:
        return set(self._store.get(where={"doc_id": doc_id} if doc_id else None, include=[])["ids"])


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


def _metadata(chunk: Chunk) -> dict[str, str | int]:
    metadata: dict[str, str | int] = {
        "doc_id": chunk.doc_id,
        "section": chunk.section,
        "start": chunk.start,
        "end": chunk.end,
        "ordinal": chunk.ordinal,
        "title": chunk.meta.title,
        "region": chunk.meta.region,
        "text": chunk.text,
    }
    if chunk.meta.year is not None:  # Chroma metadata cannot hold None; a missing year matches no year filter
        metadata["year"] = chunk.meta.year
    return metadata
