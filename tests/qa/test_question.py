"""问题只解析一次:问的是哪一类答案(日期、数量及单位、金额、比例、时限、机构、人、地点、清单、是否、定义、概括、出处),
关于什么,点名了哪些地方、年份、文件,两问的各是什么。全角与半角标点一样对待。"""
from __future__ import annotations

import pytest

from qa.places import region_aliases
from qa.question import named_documents, names_title, parse

ALIASES = region_aliases(["乐山市", "南充市", "四川省", "青州市"])


@pytest.mark.parametrize("question,kind", [
    ("青州数字产业条例什么时候开始施行?", "date"),
    ("这项决定是哪一年通过的？", "date"),
    ("到2025年要培育多少家龙头企业?", "count"),
    ("全市有几个国家级园区？", "count"),
    ("专项资金每年安排多少亿元?", "amount"),
    ("算力规模要做到多大?", "amount"),
    ("核心产业增加值占地区生产总值的比重达到多少?", "percent"),
    ("民营企业占新增就业的几成？", "percent"),
    ("审批要在多长时间内办完?", "duration"),
    ("接电最多用几个工作日？", "duration"),
    ("这项工作由哪个部门牵头?", "body"),
    ("青州市委书记是谁?", "person"),
    ("试验区设在哪里?", "place"),
    ("要优化哪几类环境?", "list"),
    ("重点推进哪六个方向？", "list"),
    ("青州在激发市场主体活力方面有哪些举措?", "list"),
    ("请概括条例第三章的主要内容。", "summary"),
    ("条例第七章安全那块主要规定了什么?", "summary"),
    ("绿色生活那部分说了些啥?", "summary"),
    ("报告里完善分配制度那一段大意是什么", "summary"),
    ("条例里跟企业破产有关的几条，核心内容梳理一下", "summary"),
    ("条例的保障措施一章，大概讲了什么", "summary"),
    ("条例在科研体制方面是怎么规定的？", "summary"),
    ("科研人员可以在职创办企业吗？", "yesno"),
    ("条例是怎么界定“数字产业”的?", "definition"),
    ("“推动中国堆谷加速集聚成势”这句话出自哪份文件？", "lookup"),
    ("出处是哪:要推动铁路运单物权化、推广开来", "lookup"),
    ("青州的目标：到2027年经济总量是多少？", "amount"),
    ("青州的人才计划叫什么?", "fact"),
])
def test_问的是哪一类答案(question, kind):
    assert parse(question, ALIASES).kind == kind


def test_数量问题记下所问的单位和所数的东西():
    question = parse("青州到2025年要培育多少家数字产业龙头企业?", ALIASES)
    assert question.unit == "家"
    assert question.counted == "数字产业龙头企业"
    assert question.years == {"2025"}
    assert question.places == ("青州市",)


def test_全角标点和数字与半角一样解析():
    full, half = parse("乐山２０２７年经济总量目标是多少？", ALIASES), parse("乐山2027年经济总量目标是多少?", ALIASES)
    assert (full.kind, full.years, full.places, dict(full.subject)) == (half.kind, half.years, half.places,
                                                                        dict(half.subject))


def test_两问拆成两部分_后一问沿用前一问的地方和年份():
    question = parse("青州到2025年打算培育几家龙头企业？年产值门槛是多少？", ALIASES)
    first, second = question.parts
    assert first.kind == "count" and first.unit == "家"
    assert "年产值" in second.subject
    assert second.places == ("青州市",) and second.years == {"2025"}


def test_一问不拆():
    assert parse("南充培育壮大的新兴产业和未来产业有哪些?", ALIASES).parts == ()


def test_口语和缩略语按正式说法检索():
    question = parse("乐山2027年GDP要到多少?", ALIASES)
    assert "地区生产总值" in question.search_text and "经济总量" in question.search_text
    assert "规模以上" in parse("规上工业增加值增长多少?", ALIASES).search_text


def test_被切开的正式说法作为一个词_连同其等义说法():
    assert "经济规模" in parse("乐山打算到2027年把经济规模做到多大?", ALIASES).subject


def test_知识库里没有的地方被记下():
    question = parse("武汉市提出到2027年经济总量要达到多少亿元?", ALIASES)
    assert question.places == () and question.unknown_places == ("武汉市",)


TITLES = {
    "qingzhou-digital": "青州市促进数字产业发展条例",
    "qingzhou-talent": "青州市人才发展促进条例",
    "hexi-business": "河西省优化营商环境条例",
    "hexi-report": "2025年河西省政府工作报告",
}


