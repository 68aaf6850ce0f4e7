"""Documents in, Chunks out: load → repair → metadata → cut by heading (see corpus.pipeline)."""
from pathlib import Path

_HERE = Path(__file__).resolve().parent
DOCUMENTS_DIR = _HERE / "documents"  # the demo corpus: five real Sichuan policy documents
MANIFEST_PATH = _HERE / "manifest.toml"  # their metadata, written by hand from the texts
USERDICT_PATH = _HERE / "userdict.txt"  # jieba user dictionary of the corpus's policy terms
