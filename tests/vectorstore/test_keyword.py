"""关键词索引:jieba 分词 + SQLite FTS5 的 BM25,按文件增删(不重建),持久化在索引目录旁。"""
from __future__ import annotations

import jieba
import pytest

from vectorstore.hits import SearchFilter
from corpus import USERDICT_PATH
from vectorstore.keyword import ChineseTokenizer, KeywordIndex


@pytest.fixture(scope="module")
def tokenizer():
    return ChineseTokenizer(USERDICT_PATH)


class CountingTokenizer(ChineseTokenizer):
    """The real tokenizer, counting the texts it is asked to cut."""

    def __init__(self, userdict=None):
        super().__init__(userdict)
        self.texts_cut = 0

    def words(self, text):
        self.texts_cut += 1
        return super().words(text)


@pytest.fixture
def three_documents(make_chunk):
    return {
        "leshan": [make_chunk("leshan", 0, "到2027年,全市经济总量跨上3400亿元台阶。"),
                   make_chunk("leshan", 1, "深入实施欠发达县域托底性帮扶“1+6”实施方案和24项支持政策措施。")],
        "nanchong": [make_chunk("nanchong", 0, "支持嘉陵江实验室创建省级重点实验室。", region="南充市", date="2024-07-01")],
        "chengdu": [make_chunk("chengdu", 0, "推出一次挂号管三天等便民举措。", region="成都市", date="2023-11-14")],
    }


def filled_index(folder, documents, tokenizer):
    index = KeywordIndex(folder, tokenizer)
    for chunks in documents.values():
        index.add(chunks)
    return index


def test_用户词典让新质生产力保持完整_且不改动全局jieba(tokenizer):
    assert "新质生产力" in tokenizer.words("加快发展新质生产力")
    assert "新质生产力" not in jieba.lcut("加快发展新质生产力")


def test_去掉停用词疑问词和标点(tokenizer):
    words = tokenizer.words("乐山的经济总量是多少?“1+6”方案是什么。")
    assert {"乐山", "经济总量", "1", "6", "方案"} <= set(words)
    assert not {"的", "是", "多少", "什么", "?", "“", "+", "。"} & set(words)


def test_繁简不同的词经过同一规范化后才能匹配(tokenizer):
    # the index holds simplified index_text; the traditional form is a different word to jieba
    assert "经济总量" in tokenizer.words("经济总量")
    assert "经济总量" not in tokenizer.words("經濟總量")


def test_按稀有词找到段落(tmp_path, three_documents, tokenizer):
    index = filled_index(tmp_path, three_documents, tokenizer)
    found = index.search("托底性帮扶有多少项支持政策", k=3)
    assert found[0][0] == three_documents["leshan"][1].chunk_id
    assert all(score > 0 for _, score in found)
    assert index.search("完全无关的量子纠缠", k=3) == []


@pytest.mark.parametrize("filters, expected_doc", [
    (SearchFilter(doc_ids=("nanchong",)), "nanchong"),
    (SearchFilter(regions=("成都市",)), "chengdu"),
    (SearchFilter(years=(2024,), regions=("乐山市",)), "leshan"),
])
def test_过滤条件只留下符合的文件(tmp_path, three_documents, tokenizer, filters, expected_doc):
    index = filled_index(tmp_path, three_documents, tokenizer)
    query = "经济总量 实验室 挂号 帮扶"
    found = index.search(query, k=10, filters=filters)
    allowed = {chunk.chunk_id for chunk in three_documents[expected_doc]}
    assert found and {chunk_id for chunk_id, _ in found} <= allowed


def test_增删文件只切分该文件_删除后搜不到(tmp_path, three_documents):
    tokenizer = CountingTokenizer(USERDICT_PATH)
    index = filled_index(tmp_path, three_documents, tokenizer)
    index.search("挂号", k=1)
    before = tokenizer.texts_cut

    index.add(three_documents["chengdu"] + [])  # re-adding the same chunks replaces them
    index.remove_document("nanchong")
    found = index.search("实验室 挂号", k=10)

    assert tokenizer.texts_cut - before == len(three_documents["chengdu"]) + 1  # its chunk + the query
    assert {chunk_id for chunk_id, _ in found} == {three_documents["chengdu"][0].chunk_id}
    assert index.chunk_ids("chengdu") == {three_documents["chengdu"][0].chunk_id}
    assert len(index.chunk_ids()) == 3


def test_另一实例的增删随即可见(tmp_path, three_documents, tokenizer):
    writer = filled_index(tmp_path, three_documents, tokenizer)
    reader = KeywordIndex(tmp_path, tokenizer)
    assert reader.search("嘉陵江实验室", k=1)[0][0] == three_documents["nanchong"][0].chunk_id

    writer.remove_document("nanchong")
    assert reader.search("嘉陵江实验室", k=1) == []


def test_空索引和空查询返回空结果(tmp_path, tokenizer):
    index = KeywordIndex(tmp_path, tokenizer)
    assert index.search("经济总量", k=5) == []
    assert index.search("的?", k=5) == []


def test_稀有词所在段落排第一_只有常见词时也能找到(tmp_path, make_chunk, tokenizer):
    common = [make_chunk(f"doc{n}", 0, f"推动经济发展,第{n}项举措。") for n in range(6)]
    rare = make_chunk("doc9", 0, "推动经济发展,建设嘉陵江实验室。")
    index = filled_index(tmp_path, {"all": [*common, rare]}, tokenizer)
    found = index.search("推动经济发展 嘉陵江实验室", k=3)
    assert found[0][0] == rare.chunk_id and found[0][1] > 2 * found[1][1]
    assert len(index.search("推动经济发展", k=10)) == 7


def test_旧版索引只存了分词_打开时建立全文索引不重新分词(tmp_path, three_documents):
    import sqlite3

    legacy = sqlite3.connect(tmp_path / "tokens.sqlite")
    legacy.executescript("""
        CREATE TABLE chunks (row INTEGER PRIMARY KEY AUTOINCREMENT, chunk_id TEXT NOT NULL UNIQUE,
            doc_id TEXT NOT NULL, region TEXT NOT NULL, year INTEGER NOT NULL, tokens TEXT NOT NULL);
        CREATE TABLE generation (id INTEGER PRIMARY KEY CHECK (id = 0), value INTEGER NOT NULL);
        INSERT INTO chunks (chunk_id, doc_id, region, year, tokens) VALUES ('nanchong#0', 'nanchong', '南充市', 2024,
            '支持 嘉陵 嘉陵江 实验 实验室 创建 省级 重点 重点实验室');
        INSERT INTO chunks (chunk_id, doc_id, region, year, tokens) VALUES ('chengdu#0', 'chengdu', '成都市', 2023,
            '推出 一次 挂号 三天 便民 举措');
    """)
    legacy.close()
    (tmp_path / "bm25").mkdir()
    tokenizer = CountingTokenizer(USERDICT_PATH)

    index = KeywordIndex(tmp_path, tokenizer)

    assert index.search("嘉陵江实验室", k=1)[0][0] == "nanchong#0"
    assert tokenizer.texts_cut == 1  # the query only
    assert not (tmp_path / "bm25").exists()
