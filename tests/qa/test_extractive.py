"""摘录式回答(不用大模型):从检索到的段落里挑出最能回答问题的原句,逐字引用并标注出处。

问题取自评测集的题型;检索结果故意把不含答案的段落排在前面,摘录要自己找到答案所在的句子。
"""
import pytest

from corpus import DOCUMENTS_DIR
from corpus.pipeline import PreparedDocument, iter_corpus
from corpus.repair import repair
from qa.citations import check_answer, fold
from qa.extractive import complete_list, extractive_answer
from vectorstore.hits import Hit


@pytest.fixture(scope="module")
def seeds() -> dict[str, PreparedDocument]:
    return {document.meta.doc_id: document for document in iter_corpus(DOCUMENTS_DIR)}


def hits_for(seeds, evidence: dict[str, list[str]]) -> list[Hit]:
    """Two chunks without the answer from each document first, then the chunks holding the evidence."""
    answering, distracting = [], []
    for doc_id, phrases in evidence.items():
        chunks = seeds[doc_id].chunks
        holding = [chunk for chunk in chunks if any(fold(phrase) in fold(chunk.text) for phrase in phrases)]
        answering += holding
        distracting += [chunk for chunk in chunks if chunk not in holding][:2]
    return [Hit(chunk, score=1.0) for chunk in distracting + answering]


def originals(seeds) -> dict[str, str]:
    return {doc_id: document.original_text for doc_id, document in seeds.items()}


def assert_quotes_are_verbatim(answer, seeds):
    for citation in answer.citations:
        chunk_texts = [chunk.text for chunk in seeds[citation.doc_id].chunks if chunk.chunk_id == citation.chunk_id]
        assert citation.quote in chunk_texts[0]
        original = seeds[citation.doc_id].original_text[citation.start : citation.end]
        assert repair(original).text == citation.quote


@pytest.mark.parametrize(
    ("question", "evidence", "must_contain"),
    [
        (
            "乐山对欠发达县域托底性帮扶配套了什么方案和多少项支持政策?",
            {"leshan-2024-industry": ["24项支持政策措施"]},
            ["1+6", "24项"],
        ),
        (
            "南充力争到2026年,企业研发经费、技术合同成交额、国家高新技术企业数要比哪一年增长多少?",
            {"nanchong-2024-new-productive-forces": ["较2023年增长30%以上"]},
            ["30%", "2023"],
        ),
        (
            "成都民营经济对全市经济总量、税收、科技创新和城镇就业的贡献各占多少?",
            {"chengdu-2024-press-conference": ["60%以上的税收"]},
            ["50%", "60%", "90%"],
        ),
        (
            "乐山在养老和慈善方面分别打造什么品牌?",
            {"leshan-2024-industry": ["嘉里养老", "大爱乐山"]},
            ["嘉里养老", "大爱乐山"],
        ),
        (
            "四川全省经济总量目前已经迈上什么台阶?",
            {"sichuan-2024-high-quality-development": ["六萬億元臺階"]},
            ["六万亿元"],
        ),
        (
            "峨眉山市在京农民工党支部书记余伟返乡投资了多少钱?",
            {"leshan-innovation-driven": ["余伟返乡投资达400万元", "总经理余伟对记者说"]},
            ["400万元"],
        ),
    ],
)
def test_从检索结果中摘出回答问题的原句(seeds, question, evidence, must_contain):
    answer = extractive_answer(question, hits_for(seeds, evidence), original_texts=originals(seeds))
    assert answer.citations, answer
    for term in must_contain:
        assert fold(term) in fold(answer.text), (term, answer.text)
    assert_quotes_are_verbatim(answer, seeds)
    assert sum(len(citation.quote) for citation in answer.citations) <= 150


