"""Document metadata: from a manifest written by a person, or derived from the text for any other file.

Derived metadata only states what the text shows: the title lines at the top, a place named in them or most
often in the text, the first full date. What cannot be found stays "".
"""
from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path

from corpus.model import DocumentMeta
from corpus.normalize import to_index_text

_REQUIRED = ("doc_id", "file", "title")
_OPTIONAL = ("issuer", "region", "date", "source")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def load_manifest(path: str | Path) -> dict[str, DocumentMeta]:
    """`[[document]]` tables of a TOML manifest, by file name. Raises ValueError naming the bad entry."""
    path = Path(path)
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("document", [])
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: 不是有效的 TOML (invalid TOML): {error}") from error
    metas: dict[str, DocumentMeta] = {}
    doc_ids: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path} 第{number}个 [[document]]"
        missing = [key for key in _REQUIRED if not str(entry.get(key, "")).strip()]
        unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
        if missing or unknown:
            raise ValueError(f"{where}: 缺少字段 {missing} / 未知字段 {unknown} (missing or unknown fields)")
        if entry.get("date") and not _ISO_DATE.fullmatch(entry["date"]):
            raise ValueError(f"{where}: 日期须为 YYYY-MM-DD 或留空，而不是 {entry['date']!r} (date must be ISO)")
        if entry["file"] in metas or entry["doc_id"] in doc_ids:
            raise ValueError(f"{where}: 文件或 doc_id 重复 (duplicate file or doc_id)")
        doc_ids.add(entry["doc_id"])
        metas[entry["file"]] = DocumentMeta(
            doc_id=entry["doc_id"], title=entry["title"], file_name=entry["file"],
            **{key: entry.get(key, "") for key in _OPTIONAL},
        )
    return metas


_TITLE_LINE_MAX = 80
_SENTENCE_END = re.compile(r"[。！？!?]")
_NUMBERED = re.compile(r"\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、]|第[一二三四五六七八九十百\d]+[章节条部])")
_FULL_DATE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISSUER = re.compile(r"^(中共\S{2,8}?[省市县区州]委|\S{2,8}?[省市县区州]人民政府(?:办公厅|办公室)?)(?=关于)")

# Sichuan's prefecture-level divisions and the provinces: the places a document of this corpus is about
_SICHUAN_CITIES = {
    "成都": "成都市", "自贡": "自贡市", "攀枝花": "攀枝花市", "泸州": "泸州市", "德阳": "德阳市", "绵阳": "绵阳市",
    "广元": "广元市", "遂宁": "遂宁市", "内江": "内江市", "乐山": "乐山市", "南充": "南充市", "眉山": "眉山市",
    "宜宾": "宜宾市", "广安": "广安市", "达州": "达州市", "雅安": "雅安市", "巴中": "巴中市", "资阳": "资阳市",
    "阿坝": "阿坝藏族羌族自治州", "甘孜": "甘孜藏族自治州", "凉山": "凉山彝族自治州",
}
_PROVINCES = {
    name: name + "省" for name in (
        "四川", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北",
        "湖南", "广东", "海南", "贵州", "云南", "陕西", "甘肃", "青海", "台湾")
} | {"北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市", "内蒙古": "内蒙古自治区",
     "广西": "广西壮族自治区", "西藏": "西藏自治区", "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区"}
_PLACES = _SICHUAN_CITIES | _PROVINCES
_PLACE = re.compile("|".join(sorted(_PLACES, key=len, reverse=True)))


def derive_meta(file_name: str, text: str) -> DocumentMeta:
    """Metadata for a file no manifest describes; `text` is the repaired text."""
    title_lines = _title_lines(text)
    title = "".join(line for line in title_lines if not line.startswith(("(", "（")))
    return DocumentMeta(
        doc_id=doc_id_for(file_name),
        title=title or Path(file_name).stem,
        issuer=_issuer(title),
        region=_region(title, text),
        date=_date("\n".join(title_lines)) or _date(text),
        file_name=file_name,
    )


def doc_id_for(file_name: str) -> str:
    """A readable, stable id from the file name: letters, digits and Chinese characters joined by "-"."""
    stem = unicodedata.normalize("NFKC", Path(file_name).stem).lower()
    slug = "-".join(re.findall(r"[a-z0-9\u4e00-\u9fff]+", stem))
    return slug or "doc-" + hashlib.sha1(file_name.encode()).hexdigest()[:10]


def _title_lines(text: str) -> list[str]:
    """The short lines at the top before the first sentence or numbered heading."""
    lines = []
    for line in (line.strip() for line in text.splitlines()):
        if not line:
            continue
        if len(line) > _TITLE_LINE_MAX or _SENTENCE_END.search(line) or _NUMBERED.match(line):
            break
        lines.append(line)
    return lines


def _issuer(title: str) -> str:
    """The issuer a title opens with, in simplified script: matched on the index form, so that 關於 is 关于."""
    match = _ISSUER.match(to_index_text(title))
    return match.group(1) if match else ""


def _region(title: str, text: str) -> str:
    named_in_title = _PLACE.findall(to_index_text(title))
    if named_in_title:
        return _PLACES[named_in_title[0]]
    counts = Counter(_PLACE.findall(to_index_text(text)))
    return _PLACES[counts.most_common(1)[0][0]] if counts else ""


def _date(text: str) -> str:
    match = _FULL_DATE.search(text)
    if match is None:
        return ""
    year, month, day = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"
