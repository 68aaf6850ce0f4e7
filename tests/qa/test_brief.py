"""简报:就一个主题逐份文件通读,要点比较各地,各文件的具名计划、目标和措施按文件自己的标题分组,
对比表每格都出自原文;每一处都有脚注,脚注引文逐字出自原文件。"""
import re

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE

from corpus import DOCUMENTS_DIR
from qa.answer import BadQuestion, Engine
from qa.brief import (NOT_COVERED, Progress, briefing_markdown, build_briefing, figures_in, iter_briefing,
                      programmes_in, write_briefing_docx)
from qa.brief.items import goals_in, is_institution, is_programme
from corpus.model import Chunk, DocumentMeta
from qa.brief.topic import Topic, on_topic_sentences
from qa.citations import check_answer, fold, with_markers

LESHAN_INNOVATION = "leshan-innovation-driven"
LESHAN_INDUSTRY = "leshan-2024-industry"
NANCHONG = "nanchong-2024-new-productive-forces"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def seed_texts(demo_engine) -> dict[str, str]:
    """The demo documents as they are on disk, read here without the corpus pipeline."""
    return {meta.doc_id: (DOCUMENTS_DIR / meta.file_name).read_text(encoding="utf-8")
            for meta, _ in demo_engine.kb.documents()}


@pytest.fixture(scope="module")
def briefing(demo_engine):
    return build_briefing(demo_engine, "科技创新", regions=["乐山", "南充"])


@pytest.fixture(scope="module")
def uncovered(demo_engine):
    return build_briefing(demo_engine, "南极科考", regions=["乐山", "南充"])


@pytest.fixture(scope="module")
def talent(demo_engine):
    return build_briefing(demo_engine, "人才引进和培养", regions=["乐山", "南充"])


def entries(briefing):
    """Every footnoted piece of a document or the table: programmes, targets, measures, cells."""
    for document in briefing.documents:
        yield from document.programmes
        yield from document.targets
        yield from document.sentences
    for row in briefing.table:
        for column in briefing.columns:
            yield from row.cells[column]


def briefing_text(briefing) -> str:
    return "\n".join(entry.text for entry in [*briefing.points, *entries(briefing)])


# -- 从句子里取数字 -----------------------------------------------------------------------------------


def test_目标年份指标数值都是原句的片段():
    sentence = "到2025年,全市新增国家科技型中小企业孵化器1家、国家科技型中小企业达到300家,部分细分领域龙头企业创新水平达到国内领先水平。"
    assert figures_in(sentence) == [
        ("2025年", "全市新增国家科技型中小企业孵化器", "1家"),
        ("2025年", "国家科技型中小企业", "达到300家"),
    ]


def test_基期年份不算目标也不算数值():
    sentence = "力争到2026年,全要素生产率大幅度的提高,企业研发经费、技术合同成交额、国家高新技术公司数较2023年增长30%以上。"
    assert figures_in(sentence) == [("2026年", "企业研发经费、技术合同成交额、国家高新技术公司数较2023年", "增长30%以上")]


def test_亿元金额和没有目标年份的数字():
    assert figures_in("全市经济总量跨上3400亿元台阶。") == [("", "全市经济总量", "跨上3400亿元")]
    assert figures_in("约50名工人均来自本地。") == []  # 只有“约”,说不出是什么指标


def test_全角标点的句子同样切成分句_指标不带全角逗号():
    sentence = "到2027年，全省数字经济核心产业增加值占比达到12％；新增专精特新企业（含小巨人）500家：培育青年人才1000名。"
    assert figures_in(sentence) == [
        ("2027年", "全省数字经济核心产业增加值占比", "达到12％"),
        ("2027年", "新增专精特新企业（含小巨人）", "500家"),
        ("2027年", "培育青年人才", "1000名"),
    ]


def test_中文数字的目标_所计之物在数字之后():
    sentence = "到2025年，突破百项前沿关键核心技术，形成百项标志性产品，持续开展“碳达峰十大行动”。"
    assert figures_in(sentence) == [("2025年", "前沿关键核心技术", "突破百项"), ("2025年", "标志性产品", "百项")]
    assert figures_in("建成3个大湾区国际人才驿站。") == [("", "大湾区国际人才驿站", "3个")]  # 动词之后是所计之物


def test_人次和张等单位整体取出():
    assert figures_in("家庭养老床位2.1万张，失能老人“健康敲门行动”累计服务67.5万人次。") == [
        ("", "家庭养老床位", "2.1万张"), ("", "失能老人“健康敲门行动”累计服务", "67.5万人次")]


def test_各种计量单位和万亿级数量都整体取出_届次不是数字():
    assert figures_in("到2030年,生猪出栏稳定在5000万头以上,粮食产量达到800亿斤,新建农村公路6000公里。") == [
        ("2030年", "生猪出栏", "稳定在5000万头以上"), ("2030年", "粮食产量", "达到800亿斤"), ("2030年", "新建农村公路", "6000公里")]
    assert figures_in("新增电力装机2.3亿千瓦,推广新能源公交车3000辆,筹集保障性租赁住房4.5万套。") == [
        ("", "新增电力装机", "2.3亿千瓦"), ("", "推广新能源公交车", "3000辆"), ("", "筹集保障性租赁住房", "4.5万套")]
    assert figures_in("城镇调查失业率下降0.3个百分点,新建标准厂房80万平方米。") == [
        ("", "城镇调查失业率", "下降0.3个百分点"), ("", "新建标准厂房", "80万平方米")]
    assert figures_in("到2026年,年產值達到9.5億元,生豬出欄3000萬頭。") == [  # 繁体
        ("2026年", "年產值", "達到9.5億元"), ("2026年", "生豬出欄", "3000萬頭")]
    assert figures_in("深入学习贯彻党的二十届三中全会精神。") == []


def test_罚款的数额不是目标或数字():
    assert figures_in("违反本条例规定的,由市场监督管理部门责令改正,处五万元以上二十万元以下的罚款。") == []
    assert figures_in("到2027年,全县新增养老床位500张。") == [("2027年", "全县新增养老床位", "500张")]


def test_罚款的上下限都不是数字_下限后面紧跟上限():
    assert figures_in("尚无法律规定的,责令退还所收取的费用,处五千元以上三万元以下罚款;") == []


def test_增长到某年或截至某年的数字是已有的数字_不是目标():
    report = "全市软件业务收入从2012年2.5万亿元增长到2021年9.6万亿元,年均增速达16.1%。"
    assert [year for year, _, _ in figures_in(report)] == ["", ""]  # 从…增长到…是一个数字
    assert figures_in("截至2024年末,全市民营企业贷款余额3.2万亿元。") == [("", "全市民营企业贷款余额", "3.2万亿元")]
    assert figures_in("2025年底前建成5个竹编产业基地。") == [("2025年", "竹编产业基地", "5个")]  # 年底前仍是目标年份
    assert figures_in("到2025年,建成5个竹编产业基地。") == [("2025年", "竹编产业基地", "5个")]


