"""Briefings (简报) on a free-text topic across the selected documents, every statement footnoted.

Built in qa/brief/build.py (which parts of a document are on the topic: qa/brief/topic.py; programmes,
targets and figures: qa/brief/items.py); written out as Markdown or Word in qa/brief/output.py.
"""
from qa.brief.build import (
    NOT_COVERED, TABLE_COLUMNS, Briefing, ComparisonRow, DocumentMeasures, MeasureGroup, Progress, Sourced,
    build_briefing, iter_briefing,
)
from qa.brief.items import figures_in, programmes_in
from qa.brief.output import briefing_markdown, footnote_text, write_briefing_docx

__all__ = [
    "NOT_COVERED", "TABLE_COLUMNS", "Briefing", "ComparisonRow", "DocumentMeasures", "MeasureGroup", "Progress",
    "Sourced", "briefing_markdown", "build_briefing", "figures_in", "footnote_text", "iter_briefing",
    "programmes_in", "write_briefing_docx",
]