def test_问到两个地方时各摘一句_并注明是哪里(seeds):
    answer = extractive_answer(
        "乐山和四川省分别为2027年设定了怎样的经济总量目标?",
        hits_for(seeds, {
            "leshan-2024-industry": ["经济总量跨上3400亿元台阶"],
            "sichuan-2024-high-quality-development": ["經濟總量再跨兩個萬億元臺階"],
        }),
        original_texts=originals(seeds),
    )
    lines = answer.text.split("\n")
    assert any(line.startswith("乐山市:") and "3400亿元" in line for line in lines), answer.text
    assert any(line.startswith("四川省:") and "兩個萬億元" in line for line in lines), answer.text
    assert {citation.doc_id for citation in answer.citations} == {
        "leshan-2024-industry", "sichuan-2024-high-quality-development"}
    assert_quotes_are_verbatim(answer, seeds)


def test_只问一个地方时不摘别处的相似表述(seeds):
    answer = extractive_answer(
        "乐山对欠发达县域托底性帮扶配套了什么方案和多少项支持政策?",
        hits_for(seeds, {
            "sichuan-2024-high-quality-development": ["欠發達縣域托底性幫扶"],
            "leshan-2024-industry": ["24项支持政策措施"],
        }),
    )
    assert {citation.doc_id for citation in answer.citations} == {"leshan-2024-industry"}


def test_标记按段落编号_引文在答案中依次出现(seeds):
    answer = extractive_answer(
        "乐山在养老和慈善方面分别打造什么品牌?", hits_for(seeds, {"leshan-2024-industry": ["嘉里养老", "大爱乐山"]})
    )
    markers = [citation.marker for citation in answer.citations]
    assert markers == sorted(markers) and markers[0] == 1
    for citation in answer.citations:
        assert f"[{citation.marker}]" in answer.text


def test_段落与问题无关时不作答(seeds):
    answer = extractive_answer("火星探测器什么时候发射?", hits_for(seeds, {"leshan-2024-industry": ["3400亿元"]}))
    assert answer.citations == [] and answer.text == ""


SCIENCE_ACTIONS = ["晶硅光伏", "核技术应用", "设备更新", "先进材料", "人工智能"]


def test_问某一节列了哪些_按每句的开头逐项列全(seeds):
    """(二)培育壮大新兴产业和未来产业一节每句讲一个产业:八项都要列出,而不是整句摘两三句。"""
    answer = extractive_answer(
        "南充培育壮大的新兴产业和未来产业有哪些?",
        hits_for(seeds, {"nanchong-2024-new-productive-forces": ["做大做强新能源汽车产业", "积极培育氢能产业"]}),
        max_chars=300, original_texts=originals(seeds),
    )
    for industry in ["新能源汽车", "电子信息", "高端装备制造", "新材料", "低空经济", "AI产业", "氢能"]:
        assert industry in answer.text, (industry, answer.text)
    assert answer.text.startswith("南充市:做大做强新能源汽车产业")
    assert sum(len(citation.quote) for citation in answer.citations) <= 300
    assert_quotes_are_verbatim(answer, seeds)


def test_问题比标题多出的词只留下含这些词的条目(seeds):
    answer = extractive_answer(
        "乐山培育壮大先进制造业集群实施了哪几项“科技赋能行动”?",
        hits_for(seeds, {"leshan-2024-industry": ["科技赋能行动"]}), max_chars=300,
    )
    assert len(answer.citations) == len(SCIENCE_ACTIONS)
    assert all("科技赋能行动" in citation.quote for citation in answer.citations)
    for action in SCIENCE_ACTIONS:
        assert action in answer.text


def test_模型漏列的条目_在回答后以原文补上并接着编号(seeds):
    question = "乐山培育壮大先进制造业集群实施了哪几项“科技赋能行动”?"
    hits = hits_for(seeds, {"leshan-2024-industry": ["科技赋能行动"]})
    sources = [hit.chunk for hit in hits]
    holding = [n for n, chunk in enumerate(sources, start=1) if "晶硅光伏科技赋能行动" in chunk.text][0]
    model = check_answer(f"乐山实施了晶硅光伏科技赋能行动[{holding}]和核技术应用科技赋能行动[{holding}]。", sources)
    assert model.supported, model

    completed = complete_list(model, question, hits, 300, originals(seeds))

    said, added = completed.text.split("原文另有:")
    assert said.strip() == model.text
    for action in ["设备更新", "先进材料", "人工智能"]:
        assert action in added, completed.text
    assert "晶硅光伏" not in added and "核技术应用" not in added  # what the model said is not repeated
    assert completed.citations[: len(model.citations)] == model.citations
    for citation in completed.citations:
        assert f"[{citation.marker}]" in completed.text
        assert citation.quote in [chunk.text for chunk in sources if chunk.chunk_id == citation.chunk_id][0]


