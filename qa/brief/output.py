"""A briefing written out: Markdown ([^n] footnotes, a pipe table) and Word (real Word footnotes, a Word table).

Both read in the same order: title, date and the source documents; the summary points; each document's
named programmes, targets and measures under its own headings; the comparison table; the notes.
"""
from __future__ import annotations

import datetime
import re
from pathlib import Path

from qa.answer_types import Citation
from qa.brief.build import NOT_COVERED, Briefing, DocumentMeasures, Sourced

PROGRAMMES_LABEL = "具名计划与工程"
TARGETS_LABEL = "目标与数字"
MEASURES_LABEL = "措施"


def footnote_text(citation: Citation) -> str:
    """What a footnote says: where the passage stands and the passage itself."""
    section = f" {citation.section}" if citation.section else ""
    quote = " ".join(citation.quote.split())
    return f"《{citation.doc_title}》{section}:“{quote}”(原文第{citation.start}–{citation.end}字)"


def _provenance(briefing: Briefing) -> str:
    mode = "原文摘录" if briefing.backend == "extractive" else f"大模型撰写、逐条核对出处({briefing.backend})"
    dropped = f"另有 {len(briefing.dropped)} 处内容在原文中核实不到,已略去。" if briefing.dropped else ""
    return f"依据 {len(briefing.documents)} 份文件;要点:{mode}。{dropped}"


def _date_line(today: datetime.date | None = None) -> str:
    return f"日期:{(today or datetime.date.today()).isoformat()}"


def _source_line(document: DocumentMeasures) -> str:
    where = ",".join(part for part in (document.region, document.date) if part)
    state = "" if document.covered else f"({NOT_COVERED})"
    return f"《{document.title}》" + (f"({where})" if where else "") + state


def _document_heading(document: DocumentMeasures) -> str:
    where = ",".join(part for part in (document.region, document.date) if part)
    return f"《{document.title}》" + (f"({where})" if where else "")


# -- Markdown ---------------------------------------------------------------------------------------


def briefing_markdown(briefing: Briefing, today: datetime.date | None = None) -> str:
    lines = [f"# {briefing.title}", "", _date_line(today), "", _provenance(briefing), ""]
    if briefing.notice:
        lines += [f"> {briefing.notice}", ""]
    lines += ["## 来源文件", ""]
    lines += [f"{number}. {_md_escape(_source_line(document))}" for number, document in enumerate(briefing.documents, 1)]
    lines += ["", "## 要点", ""]
    lines += [f"- {_md_place(point)}{_md_text(point)}" for point in briefing.points] or ["- 无"]
    lines += ["", "## 各文件的相关措施", ""]
    for document in briefing.documents:
        lines += [f"### {_md_escape(_document_heading(document))}", ""]
        if not document.covered:
            lines += [f"{NOT_COVERED}。", ""]
            continue
        if document.programmes:
            lines += [f"**{PROGRAMMES_LABEL}**:" + "、".join(_md_text(entry) for entry in document.programmes), ""]
        if document.targets:
            lines += [f"**{TARGETS_LABEL}**:", ""] + [f"- {_md_text(entry)}" for entry in document.targets] + [""]
        lines += [f"**{MEASURES_LABEL}**:", ""]
        for group in document.groups:
            if group.heading:
                lines.append(f"- {_md_escape(group.heading)}")
                lines += [f"  - {_md_text(measure)}" for measure in group.measures]
            else:
                lines += [f"- {_md_text(measure)}" for measure in group.measures]
        lines.append("")
    if briefing.table:
        lines += ["## 对比", "", "| 文件 | " + " | ".join(briefing.columns) + " |",
                  "|" + " --- |" * (len(briefing.columns) + 1)]
        for row in briefing.table:
            cells = ["<br>".join(_md_text(entry) for entry in row.cells[column]) or "—" for column in briefing.columns]
            lines.append("| " + " | ".join([_md_escape(row.label), *cells]) + " |")
        lines.append("")
    if briefing.footnotes:
        lines += ["## 注释", ""]
        lines += [f"[^{citation.marker}]: {_md_escape(footnote_text(citation))}" for citation in briefing.footnotes]
    return "\n".join(lines).rstrip() + "\n"


def _md_place(point: Sourced) -> str:
    return f"**{point.place}**:" if point.place else ""


def _md_text(entry: Sourced) -> str:
    return _md_escape(" ".join(entry.text.split())) + "".join(f"[^{note}]" for note in entry.notes)


# every ASCII mark Markdown or HTML reads: a document's text is quoted as text, never as a link, image or tag
_MARKUP = re.compile(r"([\\`*_\[\]<>!#|~&])")


def _md_escape(text: str) -> str:
    return _MARKUP.sub(r"\\\1", text)


# -- Word -------------------------------------------------------------------------------------------

# inches: the document label, then the columns; 6.3 in all fits a portrait A4/Letter page between margins
_LABEL_WIDTH = 1.5
_TABLE_WIDTH = 6.3


