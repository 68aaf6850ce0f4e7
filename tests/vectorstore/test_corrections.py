"""在文件管理里更正元数据：更正会保存，重新入库、重建索引、改过的文件都不丢；筛选和引用用更正后的值。"""
from __future__ import annotations

import pytest

from settings import load_settings
from vectorstore.corrections import BadCorrection
from vectorstore.hits import SearchFilter
from vectorstore.knowledge_base import KnowledgeBase

TECH = "甲市科技创新意见"
CORRECTED = {"title": "甲市关于推进科技创新的意见", "region": "甲市", "date": "2024-03-08", "kind": "意见",
             "issuer": "中共甲市委"}


@pytest.fixture
def kb(tmp_path, use_embedder, small_corpus):
    knowledge_base = KnowledgeBase(load_settings(data_dir=tmp_path / "data"), embedder=use_embedder)
    knowledge_base.ingest(small_corpus, progress=False)
    yield knowledge_base
    knowledge_base.close()


def meta_of(kb: KnowledgeBase, doc_id: str):
    return next(meta for meta, _ in kb.documents() if meta.doc_id == doc_id)


def fields(meta):
    return {name: getattr(meta, name) for name in CORRECTED}


def test_更正后文件列表_引用和筛选都用新值(kb):
    kb.correct(TECH, CORRECTED)
    assert fields(meta_of(kb, TECH)) == CORRECTED
    assert all(fields(chunk.meta) == CORRECTED for chunk in kb.chunks(TECH))
    found = kb.search("省级重点实验室", k=3, filters=SearchFilter(regions=("甲市",), years=(2024,)))
    assert found and {hit.chunk.doc_id for hit in found} == {TECH}
    assert fields(found[0].chunk.meta) == CORRECTED


def test_更正经得起再次入库_重建索引和改过的文件(kb, small_corpus, tmp_path, use_embedder):
    kb.correct(TECH, {"region": "甲市"})
    assert kb.ingest(small_corpus, progress=False).unchanged  # nothing to redo: the correction is indexed
    kb.rebuild(progress=False)
    path = small_corpus / f"{TECH}.txt"
    path.write_text(path.read_text(encoding="utf-8") + "三、保障措施\n设立科技创新专项资金,每年安排1亿元。\n", encoding="utf-8")
    assert TECH in kb.ingest(small_corpus, progress=False).updated
    kb.close()
    reopened = KnowledgeBase(load_settings(data_dir=tmp_path / "data"), embedder=use_embedder)
    try:
        assert meta_of(reopened, TECH).region == "甲市"
        assert reopened.search("甲市", k=1, filters=SearchFilter(regions=("甲市",)))[0].chunk.doc_id == TECH
    finally:
        reopened.close()


def test_更正只改写明的字段_可以分几次(kb):
    derived = meta_of(kb, TECH)
    kb.correct(TECH, {"kind": "意见"})
    kb.correct(TECH, {"date": "2024-03-08"})
    meta = meta_of(kb, TECH)
    assert (meta.kind, meta.date, meta.title, meta.doc_id) == ("意见", "2024-03-08", derived.title, TECH)


def test_源文件不在了也能更正_用保存的分块(kb, small_corpus):
    (small_corpus / f"{TECH}.txt").unlink()
    kb.correct(TECH, {"title": "甲市科技创新意见（更正）"})
    assert {chunk.meta.title for chunk in kb.chunks(TECH)} == {"甲市科技创新意见（更正）"}


@pytest.mark.parametrize(("correction", "complaint"), [
    ({"date": "2024年3月8日"}, "YYYY-MM-DD"), ({"date": "2024-02-30"}, "YYYY-MM-DD"), ({"title": "  "}, "标题不能为空"),
    ({"doc_id": "别的"}, "不能更正"),
    ({"issuer": "甲" * 300}, "过长"),
])
def test_不合规的更正被拒绝_什么都不改(kb, correction, complaint):
    before = meta_of(kb, TECH)
    with pytest.raises(BadCorrection, match=complaint):
        kb.correct(TECH, correction)
    assert meta_of(kb, TECH) == before


def test_删除文件时更正也删除(kb, small_corpus):
    kb.correct(TECH, {"region": "甲市"})
    kb.delete_document(TECH)
    kb.ingest(small_corpus, progress=False)
    assert meta_of(kb, TECH).region != "甲市"