def test_从某数到某数的变化是一个数字_指标是变化的主体():
    assert figures_in("目前,试点园区已从3个拓展至15个,其中省级园区4个。") == [
        ("", "试点园区", "从3个拓展至15个"), ("", "其中省级园区", "4个")]
    assert figures_in("全县农村公路里程从2015年的800公里增加到2023年的1500公里。") == [
        ("", "全县农村公路里程", "从2015年的800公里增加到2023年的1500公里")]


def test_分别列出的数字共用最后的单位_个百分点不被截断_只有比较基数的不是指标():
    assert figures_in("两项指标分别提高2.4个和1.8个百分点。") == [("", "两项指标分别", "提高2.4个和1.8个百分点")]
    assert figures_in("全市两项普及率分别达45.2%、60.3%,比2015年分别提升12.5个和9.8个百分点。") == [
        ("", "全市两项普及率分别达", "45.2%、60.3%")]  # “比2015年分别提升”说不出是什么指标


def test_期限不是目标_几个工作日内是办事时限():
    assert figures_in("登记机关应当在十五个工作日内作出决定。") == []
    assert figures_in("自受理之日起3个月内办结。") == []


def test_超和近是数值的一部分_动词开头时所计之物在数字之后():
    # 所计之物是名词,不带它做的事
    assert figures_in("带动超2000家企业实施数字化改造。") == [("", "企业", "超2000家")]
    assert figures_in("继续推动省政府12项改革任务落地。") == [("", "改革任务", "12项")]
    assert figures_in("全区工业总产值跨上800亿元台阶。") == [("", "全区工业总产值", "跨上800亿元")]  # 名词开头仍取前面
    assert figures_in("支持县经开区打造百亿级食品产业园。") == [("", "食品产业园", "百亿级")]  # 百亿级是数值的一部分
    assert figures_in("全县首批5家示范社中,有3家由返乡青年创办。") == [("", "示范社", "5家")]  # 只有“有”字,不取后文
    assert figures_in("建设茶叶、竹编等6个特色产业基地。") == [("", "特色产业基地", "6个")]  # 列举之后是所计之物
    assert figures_in("全县85%的行政村实现集中供水。") == [("", "行政村", "85%")]


def test_从某个集合中挑出的数字_所计之物是集合或挑出的那类_不是半句话():
    assert figures_in("全市首批8个数字化车间中，4个已投产。") == [("", "数字化车间", "8个")]
    assert figures_in("今年新增的6家专精特新企业中2家是外资企业。") == [("", "专精特新企业", "6家"), ("", "外资企业", "2家")]
    # 的字结构没有自己的名词:所计之物是前一分句用“中”圈出的集合,指标从那里起,仍是原文的一段
    assert figures_in("全年开工的重点项目中，社会资本投资的共42个。") == [
        ("", "全年开工的重点项目中，社会资本投资的共", "42个")]


def test_级别和面积修饰其后的名词_列举之后的数字所计是其后到下一个数字的名词():
    # “千亩”是示范片的规模,是下一个数字所计之物的一部分,不是单独的指标
    assert figures_in("整乡推进农田改造，建设蔬菜百亩标准化基地300个。") == [("", "建设蔬菜百亩标准化基地", "300个")]
    # 千亿级说的是其后名词的级别;紧跟在数字后的级别属于前一个数字所计之物;列举之后不取列举的半截
    assert figures_in("壮大茶叶千亿级产业集群、竹木五百亿级产业集群和果蔬、花卉等6个百亿级产业集群。") == [
        ("", "产业集群", "千亿级"), ("", "产业集群", "五百亿级"), ("", "百亿级产业集群", "6个")]
    assert figures_in("出台稳外贸、扩内需、保就业等5个方面20条措施。") == [("", "方面", "5个"), ("", "措施", "20条")]
    assert figures_in("新建1万亩林下种植基地、2个加工园区。") == [("", "林下种植基地", "1万亩"), ("", "加工园区", "2个")]
    assert figures_in("扎实推进12个薄弱乡镇结对帮扶。") == [("", "薄弱乡镇结对帮扶", "12个")]  # 形容词作状语,仍是动词在前


def test_目标年份之后没有数字的分句是定性目标():
    sentence = "到2030年,湖区水质稳定达到优良,建成全国生态旅游示范区,游客接待量突破2000万人次。"
    assert goals_in(sentence) == [("2030年", "湖区水质稳定达到优良"), ("2030年", "建成全国生态旅游示范区")]
    assert goals_in("建成全国生态旅游示范区,完善配套设施。") == []  # 没有目标年份,就是措施


def test_主题前的促进_优化等动词不必在文中重复():
    assert Topic.of("促进就业").names(fold("城镇新增就业80万人,城镇调查失业率5.5%左右。"))
    assert Topic.of("优化营商环境").terms.keys() == Topic.of("营商环境").terms.keys()
    assert set(Topic.of("深化改革").terms) == {"改革"}
    assert set(Topic.of("加快推进").terms) == {"加快", "推进"}  # 只剩这类动词时保留


def test_标题换了泛称中心词仍算以主题为题_句子不放宽():
    topic = Topic.of("民营经济")
    assert topic.heads(fold("某省民营企业发展促进条例"))
    assert not topic.names(fold("某省民营企业发展促进条例"))
    assert not Topic.of("未来产业").heads(fold("某市产业园区管理办法"))  # 未来 不是泛称,不能省


def _passages(*sections: tuple[tuple[str, ...], str]) -> list[Chunk]:
    meta = DocumentMeta("made-up", "某市科技创新促进条例")
    return [Chunk("made-up", path, text, fold(text), 0, len(text), ordinal, meta)
            for ordinal, (path, text) in enumerate(sections)]


def test_并列两件事的标题下_小标题只说另一件事的一节不算相关():
    topic = Topic.of("乡村振兴")
    parent = "（三）统筹新型工业化和乡村全面振兴"
    village = ((parent, "培育乡村特色产业"), "发展乡村特色种养业,建设一批农产品加工园区。")
    factory = ((parent, "推进新型工业化"), "建设一批智能工厂,推动制造业数字化改造。")
    found = [item.chunk.text[item.start:item.end] for item in on_topic_sentences(topic, _passages(village, factory))]
    assert found == ["发展乡村特色种养业,建设一批农产品加工园区。"]  # 小标题“推进新型工业化”说的是另一件事


def test_检索排第一的段落所在标题含主题一部分时_整章都算相关():
    topic = Topic.of("科技金融")
    chapter = (("第六章 金融环境建设", "第四十条"), "第四十条 本市健全科技金融服务体系。")
    fund = (("第六章 金融环境建设", "第四十二条"), "第四十二条 鼓励社会资本设立混合所有制创业投资基金。")
    other = (("第七章 人才环境建设", "第五十条"), "第五十条 本市设立人才发展专项资金。")
    chunks = _passages(chapter, fund, other)
    found = [item.chunk.text[item.start:item.end] for item in on_topic_sentences(topic, chunks, chunks[:1])]
    assert any("混合所有制创业投资基金" in text for text in found)  # 同一章,检索排第一的段落在此章
    assert not any("人才发展专项资金" in text for text in found)
    # 没有检索佐证,只含主题一半的标题不算
    assert not any("混合所有制" in fold(item.chunk.text) for item in on_topic_sentences(topic, chunks, chunks[2:]))


