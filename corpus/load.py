"""Read a document file into text: .txt/.md (any common Chinese encoding), .docx, .pdf, .html/.htm.

The text returned is "the original" that chunk offsets point into; line ends are normalized to "\\n".
Anything that cannot be read raises UnreadableDocument with a reason in Chinese and English.
"""
from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable
from pathlib import Path

import charset_normalizer
import docx
import pypdf
from bs4.dammit import UnicodeDammit
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from lxml import etree
from pypdf.errors import PyPdfError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# a .docx is a zip: what counts is what it unpacks to (a 0.9 MB file held 210 MB of XML and took minutes)
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_TEXT_CHARS = 5_000_000  # a long policy document has 100,000; this is a whole shelf of them
_CONTROL_SHARE_OF_BINARY = 0.01  # text files have almost no control characters other than line ends and tabs


class UnreadableDocument(ValueError):
    """A file that cannot become text; `reason` says why in Chinese and English."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"无法读取 {self.path.name}：{reason}")


def load_text(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableDocument(path, f"不支持的文件类型“{path.suffix or '无扩展名'}”，支持 {'、'.join(_READERS)}"
                                       f" (unsupported file type)")
    if not path.is_file():
        reason = "不是普通文件（如管道、设备），未读取 (not a regular file)" if path.exists() else "文件不存在 (file not found)"
        raise UnreadableDocument(path, reason)
    size = path.stat().st_size
    if size == 0:
        raise UnreadableDocument(path, "空文件 (empty file)")
    if size > max_bytes:
        raise UnreadableDocument(path, f"文件过大：{size / 2**20:.1f} MB，上限 {max_bytes / 2**20:.0f} MB (file too large)")
    try:
        text = reader(path)
    except OSError as error:
        raise UnreadableDocument(path, f"读取失败：{error.strerror or error} (read error)") from error
    if len(text) > MAX_TEXT_CHARS:
        raise _too_much_text(path, len(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UnreadableDocument(path, "文件中没有可读的文字 (no text in the file)")
    return text


def _too_much_text(path: Path, chars: int) -> UnreadableDocument:
    return UnreadableDocument(path, f"文字过多：超过 {chars / 10_000:.0f} 万字，上限 {MAX_TEXT_CHARS // 10_000} 万字"
                                    f" (too much text)")


def _read_plain_text(path: Path) -> str:
    raw = path.read_bytes()
    text = _decode(raw)
    if text is None:
        raise UnreadableDocument(path, "无法识别文字编码，可能是二进制文件 (binary content or unknown encoding)")
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\r\t\f")
    if "\x00" in text or controls > _CONTROL_SHARE_OF_BINARY * len(text):
        raise UnreadableDocument(path, "内容是二进制数据，不是文本 (binary content, not text)")
    return text


def _decode(raw: bytes) -> str | None:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(raw).best()  # GBK / GB18030 / Big5 …
    if best is not None:
        return str(best)
    # a UTF-8 text with a few corrupt bytes (a bad copy, a cut download) is still that text: keep it, with
    # U+FFFD where the bytes were, which the repair step flags as garbled
    salvaged = raw.decode("utf-8", errors="replace")
    return salvaged if salvaged.count("\ufffd") <= max(3, len(salvaged) // 1000) else None


def _read_docx(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())  # what reading will inflate to
        if unpacked > MAX_UNPACKED_BYTES:
            raise UnreadableDocument(path, f"解压后过大：{unpacked / 2**20:.0f} MB，上限 {MAX_UNPACKED_BYTES / 2**20:.0f} MB，"
                                           f"可能是压缩炸弹 (unpacks too large)")
        document = docx.Document(str(path))
    except UnreadableDocument:  # a ValueError too, but it already says why
        raise
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, AttributeError,
            etree.XMLSyntaxError) as error:  # AttributeError: python-docx on a malformed [Content_Types].xml
        raise UnreadableDocument(path, f"不是有效的 Word (.docx) 文件 (malformed docx: {error})") from error
    lines = []
    for block in document.iter_inner_content():  # paragraphs and tables in document order
        if isinstance(block, Table):
            lines += [_table_row(row) for row in block.rows]
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _table_row(row) -> str:
    cells, seen = [], set()
    for cell in row.cells:  # a merged cell is listed once per grid column it spans
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
    return " | ".join(cells)


def _read_pdf(path: Path) -> str:
    try:
        reader = pypdf.PdfReader(path)
        locked = reader.is_encrypted and reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED
        pages, chars = [], 0
        for page in [] if locked else reader.pages:  # stop at the limit, not after the last of 10,000 pages
            pages.append(page.extract_text() or "")
            chars += len(pages[-1])
            if chars > MAX_TEXT_CHARS:
                raise _too_much_text(path, chars)
    except UnreadableDocument:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise UnreadableDocument(path, f"不是有效的 PDF 文件 (malformed pdf: {error})") from error
    if locked:
        raise UnreadableDocument(path, "PDF 已加密，需要密码 (encrypted pdf)")
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableDocument(path, "PDF 中没有文字层，可能是扫描件，需要先做文字识别 (no text layer; scanned?)")
    return text


_DROPPED_TAGS = ("script", "style", "noscript", "template", "head", "svg", "iframe", "nav")  # nav: the site's menu
_BLOCK_TAGS = ("p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "h1", "h2", "h3", "h4",
               "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "blockquote", "pre", "figure",
               "figcaption", "address", "hr")


def _read_html(path: Path) -> str:
    # decoded as BeautifulSoup would (<meta charset> or the bytes), then read as a stream of tags: one pass, so
    # 100,000 nested <div> take as long as 100,000 flat ones (a tree edited per block tag took minutes)
    markup = UnicodeDammit(path.read_bytes(), is_html=True).unicode_markup
    if markup is None:
        raise UnreadableDocument(path, "无法识别网页的文字编码 (unknown encoding)")
    parser = etree.HTMLParser(target=_HtmlText(), huge_tree=False, no_network=True, recover=True)
    parser.feed(markup)
    text = parser.close()
    lines = (" ".join(line.split()).removesuffix(" |") for line in text.splitlines())
    return "\n".join(line for line in lines if line)


class _HtmlText:
    """lxml parser target: the text in document order, a line break around block tags, " | " after cells."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._dropped_depth = 0  # inside <script>, <style>…

    def start(self, tag: str, attributes) -> None:
        tag = tag.lower()
        if tag in _DROPPED_TAGS:
            self._dropped_depth += 1
        elif tag in _BLOCK_TAGS or tag == "br":
            self._parts.append("\n")

    def end(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _DROPPED_TAGS:
            self._dropped_depth = max(0, self._dropped_depth - 1)
        elif tag in _BLOCK_TAGS:
            self._parts.append("\n")
        elif tag in ("td", "th") and not self._dropped_depth:
            self._parts.append(" | ")

    def data(self, text: str) -> None:
        if not self._dropped_depth:
            self._parts.append(text)

    def comment(self, text: str) -> None:
        pass

    def close(self) -> str:
        return "".join(self._parts)


_READERS: dict[str, Callable[[Path], str]] = {
    ".txt": _read_plain_text, ".md": _read_plain_text, ".docx": _read_docx, ".pdf": _read_pdf,
    ".html": _read_html, ".htm": _read_html,
}
SUPPORTED_SUFFIXES = tuple(_READERS)
