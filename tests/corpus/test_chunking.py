"""按标题切分：公文的各级标题、缺失的上级标题、发布会问答，以及段落长度的约束。"""
from __future__ import annotations

import pytest

from corpus.chunk import MIN_CHARS, chunk_document, outline, outline_lines
from corpus.model import DocumentMeta
from corpus.repair import repair

META = DocumentMeta(doc_id="sample", title="示例文件", region="乐山市")
# long enough (over MIN_CHARS) that a heading with this body is a passage of its own
BODY = "坚持把构建富有乐山特色和优势的现代化产业体系作为主攻方向,以科技创新引领产业创新,推动产业深度转型升级,奋力谱写中国式现代化新篇章。"


def cut(text: str, max_chars: int = 400):
    return chunk_document(repair(text), META, max_chars)


def paths(text: str, max_chars: int = 400) -> list[tuple[str, ...]]:
    return [chunk.section_path for chunk in cut(text, max_chars)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"一、总体要求\n{BODY}\n二、主要任务\n{BODY}",
                     [("一、总体要求",), ("二、主要任务",)], id="一、"),
        pytest.param(f"一、总体要求\n{BODY}\n(一)培育壮大先进制造业集群。{BODY}\n（二）推动农业产业全链条升级。{BODY}",
                     [("一、总体要求",), ("一、总体要求", "(一)培育壮大先进制造业集群"),
                      ("一、总体要求", "（二）推动农业产业全链条升级")], id="(一)与（一）"),
        pytest.param(f"三、培育建强各类创新主体\n9. 突出企业创新主体地位。{BODY}\n10．提升打造科技创新平台。{BODY}",
                     [("三、培育建强各类创新主体", "9. 突出企业创新主体地位"),
                      ("三、培育建强各类创新主体", "10．提升打造科技创新平台")], id="1.与1．"),
        pytest.param(f"1. 实施重大科技专项\n(1)晶硅光伏。{BODY}\n(2)民用核技术。{BODY}",
                     [("1. 实施重大科技专项", "(1)晶硅光伏"), ("1. 实施重大科技专项", "(2)民用核技术")], id="(1)"),
        pytest.param(f"第一章 总则\n第一条 为了规范科技创新券的管理,制定本办法。{BODY}\n第二条 本办法适用于全市科技型中小企业。{BODY}",
                     [("第一章 总则", "第一条"), ("第一章 总则", "第二条")], id="第X章与第X条"),
        pytest.param(f"第一部分 总体要求\n{BODY}\n第二部分 重点任务\n{BODY}",
                     [("第一部分 总体要求",), ("第二部分 重点任务",)], id="第X部分"),
        pytest.param(f"第二部分为深化经济体制改革,重点对完善落实深化国资国企改革作出部署。{BODY}\n"
                     f"第三部分为统筹推进教育科技人才体制机制一体改革。{BODY}",
                     [("第二部分为深化经济体制改革",), ("第三部分为统筹推进教育科技人才体制机制一体改革",)],
                     id="介绍文件结构的“第二部分为……”以首句为节名"),
        pytest.param(f"{BODY}\n全会主要特点\n一是充分体现了市委深入贯彻重要指示精神的政治自觉。{BODY}\n二是充分体现了市委的职责使命。{BODY}",
                     [(), ("全会主要特点", "一是充分体现了市委深入贯彻重要指示精神的政治自觉"),
                      ("全会主要特点", "二是充分体现了市委的职责使命")], id="一是二是"),
        pytest.param(f"一、把坚持高质量发展作为新时代的硬道理\n{BODY}二、以创新为主导加快发展新质生产力\n(一)实施前沿科技攻坚突破行动。{BODY}(二)推动产业深度转型升级。{BODY}",
                     [("一、把坚持高质量发展作为新时代的硬道理",),
                      ("二、以创新为主导加快发展新质生产力", "(一)实施前沿科技攻坚突破行动"),
                      ("二、以创新为主导加快发展新质生产力", "(二)推动产业深度转型升级")], id="粘在上一段末尾的标题"),
    ],
)
def test_各级标题(text, expected):
    assert paths(text) == expected


def test_段首句标题取到第一个句号为止_正文保留原样():
    chunk, = cut(f"(一)培育壮大先进制造业集群。实施晶硅光伏科技赋能行动,{BODY}")
    assert chunk.section_path == ("(一)培育壮大先进制造业集群",)
    assert chunk.text.startswith("(一)培育壮大先进制造业集群。实施晶硅光伏科技赋能行动")


