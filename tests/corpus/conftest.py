"""The seed documents, prepared once per test session (the whole corpus takes well under a second)."""
from __future__ import annotations

import pytest

from corpus import DOCUMENTS_DIR
from corpus.pipeline import PreparedDocument, iter_corpus


@pytest.fixture(scope="session")
def seeds() -> dict[str, PreparedDocument]:
    prepared = list(iter_corpus(DOCUMENTS_DIR))
    unreadable = [document for document in prepared if not isinstance(document, PreparedDocument)]
    assert not unreadable, unreadable
    return {document.meta.doc_id: document for document in prepared}