def test_标题把主题列为几项之一时_其下只取含主题名词的句子_一个主题的两个分句仍是整节():
    topic = Topic.of("人才发展")
    listed = (("三、重点任务", "（五）一体推进教育改革、科技创新和人才培养"),
              "新建5所基础学科研究中心。实施青年人才托举计划,培养一批青年科技人才。")
    whole = (("三、重点任务", "（六）优化人才发展环境，提升服务质效"), "建设国际社区,完善子女入学保障。")
    chunks = _passages(listed, whole)
    found = [item.chunk.text[item.start:item.end] for item in on_topic_sentences(topic, chunks)]
    assert found == ["实施青年人才托举计划,培养一批青年科技人才。", "建设国际社区,完善子女入学保障。"]
    assert topic.lists(fold("（五）一体推进教育改革、科技创新和人才培养"))
    assert not topic.lists(fold("（六）优化人才发展环境，提升服务质效"))
    assert not topic.lists(fold("三、人才发展"))  # 序号里的顿号不算列举


def test_标题用并列的同尾词列举主题时也只取含主题名词的句子():
    topic = Topic.of("人才发展")
    chains = (("一、工作回顾", "二是以科技创新引领产业升级，创新链产业链资金链人才链深度融合"),
              "新建3个中试平台。建成2个国际人才驿站。")
    found = [item.chunk.text[item.start:item.end] for item in on_topic_sentences(topic, _passages(chains))]
    assert found == ["建成2个国际人才驿站。"]  # 人才链是四条链之一,中试平台不是人才的措施
    assert not topic.lists(fold("（六）优化人才发展环境，建设人才社区"))


def test_不成句的短行不是措施_如发文字号和署名():
    topic = Topic.of("竹编产业")
    meta = DocumentMeta("made-up", "某市促进竹编产业发展的实施意见")  # 以主题为题:全文都相关
    text = "某文〔2024〕12号\n本市支持竹编产业集聚发展。\n某市商务局"
    chunks = [Chunk("made-up", ("一、总体要求",), text, fold(text), 0, len(text), 0, meta)]
    found = [item.chunk.text[item.start:item.end] for item in on_topic_sentences(topic, chunks)]
    assert found == ["本市支持竹编产业集聚发展。"]


def test_整句在括号里的是注释_不是措施():
    topic = Topic.of("科技金融")
    measures = (("五、保障措施", "12.加大科技金融支持"),
                "鼓励银行设立科技金融专营机构。（责任单位：市金融办、市科技局）")
    found = [item.chunk.text[item.start:item.end] for item in on_topic_sentences(topic, _passages(measures))]
    assert found == ["鼓励银行设立科技金融专营机构。"]


def test_几个名词的主题_检索找到的句子要含全部名词():
    topic = Topic.of("数据要素市场")
    reform = ((("四、加快构建新发展格局", "（一）构建高水平社会主义市场经济体制"), "构建全国统一大市场，深化要素市场化改革，建设高标准市场体系。"))
    data = ((("第三章 数据资源", "第十五条"), "第十五条 本市加快数据要素市场培育，推动数据有序流动。"))
    chunks = _passages(reform, data)
    found = [item.chunk.text[item.start:item.end] for item in on_topic_sentences(topic, chunks, chunks, "要素")]
    assert found == ["第十五条 本市加快数据要素市场培育，推动数据有序流动。"]
    assert Topic.of("人才引进和培养").keeps_nouns(fold("实施柔性引才,培育高层次人才。"))  # 只有一个名词:检索可以替换其余说法


def test_检索找到的句子要含主题一个部分的每个名词_动词可以换说法():
    care = Topic.of("养老服务")
    pension = (("（三）健全社会保障体系",), "加快发展多支柱养老保险体系,提高基础养老金标准。")
    homes = (("（四）增进民生福祉",), "新建社区养老服务中心20个。")
    chunks = _passages(pension, homes)
    found = [item.chunk.text[item.start:item.end] for item in on_topic_sentences(care, chunks, chunks, "养老")]
    assert found == ["新建社区养老服务中心20个。"]  # 养老保险说的是保险,不是养老服务
    assert not Topic.of("乡村振兴").keeps_nouns(fold("深入推进山区教育振兴。"))  # 没有“乡村”
    assert Topic.of("文化和旅游").keeps_nouns(fold("创建国家级旅游度假区。"))  # 并列的主题:一部分就够


def test_检索找到的句子_句向量认为离主题很远时不取_词同义不同(demo_engine):
    from qa.brief.topic import encoder_agrees
    topic = Topic.of("民营经济")
    hospitals = (("（八）实施健康优先发展战略",), "深化公立医院改革，引导规范民营医院发展。")
    firms = (("（三）优化发展环境",), "落实民营企业融资支持政策，开展民营企业服务月活动。")
    chunks = _passages(hospitals, firms)
    found = on_topic_sentences(topic, chunks, chunks, "民营")
    assert len(found) == 2 and all(item.by_search for item in found)  # 两句都含“民营”
    kept = [item.chunk.text[item.start:item.end] for item in encoder_agrees(topic, found, demo_engine.similarity)]
    assert kept == [firms[1]]  # 民营医院说的是医疗,不是民营经济


def test_主题的名词分散在列举里不算相关_即使检索排在前面():
    topic = Topic.of("科技金融")
    listed = ((("第四章 应用场景拓展", "第四十一条"),
               "第四十一条 推动人工智能技术在科技创新、产业发展、生产制造、商贸流通、金融服务等领域规模化应用。"))
    together = ((("第五章 促进与保障", "第五十条"), "第五十条 本市鼓励发展科技金融,设立科技支行。"))
    chunks = _passages(listed, together)
    found = [item.chunk.text[item.start:item.end] for item in on_topic_sentences(topic, chunks, chunks, "金融")]
    assert found == ["第五十条 本市鼓励发展科技金融,设立科技支行。"]
    assert topic.scatters(fold(listed[1])) and not topic.scatters(fold(together[1]))



def test_主题只是列举中的一项时_句子说的是别的事_列举项收窄主题或列在首位时仍相关():
    topic = Topic.of("知识产权保护")
    listed = (("第九条",), "鼓励行业协会为会员提供法律咨询、人才培训、知识产权保护等方面的服务。")
    own = (("第十条",), "本市加强知识产权保护，建立侵权行为快速查处机制。")
    narrowed = (("第十一条",), "支持企业开展专利导航、海外知识产权保护、标准制定等工作。")
    leading = (("第十二条",), "推动知识产权保护、运用、管理等工作协同开展。")
    found = [item.chunk.text[item.start:item.end]
             for item in on_topic_sentences(topic, _passages(listed, own, narrowed, leading))]
    # 第九条说的是协会的服务,知识产权保护只是其中一个方面
    assert found == [own[1], narrowed[1], leading[1]]

