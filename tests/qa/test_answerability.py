"""是否可答的规格:问题问的是哪一类答案、关于什么;检索到的某句话说的正是这件事、又含有这一类答案时才可答。
段落要来自问题点名的地方、含问题中的年份;换一种说法问(经济规模/经济总量)不能因此拒答。"""
from __future__ import annotations

import pytest

from corpus.model import Chunk, DocumentMeta
from corpus.normalize import to_index_text
from qa import answerability
from qa.citations import fold
from qa.places import region_aliases
from qa.question import parse
from vectorstore.hits import Hit


def check(engine, question: str) -> bool:
    parsed = engine.parse(question)
    return any(verdict.answerable
               for verdict in answerability.judge(parsed, engine.retrieve(parsed), engine.similarity))


@pytest.mark.parametrize("question", [
    "成都2026年算力规模目标是多少?",  # 2026年实现算力规模超3万P
    "南充力争到2026年,企业研发经费要比哪一年增长多少?",  # 只点名南充:南充的段落不能被成都的长段挤掉
    "南充对国家高新技术企业数提出了什么增长目标?",  # 原文改写为“国家高新技术公司数”
    "南充培育壮大的新兴产业和未来产业有哪些?",  # 原文小标题为“新兴起的产业”
    "乐山市商业银行计划何时完成IPO上市?",
    "“天府粮仓·千园建设”行动要支持建设多少个农业优势特色产业集群?",  # 繁体原文
])
def test_文件里有答案的问题不拒答(demo_engine, question):
    assert check(demo_engine, question)


@pytest.mark.parametrize("question", [
    "乐山打算到2027年把经济规模做到多大?",  # 原文:经济总量跨上3400亿元台阶
    "乐山2027年GDP要到多少?",  # 口语 GDP,原文“经济总量”
    "成都“进万企”活动到现在解决了多少件企业的问题?",  # 原文“累计办结5072件”
    "乐山２０２７年经济总量目标是多少？",  # 全角数字和标点
])
def test_换一种说法问不拒答(demo_engine, question):
    assert check(demo_engine, question)


@pytest.mark.parametrize("question", [
    "成都提出到2027年算力规模要达到多少?",  # 年份不符:原文是2026年
    "乐山提出到2025年全市经济总量要达到多少亿元?",  # 原文只有2027年的3400亿元
    "四川省提出到2027年数字经济核心产业增加值占GDP比重达到多少?",  # 只有乐山有这项数字
    "南充市2023年常住人口是多少万人?",
    "成都市的GDP是多少?",
    "武汉市提出到2027年经济总量要达到多少亿元?",  # 知识库里没有武汉的文件
])
def test_文件里没有答案的问题拒答(demo_engine, question):
    assert not check(demo_engine, question)


def test_相邻两段合读_人物介绍和投资额在同一节里算作关于同一个人(demo_engine):
    parsed = demo_engine.parse("峨眉山市在京农民工党支部书记余伟返乡投资了多少钱?")
    verdict, = answerability.judge(parsed, demo_engine.retrieve(parsed), demo_engine.similarity)
    investment = next(evidence for evidence in verdict.evidence if "400万元" in evidence.text)
    values = dict(zip(answerability.FEATURES, investment.features))
    assert values["kind_value"] == 1.0
    assert values["subject_in_section"] == 1.0  # 人物介绍在相邻一段,同一节合读
    assert values["subject_in_sentence"] < 0.5


def test_只有表情符号的问题拒答(demo_engine):
    assert not check(demo_engine, "🙂🙂🙂")


def test_与段落毫无共同字词的问题拒答_哪怕语义相近度不低():
    values = dict.fromkeys(answerability.FEATURES, 1.0) | {"subject": 0.0, "pairs": 0.0, "heading": 0.0}
    assert not answerability.can_answer(tuple(values[name] for name in answerability.FEATURES))
    values["pairs"] = 0.5  # 经济规模 / 经济总量: 共有“经济”二字
    assert answerability.can_answer(tuple(values[name] for name in answerability.FEATURES))


# -- 编造的段落:每一类答案都要有这一类的值 --------------------------------------------------------------