def test_模型已列全时_回答不变(seeds):
    question = "乐山培育壮大先进制造业集群实施了哪几项“科技赋能行动”?"
    hits = hits_for(seeds, {"leshan-2024-industry": ["科技赋能行动"]})
    sources = [hit.chunk for hit in hits]
    markers = {action: [n for n, chunk in enumerate(sources, start=1) if f"实施{action}科技赋能行动" in chunk.text][0]
               for action in SCIENCE_ACTIONS}
    model = check_answer("乐山实施了" + "、".join(f"{action}科技赋能行动[{markers[action]}]" for action in SCIENCE_ACTIONS)
                         + "。", sources)
    assert complete_list(model, question, hits, 300, originals(seeds)) == model


def test_问举措和目标时_目标句里的指标摘全(seeds):
    answer = extractive_answer(
        "乐山创新驱动决定在完善金融服务体系方面有哪些举措和目标?",
        hits_for(seeds, {"leshan-innovation-driven": ["科创贷", "全市新增上市公司4家以上"]}),
        max_chars=300, original_texts=originals(seeds),
    )
    for term in ["科创贷", "乐山市商业银行", "4家以上"]:
        assert term in answer.text, (term, answer.text)
    assert_quotes_are_verbatim(answer, seeds)


# -- 编造的文件:两问的部分回答、按小标题概括一节、“下列”引出的条目 ------------------------------------------

from corpus.model import Chunk, DocumentMeta  # noqa: E402
from corpus.normalize import to_index_text  # noqa: E402
from qa import answerability  # noqa: E402
from qa.extractive import answer_asks, named_section  # noqa: E402
from qa.places import region_aliases  # noqa: E402
from qa.question import parse  # noqa: E402

QINGZHOU = DocumentMeta(doc_id="qingzhou-plan", title="青州市数字产业发展行动方案", region="青州市")


def made_up(texts: list[tuple[tuple[str, ...], str]]) -> list[Hit]:
    hits, at = [], 0
    for ordinal, (path, text) in enumerate(texts):
        chunk = Chunk(doc_id=QINGZHOU.doc_id, section_path=path, text=text, index_text=to_index_text(text),
                      start=at, end=at + len(text), ordinal=ordinal, meta=QINGZHOU)
        hits.append(Hit(chunk, score=1.0))
        at += len(text)
    return hits


TARGETS = made_up([(("一、发展目标",), "一、发展目标。到2025年,全市培育数字产业龙头企业10家以上,建成数字产业园区5个。")])


def test_两问之一文件未写明时_说明缺的是什么_并给出最接近的表述和引用():
    question = parse("青州到2025年要培育多少家龙头企业?2026年呢,要培育多少家?", region_aliases(["青州市"]))
    verdicts = answerability.judge(question, TARGETS)
    answer = answer_asks(verdicts, TARGETS, 150)
    assert "10家以上" in answer.text
    assert "文件未写明2026年" in answer.text and "家数" in answer.text
    assert answer.citations and all(citation.quote in TARGETS[0].chunk.text for citation in answer.citations)


MEASURES = made_up([
    (("五、保障措施", "（一）加强统筹协调"), "五、保障措施\n（一）加强统筹协调。建立市级数字产业发展联席会议制度,研究解决重大问题。"),
    (("五、保障措施", "（二）加大资金支持"), "（二）加大资金支持。设立数字产业发展专项资金,引导社会资本投入。"
                                          "（三）强化人才支撑。实施数字人才引育计划,建设实训基地。"),
    (("五、保障措施", "（四）优化发展环境"), "（四）优化发展环境。深化“放管服”改革,营造包容审慎的监管环境。"
                                          "（五）开展监测评估。建立行动方案实施评估机制,定期通报进展。"),
])