def test_一个词修饰的贷款_基金和试点是种类_并列在动词后的计划和工程不是具名计划():
    # “中长期贷款”只有一个词说是哪种贷款,和“信用贷款”一样是种类
    assert programmes_in("提高信用贷款、中长期贷款等产品的比重。") == []
    # “参与和主导”的“和”连着两个动词,后面的“国际合作计划和科学工程”是它们的宾语,不是具名计划
    assert programmes_in("鼓励高校参与和主导国际合作计划和科学工程。") == []
    assert programmes_in("实施嘉才计划和英才工程。") == ["嘉才计划", "英才工程"]  # 名称之后的“和”仍并列名称


def test_具名的基金_贷款和试点也是具名计划_泛称的种类不是():
    assert programmes_in("开展信用贷款、知识产权质押贷款等融资业务。") == ["知识产权质押贷款"]
    assert programmes_in("用好未来产业基金,设立中小微企业政策性融资担保基金。") == ["未来产业基金", "中小微企业政策性融资担保基金"]
    assert programmes_in("鼓励设立创业投资基金、并购基金。") == []
    assert programmes_in("推动银行业金融机构开展科创企业投贷联动试点,开展综合试点。") == ["科创企业投贷联动试点"]
    assert programmes_in("研究設立省級成果轉化類政府投資引導基金。") == ["省級成果轉化類政府投資引導基金"]  # 繁体
    assert programmes_in("推出科创助力贷、园区振兴贷,推动发展混合所有制创业投资基金。") == [
        "科创助力贷", "园区振兴贷", "混合所有制创业投资基金"]
    assert programmes_in("引导银行敢贷愿贷,发展数据信贷。") == []  # 信贷、敢贷说的是做法,不是产品
    assert programmes_in("统筹运用财政资金和各类产业基金。") == []  # 各类基金是泛称
    # “和”后面的名称里又有“设立”,名称不从“和”开始:这里没有具名的基金
    assert programmes_in("鼓励企业和社会力量以设立基金、联合资助等形式参与基础研究。") == []
    # 有专名的机制和制度也列出;只说谁来协调、管多久的是机制的种类
    assert programmes_in("建立营商环境观察员制度,健全工作推进协调机制,完善管理制度,建立健全知识产权快速协同保护机制。") == [
        "营商环境观察员制度", "知识产权快速协同保护机制"]
    assert programmes_in("全面落实行政执法公示制度。") == ["行政执法公示制度"]
    assert is_institution("营商环境观察员制度") and not is_institution("嘉才计划") and not is_programme("营商环境观察员制度")
    assert programmes_in("建立人工智能應用場景開放機制,健全部門協調工作機制。") == ["人工智能應用場景開放機制"]  # 繁体


def test_与主题不同词但语义相近的句子由句向量找到_未涉及的文件仍然未涉及(demo_engine):
    # 乐山产业决定的“(十一)全面加强美丽乐山建设”不含“绿色”“低碳”,文字规则找不到它
    green = build_briefing(demo_engine, "绿色低碳发展", doc_ids=[LESHAN_INDUSTRY])
    (document,) = green.documents
    assert document.covered
    assert any("筑牢长江上游生态屏障" in measure.text for measure in document.sentences)
    # 句向量只担保这句是措施:其中的名称和数字不作为本主题的具名计划或目标,要点也不摘录它
    assert not document.programmes and not document.targets
    assert not any(citation.quote in point.text for point in green.points for citation in green.footnotes)
    assert not any("主要措施" in point.text for point in green.points)  # 也不以它所在的标题作主要措施比较
    silent = build_briefing(demo_engine, "南极科考", doc_ids=[LESHAN_INDUSTRY])
    assert not silent.documents[0].covered



def test_句向量找到的句子_所在一节的标题离主题很远时不取():
    from qa.brief.topic import dense_sentences
    topic = Topic.of("绿色低碳发展")
    green = (("（五）建设美丽城乡",), "深入打好蓝天碧水净土保卫战，持续改善城乡人居环境质量。")
    business = (("（六）激发市场主体活力",), "不断优化政务环境、法治环境、要素环境，打造一流营商环境城市。")
    # 两句离主题一样近(都说“环境”),但第二句所在的一节讲的是市场主体,标题离主题很远
    cosines = {green[1]: 0.3, business[1]: 0.3, "建设美丽城乡": 0.2, "激发市场主体活力": 0.02}

    def similarity(text: str, texts: list[str]) -> list[float]:
        return [cosines.get(other, 0.0) if text == topic.text else 0.1 for other in texts]

    chunks = _passages(green, business)
    found = [item.chunk.text[item.start:item.end] for item in dense_sentences(topic, chunks, similarity, [])]
    assert found == [green[1]]


def test_主题只是列举中的一项的句子_句向量也不取():
    from qa.brief.topic import dense_sentences
    topic = Topic.of("知识产权保护")
    listed = (("第九条",), "鼓励行业协会为会员提供法律咨询、人才培训、知识产权保护等方面的服务。")
    own = (("第十条",), "本市完善侵权纠纷快速处理机制，加大对侵权行为的查处力度。")

    def similarity(text: str, texts: list[str]) -> list[float]:
        return [0.5 if text == topic.text else 0.1 for _ in texts]  # 句向量认为两句都离主题很近

    found = [item.chunk.text[item.start:item.end]
             for item in dense_sentences(topic, _passages(listed, own), similarity, [])]
    assert found == [own[1]]  # 文字规则已判定第九条说的是协会的服务

def test_每份文件的措施按字数预算展示_短措施可以多于十条_长措施少些():
    from qa.brief import build

    def shown(sentence: str, count: int) -> list[str]:
        text = "".join(sentence.format(n) for n in range(1, count + 1))
        meta = DocumentMeta("made-up", "某市竹编产业促进条例")  # 以主题为题:全文都相关
        chunks = [Chunk("made-up", ("第一章 总则",), text, fold(text), 0, len(text), 0, meta)]
        topic = Topic.of("竹编产业")
        found = on_topic_sentences(topic, chunks)
        assert len(found) == count
        return [measure.citation.quote for _, measure in build._within_budget(list(range(count)), found, text, topic)]

    short = shown("本市支持竹编产业第{}项工作。", 40)
    assert len(short) > 10 and sum(map(len, short)) <= build.MEASURE_BUDGET_CHARS
    long = shown("本市支持竹编产业第{}项工作,建设竹编产业园,完善仓储、物流、电商等配套设施,培育竹编龙头企业和区域公用品牌,"
                 "推动竹编与文化旅游、乡村振兴深度融合,拓展线上线下销售渠道。", 40)
    assert build.MIN_MEASURES_PER_DOCUMENT <= len(long) < len(short)
    assert sum(map(len, long)) <= build.MEASURE_BUDGET_CHARS