def write_briefing_docx(briefing: Briefing, path: str | Path, today: datetime.date | None = None) -> Path:
    """A Word file: title, date and sources first, bullet points, a Word table, and real Word footnotes.

    Footnote n of the briefing is Word footnote n: the document is written in the order the briefing
    numbered its footnotes, and a passage cited again is referred to by a cross-reference to its
    footnote rather than by a second copy of it.
    """
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Inches, Pt

    path = Path(path)
    document = docx.Document()
    for style in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        document.styles[style].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    footnotes = _WordFootnotes(document)

    def write(paragraph, entry: Sourced) -> None:
        paragraph.add_run(" ".join(entry.text.split()))
        for index, note in enumerate(entry.notes):
            if index:  # ¹,²,³ and not ¹²³, which reads as note 123
                paragraph.add_run(",").font.superscript = True
            footnotes.reference(paragraph, note, footnote_text(briefing.footnote(note)))

    def labelled(label: str):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}:").bold = True
        return paragraph

    document.add_heading(briefing.title, level=0)
    document.add_paragraph(_date_line(today))
    document.add_paragraph(_provenance(briefing))
    if briefing.notice:
        document.add_paragraph().add_run(briefing.notice).italic = True
    document.add_heading("来源文件", level=1)
    for source in briefing.documents:
        document.add_paragraph(_source_line(source), style="List Number")

    document.add_heading("要点", level=1)
    for point in briefing.points:
        paragraph = document.add_paragraph(style="List Bullet")
        if point.place:
            paragraph.add_run(f"{point.place}:").bold = True
        write(paragraph, point)
    if not briefing.points:
        document.add_paragraph("无", style="List Bullet")

    document.add_heading("各文件的相关措施", level=1)
    for measures in briefing.documents:
        document.add_heading(_document_heading(measures), level=2)
        if not measures.covered:
            document.add_paragraph(f"{NOT_COVERED}。")
            continue
        if measures.programmes:
            paragraph = labelled(PROGRAMMES_LABEL)
            for index, entry in enumerate(measures.programmes):
                if index:
                    paragraph.add_run("、")
                write(paragraph, entry)
        if measures.targets:
            labelled(TARGETS_LABEL)
            for entry in measures.targets:
                write(document.add_paragraph(style="List Bullet"), entry)
        labelled(MEASURES_LABEL)
        for group in measures.groups:
            if group.heading:
                document.add_heading(group.heading, level=3)
            for measure in group.measures:
                write(document.add_paragraph(style="List Bullet"), measure)

    if briefing.table:
        document.add_heading("对比", level=1)
        table = document.add_table(rows=1, cols=len(briefing.columns) + 1)
        table.style, table.autofit = "Table Grid", False
        for cell, name in zip(table.rows[0].cells, ("文件", *briefing.columns)):
            cell.paragraphs[0].add_run(name).bold = True
            _shade(cell)
        _repeat_as_header(table.rows[0])
        for row in briefing.table:
            added = table.add_row()
            _keep_on_one_page(added)
            cells = added.cells
            cells[0].text = row.label
            for cell, column in zip(cells[1:], briefing.columns):
                entries = row.cells[column]
                if not entries:
                    cell.text = "—"
                for index, entry in enumerate(entries):
                    write(cell.paragraphs[0] if index == 0 else cell.add_paragraph(), entry)
        widths = [_LABEL_WIDTH] + [(_TABLE_WIDTH - _LABEL_WIDTH) / len(briefing.columns)] * len(briefing.columns)
        for column, width in zip(table.columns, widths):
            column.width = Inches(width)  # the grid, which LibreOffice reads; Word reads the cells
            for cell in column.cells:
                cell.width = Inches(width)
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(9)

    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def _row_property(row, name: str) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement(name))


def _repeat_as_header(row) -> None:
    """The column names again at the top of each page the table runs onto."""
    _row_property(row, "w:tblHeader")


def _keep_on_one_page(row) -> None:
    """A document's row is not split over two pages: its cells are read side by side."""
    _row_property(row, "w:cantSplit")


def _shade(cell) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="D9E2F3"/>'))


class _WordFootnotes:
    """Real Word footnotes. python-docx has no API for them, so the footnotes part is added here:
    word/footnotes.xml related from the document, with the two separator notes Word expects.

    The first reference to note n creates Word footnote n (bookmarked); later ones are NOTEREF
    fields showing the same number, as Word's own "insert cross-reference to footnote" does.
    """

    _SUPERSCRIPT = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'

    def __init__(self, document) -> None:
        from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
        from docx.opc.packuri import PackURI
        from docx.opc.part import XmlPart
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        self._root = parse_xml(
            f"<w:footnotes {nsdecls('w')}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
            "</w:footnote></w:footnotes>"
        )
        part = XmlPart(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, self._root, document.part.package)
        document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
        self._written: set[int] = set()

    def reference(self, paragraph, number: int, text: str) -> None:
        """Put footnote mark `number` at the end of `paragraph`; the first time, with `text` as its note."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        bookmark = f"_BriefNote{number}"
        if number in self._written:
            paragraph._p.append(parse_xml(
                f'<w:fldSimple {nsdecls("w")} w:instr=" NOTEREF {bookmark} \\f \\h ">'
                f"<w:r>{self._SUPERSCRIPT}<w:t>{number}</w:t></w:r></w:fldSimple>"
            ))
            return
        self._written.add(number)
        for element in (
            f'<w:bookmarkStart {nsdecls("w")} w:id="{number}" w:name="{bookmark}"/>',
            f'<w:r {nsdecls("w")}>{self._SUPERSCRIPT}<w:footnoteReference w:id="{number}"/></w:r>',
            f'<w:bookmarkEnd {nsdecls("w")} w:id="{number}"/>',
        ):
            paragraph._p.append(parse_xml(element))
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{number}"><w:p>'
            f"<w:r>{self._SUPERSCRIPT}<w:footnoteRef/></w:r>"
            '<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"></w:t></w:r>'
            "</w:p></w:footnote>"
        )
        note.findall(".//{*}t")[-1].text = " " + text  # set as text, so the quote is escaped, never parsed
        self._root.append(note)