def test_概括一节时每个小标题都列到_不超过400字():
    question = parse("请概括青州数字产业行动方案“保障措施”的主要内容。", region_aliases(["青州市"]))
    answer = extractive_answer(question, MEASURES, max_chars=400)
    for point in ["统筹协调", "资金支持", "人才支撑", "发展环境", "监测评估"]:
        assert point in answer.text, (point, answer.text)
    assert sum(len(citation.quote) for citation in answer.citations) <= 400


DUTIES = made_up([(("第三章 伦理委员会", "第二十条"),
                   "第二十条 市数字产业伦理委员会履行下列职责:(一)制定伦理安全规范;(二)发布伦理白皮书;"
                   "(三)监督规范执行情况。")])


def test_下列职责之后的条目就是回答():
    answer = extractive_answer("青州数字产业伦理委员会要履行哪些职责?", DUTIES, max_chars=400)
    for duty in ["伦理安全规范", "白皮书", "执行情况"]:
        assert duty in answer.text, (duty, answer.text)


RURAL = made_up([(("五、党的建设",), "五、党的建设。抓党建促乡村振兴,整顿软弱涣散基层党组织。"),
                 (("三、重点任务", "（三）全面推进乡村振兴"),
                  "（三）全面推进乡村振兴。坚持农业农村优先发展。加快建设农业强国。牢牢守住耕地红线,建设高标准农田。")])


def test_口语问某一段讲了哪些要点_要点和那段不是所问的内容_按句列出这一段():
    question = parse("青州乡村振兴那段,大致讲了哪些要点?", region_aliases(["青州市"]))
    answer = extractive_answer(question, RURAL, max_chars=400)
    for point in ["农业农村优先发展", "农业强国", "耕地红线"]:
        assert point in answer.text, (point, answer.text)
    assert "党建" not in answer.text  # 只说到乡村振兴的别处一句,不在这一段里


CHAPTER = made_up([
    (("第一章 总则", "第一条"), "第一章 总则\n第一条 为了促进数字产业发展,根据有关法律、行政法规,结合本市实际,制定本条例。"),
    (("第三章 监管措施", "第十条"), "第三章 监管措施\n第十条 市人民政府根据数字产品的风险等级、应用场景等具体情境,"
                                 "实施分级分类监管,完善监管机制。"),
    (("第三章 监管措施", "第十一条"), "第十一条 从事数字产品研发的组织或者个人,应当遵守数据安全规范,在合理范围内开展活动。"),
    (("第三章 监管措施", "第十二条"), "第十二条 对于涉及公共利益的算法,提供服务的单位应当进行算法说明。"),
])


def test_概括一章时每条摘其要旨_不摘条件和主语_标明第几条():
    question = parse("请概括青州数字产业条例第三章“监管措施”的主要内容。", region_aliases(["青州市"]))
    answer = extractive_answer(question, CHAPTER, max_chars=400)
    for article, gist in [("第十条", "实施分级分类监管"), ("第十一条", "应当遵守数据安全规范"),
                          ("第十二条", "提供服务的单位应当进行算法说明")]:
        # the circumstances (根据……情境, 对于……) and the subject before 应当 lead up to the gist
        assert f"{article} {gist}" in answer.text, answer.text
    assert "为了促进" not in answer.text  # nor is the regulation's purpose a measure of the chapter
    assert all(citation.quote in hit.chunk.text for citation in answer.citations for hit in CHAPTER
               if hit.chunk.chunk_id == citation.chunk_id)


SCENES = made_up([
    (("三、重点任务", "（二）丰富应用场景", "1.开拓工业场景"), "（二）丰富应用场景\n1.开拓工业场景。面向设计、生产等环节打造应用试验场。"),
    (("三、重点任务", "（二）丰富应用场景", "2.打造融合场景"), "2.打造融合场景。依托重大活动开展跨领域试点应用。"),
    (("三、重点任务", "（二）丰富应用场景", "3.建设标志性场景"), "3.建设标志性场景。定期发布典型应用场景清单。"),
])