def _bamboo_measure(text: str):
    """以主题为题的文件里一句的措施(build._measure),和它所在的文件证据。"""
    from qa.brief import build

    meta = DocumentMeta("made-up", "某市竹编产业促进条例")
    chunks = [Chunk("made-up", ("第五条",), text, fold(text), 0, len(text), 0, meta)]
    topic = Topic.of("竹编产业")
    measures = [build._measure(found, text, topic) for found in on_topic_sentences(topic, chunks)]
    return measures, build._DocumentEvidence(meta, measures, [], [], [])


def test_长句从分句开头截取_不从列举的中间开始():
    sentence = ("市人民政府及其有关部门应当支持传统技艺研究和新品开发,引导企业、合作社、职业院校、设计机构、电商平台等,"
                "围绕城乡市场需求,提升原料、工艺、设计、包装和物流各环节的供给水平,"
                "重点培育竹编家具、竹编灯具、竹编工艺品、竹编玩具、竹编包装等竹编产业。")
    assert len(sentence) > 120  # 长于一条措施
    (measure,), _ = _bamboo_measure(sentence)
    assert measure.citation.quote.startswith("重点培育竹编家具")
    assert measure.starts_within


def test_分号隔开的半句前后标省略号_不留分号():
    from qa.brief import build

    text = "本市支持竹编企业上市融资;对竹编产业龙头企业给予持续稳定支持;鼓励竹编产业协会开展培训。"
    measures, evidence = _bamboo_measure(text)
    shown = [entry.text for entry in build._document_measures(evidence, build._FootnoteNumbers()).sentences]
    assert shown == ["本市支持竹编企业上市融资…", "…对竹编产业龙头企业给予持续稳定支持…", "…鼓励竹编产业协会开展培训。"]
    assert [measure.citation.quote for measure in measures][1] == "对竹编产业龙头企业给予持续稳定支持;"  # 脚注仍引原文


def test_主要措施的简称_跳过时间状语_文件不以主题为题时取含主题的分句():
    from qa.brief.build import _lead_clause

    assert _lead_clause("2024年,我市民营经济保持平稳健康发展,贡献了四分之三的新增就业。") == "我市民营经济保持平稳健康发展"
    sentence = "各区和行业主管部门可以统筹使用事业编制,支持科研事业单位引进优秀科技创新人才。"
    assert _lead_clause(sentence) == "各区和行业主管部门可以统筹使用事业编制"
    assert _lead_clause(sentence, Topic.of("人才发展")) == "支持科研事业单位引进优秀科技创新人才"
    assert _lead_clause("——实施竹编产业重大专项。") == "实施竹编产业重大专项"


# -- 科技创新:乐山、南充 -------------------------------------------------------------------------------


def test_选中的每份文件都被检索并给出措施(briefing, demo_engine):
    wanted = {meta.doc_id for meta, _ in demo_engine.kb.documents() if meta.region in ("乐山市", "南充市")}
    assert {document.doc_id for document in briefing.documents} == wanted
    assert all(document.sentences for document in briefing.documents)
    assert "科技创新" in briefing.title and "乐山市" in briefing.title and "南充市" in briefing.title
    assert briefing.backend == "extractive" and not briefing.empty


def test_要点三到五条_比较各地_每条都有脚注(briefing):
    assert 3 <= len(briefing.points) <= 5
    compared = [point for point in briefing.points if not point.place]
    assert any("乐山市" in point.text and "南充市" in point.text for point in compared)
    for point in briefing.points:
        assert point.notes
        if point.place:  # 单个文件的要点就是原文
            assert point.text == briefing.footnote(point.notes[0]).quote


def test_每个脚注的引文逐字出自原文件且偏移指向它(briefing, seed_texts):
    assert briefing.footnotes
    for number, footnote in enumerate(briefing.footnotes, start=1):
        assert footnote.marker == number
        # verbatim up to the line breaks a repair joined ("实施智能制造行\n\n动")
        assert fold(seed_texts[footnote.doc_id][footnote.start : footnote.end]) == fold(footnote.quote)
        assert footnote.doc_title and footnote.section


def test_各文件和对比表的每一项都有脚注_每个片段都在所引原文里(briefing):
    assert [row.doc_id for row in briefing.table] == [document.doc_id for document in briefing.documents]
    for entry in entries(briefing):
        assert entry.notes and entry.parts, entry
        footnote = briefing.footnote(entry.notes[0])
        for part in entry.parts:
            assert part.lstrip("…") in footnote.quote + footnote.section, (part, footnote.quote)
    for row in briefing.table:
        assert row.cells["主要措施"], row.label
        assert all(briefing.footnote(entry.notes[0]).doc_id == row.doc_id
                   for column in briefing.columns for entry in row.cells[column])


def test_对比表列出创新驱动决定的2025年目标(briefing):
    row = next(row for row in briefing.table if row.doc_id == LESHAN_INNOVATION)
    assert any(entry.parts[0] == "2025年" and entry.parts[-1] == "达到300家" and "科技型中小企业" in entry.parts[1]
               for entry in row.cells["目标与数字"])


def test_Markdown每个脚注标记都有注释且表格是管道表(briefing):
    markdown = briefing_markdown(briefing)
    used = set(re.findall(r"\[\^(\d+)\](?!:)", markdown))
    defined = re.findall(r"^\[\^(\d+)\]:", markdown, flags=re.MULTILINE)
    assert used == set(defined) == {str(number) for number in range(1, len(briefing.footnotes) + 1)}
    assert "| 文件 | " + " | ".join(briefing.columns) + " |" in markdown
    table_rows = [line for line in markdown.splitlines() if line.startswith("| ") and "《" in line]
    assert len(table_rows) == len(briefing.table)
    assert all(line.count(" | ") == len(briefing.columns) for line in table_rows)  # 引文里没有裂开表格的“|”
    assert markdown.index("## 来源文件") < markdown.index("## 要点") < markdown.index("## 对比")


def word_footnotes(document) -> dict[str, str]:
    """Word footnote id → its text, read from the footnotes part the document relates to."""
    part = next(rel.target_part for rel in document.part.rels.values() if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES)
    root = docx.oxml.parse_xml(part.blob)
    return {note.get(f"{W}id"): "".join(t.text or "" for t in note.iter(f"{W}t"))
            for note in root.iter(f"{W}footnote") if note.get(f"{W}type") is None}


