"""回答流程的规格:检索 → 是否可答 → 生成/摘录 → 引用核对。"""
from __future__ import annotations

import pytest

from qa.answer import REFUSAL, BadQuestion, Engine, standalone_question
from qa.places import region_aliases
from corpus.repair import repair
from qa.citations import fold
from settings import load_settings

ALIASES = region_aliases(["乐山市", "南充市", "四川省", "成都市"])


def assert_citations_verbatim(engine: Engine, answer) -> None:
    """每条引用都能在原文件的对应位置找到(繁简不算差异,原文的拼音残留修复后比较)。"""
    assert answer.citations
    for citation in answer.citations:
        original = engine.kb.original_text(citation.doc_id)
        assert fold(citation.quote) == fold(repair(original[citation.start : citation.end]).text)


def test_事实问题给出带引用的原文答案(demo_engine):
    answer = demo_engine.ask("乐山每万人口高价值发明专利拥有量目标")
    assert not answer.refused
    assert "1.54件" in answer.text
    assert "[1]" in answer.text
    assert_citations_verbatim(demo_engine, answer)
    assert answer.latency_ms["retrieve"] > 0 and answer.latency_ms["total"] >= answer.latency_ms["retrieve"]


def test_繁体文件回答简体问题(demo_engine):
    answer = demo_engine.ask("四川全省经济总量目前已经迈上什么台阶?")
    assert not answer.refused
    assert "六万亿" in fold(answer.text)
    assert_citations_verbatim(demo_engine, answer)


@pytest.mark.parametrize("question", [
    "乐山提出到2025年全市经济总量要达到多少亿元?",  # 文件只有2027年的目标
    "四川省提出到2027年数字经济核心产业增加值占GDP比重达到多少?",  # 只有乐山的2025年数字
    "南充市2023年常住人口是多少万人?",
])
def test_文件没有的内容直接拒答并给出最接近的段落(demo_engine, question):
    answer = demo_engine.ask(question)
    assert answer.refused
    assert answer.text.startswith(REFUSAL)
    assert answer.retrieved, "拒答时仍要展示最接近的段落"


def test_所问的数值文件未写明时_说明缺什么_并引用最接近的表述(demo_engine):
    answer = demo_engine.ask("乐山提出到2025年全市经济总量要达到多少亿元?")
    assert answer.refused
    assert "文件未写明2025年" in answer.text
    assert "3400亿元" in answer.text and answer.citations  # 最接近的表述是2027年的目标,带引用
    assert_citations_verbatim(demo_engine, answer)


def test_两问之一文件未写明时_答出能答的一问_并说明另一问缺失(demo_engine):
    answer = demo_engine.ask("乐山到2027年经济总量要跨上什么台阶?2026年常住人口是多少万人?")
    assert not answer.refused
    assert "3400亿元" in answer.text
    assert "文件未写明" in answer.text


def test_换一种说法问也能答(demo_engine):
    answer = demo_engine.ask("乐山打算到2027年把经济规模做到多大?")  # 原文是“经济总量跨上3400亿元台阶”
    assert not answer.refused
    assert "3400亿元" in answer.text


def test_拒答之后的追问照常回答(demo_engine):
    refused = demo_engine.ask("乐山市委书记是谁?")
    assert refused.refused
    answer = demo_engine.ask("那南充呢?", history=["乐山培育壮大的新兴产业和未来产业有哪些?"])
    assert not answer.refused
    assert any(hit.chunk.meta.region == "南充市" for hit in answer.retrieved[:3])


def test_跨文件问题从每个点名的地方检索(demo_engine):
    answer = demo_engine.ask("乐山和四川省分别为2027年设定了怎样的经济总量目标?")
    regions = {hit.chunk.meta.region for hit in answer.retrieved[:6]}
    assert {"乐山市", "四川省"} <= regions
    assert "3400亿元" in answer.text


@pytest.mark.parametrize("question,history,expected", [
    ("那南充呢?", ["乐山培育壮大先进制造业集群有哪些行动?"], "南充培育壮大先进制造业集群有哪些行动?"),
    ("南充呢", ["乐山的人才计划叫什么?"], "南充的人才计划叫什么?"),
    ("目标是多少?", ["乐山高价值发明专利"], "乐山高价值发明专利 目标是多少?"),
    ("乐山的人才计划叫什么?", ["南充的人才计划叫什么?"], "乐山的人才计划叫什么?"),
])
def test_追问改写成独立的问题(question, history, expected):
    assert standalone_question(question, history, ALIASES) == expected


