"""入库安全:不顺着链接读出文件夹,不读系统文件,解压炸弹和超长网页很快被拒或读完,中断的文件在下次入库时补完。

Real files throughout: a link to a file outside the folder given (and one to /etc/passwd), a .docx whose XML
unpacks to 70 MB from a few kilobytes, 100,000 nested <div>, and an ingest killed by SIGKILL halfway.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from corpus.load import MAX_TEXT_CHARS, MAX_UNPACKED_BYTES, UnreadableDocument, load_text
from corpus.model import DocumentMeta
from corpus.pipeline import iter_corpus
from qa.answer import Engine
from qa.cli import cli
from settings import load_settings
from vectorstore.catalog import Catalog
from vectorstore.knowledge_base import KnowledgeBase

SECRET = "root:x:0:0:root:/root:/bin/bash 机密账户口令表"
NOTICE = "甲市关于推进数字政务建设的通知\n一、工作目标\n到2026年建成政务服务中心17个。\n"


def test_指向文件夹外的链接不读_说明原因_检索不到链接目标(kb, tmp_path):
    outside = tmp_path / "别处" / "口令.txt"
    outside.parent.mkdir()
    outside.write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "甲市通知.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "leak.txt").symlink_to(outside)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "etc").symlink_to("/etc", target_is_directory=True)

    report = kb.ingest(folder, progress=False)

    assert report.added == ["甲市通知"], report.summary()
    reasons = {failure.path.name: failure.reason for failure in report.failed}
    assert set(reasons) == {"leak.txt", "passwd.txt", "etc"} and all("链接" in reason for reason in reasons.values())
    assert all(failure.path.parent == folder.resolve() for failure in report.failed)  # the link, not its target
    texts = [hit.chunk.text for hit in kb.search("root bash 口令", k=10)]
    assert not any("root:x" in text or "机密" in text for text in texts)


def test_文件夹内指向内部文件的链接_只按原文件入库一次(kb, tmp_path):
    folder = tmp_path / "incoming"
    (folder / "子目录").mkdir(parents=True)
    (folder / "甲市通知.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "子目录" / "链接.txt").symlink_to(folder / "甲市通知.txt")
    report = kb.ingest(folder, progress=False)
    assert report.added == ["甲市通知"] and not report.failed and not report.duplicates


def test_系统文件夹里的文件一个也不读():
    outcomes = list(iter_corpus("/etc"))
    assert outcomes and all(isinstance(outcome, UnreadableDocument) for outcome in outcomes)
    assert all("系统文件" in outcome.reason for outcome in outcomes if not outcome.path.is_symlink())


def test_单独给出的系统文件或指向它的链接也不读(kb, tmp_path):
    link = tmp_path / "pw.txt"
    link.symlink_to("/etc/passwd")
    report = kb.ingest([link, Path("/etc/hostname")], progress=False)
    assert not report.added and len(report.failed) == 2, report.summary()
    assert all("系统文件" in failure.reason for failure in report.failed)
    assert not any("root:x" in hit.chunk.text for hit in kb.search("root bash", k=10))


def test_来源文件删掉后_下次导入该文件夹时移除(kb, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "甲市通知.txt").write_text(NOTICE, encoding="utf-8")
    (doc_id,) = kb.ingest(folder, progress=False).added
    (folder / "甲市通知.txt").unlink()
    assert kb.ingest(folder, progress=False).removed == [doc_id]
    assert doc_id not in {meta.doc_id for meta, _ in kb.documents()}


def zip_bomb_docx(path: Path, unpacked_bytes: int) -> None:
    """A real .docx whose document.xml is inflated to `unpacked_bytes` of paragraphs."""
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("乐山市数字经济发展报告")
    document.save(buffer)
    paragraph = "<w:p><w:r><w:t>乐山市数字经济发展报告乐山市数字经济发展报告</w:t></w:r></w:p>"
    with zipfile.ZipFile(buffer) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in original.infolist():
            content = original.read(member)
            if member.filename == "word/document.xml":
                head, tail = content.decode().split("<w:body>")
                content = (head + "<w:body>" + paragraph * (unpacked_bytes // len(paragraph.encode()))
                           + tail).encode()
            bomb.writestr(member, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def test_解压炸弹Word_按解压后的大小拒绝_说明原因(tmp_path):
    path = tmp_path / "炸弹.docx"
    zip_bomb_docx(path, MAX_UNPACKED_BYTES + 6 * 2**20)
    assert path.stat().st_size < 2**20  # passes the 20 MB check on the file itself
    with pytest.raises(UnreadableDocument, match="解压后过大.*压缩炸弹"):
        load_text(path)


def test_十万层嵌套的网页和两万段的网页都能读完(tmp_path):
    nested = tmp_path / "嵌套.html"
    nested.write_text("<html><body>" + "<div>" * 100_000 + "深处的一句话。" + "</div>" * 100_000
                      + "<p>结尾一段。</p></body></html>", encoding="utf-8")
    flat = tmp_path / "平铺.html"
    flat.write_text("<html><body>" + "".join(f"<p>第{number}段。</p>" for number in range(20_000))
                    + "</body></html>", encoding="utf-8")
    assert load_text(nested).splitlines() == ["深处的一句话。", "结尾一段。"]
    lines = load_text(flat).splitlines()
    assert len(lines) == 20_000 and lines[-1] == "第19999段。"


def test_文字过多的网页被拒_说明上限(tmp_path):
    path = tmp_path / "超长.html"
    path.write_text("<html><body><p>" + "字" * (MAX_TEXT_CHARS + 1) + "</p></body></html>", encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="文字过多"):
        load_text(path)


def test_入库中途被杀_下一个问题不替它补完_下次入库才补完(tmp_path, small_corpus, use_embedder, ingest_child):
    data_dir = tmp_path / "data"
    ingest_child.run(data_dir, str(small_corpus), "vectorstore.store.VectorIndex.add.3", max_chunk_chars=120)
    settings = load_settings(data_dir=data_dir, llm={"backend": "extractive"}, retrieval={"max_chunk_chars": 120})
    kb = KnowledgeBase(settings, embedder=use_embedder)
    unfinished = kb.unfinished_documents()
    assert unfinished

    answer = Engine(settings, kb=kb).ask("丁市2027年数字经济核心产业增加值目标是多少?")

    assert kb.unfinished_documents() == unfinished  # the question did not do the ingest's work
    assert not {hit.chunk.doc_id for hit in answer.retrieved} & set(unfinished)
    counts = dict((meta.doc_id, count) for meta, count in kb.documents())
    assert all(counts[doc_id] == 0 for doc_id in unfinished)  # 文件列表不把半截索引算作可检索的块
    listed = CliRunner().invoke(cli, ["docs"], env={"POLICYQA_DATA_DIR": str(data_dir)})
    marked = [line.split("\t")[0] for line in listed.output.splitlines() if "上次索引被中断" in line]
    assert marked == unfinished
    kb.ingest(small_corpus, progress=False)
    assert not kb.unfinished_documents()
    assert all(count > 0 for _, count in kb.documents())
    contents = kb.index_contents()
    assert contents["catalog"] == contents["vectors"] == contents["keyword"]
    kb.close()


def test_旧版本顺着链接读进来的系统文件_下次入库时移除(kb, demo_settings, tmp_path):
    """An older walk followed leak.txt → /etc/passwd and recorded /etc/passwd as the source."""
    catalog = Catalog(demo_settings.index_dir / "catalog.sqlite")
    catalog.begin(DocumentMeta(doc_id="leak", title="leak"), Path("/etc/passwd"), "", SECRET, [])
    catalog.set_state("leak", "complete")
    catalog.close()
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "甲市通知.txt").write_text(NOTICE, encoding="utf-8")
    report = kb.ingest(folder, progress=False)
    assert "leak" in report.removed and "leak" not in {meta.doc_id for meta, _ in kb.documents()}
