"""回答、出处和简报的显示规则(纯函数,不需要服务器)。"""
from __future__ import annotations

import re

import pytest

from corpus.model import Chunk, DocumentMeta
from qa.answer_types import Answer, Citation
from ui import render
from vectorstore.hits import Hit

META = DocumentMeta(doc_id="leshan", title="乐山市委的决定", issuer="中共乐山市委", region="乐山市", date="2024-06-25")


def chunk(ordinal: int, text: str, section: tuple[str, ...] = ("二、明确主攻方向",)) -> Chunk:
    return Chunk(doc_id="leshan", section_path=section, text=text, index_text=text, start=ordinal * 100,
                 end=ordinal * 100 + len(text), ordinal=ordinal, meta=META)


LABS = chunk(3, "支持建设省级重点实验室。到2027年,经济总量跨上3400亿元台阶。打造“嘉里养老”品牌。")


def citation(marker: int, quote: str, source: Chunk = LABS) -> Citation:
    return Citation(marker, source.chunk_id, source.doc_id, source.meta.title, source.section, quote, 0, 0)


def links(html: str) -> list[str]:
    return re.findall(r'href="#cite-([^"]+)"', html)


def test_只有核对过的标记才可点击():
    answer = Answer(question="q", text="经济总量跨上3400亿元台阶[1],另见[7]。", refused=False,
                    citations=[citation(1, "到2027年,经济总量跨上3400亿元台阶")], retrieved=[Hit(LABS, 1.0)])
    html = render.answer_html(answer, turn=2)
    assert links(html) == ["2-1", "2-1"]  # 正文里的 [1] 和出处列表里的 [1];[7] 没有出处,不成链接
    assert "另见[7]" in html
    assert "《乐山市委的决定》二、明确主攻方向" in html
    assert "\n\n" not in html  # 聊天框按 Markdown 渲染,空行会截断 HTML 块


def test_同一标记引用多句时_侧栏把每句都标出来():
    answer = Answer(question="q", text="养老[1];总量[1]。", refused=False, retrieved=[Hit(LABS, 1.0)],
                    citations=[citation(1, "打造“嘉里养老”品牌"), citation(1, "经济总量跨上3400亿元台阶")])
    sources = render.answer_sources(answer, turn=0)
    assert list(sources) == ["0-1"]
    html = render.source_html(sources["0-1"], [LABS])
    assert re.findall(r"<mark>(.*?)</mark>", html) == ["经济总量跨上3400亿元台阶", "打造“嘉里养老”品牌"]
    assert "发文:中共乐山市委 · 日期:2024-06-25 · 地区:乐山市" in html
    assert "位置:二、明确主攻方向" in html
    assert html.count("[1]") == 1  # 侧栏标签


def test_未能核实的句子划掉并注明():
    answer = Answer(question="q", text="支持建设省级重点实验室[1]。", refused=False, retrieved=[Hit(LABS, 1.0)],
                    citations=[citation(1, "支持建设省级重点实验室")], flagged=["乐山市人口达到500万人"])
    html = render.answer_html(answer, turn=0)
    assert '<span class="pq-flag-label">未能核实</span> <del>乐山市人口达到500万人</del>' in html


def test_拒答直说没有_列出最接近的段落但不当作引用():
    hits = [Hit(chunk(n, f"第{n}段讲的是别的事情。"), 1.0 / n) for n in (1, 2, 3, 4)]
    answer = Answer(question="q", text="文件中没有找到能回答这个问题的内容。", refused=True, retrieved=hits,
                    backend="refusal")
    html = render.answer_html(answer, turn=5)
    assert '<div class="pq-refusal">文件中没有找到能回答这个问题的内容。</div>' in html
    assert 'class="pq-cite"' not in html
    assert links(html) == ["5-p1", "5-p2", "5-p3"]
    assert render.answer_sources(answer, 5)["5-p2"].chunk == hits[1].chunk
    assert "未调用大模型" in html


def test_改用摘录时显示提示():
    answer = Answer(question="q", text="支持建设省级重点实验室[1]。", refused=False, retrieved=[Hit(LABS, 1.0)],
                    citations=[citation(1, "支持建设省级重点实验室")], backend="extractive",
                    notice="大模型不可用(连接超时),已改用原文摘录模式。", latency_ms={"total": 1234.0})
    html = render.answer_html(answer, turn=0)
    assert '<div class="pq-notice">⚠ 大模型不可用(连接超时),已改用原文摘录模式。</div>' in html
    assert "回答方式:原文摘录 · 用时 1.2 秒" in html