def test_追问在对话中回答(demo_engine):
    answer = demo_engine.ask("那南充呢?", history=["乐山强化党的领导要优化落实哪些机制?"])
    assert "南充" in answer.question
    assert any(hit.chunk.meta.region == "南充市" for hit in answer.retrieved[:3])


def test_出处查询用简体短语找到繁体原文(demo_engine):
    answer = demo_engine.ask("“推动落实职务科技成果单列管理制度”这句话出自哪些文件?")
    assert answer.backend == "lookup"
    regions = {hit.chunk.meta.region for hit in answer.retrieved}
    assert {"乐山市", "四川省"} <= regions
    assert "原文见于" in answer.text
    assert_citations_verbatim(demo_engine, answer)


@pytest.mark.parametrize("question,message", [
    ("", "问题为空"),
    ("   \n\t ", "问题为空"),
    ("\x00\x01\x02", "问题为空"),
    ("乐山" * 10_000, "问题过长"),
])
def test_不合格的问题给出明确提示(demo_engine, question, message):
    with pytest.raises(BadQuestion, match=message):
        demo_engine.ask(question)


def test_问题中的控制字符被去掉后照常回答(demo_engine):
    answer = demo_engine.ask("乐山每万人口\x07高价值发明专利\x1b拥有量目标")
    assert "1.54件" in answer.text


def test_大模型服务不可用时改用摘录并说明(demo_index_dir, tmp_path):
    import shutil
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    shutil.copytree(demo_index_dir, tmp_path / "data")
    settings = load_settings(data_dir=tmp_path / "data", llm={
        "backend": "openai", "openai_base_url": f"http://127.0.0.1:{dead_port}/v1",
        "openai_api_key": "sk-test-secret-123", "timeout_s": 5})
    engine = Engine(settings)
    answer = engine.ask("乐山每万人口高价值发明专利拥有量目标")
    assert answer.backend == "extractive"
    assert "摘录" in answer.notice and "sk-test-secret-123" not in answer.notice
    assert "1.54件" in answer.text


def test_出处查询_改写较多的句子也找到原文_并说明文件和部分(demo_engine):
    # 原文:“到2027年,全市综合实力和竞争力持续提升,经济总量跨上3400亿元台阶”
    answer = demo_engine.ask("“到2027年乐山的综合实力和竞争力不断提高,经济总量迈上3400亿元的台阶”出自哪里?")
    assert answer.backend == "lookup" and not answer.refused
    assert "近似表述见于" in answer.text and "乐山" in answer.text
    assert_citations_verbatim(demo_engine, answer)


def test_出处查询只有标点时给出明确提示(demo_engine):
    with pytest.raises(ValueError, match="为空"):
        demo_engine.lookup("“”。")


@pytest.mark.parametrize("question", ["那南充呢？", "那南充呢?", "南充呢"])
def test_追问的全角问号与半角一样(question):
    assert standalone_question(question, ["乐山的人才计划叫什么?"], ALIASES) == "南充的人才计划叫什么?"


def test_按地区筛选时_问题点名别的城市也只从所选地区的文件里找(demo_engine):
    from vectorstore.hits import SearchFilter

    answer = demo_engine.ask("乐山2027年经济总量目标是多少?", filters=SearchFilter(regions=("南充市",)))
    assert all(hit.chunk.meta.region == "南充市" for hit in answer.retrieved)
    assert "3400亿元" not in answer.text


def test_两问之一问的是有哪些时_回答有列举的篇幅():
    from qa.answer import LIST_ANSWER_CHARS, SHORT_ANSWER_CHARS, _quote_budget
    from qa.question import parse

    assert _quote_budget(parse("青州的数据伦理委员会由谁负责日常工作?要履行哪些职责?")) == LIST_ANSWER_CHARS
    assert _quote_budget(parse("青州的数据伦理委员会由谁负责日常工作?")) == SHORT_ANSWER_CHARS


def test_问文件里没有的第几条时拒答_不拿别的条文充数(demo_engine):
    answer = demo_engine.ask("南充的决定第九章讲了哪些内容?", backend="extractive")
    assert answer.refused, answer.text