def test_Word文件重新打开后有标题_要点_表格和真正的脚注(briefing, tmp_path):
    path = write_briefing_docx(briefing, tmp_path / "简报.docx")
    document = docx.Document(str(path))

    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == briefing.title
    assert headings.index("来源文件") < headings.index("要点") < headings.index("各文件的相关措施") < headings.index("对比")
    assert document.paragraphs[1].text.startswith("日期:")
    sources = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert [source.split("》")[0] + "》" for source in sources] == [f"《{d.title}》" for d in briefing.documents]
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == len(briefing.points) + sum(len(d.targets) + len(d.sentences) for d in briefing.documents)

    notes = word_footnotes(document)
    assert list(notes) == [str(number) for number in range(1, len(briefing.footnotes) + 1)]
    for number, footnote in enumerate(briefing.footnotes, start=1):
        assert f"《{footnote.doc_title}》" in notes[str(number)]
        assert footnote.quote in notes[str(number)]
    body = document.element.body
    first_references = [ref.get(f"{W}id") for ref in body.iter(f"{W}footnoteReference")]
    assert first_references == list(notes)  # 每个脚注正文只出现一次,按出现顺序编号
    several = next(p for p in document.paragraphs if len(p._p.findall(f".//{W}footnoteReference")) >= 2)
    assert "," in several.text  # ¹,² 而不是读成 12 的 ¹²
    table = document.tables[0]
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None  # 表头在每一页重复
    assert all(row._tr.find(f"{W}trPr/{W}cantSplit") is not None for row in table.rows[1:])  # 一行不跨页

    repeated = [field.get(f"{W}instr") for field in body.iter(f"{W}fldSimple")]
    assert all(re.fullmatch(r" NOTEREF _BriefNote\d+ \\f \\h ", instr) for instr in repeated)

    (table,) = document.tables
    assert [cell.text for cell in table.rows[0].cells] == ["文件", *briefing.columns]
    assert len(table.rows) == len(briefing.table) + 1
    for row in table.rows[1:]:
        for cell in row.cells[1:]:
            marks = [*cell._tc.iter(f"{W}footnoteReference"), *cell._tc.iter(f"{W}fldSimple")]
            assert marks or cell.text == "—"


# -- 人才引进和培养:按标题找到相关部分,同版其他文章不用 ------------------------------------------------


def test_以主题为标题的部分就是相关的_即使用词不同(talent):
    industry = next(document for document in talent.documents if document.doc_id == LESHAN_INDUSTRY)
    assert industry.covered  # “(六)厚植科技创新人才资源优势”写的是“引才”,不是“引进”
    assert [group.heading for group in industry.groups] == ["(六)厚植科技创新人才资源优势"]
    assert {"嘉才计划", "人才政策‘嘉’十条"} <= {entry.text for entry in industry.programmes}


@pytest.mark.parametrize("wording", ["引进和培养人才", "人才队伍建设"])
def test_换一种说法_找到的是同样的部分(demo_engine, wording):
    briefing = build_briefing(demo_engine, wording, regions=["乐山", "南充"])
    headings = {document.doc_id: [group.heading for group in document.groups] for document in briefing.documents}
    assert "(六)厚植科技创新人才资源优势" in headings[LESHAN_INDUSTRY]
    assert "(四)打造专业人才队伍" in headings[NANCHONG]
    assert "19. 激发人才队伍活力" in headings[LESHAN_INNOVATION]


def test_每份文件的具名计划都列出_要点比较各地的计划(talent):
    nanchong = next(document for document in talent.documents if document.doc_id == NANCHONG)
    assert {"嘉陵江英才工程", "果州优才计划", "高品质人才领跑计划"} <= {entry.text for entry in nanchong.programmes}
    assert nanchong.groups[0].heading == "(四)打造专业人才队伍"
    compared = next(point for point in talent.points if "具名计划" in point.text)
    assert "乐山市" in compared.text and "南充市" in compared.text
    assert "“嘉才计划”" in compared.text and "“嘉陵江英才工程”" in compared.text


def test_同一版面上的其他文章从不进入简报(talent):
    text = briefing_text(talent)
    assert "儿童托管" not in text and "毕业生" not in text and "孩子" not in text
    assert all("同版其他内容" not in footnote.section for footnote in talent.footnotes)


def rechecked_parts(briefing, engine):
    """Each place's part of each point (after the frame "…均提出具名计划:"), checked again against its sources."""
    chunks = {chunk.chunk_id: chunk for chunk in engine.kb.chunks()}
    for point in briefing.points:
        cited = list(dict.fromkeys(chunks[briefing.footnote(note).chunk_id] for note in point.notes))
        for part in point.text.split(":", 1)[-1].rstrip("。").split(";"):
            yield part, check_answer(with_markers(part, range(1, len(cited) + 1)), cited)


def test_要点里比较各地的每一部分都通过引用核对(talent, demo_engine):
    for part, recheck in rechecked_parts(talent, demo_engine):
        assert not recheck.flagged, part


def test_逐份文件报告进度_最后给出简报(demo_engine):
    steps = list(iter_briefing(demo_engine, "人才引进和培养", regions=["乐山", "南充"]))
    progress, briefing = steps[:-1], steps[-1]
    assert [step.done for step in progress] == [0, 1, 2, 3]
    assert all(step.total == 3 for step in progress)
    assert [step.reading for step in progress[:3]] == [document.title for document in briefing.documents]
    assert isinstance(progress[-1], Progress) and not progress[-1].reading


def test_具名计划_引号里的名称和实施的计划工程行动():
    sentence = "实施“嘉陵江英才工程”“果州优才计划”和高品质人才领跑计划等，探索“假日专家”“懂科技、懂产业”等模式，推进工业强基工程。"
    assert programmes_in(sentence) == ["嘉陵江英才工程", "果州优才计划", "高品质人才领跑计划", "假日专家", "工业强基工程"]


def test_时期_口号和比喻不是具名计划_文件自己的引号名称仍是():
    assert programmes_in("“九五”时期以来,全县深入实施“青苗计划”,推行“一窗通办”。") == ["青苗计划", "一窗通办"]
    assert programmes_in("“十二五”期间,全县农业总产值稳步增长。") == []
    assert programmes_in("牢固树立“三个观念”,深化“减放服”改革,推动企业“走出去”、项目“请进来”。") == []
    assert programmes_in("守住“底线”,牵住改革的“牛鼻子”,为企业提供“一对一”帮扶,打造“创客驿站”。") == ["一对一", "创客驿站"]


def test_引号里的常用词是比喻_不是具名计划_不论词频高低():
    # 词典里的普通名词加了引号是比喻(当好“娘家人”、发挥“主心骨”作用),文件自己造的名称词典里没有
    assert programmes_in("当好企业的“娘家人”,发挥协会的“主心骨”和“排头兵”作用,推行“一窗通办”。") == ["一窗通办"]
    assert programmes_in("用好改革这把“金钥匙”,打造“创客驿站”。") == ["创客驿站"]
    # 词典里的习用语同样是比喻;引号里说“什么是什么”的是文件引用的理念,不是它的计划
    assert programmes_in("发挥担保的“加速器”和“放大器”作用,贯彻“服务是第一生产力”理念,推出“三晋快办”。") == ["三晋快办"]


def test_名称里的数字和条款序号不是指标():
    assert figures_in("修订“嘉才计划”,出台“人才政策‘嘉’十条”,落实“晶硅光伏硬十条”。") == []
    assert figures_in("第七十三条 按照要求开展优化营商环境法治宣传工作。第3条 适用本条例。") == []


# -- 没有文件涉及的主题 -------------------------------------------------------------------------------


