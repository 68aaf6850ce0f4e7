"""Metadata and outline of every corpus-extra document, as `policyqa docs` shows them, to compare by hand with
../shared/corpus-extra/SOURCES.md.

    PYTHONPATH=. python benchmarks/metadata_report.py [FOLDER]

Prints one block per document: title, issuer, place, date, kind and the top-level sections of its outline.
The folder defaults to $POLICYQA_SHARED_DIR/corpus-extra (POLICYQA_SHARED_DIR defaults to ../shared).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from corpus.chunk import outline
from corpus.pipeline import prepare_document

SHARED = Path(os.environ.get("POLICYQA_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")


def main(folder: Path) -> None:
    if not folder.is_dir():
        raise SystemExit(f"no folder {folder}: set POLICYQA_SHARED_DIR to the folder that holds corpus-extra/")
    for path in sorted(folder.glob("*.txt")):
        document = prepare_document(path)
        meta = document.meta
        top = [heading for depth, heading in outline(document.chunks) if depth == 0]
        print(f"{path.name}\n  title  {meta.title}\n  issuer {meta.issuer}\n  place  {meta.region}\n"
              f"  date   {meta.date}\n  kind   {meta.kind}\n  top-level sections ({len(top)}): {' | '.join(top)[:300]}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED / "corpus-extra")