def test_几个小标题同样切题时_问的是它们的上一级_逐个列出():
    question = parse("青州行动方案在应用场景上分了哪几类?", region_aliases(["青州市"]))
    answer = extractive_answer(question, SCENES, max_chars=400)
    for scene in ["工业场景", "融合场景", "标志性场景"]:
        assert scene in answer.text, (scene, answer.text)


REGULATION = made_up([
    (("目录",), "目录\n第一章 总则\n第二章 数字基础设施\n第三章 数据资源\n第四章 数字产业化"),
    (("第一章 总则", "第一条"), "第一条 为了促进青州数字经济发展,根据有关法律、行政法规,结合本市实际,制定本条例。"),
    (("第一章 总则", "第二条"), "第二条 本条例所称数字经济,是指以数据资源为关键要素,以现代信息网络为主要载体的新经济形态。"),
    (("第三章 数据资源", "第二十条"), "第二十条 除法律、行政法规另有规定外,不得对数字企业设置检查和评比项目。"),
])


def test_问定义时摘是指句_不摘目录和立法目的():
    question = parse("青州数字经济条例把“数字经济”定义成什么?", region_aliases(["青州市"]))
    answer = extractive_answer(question, REGULATION, max_chars=150)
    assert "是指以数据资源为关键要素" in answer.text, answer.text
    assert "第二章 数字基础设施" not in answer.text and "为了促进" not in answer.text, answer.text


def test_事实句连同其条件一起摘出_预算够时不只摘最短的一截():
    question = parse("青州能对数字企业设置检查和评比项目吗?", region_aliases(["青州市"]))
    answer = extractive_answer(question, REGULATION, max_chars=150)
    assert "除法律、行政法规另有规定外,不得对数字企业设置检查和评比项目" in answer.text, answer.text


REPORT = made_up([
    (("一、2024年工作回顾",), "一、2024年工作回顾\n新增数字产业龙头企业12家,总量达到86家。生猪出栏900万头,保持全省第2位。"),
    (("二、2025年工作安排",), "二、2025年工作安排\n新建数字产业园区3个。"),
])


def test_两问的第二问答在第一问所摘句子的后半句时_补全这句而不说未写明():
    question = parse("青州去年新增了多少家数字产业龙头企业?现在总共有多少?", region_aliases(["青州市"]))
    answer = answer_asks(answerability.judge(question, REPORT), REPORT, 150)
    assert "12家" in answer.text and "86家" in answer.text, answer.text
    assert "文件未写明" not in answer.text, answer.text


NATIONAL = DocumentMeta(doc_id="national-plan", title="国家算力网络发展规划", region="全国")


def test_问题点名一份文件又点名另一个地方时_两边各摘其最好的一句():
    national = Chunk(doc_id=NATIONAL.doc_id, section_path=("三、布局",), meta=NATIONAL, ordinal=0, start=0, end=40,
                     text="在东部、西部等地区布局全国算力网络国家枢纽节点,建设数据中心集群。",
                     index_text=to_index_text("在东部、西部等地区布局全国算力网络国家枢纽节点,建设数据中心集群。"))
    hits = made_up([(("第十二条",), "第十二条 算力设施建设应当建设城市智能计算集群,协同周边城市共同建设国家枢纽节点。")])
    hits.append(Hit(national, score=1.0))
    titles = {QINGZHOU.doc_id: QINGZHOU.title, NATIONAL.doc_id: NATIONAL.title}
    question = parse("国家算力网络发展规划布局了枢纽节点,青州对算力设施是怎么规定的?",
                     region_aliases(["青州市", "全国"]), titles)
    answer = extractive_answer(question, hits, max_chars=150)
    assert "城市智能计算集群" in answer.text and "数据中心集群" in answer.text, answer.text
    assert {citation.doc_id for citation in answer.citations} == {QINGZHOU.doc_id, NATIONAL.doc_id}