def test_没有文件涉及的主题得到诚实的空简报(uncovered, tmp_path):
    assert uncovered.empty
    assert not uncovered.points and not uncovered.table and not uncovered.footnotes
    assert len(uncovered.documents) == 3 and not any(document.sentences for document in uncovered.documents)
    assert "南极科考" in uncovered.notice

    markdown = briefing_markdown(uncovered)
    assert markdown.count(NOT_COVERED) == 3 * 2 and "[^" not in markdown  # 来源文件列表里和各文件下

    document = docx.Document(str(write_briefing_docx(uncovered, tmp_path / "空.docx")))
    assert not document.tables and not word_footnotes(document)
    assert sum(NOT_COVERED in p.text for p in document.paragraphs) == 3 * 2


def test_只有部分文件涉及时_其余文件写明未涉及(demo_engine):
    partial = build_briefing(demo_engine, "量子科技")
    silent = [document for document in partial.documents if not document.covered]
    assert silent and len(silent) < len(partial.documents)
    assert NOT_COVERED in briefing_markdown(partial)
    assert {row.doc_id for row in partial.table} == {d.doc_id for d in partial.documents if d.covered}


# -- 全角标点写的文件 -------------------------------------------------------------------------------------

FULLWIDTH_NOTICE = """眉山市关于加快竹编产业发展的实施意见

一、发展目标
到2027年，全市竹编产业年产值达到12.5亿元，竹编企业数量突破（含个体工商户）300家，竹编从业人员占农村劳动力比重提高到8％。

二、重点任务
（一）实施“竹编匠人培育计划”。每年培训竹编技艺人才500人次，建设竹编大师工作室20个；支持职业院校开设竹编专业：推行学徒制。
（二）推进竹编产业园建设。规划建设竹编产业园，完善仓储、物流、电商等配套设施。
"""


@pytest.fixture(scope="module")
def fullwidth_engine(demo_index_dir, tmp_path_factory):
    """The demo knowledge base and one notice written with ，：；（）％, as most uploads are."""
    import shutil

    from settings import load_settings

    data_dir = tmp_path_factory.mktemp("fullwidth") / "data"
    shutil.copytree(demo_index_dir, data_dir)
    engine = Engine(load_settings(data_dir=data_dir, llm={"backend": "extractive"}))
    notice = tmp_path_factory.mktemp("upload") / "眉山竹编.txt"
    notice.write_text(FULLWIDTH_NOTICE, encoding="utf-8")
    regulation = notice.parent / "古树名木保护条例.txt"
    regulation.write_text(TREE_REGULATION, encoding="utf-8")
    report = engine.kb.ingest([notice, regulation], progress=False)
    assert not report.failed and len(report.added) == 2, report.summary()
    yield engine
    engine.kb.close()


TREE_REGULATION = """某市古树名木保护条例

第一章 总则

第一条 为了加强古树名木保护，传承历史文化，助力“美丽城市”建设，根据有关法律、法规，结合本市实际，制定本条例。

第二条 市、县人民政府应当将古树名木保护经费列入本级财政预算。

第二章 保护措施

第三条 园林绿化主管部门应当建立古树名木档案，设立保护标志，每五年开展一次普查。

第四条 禁止在古树名木保护范围内挖坑取土、倾倒污水、设置广告。
"""


def test_全角标点的文件_目标按分句取出_措施是短的原文分句(fullwidth_engine):
    briefing = build_briefing(fullwidth_engine, "竹编产业", doc_ids=[
        meta.doc_id for meta, _ in fullwidth_engine.kb.documents() if "竹编" in meta.title])
    (document,) = briefing.documents
    targets = {entry.parts for entry in document.targets}
    assert ("2027年", "全市竹编产业年产值", "达到12.5亿元") in targets
    assert ("2027年", "竹编从业人员占农村劳动力比重", "提高到8％") in targets
    assert all("，" not in part and "：" not in part for entry in document.targets for part in entry.parts)
    assert "竹编匠人培育计划" in {entry.text for entry in document.programmes}
    assert [group.heading for group in document.groups] == ["一、发展目标", "二、重点任务"]
    measures = [measure.text for measure in document.sentences]
    # 句子在“；”处断开:断开处标省略号,不留分号
    assert "每年培训竹编技艺人才500人次，建设竹编大师工作室20个…" in measures
    assert "…支持职业院校开设竹编专业：推行学徒制。" in measures
    assert ("每年培训竹编技艺人才", "500人次") in targets  # 没有目标年份的数字


def test_条款下的措施不再重复条款号_脚注仍引整句(fullwidth_engine):
    briefing = build_briefing(fullwidth_engine, "古树名木保护", doc_ids=[
        meta.doc_id for meta, _ in fullwidth_engine.kb.documents() if "古树" in meta.title])
    (document,) = briefing.documents
    shown = {group.heading: [measure.text for measure in group.measures] for group in document.groups}
    assert any(heading.startswith("第三条") for heading in shown), shown
    for heading, texts in shown.items():
        assert not any(text.startswith(heading) for text in texts), (heading, texts)
    article = next(measure for group in document.groups if group.heading.startswith("第三条") for measure in group.measures)
    assert briefing.footnote(article.notes[0]).quote.startswith("第三条")
    # 条例的立法目的(为了……制定本条例)不是措施:对比表的主要措施从做什么的条款取,它提到的“美丽城市”也不是本条例的计划
    assert "美丽城市" not in {entry.text for entry in document.programmes}
    (row,) = briefing.table
    assert row.cells["主要措施"] and not any("制定本条例" in entry.text or entry.text.startswith("为了")
                                          for entry in row.cells["主要措施"])



def test_条例的立法目的和施行日期不是措施_只在别无措施时列出(fullwidth_engine):
    briefing = build_briefing(fullwidth_engine, "古树名木保护", doc_ids=[
        meta.doc_id for meta, _ in fullwidth_engine.kb.documents() if "古树" in meta.title])
    (document,) = briefing.documents
    measures = [measure.text for measure in document.sentences]
    # 第一条“为了加强古树名木保护……制定本条例”说的是为什么立法,不是要做的事;做什么的条款照列
    assert measures and not any("制定本条例" in text for text in measures), measures
    assert any("古树名木档案" in text for text in measures), measures

TEA_PLAN = """某县茶产业高质量发展实施方案

为贯彻落实全省茶产业发展部署，推动全县茶产业做大做强，现提出如下意见。

一、发展现状
全县茶产业规模持续扩大，茶叶产量连续五年增长，茶产业已成为全县农民增收的重要来源，茶叶品牌在周边地区的知名度逐步提升。

二、指导思想
“十四五”时期，全县坚持茶产业绿色发展，统筹茶园建设、茶叶加工和茶文化旅游。为加快茶产业提质增效，全面推进茶园标准化建设。

三、发展目标
力争茶产业综合产值逐年提高，茶叶品牌影响力明显增强，茶产业带动农户增收的能力进一步提升，茶园生态环境持续改善。

四、重点任务
（一）建设茶叶加工园区。新建茶叶清洁化加工生产线，培育茶产业龙头企业。
（二）开展茶产业服务。乡镇人民政府应当组织开展下列茶产业服务：茶园病虫害统防统治；茶叶品牌推广；其他应当开展的茶产业服务。

五、保障措施
在茶园使用禁用农药的，由农业农村部门责令改正；构成犯罪的，依法追究刑事责任。
茶叶收购企业违反本方案第二条规定压低收购价格的，由县农业农村局通报并取消其扶持资格。
茶产业主管部门有下列情形之一的，对直接负责的主管人员依法处理：
（一）对茶产业经营主体迁移违法设置障碍的；
（二）拖欠茶产业经营主体账款的。
县农业农村局负责人表示，我们将重点从三个方面推进茶产业发展：
"""


