"""The places a question names: the corpus's regions by their full or short names (乐山 / 乐山市, 全省).

Used before retrieval (one search per named place), by the follow-up rewrite ("那南充呢?") and by the
extractive answer (quotes of the named places only).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from qa.lexicon import REGION_SUFFIX


def region_aliases(regions: Sequence[str]) -> dict[str, str]:
    """乐山 → 乐山市, 四川 / 全省 → 四川省: the short names people use for the places in the corpus."""
    aliases: dict[str, str] = {}
    for region in regions:
        if not region:
            continue
        aliases[region] = region
        short = REGION_SUFFIX.sub("", region)
        if len(short) >= 2:
            aliases[short] = region
        if region.endswith("省"):
            aliases["全省"] = region
    return aliases


def named_regions(question: str, aliases: Mapping[str, str]) -> list[str]:
    """The regions the question names, longest alias first (四川省 before 四川), each once."""
    found: list[str] = []
    for alias in sorted(aliases, key=len, reverse=True):
        if alias in question and aliases[alias] not in found:
            found.append(aliases[alias])
    return found