def test_模型改写时_摘录照常可点_模型写的字作为预览显示在其下():
    quoted = Answer(question="q", text="经济总量跨上3400亿元台阶[1]。", refused=False, backend="extractive",
                    citations=[citation(1, "经济总量跨上3400亿元台阶")], retrieved=[Hit(LABS, 1.0)])
    html = render.provisional_html(quoted, 1, "到2027年经济总量")

    assert html.startswith('<div class="pq-answer pq-provisional">') and html.endswith("</div></div>")
    assert links(html) == links(render.answer_html(quoted, 1)) == ["1-1", "1-1"]
    assert html.index("回答方式:原文摘录") < html.index(render.REWRITING) < html.index("到2027年经济总量")
    assert "\n\n" not in html
    assert '<div class="pq-rewrite-text">' not in render.provisional_html(quoted, 1, "")  # 模型还没写字时只有状态


def test_文件里的标记文字原样显示_不会变成网页代码():
    hostile = chunk(9, '<script>alert(1)</script><img src=x onerror="alert(2)">第9段')
    answer = Answer(question="q", text="<b>粗</b>[1]", refused=False, retrieved=[Hit(hostile, 1.0)],
                    citations=[citation(1, "<script>alert(1)</script>", hostile)])
    pages = [render.answer_html(answer, 0), render.source_html(render.answer_sources(answer, 0)["0-1"], [hostile]),
             render.streaming_html("<i>x</i>"), render.provisional_html(answer, 0, "<i>x</i>")]
    for html in pages:
        assert "<script>" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in pages[1]


@pytest.mark.parametrize("quote, marked", [
    ("经济总量跨上 3400 亿元台阶", "经济总量跨上3400亿元台阶"),  # 空格不同,仍能对上
    ("人口达到五百万", None),  # 不在段落里的话不标
])
def test_引文与段落只差空白时仍能高亮_对不上就不标(quote, marked):
    html = render.highlight(LABS.text, [quote])
    found = re.findall(r"<mark>(.*?)</mark>", html)
    if marked is None:
        assert found == []
    else:
        assert len(found) == 1 and marked in found[0] and len(found[0]) <= len(marked) + 2


def test_展开上下文_给出整节_只有一段的节给出前后相邻段():
    document = [chunk(1, "甲", ("一",)), chunk(2, "乙", ("二",)), chunk(3, "丙", ("二",)), chunk(4, "丁", ("三",))]
    assert [c.text for c in render.section_context(document[1], document)] == ["乙", "丙"]
    assert [c.text for c in render.section_context(document[3], document)] == ["丙", "丁"]


def test_简报的脚注编号与下载文件一致():
    markdown = "- 甲[^4]\n- 乙[^4][^9]\n\n| 文件 | 数值 |\n| --- | --- |\n| 乐山 | 3400亿元[^9]<br>300家 |\n\n" \
               "[^4]: 《乐山》第一段\n[^9]: 《乐山》第二段 <script>"
    html = render.briefing_html(markdown)
    assert re.findall(r'<sup class="footnote-ref"><a [^>]*>\[(\d+)\]</a>', html) == ["4", "4", "9", "9"]
    assert re.findall(r'<li id="fn\d+" value="(\d+)"', html) == ["4", "9"]
    assert "3400亿元" in html and "<br>300家" in html
    assert "<script>" not in html


@pytest.mark.parametrize("key, turn", [("3-1", 3), ("0-p2", 0), ("3", None), ("x-1", None), ("1-2-3", None), ("", None)])
def test_页面传回的链接键只认本应用生成的格式(key, turn):
    assert render.turn_of(key) == turn


def test_找出回答里引某段的链接_编号以这份回答为准():
    other = chunk(4, "全市每万人口高价值发明专利拥有量达到1.54件以上。", ("三、创新",))
    quoted = Answer(question="q", text="权重[1];1.54件[2]。", refused=False, retrieved=[Hit(LABS, 1.0), Hit(other, 0.9)],
                    citations=[citation(1, "支持建设省级重点实验室"), citation(2, "1.54件", other)])
    written = Answer(question="q", text="达到1.54件以上[1]。", refused=False, retrieved=quoted.retrieved,
                     citations=[citation(1, "1.54件", other)])
    assert render.passage_link(quoted, 3, other.chunk_id) == "3-2"
    assert render.passage_link(written, 3, other.chunk_id) == "3-1"
    assert render.passage_link(written, 3, LABS.chunk_id) is None
