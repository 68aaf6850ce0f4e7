"""The seed documents, prepared once per test session (the whole corpus takes well under a second), and the
corpus-extra documents of ../shared."""
from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from corpus import DOCUMENTS_DIR
from corpus.pipeline import PreparedDocument, iter_corpus, prepare_document


@pytest.fixture(scope="session")
def seeds() -> dict[str, PreparedDocument]:
    prepared = list(iter_corpus(DOCUMENTS_DIR))
    unreadable = [document for document in prepared if not isinstance(document, PreparedDocument)]
    assert not unreadable, unreadable
    return {document.meta.doc_id: document for document in prepared}


# ../shared beside the checkout (or $POLICYQA_SHARED_DIR): the corpus-extra texts are read from there at run time,
# never copied into the repository
SHARED_DIR = Path(os.environ.get("POLICYQA_SHARED_DIR") or Path(__file__).resolve().parents[3] / "shared")
EXTRA_DIR = SHARED_DIR / "corpus-extra"


@pytest.fixture(scope="session")
def extra():
    """A corpus-extra document by its file stem, prepared once (the test is skipped where ../shared is absent)."""
    if not EXTRA_DIR.is_dir():
        pytest.skip(f"corpus-extra is not at {EXTRA_DIR} (set POLICYQA_SHARED_DIR)")
    return functools.cache(lambda stem: prepare_document(EXTRA_DIR / f"{stem}.txt"))