MADE_UP = DocumentMeta(doc_id="made-up", title="青州市促进数字产业发展条例", issuer="青州市人大常委会", region="青州市",
                       date="2023-05-01", file_name="made-up.txt")
PASSAGE = (
    "第三条 市工业和信息化主管部门负责本市数字产业促进工作的统筹协调。"
    "第十条 到2025年,全市培育数字产业龙头企业10家以上,数字经济核心产业增加值占地区生产总值比重达到12%。"
    "第十一条 市人民政府设立数字产业发展专项资金,支持关键技术攻关。"
    "第十二条 申请材料齐全的,主管部门应当在十五个工作日内作出决定。"
    "第四十条 本条例自2023年7月1日起施行。"
)


@pytest.fixture(scope="module")
def made_up_hits() -> list[Hit]:
    chunk = Chunk(doc_id="made-up", section_path=("第一章 总则",), text=PASSAGE, index_text=to_index_text(PASSAGE),
                  start=0, end=len(PASSAGE), ordinal=0, meta=MADE_UP)
    return [Hit(chunk, score=1.0)]


def judged(question: str, hits: list[Hit], similarity=None) -> bool:
    parsed = parse(question, region_aliases(["青州市"]))
    return all(verdict.answerable for verdict in answerability.judge(parsed, hits, similarity))


@pytest.mark.parametrize("question", [
    "青州数字产业条例什么时候开始施行?",  # 日期
    "青州到2025年要培育多少家数字产业龙头企业?",  # 以“家”计的数量
    "青州数字经济核心产业增加值占地区生产总值的比重要达到多少?",  # 百分比
    "青州数字产业条例规定申请材料齐全的,多长时间内要作出决定?",  # 时限
    "青州数字产业促进工作由哪个部门负责统筹协调?",  # 机构
])
def test_编造的段落_每一类问题都找到这一类答案(made_up_hits, question):
    assert judged(question, made_up_hits)


@pytest.mark.parametrize("question", [
    "青州数字产业发展专项资金每年有多少亿元?",  # 有“专项资金”,没有金额
    "青州到2025年要培育多少个数字产业园区?",  # 有“10家”龙头企业,但问的是以“个”计的园区
])
def test_编造的段落_句子说的是这件事却没有所问的值时拒答(made_up_hits, question):
    assert not judged(question, made_up_hits)


# -- 问题自己说出的值不是答案 ----------------------------------------------------------------------------

def made_up(text: str) -> list[Hit]:
    chunk = Chunk(doc_id="made-up", section_path=("第二章 发展目标",), text=text, index_text=to_index_text(text),
                  start=0, end=len(text), ordinal=0, meta=MADE_UP)
    return [Hit(chunk, score=1.0)]


def test_问题里已有的数字不能当作答案():
    hits = made_up("全市38家重点实验室中,由民营企业牵头建设的占比达60%。")
    assert not judged("青州全市38家重点实验室大多由民营企业牵头,具体是多少家?", hits)
    assert judged("青州全市有多少家重点实验室?", hits)


def test_问题里已有的三个不能回答各安排多少():
    hits = made_up("市、区协同共建东湖、西山、南岭三个数字产业集聚区。")
    assert not judged("青州给东湖、西山、南岭三个数字产业集聚区各安排多少资金?", hits)


def test_泛称的单位不是所问的机构():
    hits = made_up("鼓励各单位设立首席数据官。")
    assert not judged("青州要求哪些单位必须设立首席数据官?", hits)
    named = made_up("首席数据官由市数据资源管理局统一备案。")
    assert judged("青州的首席数据官由哪个部门备案?", named)


def test_泛称的地区不是所问的地方():
    hits = made_up("支持有条件的地区争取开展城市空中交通试点。")
    assert not judged("青州的城市空中交通试点设在哪里?", hits)
    named = made_up("城市空中交通试点设在青州市临江新区。")
    assert judged("青州的城市空中交通试点设在哪里?", named)


# -- 问的是加了限定的东西(人均、高压、民营),句子只说了不加限定的 -----------------------------------------

def test_问人均而句子只有总量时拒答():
    hits = made_up("到2027年,全市经济总量跨上1800亿元台阶。")
    assert not judged("青州到2027年人均GDP要达到多少?", hits)
    assert judged("青州到2027年GDP要达到多少?", hits)