@pytest.mark.parametrize("question,documents", [
    ("青州数字产业条例什么时候施行?", ("qingzhou-digital",)),
    ("青州的人才发展促进条例对引进人才有哪些支持?", ("qingzhou-talent",)),
    ("河西营商环境条例和青州数字产业条例分别怎么规定?", ("qingzhou-digital", "hexi-business")),
    ("数字化转型有哪些举措?", ()),  # 没有点名文件
])
def test_按标题的简称认出点名的文件(question, documents):
    assert set(named_documents(question, TITLES)) == set(documents)


def test_按公文通行的简称认出点名的文件_二十大报告是全国代表大会上的报告():
    titles = TITLES | {"congress": "团结奋斗——在中国共产党第二十次全国代表大会上的报告"}
    assert named_documents("二十大报告对乡村振兴怎么说?", titles) == ("congress",)


def test_问题点了地方时_别处的文件不算被点名_全国的文件仍算():
    titles = TITLES | {"national-digital": "“十四五”数字产业发展规划"}
    regions = {"qingzhou-digital": "青州市", "qingzhou-talent": "青州市", "hexi-business": "河西省",
               "hexi-report": "河西省", "national-digital": "全国"}
    assert named_documents("河西的人才发展促进条例怎么说?", titles, ("河西省",), regions) == ()
    assert named_documents("河西怎么落实十四五数字产业发展规划?", titles, ("河西省",), regions) == ("national-digital",)


@pytest.mark.parametrize("question,qualifiers", [
    ("乐山到2027年人均GDP要达到多少?", (("人均", "GDP"),)),
    ("企业申请接入高压供电最多几个工作日?", (("高压", "供电"),)),
    ("储备的后备企业里民营企业有多少家?", (("民营", "企业"),)),
    ("青州到2025年要培育多少家龙头企业?", ()),
])
def test_记下限定词和它所限定的词(question, qualifiers):
    assert parse(question, ALIASES).qualifiers == qualifiers


@pytest.mark.parametrize("question,kinds", [
    ("青州的产业基金有多大?医疗器械方案打算怎么用它?", ("amount", "fact")),
    ("青州口岸进口货物多久能出关?三文鱼最快多久到青州?", ("duration", "duration")),
    ("青州政务服务热线是多少?和河西那边有没有联动?", ("fact", "yesno")),
])
def test_两问各按自己的问法定答案类型(question, kinds):
    assert tuple(part.kind for part in parse(question, ALIASES).parts) == kinds


@pytest.mark.parametrize("question,kind", [
    ("试点放在哪个县?", "place"),
    ("金额到了公开招标限额的,可以不公开招标吗?", "yesno"),  # 金额 不是在问金额
])
def test_问地方和是否(question, kind):
    assert parse(question, ALIASES).kind == kind


def test_哪几个城市问的是地方_哪两所的两不是问题给出的数字():
    assert parse("试点具体放在哪几个城市?", ALIASES).kind == "place"
    assert parse("四川准备筹建哪两所新大学?", ALIASES).figures == frozenset()
    assert parse("条例第六十条是怎么规定的?", ALIASES).figures == {"60"}


@pytest.mark.parametrize("question,kind", [
    ("报告说城镇化率提高了十一点六个百分点,那城镇人口一共增加了多少人?", "count"),  # 前半句的百分点不是所问
    ("贷款余额同比增长近10%,那全年增加了多少亿元?", "amount"),
    ("核心产业增加值占地区生产总值的比重,达到多少?", "percent"),  # 问句只有“多少”时看整句
])
def test_答案类型看提问的那一小句(question, kind):
    assert parse(question, ALIASES).kind == kind


def test_问哪个城市时_城市不是问题点名的地方():
    question = parse("青州支持哪个城市建共同富裕试验区?", ALIASES)
    assert question.places == ("青州市",) and question.unknown_places == ()


@pytest.mark.parametrize("question", ["配套规定最晚多长时间内要制定出来?", "付款方得在多少天内确认?", "审评要在几个工作日以内完成?"])
def test_问时限的多长时间内_多少天内整个是问法_不是问的事物(question):
    parsed = parse(question, ALIASES)
    assert parsed.kind == "duration"
    assert not [word for word in [*parsed.subject, parsed.counted] if "内" in word]


def test_简称按顺序取全称的字_自贸区是自由贸易试验区条例的简称():
    assert names_title("自贸区", "中国(青州)自由贸易试验区条例")
    assert not names_title("金融", "中国(青州)自由贸易试验区条例")
    assert not names_title("创业", "推动未来产业创新发展的实施意见")  # 两个字须原样出现