def test_不是下一个序号的括号数字不算粘连标题():
    text = f"(一)培育壮大先进制造业集群。{BODY}(三)这不是紧接的序号。{BODY}"
    assert paths(text) == [("(一)培育壮大先进制造业集群",)]


def test_缺少上级标题时_条目只管自己那一段():
    """南充的文本删掉了“一、二、”，(一) 重新开始；条目之后无编号的段落属于失落的上级，而不是最后一个条目。"""
    text = (f"{BODY}\n(一)焕新升级传统产业。{BODY}\n(二)培育壮大新兴产业。{BODY}\n"
            f"(一)建强科学技术创新平台。{BODY}\n强化党对新质生产力发展的全面领导,优化落实专班推进、决策咨询等机制。{BODY}")
    assert paths(text) == [(), ("(一)焕新升级传统产业",), ("(二)培育壮大新兴产业",), ("(一)建强科学技术创新平台",), ()]


def test_有上级标题时_条目的后续段落仍属条目():
    text = f"三、培育建强各类创新主体\n11. 推进关键核心技术攻关。{BODY}\n发展重大工程科技,推动创新型企业参与重大工程建设。{BODY}"
    assert paths(text) == [("三、培育建强各类创新主体", "11. 推进关键核心技术攻关")]


def test_没有标题的文件按段落成块():
    paragraphs = [f"第{number}段。{BODY}" + BODY.replace("主攻方向", f"第{number}个方向") for number in range(1, 7)]
    chunks = cut("\n".join(paragraphs))
    assert {chunk.section_path for chunk in chunks} == {()}
    assert all(len(chunk.text) <= 400 for chunk in chunks)
    assert "".join(chunk.text.replace("\n", "") for chunk in chunks) == "".join(paragraphs)


def test_文首标题行不是章节_并入第一块():
    text = ("中共乐山市委\n关于以发展新质生产力为重要着力点的决定\n(2024年6月25日中国共产党乐山市第八届委员会第九次全体会议通过)\n"
            f"高质量发展是新时代的硬道理。{BODY}\n一、把握阶段性目标\n{BODY}")
    first, second = cut(text)
    assert first.section_path == ()
    assert first.text.startswith("中共乐山市委\n关于以发展新质生产力") and "2024年6月25日" in first.text
    assert second.section_path == ("一、把握阶段性目标",)


def test_只有标题行的章节并入它的第一块正文():
    chunk, = cut(f"三、培育建强各类创新主体,全面提升科技创新能力\n9. 突出企业创新主体地位。{BODY}")
    assert chunk.section_path == ("三、培育建强各类创新主体,全面提升科技创新能力", "9. 突出企业创新主体地位")
    assert chunk.text.startswith("三、培育建强各类创新主体,全面提升科技创新能力\n9. 突出企业创新主体地位。")


def test_过短的章节与同一上级下的相邻章节合并():
    text = f"{BODY}\n全会主要特点\n一是充分体现了政治自觉。\n二是充分体现了职责使命。\n三是充分体现了战略考量。\n《决定》主要内容\n{BODY}"
    _, first, second = cut(text)
    assert first.section_path == ("全会主要特点",)
    assert first.text == "全会主要特点\n一是充分体现了政治自觉。\n二是充分体现了职责使命。\n三是充分体现了战略考量。"
    assert second.section_path == ("《决定》主要内容",)


def test_过短的引言并入第一个小节并保留小节路径():
    chunks = cut(f"五、优化发展环境\n坚持把良好发展环境作为重要基础。\n(十二)全面深化改革扩大开放。{BODY}\n(十三)激发各类经营主体活力。{BODY}")
    assert [chunk.section_path for chunk in chunks] == [("五、优化发展环境", "(十二)全面深化改革扩大开放"),
                                                       ("五、优化发展环境", "(十三)激发各类经营主体活力")]
    assert chunks[0].text.startswith("五、优化发展环境\n坚持把良好发展环境作为重要基础。\n(十二)")


def test_发布会_提问与具名官员的回答是一个单元():
    text = (f"11月14日,新闻发布会召开。{BODY}\n记者问答\n最近“进万企”是社会比较关注的一个话题,能否介绍一下主要工作举措?\n"
            f"市经信局市新经济委党组副书记、副局长曾科:今年9月以来,市委、市政府作出工作部署。{BODY}\n"
            f"一是分级分类“进万企”。{BODY}\n二是真心实意“解难题”。{BODY}\n"
            "成都下一步将如何建设国际消费中心城市?\n"
            f"市商务局党组书记张金泉:消费既是经济增长最基础的动力。{BODY}")
    question_1 = "最近“进万企”是社会比较关注的一个话题,能否介绍一下主要工作举措?"
    question_2 = "成都下一步将如何建设国际消费中心城市?"
    speaker_1 = "市经信局市新经济委党组副书记、副局长曾科"
    chunks = cut(text)[1:]
    assert [chunk.section_path for chunk in chunks] == [
        ("记者问答", question_1, speaker_1),
        ("记者问答", question_1, speaker_1, "一是分级分类“进万企”"),
        ("记者问答", question_1, speaker_1, "二是真心实意“解难题”"),
        ("记者问答", question_2, "市商务局党组书记张金泉"),
    ]
    assert chunks[0].text.startswith(f"记者问答\n{question_1}\n{speaker_1}:今年9月以来")


