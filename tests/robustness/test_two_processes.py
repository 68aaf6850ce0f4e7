"""应用运行时用命令行导入文件(另一个进程写同一个内嵌索引):运行中的应用三种检索都找得到新文件。"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from corpus.model import DocumentMeta
from settings import load_settings
from vectorstore.catalog import Catalog
from vectorstore.knowledge_base import KnowledgeBase

LATER = "戊州生态保护方案.txt"


def test_运行中的应用看得到另一进程导入的文件(tmp_path, small_corpus, use_embedder, child_environment):
    later = (small_corpus / LATER).rename(tmp_path / LATER)
    app = KnowledgeBase(load_settings(data_dir=tmp_path / "data"), embedder=use_embedder)
    app.ingest(small_corpus, progress=False)
    assert app.search("数字经济核心产业", k=1)  # the app has searched: its indexes are loaded

    command = subprocess.run([str(Path(sys.executable).with_name("policyqa")), "ingest", str(later), "--quiet"],
                             env=child_environment(data_dir=str(tmp_path / "data")), cwd=tmp_path,
                             capture_output=True, text=True, timeout=300)
    assert command.returncode == 0, command.stderr[-2000:]

    assert "戊州生态保护方案" in {meta.doc_id for meta, _ in app.documents()}
    for mode in ("keyword", "dense", "hybrid"):
        hits = app.search("戊州生态环境保护三年行动方案", k=1, mode=mode)
        assert hits and hits[0].chunk.doc_id == "戊州生态保护方案", mode
    app.close()


def test_目录只在别的连接提交后才算变了_自己写入不触发重开(tmp_path):
    """The check before every dense search: the app's own ingest must not reopen Chroma, another's must."""
    app, other = Catalog(tmp_path / "catalog.sqlite"), Catalog(tmp_path / "catalog.sqlite")
    meta = DocumentMeta(doc_id="丁市数字经济意见", title="丁市数字经济意见")
    app.begin(meta, tmp_path / "丁市数字经济意见.txt", "fingerprint", "正文", [])
    assert not app.changed_elsewhere()
    other.set_state(meta.doc_id, "complete")
    assert app.changed_elsewhere()
    assert not app.changed_elsewhere()  # once seen, the change is not reported again