def test_问是哪份文件哪一条说的_答案写出文件名和所在的章与条():
    question = parse("有个规定说不得对数字企业设置检查和评比项目,是哪份文件哪一条?", region_aliases(["青州市"]))
    answer = extractive_answer(question, REGULATION, max_chars=150)
    assert "《青州市数字产业发展行动方案》“第三章 数据资源 > 第二十条”" in answer.text, answer.text
    assert "不得对数字企业设置检查和评比项目" in answer.text


def test_两问各自摘自不同段落时_引用编号接着排_同一句不重复摘():
    question = parse("青州去年生猪出栏多少万头?今年要新建几个数字产业园区?", region_aliases(["青州市"]))
    answer = answer_asks(answerability.judge(question, REPORT), REPORT, 150)
    assert "900万头" in answer.text and "3个" in answer.text, answer.text
    markers = {citation.chunk_id: citation.marker for citation in answer.citations}
    assert len(set(markers.values())) == len(markers) == 2, answer.citations
    assert answer.text.count("生猪出栏900万头") == 1, answer.text


BANKS = made_up([(("第二章 市场环境", "第二十八条"),
                  "第二十八条 金融机构应当规范收费行为,公开服务标准。金融机构不得:\n(一)在企业贷款授信中设置歧视性规定;\n"
                  "(二)强制搭售保险、理财等产品;\n(三)强制约定将企业的部分贷款转为存款;\n(四)以存款作为发放贷款的前提条件。")])


def test_列举条目中有几项不含问题的词_也随同一组条目列出():
    answer = extractive_answer("青州的条例规定金融机构给企业贷款时有哪些禁止的做法?", BANKS, max_chars=400)
    for item in ["歧视性规定", "搭售保险", "转为存款", "前提条件"]:
        assert item in answer.text, (item, answer.text)


LONG_DUTIES = made_up([(("第四章 数据委员会", "第三十条"),
                        "第三十条 市人民政府设立市数据伦理委员会,履行下列职责:\n研究制定本市数据领域的伦理安全规范和管理办法；\n"
                        "建立健全数据伦理安全规范的评估审查和监督管理制度；\n发布数据伦理安全实践指南以及数据伦理安全白皮书；\n"
                        "评估和监督本市数据企业落实伦理安全规范的执行情况；\n开展数据伦理安全的宣传教育和培训交流活动。")])


def test_下列职责之后以分号分隔的条目_在预算内逐条列出():
    answer = extractive_answer("青州数据伦理委员会要履行哪些职责?", LONG_DUTIES, max_chars=120)
    for duty in ["管理办法", "监督管理制度"]:  # the list is longer than the budget: its first items, whole
        assert duty in answer.text, (duty, answer.text)
    assert sum(len(citation.quote) for citation in answer.citations) <= 120


def test_问题点名的地方之外_只有全国性文件因点名而保留_别省文件不因标题用词相近而混入():
    other = DocumentMeta(doc_id="other-province", title="东川省数字产业促进条例", region="东川省")
    text = "第九条 数字产业企业转化科技成果给予个人的股权奖励,可以一次性领取。"
    chunk = Chunk(doc_id=other.doc_id, section_path=("第九条",), meta=other, ordinal=0, start=0, end=len(text),
                  text=text, index_text=to_index_text(text))
    hits = [Hit(chunk, score=1.0), *made_up([(("第八条",), "第八条 数字产业企业转化科技成果给予个人的股权奖励,可以分期缴纳个人所得税。")])]
    titles = {QINGZHOU.doc_id: QINGZHOU.title, other.doc_id: other.title}
    regions = {QINGZHOU.doc_id: QINGZHOU.region, other.doc_id: other.region}
    question = parse("青州数字产业促进条例里,股权奖励的个人所得税怎么交?", region_aliases(["青州市", "东川省"]), titles, regions)
    answer = extractive_answer(question, hits, max_chars=150)
    assert "分期缴纳" in answer.text and "一次性领取" not in answer.text, answer.text


