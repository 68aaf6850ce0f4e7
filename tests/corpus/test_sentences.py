"""断句：切分段落、查重复句、向量索引的句子单元和引文核对都用这一条规则。"""
from __future__ import annotations

import pytest

from corpus.sentences import sentence_spans


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("加快发展新质生产力。推动产业深度转型升级。", ["加快发展新质生产力。", "推动产业深度转型升级。"],
                     id="句号"),
        pytest.param("成都有哪些谋划部署？将从哪些领域发力?", ["成都有哪些谋划部署？", "将从哪些领域发力?"], id="全角与半角问号"),
        pytest.param("遇见更好的自己！衷心祝福你们!", ["遇见更好的自己！", "衷心祝福你们!"], id="叹号"),
        pytest.param("强化企业科技创新主体地位；深化科技成果转化机制改革;完善创新生态。",
                     ["强化企业科技创新主体地位；", "深化科技成果转化机制改革;", "完善创新生态。"], id="分号"),
        pytest.param("真的做到了吗？！答案是肯定的。", ["真的做到了吗？！", "答案是肯定的。"], id="连用的标点归于同一句"),
    ],
)
def test_句末标点处断句(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("余伟说，“党员理应带头作表率。”正在装修的机构是第二家店。",
                     ["余伟说，“党员理应带头作表率。”", "正在装修的机构是第二家店。"], id="弯引号"),
        pytest.param("他说：\"我们助您乘风破浪。\"请及时办理手续。", ["他说：\"我们助您乘风破浪。\"", "请及时办理手续。"],
                     id="直引号"),
        pytest.param("「加快發展。」下一句。", ["「加快發展。」", "下一句。"], id="直角引号"),
        pytest.param("(成果专员园区全覆盖。)加快建设。", ["(成果专员园区全覆盖。)", "加快建设。"], id="括号"),
    ],
)
def test_句末的引号和括号归于本句_不成为下一句的开头(text, expected):
    assert sentences(text) == expected


def test_换行处断句_标题行没有句号也是一句():
    assert sentences("一、总体要求\n坚持创新引领。\n\n全会主要特点\n一是充分体现了政治自觉。") == [
        "一、总体要求", "坚持创新引领。", "全会主要特点", "一是充分体现了政治自觉。"]


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("高質量發(fā)展是全面建設社會主義現(xiàn)代化國家的首要任務。", id="拼音注音"),
        pytest.param("推进第五代移动通信技术(5G)和互联网协议第六版(IPv6)商用部署。", id="括注"),
        pytest.param("一、把坚持高质量发展作为新时代的硬道理", id="一、"),
        pytest.param("(一)培育壮大先进制造业集群,经济总量跨上3400亿元台阶,年均增长6.5%。", id="(一)与小数"),
        pytest.param("推动产业转型升级……加快建设现代化产业体系。", id="省略号"),
    ],
)
def test_句中的标记不断句(sentence):
    assert sentences(sentence) == [sentence]


@pytest.mark.parametrize("text", ["9. 突出企业创新主体地位。10．提升打造科技创新平台。", "9、突出企业创新主体地位。10、提升打造科技创新平台。"])
def test_编号条目各成一句_编号留在句首(text):
    first, second = sentences(text)
    assert first.startswith("9") and first.endswith("主体地位。")
    assert second.startswith("10") and second.endswith("科技创新平台。")


def test_句子不含前后的空白_空行不成句():
    text = "  \u3000坚持系统观念。 统筹兼顾。\r\n\n\n  "
    assert sentence_spans(text) == [(3, 10), (11, 16)]
    assert sentences(text) == ["坚持系统观念。", "统筹兼顾。"]


def test_只切给定范围_位置按全文计():
    text = "标题\n加快发展。推动升级。\n结尾。"
    start = text.index("加快")
    end = text.index("\n结尾")
    assert [text[s:e] for s, e in sentence_spans(text, start, end)] == ["加快发展。", "推动升级。"]


def test_没有文字时没有句子():
    assert sentence_spans("") == []
    assert sentence_spans("\n \n") == []