def test_问高压而句子说的是低压时拒答():
    hits = made_up("市场主体申请接入低压供电的,供电企业接电时间不得超过八个工作日。")
    assert not judged("青州企业申请接入高压供电,最多几个工作日要接好?", hits)
    assert judged("青州企业申请接入低压供电,最多几个工作日要接好?", hits)


def test_限定词以等义说法出现时不算缺失():
    question = parse("青州民营企业有多少家?", region_aliases(["青州市"]))
    assert question.qualifiers == (("民营", "企业"),)
    assert answerability.qualified(question, "全市民企达到12万家")
    assert not answerability.qualified(question, "全市企业达到12万家")


# -- 问的单位与原文的单位:条、项、款可以互换,家与个不能 ----------------------------------------------------

def test_问多少条而原文写多少项时不拒答():
    hits = made_up("深入实施欠发达县域托底性帮扶实施方案和24项支持政策措施。")
    assert judged("青州对欠发达县的托底帮扶配套了多少条支持政策?", hits)


def test_问多少钱时公里数不是答案(demo_engine):
    question = parse("青州去年老旧小区改造一共投了多少钱?", region_aliases(["青州市"]))
    assert not answerability.holds_value(question, fold("全市新开工改造老旧小区852个,改造燃气管道1260公里。"))
    assert judged("青州去年老旧小区改造一共投了多少钱?", made_up("全市老旧小区改造完成投资18.5亿元。"), demo_engine.similarity)


def test_问谁时人名也是答案():
    hits = made_up("发布会上,王志远介绍,全市已开放应用场景120个。")
    assert judged("青州开放应用场景的情况是谁介绍的?", hits)


def test_热线号码不是数量():
    question = parse("青州政务服务热线是多少?", region_aliases(["青州市"]))
    assert question.kind == "fact"


# -- 问目标(打算、计划)而句子只报告已经做到的 ---------------------------------------------------------------

def target_feature(question: str, passage: str) -> float:
    verdict, = answerability.judge(parse(question, region_aliases(["青州市"])), made_up(passage))
    return dict(zip(answerability.FEATURES, verdict.best.features))["target"]


def test_问今年打算增长多少时_只报告去年增长的句子不算说了目标():
    question = "青州今年规上工业增加值打算增长多少?"
    assert target_feature(question, "去年全市规模以上工业增加值增长6.6%,服务业增加值增长6.3%。") == 0.0
    assert target_feature(question, "今年全市规模以上工业增加值预期增长6%左右。") == 1.0
    assert target_feature("青州去年规上工业增加值增长了多少?", "去年全市规模以上工业增加值增长6.6%。") == 1.0


def test_所数的东西紧挨着数值():
    question = parse("青州到2025年要建成多少个数字产业先导区?", region_aliases(["青州市"]))
    beside = fold("到2025年,建成数字产业先导区8个。")
    apart = fold("突破百项关键核心技术,培育一批领军企业,建设若干孵化器和数字产业先导区。")
    assert answerability.beside_value(question, beside) == 1.0
    assert answerability.beside_value(question, apart) < 0.5


def test_有关主管部门不是点了名的机构():
    question = parse("青州要求哪些单位必须设立首席数据官?", region_aliases(["青州市"]))
    assert not answerability.holds_value(question, fold("发生数据安全事件时,应当向有关主管部门报告。"))
    assert answerability.holds_value(question, fold("市数据资源管理局负责首席数据官的备案。"))


def test_问占地多大时要面积():
    question = parse("青州食品产业园区占地有多大?", region_aliases(["青州市"]))
    assert not answerability.holds_value(question, fold("推动高新区打造千亿级产业园区。"))
    assert answerability.holds_value(question, fold("食品产业园区规划占地1200亩。"))


# -- 点名的文件、点名的地方:只从它们作答 ------------------------------------------------------------------