def test_两问的后一问只说怎么答_简单概括一下_不当作缺失的一问():
    question = parse("青州怎么丰富应用场景?简单概括一下。", region_aliases(["青州市"]))
    answer = answer_asks(answerability.judge(question, SCENES), SCENES, 400)
    assert "文件未写明" not in answer.text, answer.text
    for point in ["开拓工业场景", "打造融合场景", "建设标志性场景"]:  # answered as the summary it asks for
        assert point in answer.text, (point, answer.text)


WORK_PLAN = made_up([
    (("二、2025年工作安排",), "二、2025年工作安排\n今年工作的总体要求已经明确。重点抓好三个方面工作:"),
    (("二、2025年工作安排", "（一）扩大有效投资"), "（一）扩大有效投资。实施重大项目攻坚行动。"),
    (("二、2025年工作安排", "（二）培育数字产业"), "（二）培育数字产业。建设数字产业园区。"),
    (("二、2025年工作安排", "（三）保障改善民生"), "（三）保障改善民生。新增城镇就业岗位。"),
])


def test_段落以冒号预告下面几个方面时_列出其后各小节():
    question = parse("青州“重点抓好三个方面工作”都有哪些?请概括。", region_aliases(["青州市"]))
    answer = extractive_answer(question, WORK_PLAN, max_chars=400)
    for point in ["扩大有效投资", "培育数字产业", "保障改善民生"]:
        assert point in answer.text, (point, answer.text)


CHAPTERS = [hit.chunk for hit in made_up([
    (("第二章 数据资源", "第十条"), "第十条 市人民政府建立公共数据目录,推动数据共享。"),
    (("第三章 产业基础设施建设", "第二十条"), "第二十条 统筹规划通信网络、数据中心和计算系统。"),
    (("第八章 保障措施", "第五十条"), "第五十条 实施全民数字素养与技能提升计划。"),
])]


@pytest.mark.parametrize(("question", "heading"), [
    ("青州数字产业行动方案第三章讲了哪些方面?", "第三章 产业基础设施建设"),
    ("青州数字产业行动方案第3章大致包括什么?", "第三章 产业基础设施建设"),
    ("青州数字产业行动方案的保障措施一章,大概讲了什么?", "第八章 保障措施"),
])
def test_按章的序号或标题里的动词认出问的是哪一章(question, heading):
    """“第三章”按序号认章,不论标题用词;“保障措施”里“保障”是动词、“措施”是套话,名词认不出时用动词认。"""
    named = named_section(parse(question, region_aliases(["青州市"])), CHAPTERS)
    assert named == (QINGZHOU.doc_id, (heading,))


def test_概括一章时条文的要旨不是采取措施的套话():
    """“……等部门应当采取措施,推进数字无障碍建设”:这一条摘的是“推进数字无障碍建设”,不是哪些部门采取措施。"""
    chapter = made_up([
        (("第八章 保障措施", "第五十条"), "第五十条 本市实施全民数字素养与技能提升计划,畅通人才引进通道。"),
        (("第八章 保障措施", "第五十一条"), "第五十一条 政务服务、卫生健康、民政、经济和信息化等部门应当采取措施，"
                                         "鼓励为老年人、残疾人等提供便利适用的智能化产品和服务，推进数字无障碍建设。"),
        (("第八章 保障措施", "第五十二条"), "第五十二条 鼓励拓展数字经济领域国际合作,搭建国际会展、论坛等合作平台。"),
    ])
    answer = extractive_answer(parse("请概括青州数字产业行动方案第八章保障措施的主要内容。", region_aliases(["青州市"])),
                               chapter, max_chars=120)
    assert "第五十一条 鼓励为老年人" in answer.text, answer.text
    assert "采取措施" not in answer.text, answer.text


def test_序号不成数的第几章不报错_也不认作哪一章():
    assert named_section(parse("青州数字产业行动方案第百章讲了什么?", region_aliases(["青州市"])), CHAPTERS) is None
