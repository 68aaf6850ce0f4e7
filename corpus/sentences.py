"""Where a sentence begins and ends: the one rule for packing passages, finding repeated sentences, the dense
index's sentence units and the citation check, so that what is packed, embedded and quoted is the same sentence.

A sentence ends at 。！？!?；; together with the whole run of such marks ("什么？！") and the closing quotes or
brackets after them (“……。”), so that no sentence starts with the mark that closes the one before. A line break
ends one too: a heading line or a list item has no full stop. The 、 of 一、, the . of "1." and the brackets of
pinyin artefacts (發(fā)展) end nothing.
"""
from __future__ import annotations

import re

ENDERS = "。！？!?；;"  # end a sentence (the citation check splits claims at them too)
_CLOSERS = "”’\"」』）)"
_SENTENCE = re.compile(rf"[^{ENDERS}\n]+(?:[{ENDERS}][{ENDERS}{_CLOSERS}]*)?")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) in `text` of each sentence of text[start:end], without the spaces around it."""
    spans = []
    for match in _SENTENCE.finditer(text, start, len(text) if end is None else end):
        sentence = match.group()
        stripped = sentence.strip()
        if stripped:
            sentence_start = match.start() + sentence.index(stripped)
            spans.append((sentence_start, sentence_start + len(stripped)))
    return spans