def test_政策解读_问答():
    text = (f"{BODY}\n问：科技创新券可以用于哪些服务？\n答：可用于购买检验检测、研发设计等科技服务。{BODY}\n"
            f"问：谁可以申请？\n答：注册在本市的科技型中小企业。{BODY}")
    assert paths(text) == [(), ("问：科技创新券可以用于哪些服务？",), ("问：谁可以申请？",)]


def test_发布会_分行的人物介绍合成一个标题():
    text = (f"11月14日,新闻发布会召开。{BODY}\n\n中共成都市委副秘书长\n\n市委政研室主任\n\n市委改革办常务副主任曾明友\n\n介绍了市委十四届六次全会\n\n有关情况\n\n"
            f"中国共产党成都市第十四届委员会第六次全体会议于2024年11月13日召开。{BODY}")
    _, chunk = cut(text)
    assert chunk.section_path == ("中共成都市委副秘书长 市委政研室主任 市委改革办常务副主任曾明友 介绍了市委十四届六次全会 有关情况",)


def test_长章节在句末切开_每块不超过上限():
    sentences = [f"第{number}项,实施晶硅光伏科技赋能行动,建设创新发展区。" for number in range(1, 40)]
    chunks = cut("(一)培育壮大先进制造业集群。" + "".join(sentences), max_chars=200)
    assert len(chunks) > 5
    assert all(len(chunk.text) <= 200 for chunk in chunks)
    assert all(chunk.text.endswith("。") for chunk in chunks)
    assert {chunk.section_path for chunk in chunks} == {("(一)培育壮大先进制造业集群",)}
    lengths = [len(chunk.text) for chunk in chunks]
    assert max(lengths) - min(lengths) < 60  # 均匀，不留很短的尾巴


def test_超长的单句最后才在逗号处切开():
    clauses = [f"推进第{number}个重点项目建设" for number in range(1, 60)]
    chunks = cut("，".join(clauses) + "。", max_chars=200)
    assert len(chunks) > 1
    assert all(len(chunk.text) <= 200 and chunk.text.endswith(("，", "。")) for chunk in chunks)


def test_索引文本含章节路径且为简体():
    chunks = chunk_document(repair(f"二、以創新為主導加快發展新質生產力\n(一)實施前沿科技攻堅突破行動。{BODY}\n"
                                   + "".join(f"瞄準國家戰略需求和四川發展需要,謀劃實施第{number}批重大科技專項。"
                                             for number in range(1, 13))), META)
    later = chunks[-1]
    assert later.section_path == ("二、以創新為主導加快發展新質生產力", "(一)實施前沿科技攻堅突破行動")
    assert later.text.startswith("瞄準")  # 正文保持文件自己的字形
    assert later.index_text.startswith("二、以创新为主导加快发展新质生产力 (一)实施前沿科技攻坚突破行动 瞄准")
    assert chunks[0].index_text.count("实施前沿科技攻坚突破行动") == 1  # 已在正文开头的标题不重复


def test_块的序号_位置与编号():
    chunks = cut(f"一、总体要求\n{BODY}\n二、主要任务\n{BODY}")
    assert [chunk.ordinal for chunk in chunks] == [0, 1]
    assert all(chunk.doc_id == "sample" and chunk.meta == META for chunk in chunks)
    assert len({chunk.chunk_id for chunk in chunks}) == 2


def test_上限过小被拒绝():
    with pytest.raises(ValueError, match="max_chars"):
        cut(BODY, max_chars=MIN_CHARS)


def test_目录树():
    chunks = cut(f"一、总体要求\n{BODY}\n二、主要任务\n(一)培育壮大先进制造业集群。{BODY}\n(二)推动农业产业全链条升级。{BODY}")
    assert outline(chunks) == [(0, "一、总体要求"), (0, "二、主要任务"), (1, "(一)培育壮大先进制造业集群"),
                               (1, "(二)推动农业产业全链条升级")]
    assert outline_lines(chunks)[2] == "  (一)培育壮大先进制造业集群"
