"""读取各种文件：常见中文编码的文本、Word、PDF、网页；读不了的文件给出清楚的原因，其余文件照常入库。"""
from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import docx
import pytest

from corpus.load import UnreadableDocument, load_text
from corpus.pipeline import PreparedDocument, iter_corpus

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PASSAGE = "一、总体要求\n到2027年，全市经济总量跨上3400亿元台阶，现代化产业体系达到新水平。\n（一）培育壮大先进制造业集群。实施晶硅光伏科技赋能行动。"


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("utf8.txt", PASSAGE.encode("utf-8")),
        ("bom.txt", codecs.BOM_UTF8 + PASSAGE.encode("utf-8")),
        ("gbk.txt", PASSAGE.encode("gbk")),
        ("gb18030.md", PASSAGE.encode("gb18030")),
        ("utf16.txt", PASSAGE.encode("utf-16")),
        ("windows.txt", PASSAGE.replace("\n", "\r\n").encode("gbk")),
    ],
)
def test_文本文件的编码(tmp_path, name, raw):
    path = tmp_path / name
    path.write_bytes(raw)
    assert load_text(path) == PASSAGE


def test_Word文件_段落与表格按顺序(tmp_path):
    document = docx.Document()
    document.add_paragraph("一、总体要求")
    document.add_paragraph("到2027年，全市经济总量跨上3400亿元台阶。")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("指标", "目标"), ("经济总量", "3400亿元")]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    document.add_paragraph("二、主要任务")
    document.save(tmp_path / "decision.docx")
    assert load_text(tmp_path / "decision.docx") == (
        "一、总体要求\n到2027年，全市经济总量跨上3400亿元台阶。\n指标 | 目标\n经济总量 | 3400亿元\n二、主要任务")


def test_PDF文件(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    if CJK_FONT.exists():
        pdf.add_font("wqy", fname=str(CJK_FONT))
        pdf.set_font("wqy", size=12)
        expected = PASSAGE
    else:  # no CJK font on this machine: still check that a pdf's text layer is read
        pdf.set_font("helvetica", size=12)
        expected = "Article 1. The total output reaches 340 billion yuan by 2027."
    pdf.multi_cell(0, 8, expected)
    pdf.output(str(tmp_path / "decision.pdf"))
    assert load_text(tmp_path / "decision.pdf") == expected


def test_网页_块级元素成行_去掉脚本样式(tmp_path):
    html = ("<html><head><meta charset='gbk'><title>标题栏</title><style>p {color: red}</style></head><body>"
            "<script>var tracker = 1;</script><h1>中共乐山市委关于加快构建现代化产业体系的决定</h1>"
            "<div><p>一、<b>总体要求</b></p><p>到2027年，经济总量跨上<span>3400亿元</span>台阶。<br>第二行</p></div>"
            "<table><tr><td>指标</td><td>目标</td></tr></table></body></html>")
    (tmp_path / "page.html").write_bytes(html.encode("gbk"))
    assert load_text(tmp_path / "page.html") == (
        "中共乐山市委关于加快构建现代化产业体系的决定\n一、总体要求\n到2027年，经济总量跨上3400亿元台阶。\n第二行\n指标 | 目标")


def _malformed_docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<not a word document>")


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("empty.txt", lambda path: path.write_bytes(b""), "空文件"),
        ("blank.txt", lambda path: path.write_text(" \n\n\t ", encoding="utf-8"), "没有可读的文字"),
        ("binary.txt", lambda path: path.write_bytes(bytes(range(256)) * 8), "二进制"),
        ("nul.txt", lambda path: path.write_bytes(b"abc\x00\x00\x00def" * 10), "二进制"),
        ("random.docx", lambda path: path.write_bytes(b"PK\x03\x04 this is no zip"), "Word"),
        ("broken.docx", _malformed_docx, "Word"),
        ("random.pdf", lambda path: path.write_bytes(b"%PDF-1.4\n garbage without objects"), "PDF"),
        ("table.xlsx", lambda path: path.write_bytes(b"PK\x03\x04"), "不支持的文件类型"),
        ("no_extension", lambda path: path.write_text("一段文字。", encoding="utf-8"), "不支持的文件类型"),
    ],
)
def test_读不了的文件给出原因(tmp_path, name, make, reason):
    path = tmp_path / name
    make(path)
    with pytest.raises(UnreadableDocument) as raised:
        load_text(path)
    assert reason in raised.value.reason and raised.value.path == path
    assert "(" in raised.value.reason  # 中文原因后附英文
    assert name in str(raised.value)


def test_过大的文件被拒绝(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(PASSAGE * 100, encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="文件过大"):
        load_text(path, max_bytes=1000)


def test_不存在的文件(tmp_path):
    with pytest.raises(UnreadableDocument, match="文件不存在"):
        load_text(tmp_path / "missing.txt")


def test_文件夹入库时坏文件逐个报告_好文件照常处理(tmp_path):
    (tmp_path / "good.txt").write_bytes(PASSAGE.encode("gbk"))
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "also-good.md").write_text(PASSAGE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "random.pdf").write_bytes(b"%PDF-1.4 garbage")
    (tmp_path / "table.xlsx").write_bytes(b"PK")
    (tmp_path / ".hidden.txt").write_text(PASSAGE, encoding="utf-8")
    results = list(iter_corpus(tmp_path))
    prepared = {result.path.name for result in results if isinstance(result, PreparedDocument)}
    unreadable = {result.path.name: result.reason for result in results if isinstance(result, UnreadableDocument)}
    assert prepared == {"good.txt", "also-good.md"}
    assert set(unreadable) == {"empty.txt", "random.pdf", "table.xlsx"}
    assert all(reason for reason in unreadable.values())


def test_入库的文件不是文件夹时报错(tmp_path):
    with pytest.raises(NotADirectoryError):
        list(iter_corpus(tmp_path / "missing"))
