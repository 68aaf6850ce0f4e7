"""文件的身份是它的来源和内容,不是文件名:同名的别的文件另立一份,替换只能是明确的动作。

A file of another folder, or an upload, that shares a name with a document already in the knowledge base
(the demo's leshan-2024-industry.txt here) becomes a document of its own: the one already there keeps its
chunks, title, issuer and date. Replacing happens only by ingesting the same file again, or by ticking
"替换同名文件" when uploading.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from corpus import DOCUMENTS_DIR
from corpus.model import DocumentMeta
from qa.answer import Engine
from ui.uploads import add_uploads, remove_document
from vectorstore.catalog import Catalog

LESHAN = "leshan-2024-industry"
JUNK = "测试一下\n随便写点东西\n第三行\n"


def leshan_as_indexed(kb) -> tuple[DocumentMeta, list[str]]:
    meta = next(meta for meta, _ in kb.documents() if meta.doc_id == LESHAN)
    return meta, [chunk.chunk_id for chunk in kb.chunks(LESHAN)]


def upload(kb, tmp_path: Path, name: str, text: str, replace: bool = False):
    temporary = tmp_path / f"browser-temp-{abs(hash((name, text)))}"
    temporary.write_text(text, encoding="utf-8")
    return add_uploads(kb, [(temporary, name)], tmp_path / "uploads", progress=False, replace=replace)


def test_别的文件夹里的同名文件另立一份_乐山决定原样保留(kb, tmp_path):
    before = leshan_as_indexed(kb)
    folder = tmp_path / "别处"
    folder.mkdir()
    (folder / f"{LESHAN}.txt").write_text(JUNK, encoding="utf-8")

    report = kb.ingest(folder, progress=False)

    assert report.added == [f"{LESHAN}-2"] and not report.updated, report.summary()
    assert leshan_as_indexed(kb) == before
    junk = next(meta for meta, _ in kb.documents() if meta.doc_id == f"{LESHAN}-2")
    assert junk.title != before[0].title and not junk.issuer and junk.date != before[0].date  # no manifest metadata


def test_上传同名的几行字_乐山决定不被替换_示例问题照常回答(kb, demo_settings, tmp_path):
    before = leshan_as_indexed(kb)
    outcome = upload(kb, tmp_path, f"{LESHAN}.txt", JUNK)
    assert outcome.report.added == [f"{LESHAN}-2"]
    assert leshan_as_indexed(kb) == before
    answer = Engine(demo_settings, kb=kb).ask("乐山和四川省分别为2027年设定了怎样的经济总量目标?")
    assert "3400亿元" in answer.text and not answer.refused


def test_同一个文件再次导入_替换它自己(kb, tmp_path):
    folder = tmp_path / "来源"
    folder.mkdir()
    path = folder / "壬市通知.txt"
    path.write_text("壬市关于推进数字政务建设的通知\n一、工作目标\n到2026年建成政务驿站5个。\n", encoding="utf-8")
    (doc_id,) = kb.ingest(folder, progress=False).added
    path.write_text("壬市关于推进数字政务建设的通知\n一、工作目标\n到2026年建成政务驿站6个。\n", encoding="utf-8")
    assert kb.ingest(path, progress=False).updated == [doc_id]
    assert "驿站6个" in kb.original_text(doc_id) and "驿站5个" not in kb.original_text(doc_id)


def test_上传与已上传文件同名而内容不同_不勾选替换则另存为新文件(kb, tmp_path):
    first = upload(kb, tmp_path, "癸市通知.txt", "癸市关于数字政务的通知\n一、目标\n建成驿站7个。\n")
    second = upload(kb, tmp_path, "癸市通知.txt", "癸市关于数字政务的通知\n一、目标\n建成驿站8个。\n")
    (first_id,), (second_id,) = first.report.added, second.report.added
    assert first_id != second_id
    assert "驿站7个" in kb.original_text(first_id) and "驿站8个" in kb.original_text(second_id)
    assert sorted(path.name for path in (tmp_path / "uploads").iterdir()) == ["癸市通知(2).txt", "癸市通知.txt"]
    assert any("另存为“癸市通知(2).txt”" in line for line in second.messages({}))


def test_勾选替换同名文件_新内容替换之前上传的那份(kb, tmp_path):
    (doc_id,) = upload(kb, tmp_path, "子市通知.txt", "子市关于数字政务的通知\n一、目标\n建成驿站7个。\n").report.added
    count = len(kb.documents())
    outcome = upload(kb, tmp_path, "子市通知.txt", "子市关于数字政务的通知\n一、目标\n建成驿站9个。\n", replace=True)
    assert outcome.report.updated == [doc_id] and len(kb.documents()) == count
    assert "驿站9个" in kb.original_text(doc_id)


def test_删除同名的上传文件不动示例语料_删除示例文件也不动上传目录(kb, tmp_path):
    (junk_id,) = upload(kb, tmp_path, f"{LESHAN}.txt", JUNK).report.added
    remove_document(kb, junk_id, tmp_path / "uploads")
    assert not (tmp_path / "uploads" / f"{LESHAN}.txt").exists()
    assert (DOCUMENTS_DIR / f"{LESHAN}.txt").is_file() and LESHAN in {meta.doc_id for meta, _ in kb.documents()}


def test_旧版目录打开时补上按来源查找的索引(tmp_path):
    path = tmp_path / "catalog.sqlite"
    source = tmp_path / "丑市通知.txt"
    Catalog(path).begin(DocumentMeta(doc_id="丑市通知", title="丑市通知"), source, "", "丑市通知全文", [])
    with sqlite3.connect(path) as old:
        old.execute("DROP INDEX documents_by_source")
    reopened = Catalog(path)
    assert reopened.from_source(source).meta.doc_id == "丑市通知"
    assert reopened.free_doc_id("丑市通知") == "丑市通知-2"
