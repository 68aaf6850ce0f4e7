"""混合检索:在五份示例文件上找到已知段落,过滤条件在两侧都生效。"""
from __future__ import annotations

import shutil

import pytest
from langchain_core.documents import Document

from corpus import DOCUMENTS_DIR
from corpus.pipeline import prepare_document
from settings import load_settings
from vectorstore.hits import SearchFilter
from vectorstore.knowledge_base import KnowledgeBase

SICHUAN = "sichuan-2024-high-quality-development"
NANCHONG = "nanchong-2024-new-productive-forces"


@pytest.fixture(scope="module")
def demo_kb(demo_index_dir, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("vectorstore-search") / "data"
    shutil.copytree(demo_index_dir, data_dir)
    kb = KnowledgeBase(load_settings(data_dir=data_dir))
    yield kb
    kb.close()


def test_简体问题找到繁体文件的段落_并以原文字体显示(demo_kb):
    hits = demo_kb.search("四川全省经济总量迈上什么台阶", k=5)
    found = [hit for hit in hits if "六萬億元" in hit.chunk.text]
    assert found, [hit.chunk.text[:40] for hit in hits]
    assert found[0].chunk.doc_id == SICHUAN
    assert "臺階" in found[0].chunk.text  # shown as the document writes it


@pytest.mark.parametrize("question, expected", [
    ("乐山对欠发达县域托底性帮扶配套了什么方案和多少项支持政策?", "24项支持政策措施"),
    ("南充决定支持哪个实验室创建省级重点实验室?", "天体物理实验室"),
    ("“天府粮仓·千园建设”行动要支持建设多少个农业优势特色产业集群?", "天府糧倉"),
    ("成都民营经济对全市经济总量、税收的贡献各占多少?", "60%以上的税收"),
])
def test_已知段落排在前面(demo_kb, question, expected):
    hits = demo_kb.search(question, k=3)
    assert any(expected in hit.chunk.text for hit in hits), [hit.chunk.text[:40] for hit in hits]


def test_结果按融合分数排序_不重复_并带两侧分数(demo_kb):
    hits = demo_kb.search("发展新质生产力的主要举措", k=10)
    assert len(hits) == 10
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert len({hit.chunk.chunk_id for hit in hits}) == 10
    assert all(hit.dense_score is not None or hit.keyword_score is not None for hit in hits)
    assert any(hit.dense_score is not None and hit.keyword_score is not None for hit in hits)


def test_单侧检索只带该侧分数(demo_kb):
    dense = demo_kb.search("培育壮大先进制造业集群", k=5, mode="dense")
    keyword = demo_kb.search("培育壮大先进制造业集群", k=5, mode="keyword")
    assert dense and all(hit.keyword_score is None and -1 <= hit.dense_score <= 1 for hit in dense)
    assert keyword and all(hit.dense_score is None and hit.keyword_score > 0 for hit in keyword)


@pytest.mark.parametrize("filters", [
    SearchFilter(doc_ids=(NANCHONG,)),
    SearchFilter(regions=("乐山市",)),
    SearchFilter(years=(2024,)),
    SearchFilter(regions=("乐山市", "四川省"), years=(2024,)),
], ids=["文件", "地区", "年份", "地区和年份"])
def test_过滤条件在向量和关键词两侧都生效(demo_kb, filters):
    for mode in ("hybrid", "dense", "keyword"):
        hits = demo_kb.search("发展新质生产力 经济总量 人才", k=8, filters=filters, mode=mode)
        assert hits, mode
        assert all(filters.admits(hit.chunk) for hit in hits), (mode, [hit.chunk.doc_id for hit in hits])


def test_无文件符合过滤条件时返回空结果(demo_kb):
    assert demo_kb.search("经济总量", filters=SearchFilter(regions=("西藏自治区",))) == []


def test_langchain检索器返回原文和出处(demo_kb):
    documents = demo_kb.as_retriever(k=3, filters=SearchFilter(doc_ids=(SICHUAN,))).invoke("三星堆遗址申报世界文化遗产")
    assert len(documents) == 3 and all(isinstance(document, Document) for document in documents)
    assert {document.metadata["doc_id"] for document in documents} == {SICHUAN}
    first = documents[0]
    assert "三星堆" in first.page_content
    assert {"chunk_id", "title", "section", "start", "end", "score"} <= set(first.metadata)


def test_文件清单与分块_与语料流水线的结果一致(demo_kb):
    listed = dict((meta.doc_id, count) for meta, count in demo_kb.documents())
    assert len(listed) == 5 and sum(listed.values()) == len(demo_kb.chunks())
    prepared = prepare_document(DOCUMENTS_DIR / f"{SICHUAN}.txt")
    stored = demo_kb.chunks(SICHUAN)
    assert stored == list(prepared.chunks)  # same text, offsets, headings and order
    assert [chunk.ordinal for chunk in stored] == sorted(chunk.ordinal for chunk in stored)
    assert stored[0].meta == prepared.meta
    assert demo_kb.original_text(SICHUAN) == prepared.original_text
    with pytest.raises(KeyError):
        demo_kb.original_text("no-such-document")


def test_k为0或查询全是停用词时不出错(demo_kb):
    assert demo_kb.search("经济总量", k=0) == []
    only_stopwords = demo_kb.search("的?", k=3)
    assert len(only_stopwords) <= 3 and all(hit.keyword_score is None for hit in only_stopwords)
