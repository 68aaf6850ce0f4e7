"""上传的文件:文件名不能逃出上传目录;读不了的文件不改变知识库,也不覆盖已有的好文件。"""
from __future__ import annotations

import docx
import pytest

from ui.uploads import BadUpload, add_uploads, remove_document, upload_name


@pytest.mark.parametrize("given, stored", [
    ("乐山 决定.docx", "乐山 决定.docx"),
    ("../../etc/cron.d/job.txt", "job.txt"),
    ("..\\..\\Windows\\win.ini.txt", "win.ini.txt"),
    ("/etc/passwd.md", "passwd.md"),
    ("C:\\Users\\a\\通知.PDF", "通知.PDF"),
    (".hidden.html", "hidden.html"),
    ("a:b?<c>.pdf", "abc.pdf"),
])
def test_文件名只保留最后一段_去掉危险字符和隐藏前缀(given, stored):
    assert upload_name(given) == stored


@pytest.mark.parametrize("given", ["setup.exe", "README", "..", "../", ".txt", "   .md", "archive.tar.gz"])
def test_不支持或没有名字的文件被拒收并说明原因(given):
    with pytest.raises(BadUpload, match="支持的文件类型|没有可用的文件名"):
        upload_name(given)


def write_notice(path, fact: str):
    document = docx.Document()
    for paragraph in ["雅安市关于茶叶数字工坊建设的通知", "一、工作目标",
                      f"{fact}推动茶叶初制所数字化改造,建立从茶园到茶杯的全程追溯体系,培育茶叶电商直播基地。",
                      "二、工作要求", "各县(区)要建立工作台账,按月报送进展情况,确保各项任务按期完成。"]:
        document.add_paragraph(paragraph)
    document.save(path)


def test_坏文件替换同名好文件时_好文件和知识库都保持原样(engine, ui_settings, tmp_path):
    kb, uploads = engine.kb, ui_settings.uploads_dir
    good = tmp_path / "good.docx"
    write_notice(good, "到2028年建成茶叶数字工坊64个。")
    outcome = add_uploads(kb, [(good, "../雅安茶叶.docx")], uploads, progress=False)
    stored = uploads / "雅安茶叶.docx"
    assert list(outcome.stored) == [stored.resolve()] and outcome.report.added
    doc_id = outcome.report.added[0]
    chunks_before = kb.chunks(doc_id)
    assert any("64个" in chunk.text for chunk in chunks_before)

    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    outcome = add_uploads(kb, [(broken, "雅安茶叶.docx"), (broken, "setup.exe")], uploads, progress=False)
    titles = {doc_id: "雅安市关于茶叶数字工坊建设的通知"}
    messages = outcome.messages(titles)
    assert any(line.startswith("无法读取“雅安茶叶.docx”") and "知识库未改动" in line for line in messages)
    assert any("“setup.exe”不是支持的文件类型" in line for line in messages)
    assert stored.read_bytes() == good.read_bytes()
    assert kb.chunks(doc_id) == chunks_before
    assert not (uploads / "setup.exe").exists()

    assert remove_document(kb, doc_id, uploads) == "已删除《雅安市关于茶叶数字工坊建设的通知》。"
    assert doc_id not in {meta.doc_id for meta, _ in kb.documents()}
    assert not stored.exists()


def test_删除不存在的文件_说明原因(engine, ui_settings):
    with pytest.raises(BadUpload, match="知识库中没有文件“no-such-doc”"):
        remove_document(engine.kb, "no-such-doc", ui_settings.uploads_dir)


def test_删除示例语料的文件_不动语料目录里的原件(engine, ui_settings):
    """示例语料不在上传目录里:从知识库删除只删索引,原件留在原处,可以重新导入。"""
    kb = engine.kb
    meta = next(meta for meta, _ in kb.documents() if meta.doc_id == "leshan-innovation-driven")
    original = ui_settings.corpus_dir / meta.file_name
    assert original.is_file()
    remove_document(kb, meta.doc_id, ui_settings.uploads_dir)
    try:
        assert original.is_file()
    finally:
        report = kb.ingest([original], progress=False)
        assert report.added == [meta.doc_id], report.summary()