def test_点名文件的问题只从这份文件作答_点名地方的问题只从这个地方的文件作答():
    def hit(doc_id: str, region: str, title: str, text: str) -> Hit:
        meta = DocumentMeta(doc_id=doc_id, title=title, issuer="", region=region, date="", file_name=f"{doc_id}.txt")
        return Hit(Chunk(doc_id=doc_id, section_path=("一、",), text=text, index_text=to_index_text(text),
                         start=0, end=len(text), ordinal=0, meta=meta), score=1.0)
    plan = hit("national-plan", "全国", "“十四五”数字产业发展规划", "引导地方设立数字产业专项资金。")
    other = hit("national-report", "全国", "数字产业发展情况的报告", "各地设立数字产业专项资金300亿元。")
    qingzhou = hit("qingzhou", "青州市", "青州市数字产业条例", "青州设立数字产业专项资金10亿元。")
    hexi = hit("hexi", "河西省", "河西省数字产业条例", "河西设立数字产业专项资金20亿元。")
    hits = [plan, other, qingzhou, hexi]
    titles = {h.chunk.doc_id: h.chunk.meta.title for h in hits}
    regions = {h.chunk.doc_id: h.chunk.meta.region for h in hits}
    aliases = region_aliases(["青州市", "河西省", "全国"])

    def within(question: str) -> list[str]:
        return [h.chunk.doc_id for h in answerability.within_asked(parse(question, aliases, titles, regions), hits)]

    assert within("数字产业发展规划要求地方设立的专项资金有多少亿元?") == ["national-plan"]
    assert within("青州的数字产业专项资金有多少?") == ["qingzhou"]
    assert within("青州怎么落实十四五数字产业发展规划?") == ["national-plan", "qingzhou"]


def test_点名文件时标题里的词不算所问的事_施行日期句不必重复标题():
    """“青州市数字产业促进条例啥时候施行?”问的是施行:“本条例自……起施行”不重复“数字产业促进”,仍是它的回答。"""
    meta = DocumentMeta(doc_id="qingzhou", title="青州市数字产业促进条例", issuer="", region="青州市", date="",
                        file_name="qingzhou.txt")
    texts = ["第十条 市人民政府设立数字产业促进专项资金,支持数字产业发展。", "第五十条 本条例自2025年5月1日起施行。"]
    hits = [Hit(Chunk(doc_id="qingzhou", section_path=(text.split()[0],), text=text, index_text=to_index_text(text),
                      start=0, end=len(text), ordinal=ordinal, meta=meta), score=1.0)
            for ordinal, text in enumerate(texts)]
    question = parse("青州数字产业促进条例啥时候开始施行?", region_aliases(["青州市"]), {"qingzhou": meta.title},
                     {"qingzhou": "青州市"})
    assert question.documents == ("qingzhou",)
    [verdict] = answerability.judge(question, hits)
    assert verdict.answerable and "施行" in verdict.best.text


def test_点名两份文件时_两份标题里的词都不算所问的事():
    """“山东新旧动能条例和青州营商环境条例分别怎么说企业注销”:青州那条不含“新旧动能”,也是它的回答。"""
    def hit(doc_id: str, title: str, region: str, text: str) -> Hit:
        meta = DocumentMeta(doc_id=doc_id, title=title, issuer="", region=region, date="", file_name=f"{doc_id}.txt")
        return Hit(Chunk(doc_id=doc_id, section_path=("第十条",), text=text, index_text=to_index_text(text),
                         start=0, end=len(text), ordinal=0, meta=meta), score=1.0)
    hits = [hit("hexi", "河西省新旧动能转换促进条例", "河西省", "第十条 推行企业简易注销。"),
            hit("qingzhou", "青州市优化营商环境条例", "青州市", "第三十六条 有关部门应当优化企业注销办理流程,压缩办理时限。")]
    question = parse("简化企业注销,河西新旧动能条例和青州营商环境条例分别怎么说?", region_aliases(["青州市", "河西省"]),
                     {h.chunk.doc_id: h.chunk.meta.title for h in hits}, {h.chunk.doc_id: h.chunk.meta.region for h in hits})
    assert set(question.documents) == {"hexi", "qingzhou"}
    [verdict] = answerability.judge(question, hits)
    by_document = {evidence.hit.chunk.doc_id: evidence.features for evidence in verdict.evidence}
    subject = answerability.FEATURES.index("subject")
    assert by_document["qingzhou"][subject] == 1.0, by_document["qingzhou"]
