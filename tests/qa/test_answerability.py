"""拒答的规格:检索到的段落要来自问题点名的地方、含问题中的年份、含问题的主要名词;
问数量的,还要有一句话同时含数字和所问的东西。"""
from __future__ import annotations

import pytest

from corpus.normalize import normalize_query
from qa import answerability
from qa.places import named_regions


def check(engine, question: str) -> bool:
    places = named_regions(normalize_query(question), engine.aliases())
    return evidence.answerable(question, engine.retrieve(question, None, places), places)


@pytest.mark.parametrize("question", [
    "成都2026年算力规模目标是多少?",  # 2026年实现算力规模超3万P
    "南充力争到2026年,企业研发经费要比哪一年增长多少?",  # 只点名南充:南充的段落不能被成都的长段挤掉
    "南充对国家高新技术企业数提出了什么增长目标?",  # 原文改写为“国家高新技术公司数”
    "南充培育壮大的新兴产业和未来产业有哪些?",  # 原文小标题为“新兴起的产业”
    "乐山市商业银行计划何时完成IPO上市?",
    "峨眉山市在京农民工党支部书记余伟返乡投资了多少钱?",  # 人物介绍与投资额在相邻两段
    "“天府粮仓·千园建设”行动要支持建设多少个农业优势特色产业集群?",  # 繁体原文
])
def test_文件里有答案的问题不拒答(demo_engine, question):
    assert check(demo_engine, question)


@pytest.mark.parametrize("question", [
    "成都提出到2027年算力规模要达到多少?",  # 年份不符:原文是2026年
    "乐山提出到2025年全市经济总量要达到多少亿元?",  # 原文只有2027年的3400亿元
    "四川省提出到2027年数字经济核心产业增加值占GDP比重达到多少?",  # 只有乐山有这项数字
    "四川省要建设多少个千亿级产业集群?",  # 有“产业集群”的数字,但不是千亿级的
    "南充市2023年常住人口是多少万人?",
    "乐山市委书记是谁?",
    "成都市的GDP是多少?",
])
def test_文件里没有答案的问题拒答(demo_engine, question):
    assert not check(demo_engine, question)


@pytest.mark.parametrize("question,counted", [
    ("四川计划建设几个国家级农业高新技术产业示范区?", "国家级农业高新技术产业示范区"),
    ("四川省提出到2027年数字经济核心产业增加值占GDP比重达到多少?", "比重"),
    ("峨眉山市在京农民工党支部书记余伟返乡投资了多少钱?", "投资"),
    ("乐山提出到2025年全市经济总量要达到多少亿元?", "经济总量"),
    ("成都2026年算力规模目标是多少?", "规模"),
])
def test_数量问题找出所问的东西(question, counted):
    assert evidence.counted_thing(normalize_query(question)) == counted


@pytest.mark.parametrize("answer,expected", [
    ("乐山深入实施欠发达县域托底性帮扶“1+6”实施方案和24项支持政策措施[1]。", True),
    # 本地 1.5B 模型的真实输出:引文属实,但答的是另一件事
    ("加强经济和社会发展动态监测[1],强化产业发展、项目建设和要素保障[1]。", False),
])
def test_回答要回应所问的事(answer, expected):
    assert evidence.addresses("乐山对欠发达县域托底性帮扶配套了什么方案和多少项支持政策?", answer) is expected


@pytest.mark.parametrize("question", [
    "成都累计办结问题诉求多少件?",  # 除地名外没有实义名词:退而用问题里的其他词核对
    "成都《决定》稿共几个部分?",
])
def test_没有实义名词的问题用其他词核对(demo_engine, question):
    assert check(demo_engine, question)


def test_只有表情符号的问题拒答(demo_engine):
    assert not check(demo_engine, "🙂🙂🙂")