@pytest.fixture(scope="module")
def tea_briefing(tmp_path_factory):
    """One made-up plan in a knowledge base of its own."""
    from settings import load_settings

    data_dir = tmp_path_factory.mktemp("tea") / "data"
    engine = Engine(load_settings(data_dir=data_dir, llm={"backend": "extractive"}))
    plan = tmp_path_factory.mktemp("tea-upload") / "茶产业方案.txt"
    plan.write_text(TEA_PLAN, encoding="utf-8")
    assert not engine.kb.ingest([plan], progress=False).failed
    doc_id = next(meta.doc_id for meta, _ in engine.kb.documents() if "茶产业" in meta.title)
    yield build_briefing(engine, "茶产业", doc_ids=[doc_id])
    engine.kb.close()


def test_主要措施是做什么的分句_不是指导思想发展目标等标题_也不是时期或目的状语(tea_briefing):
    (row,) = tea_briefing.table
    main = [entry.text for entry in row.cells["主要措施"]]
    assert main and not {"指导思想", "发展目标", "保障措施"} & set(main), main
    assert not any(text.endswith("时期") or text.startswith("为") for text in main), main
    assert "全面推进茶园标准化建设" in main  # 目的状语“为加快……”之后的分句才是措施
    assert "全县茶产业规模持续扩大" not in main  # 发展现状说的是已有的成绩,排在要做的事之后
    (point,) = [point.text for point in tea_briefing.points if point.text.startswith("各文件的主要措施")]
    assert "指导思想" not in point and "发展目标" not in point and "发展现状" not in point, point  # 要点同样不列标题


def test_罚则和兜底的其他事项不是主题的措施(tea_briefing):
    (document,) = tea_briefing.documents
    measures = [measure.text for measure in document.sentences]
    assert measures and not any("追究刑事责任" in text or "其他应当开展" in text for text in measures), measures
    # “违反本方案……规定……的,由……”是罚则,即使没有罚款或刑责的字样
    assert not any("违反本方案" in text for text in measures), measures


def test_引出下文的话和罚则所列的情形都不是措施(tea_briefing):
    (document,) = tea_briefing.documents
    measures = [measure.text for measure in document.sentences]
    # “现提出如下意见”“从三个方面推进：”只引出下文;“……的；”是罚则所列的情形,没有说要做什么
    assert measures and not any("如下意见" in text or text.rstrip("…").endswith(("：", ":")) or "设置障碍的" in text
                                or "拖欠" in text for text in measures), measures


# -- 输入错误 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("topic", "regions", "doc_ids", "message"), [
    ("  ", (), (), "主题为空"),
    ("科技创新" * 30, (), (), "主题过长"),
    ("科技创新", ("火星",), (), "火星"),
    ("科技创新", (), ("no-such-doc",), "no-such-doc"),
    ("科技创新", ("南充",), (LESHAN_INNOVATION,), "没有同时符合"),
])
def test_错误的主题或范围给出明确的提示(demo_engine, topic, regions, doc_ids, message):
    with pytest.raises(BadQuestion, match=message):
        build_briefing(demo_engine, topic, regions=regions, doc_ids=doc_ids)


# -- 大模型写要点 ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model_engine(demo_engine) -> Engine:
    """The same knowledge base, with the real Qwen2.5-0.5B model writing the points."""
    settings = demo_engine.settings.model_copy(update={"llm": demo_engine.settings.llm.model_copy(
        update={"backend": "local", "local_model": "qwen2.5-0.5b", "timeout_s": 600})})
    return Engine(settings, kb=demo_engine.kb)


def test_大模型写的要点都通过引用核对_其余是原文摘录(model_engine, seed_texts):
    briefing = build_briefing(model_engine, "科技创新", regions=["乐山", "南充"], backend="local")
    assert 3 <= len(briefing.points) <= 5
    assert briefing.backend == "local:qwen2.5-0.5b" or "要点为原文摘录" in briefing.notice, briefing.notice
    for part, recheck in rechecked_parts(briefing, model_engine):
        assert not recheck.flagged, part
    for footnote in briefing.footnotes:
        assert fold(seed_texts[footnote.doc_id][footnote.start : footnote.end]) == fold(footnote.quote)


def test_时限一到就交出简报_不等模型读完资料(model_engine, monkeypatch):
    import time

    from qa.brief import build

    started = time.monotonic()
    build_briefing(model_engine, "人才引进和培养", regions=["乐山", "南充"], backend="extractive")
    extractive = time.monotonic() - started
    monkeypatch.setattr(build, "BRIEFING_SECONDS", 0.0)  # 时限在通读文件时就已过去
    started = time.monotonic()
    briefing = build_briefing(model_engine, "人才引进和培养", regions=["乐山", "南充"], backend="local")
    # 模型此时还在排队或读资料(0.5B 读这些资料要几秒):简报不等它
    assert time.monotonic() - started < extractive + 1.0
    assert "时限" in briefing.notice and len(briefing.points) >= 3
    # 模型在读完资料后的第一个词就停下,随即可以回答下一个请求
    started = time.monotonic()
    model_engine.llm("local").complete([{"role": "user", "content": "你好"}], max_tokens=1)
    assert time.monotonic() - started < 30


def test_文件里的网页代码和链接在简报里原样显示_不成为图片链接或标签(demo_index_dir, tmp_path):
    import shutil

    from settings import load_settings
    from ui.render import briefing_html

    data_dir = tmp_path / "data"
    shutil.copytree(demo_index_dir, data_dir)
    engine = Engine(load_settings(data_dir=data_dir, llm={"backend": "extractive"}))
    notice = tmp_path / "甲市竹编.md"
    notice.write_text("甲市关于加快竹编产业发展的实施意见\n\n一、发展目标\n到2027年，全市竹编产业年产值达到12.5亿元"
                      "<img src=http://127.0.0.1:9/x.png>，详见<https://evil.example/x>和[说明](javascript:alert(1))。\n",
                      encoding="utf-8")
    assert engine.kb.ingest([notice], progress=False).added
    try:
        briefing = build_briefing(engine, "竹编产业", doc_ids=[
            meta.doc_id for meta, _ in engine.kb.documents() if "竹编" in meta.title])
        markdown = briefing_markdown(briefing)
        # every < of the document escaped: text, not a tag (<br> is the table's own line break)
        assert "12.5亿元" in markdown and not re.search(r"(?<!\\)<(?!br>)", markdown)
        html = briefing_html(markdown)
        assert "<img" not in html and 'href="https://evil' not in html and 'href="javascript' not in html
    finally:
        engine.kb.close()
