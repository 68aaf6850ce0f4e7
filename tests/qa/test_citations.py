"""引用核对:答案每一句里的数字、名称和主要内容,都必须出现在它所引用的段落里;引文逐字取自原文。"""
import pytest

from corpus import DOCUMENTS_DIR
from corpus.pipeline import PreparedDocument, prepare_document
from corpus.repair import repair
from qa.citations import check_answer, figures, fold


@pytest.fixture(scope="module")
def leshan() -> PreparedDocument:
    return prepare_document(DOCUMENTS_DIR / "leshan-2024-industry.txt")


@pytest.fixture(scope="module")
def sichuan() -> PreparedDocument:
    """繁体字文件,原文里夹着拼音注音:發(fā)展。"""
    return prepare_document(DOCUMENTS_DIR / "sichuan-2024-high-quality-development.txt")


def chunk_holding(document: PreparedDocument, phrase: str):
    return next(chunk for chunk in document.chunks if fold(phrase) in fold(chunk.text))


def originals(*documents: PreparedDocument) -> dict[str, str]:
    return {document.meta.doc_id: document.original_text for document in documents}


def test_编造的数字被拒绝(leshan):
    target = chunk_holding(leshan, "经济总量跨上3400亿元台阶")
    checked = check_answer("到2027年经济总量达到5000亿元[1]。", [target], originals(leshan))
    assert not checked.supported
    assert checked.text == ""
    assert checked.flagged == ["到2027年经济总量达到5000亿元。"]


def test_正确的转述被接受_引文是原文里的那一句(leshan):
    target = chunk_holding(leshan, "经济总量跨上3400亿元台阶")
    answer = "乐山计划到2027年让全市经济总量迈上3400亿元的台阶[1]。"
    checked = check_answer(answer, [target], originals(leshan))
    assert checked.supported and checked.flagged == []
    assert checked.text == answer
    [citation] = checked.citations
    assert citation.quote.startswith("到2027年") and "经济总量跨上3400亿元台阶" in citation.quote
    assert citation.quote in target.text
    assert leshan.original_text[citation.start : citation.end] == citation.quote
    assert (citation.doc_id, citation.section) == (leshan.meta.doc_id, "一、把握阶段性目标")


def test_植入的无依据句子被剔除_其余照常引用(leshan):
    target = chunk_holding(leshan, "经济总量跨上3400亿元台阶")
    checked = check_answer(
        "到2027年,乐山经济总量跨上3400亿元台阶[1]。乐山将建设全国最大的氢能产业基地[1]。", [target], originals(leshan)
    )
    assert checked.text == "到2027年,乐山经济总量跨上3400亿元台阶[1]。"
    assert checked.flagged == ["乐山将建设全国最大的氢能产业基地。"]


def test_繁体段落支持简体说法_引文定位到含注音的原文(sichuan):
    target = chunk_holding(sichuan, "全省經濟總量已經邁上六萬億元臺階")
    checked = check_answer("四川全省经济总量已经迈上六万亿元台阶[1]。", [target], originals(sichuan))
    assert checked.supported
    [citation] = checked.citations
    assert "全省經濟總量已經邁上六萬億元臺階" in citation.quote
    assert citation.quote in target.text
    original = sichuan.original_text[citation.start : citation.end]
    assert original != citation.quote, "这一段原文带拼音注音,偏移必须跳过它们"
    assert repair(original).text == citation.quote


def test_编号超出来源范围的句子被标记(leshan):
    target = chunk_holding(leshan, "经济总量跨上3400亿元台阶")
    checked = check_answer("到2027年,乐山经济总量跨上3400亿元台阶[3]。", [target], originals(leshan))
    assert checked.flagged == ["到2027年,乐山经济总量跨上3400亿元台阶。"]
    assert not checked.supported


def test_引错了段落时改引真正含有这些数字的段落(leshan, sichuan):
    provincial = chunk_holding(sichuan, "六萬億元")
    city = chunk_holding(leshan, "经济总量跨上3400亿元台阶")
    checked = check_answer("到2027年,乐山经济总量跨上3400亿元台阶[1]。", [provincial, city], originals(leshan, sichuan))
    assert checked.text == "到2027年,乐山经济总量跨上3400亿元台阶[1]。"
    [citation] = checked.citations
    assert citation.chunk_id == city.chunk_id


def test_编号按首次出现的顺序重排(leshan):
    goal = chunk_holding(leshan, "经济总量跨上3400亿元台阶")
    silicon = chunk_holding(leshan, "打造具有国际竞争力的中国绿色硅谷")
    poverty = chunk_holding(leshan, "24项支持政策措施")
    checked = check_answer(
        "乐山实施欠发达县域托底性帮扶“1+6”实施方案和24项支持政策措施[3]。乐山要打造具有国际竞争力的中国绿色硅谷[2]。",
        [goal, silicon, poverty],
        originals(leshan),
    )
    assert checked.text == (
        "乐山实施欠发达县域托底性帮扶“1+6”实施方案和24项支持政策措施[1]。乐山要打造具有国际竞争力的中国绿色硅谷[2]。"
    )
    assert [(citation.marker, citation.chunk_id) for citation in checked.citations] == [
        (1, poverty.chunk_id),
        (2, silicon.chunk_id),
    ]


def test_没有可核对内容的连接语照常保留_不带引用(leshan):
    target = chunk_holding(leshan, "经济总量跨上3400亿元台阶")
    checked = check_answer("具体如下:到2027年,乐山经济总量跨上3400亿元台阶[1]。", [target], originals(leshan))
    assert checked.text == "具体如下:到2027年,乐山经济总量跨上3400亿元台阶[1]。"
    assert len(checked.citations) == 1


def test_由套话拼成的词也是连接语_不当作要核对的内容(leshan):
    """jieba 把“具体措施”“主要任务”切成一个词:它们由“具体”“措施”这类套话拼成,什么也没说。"""
    target = chunk_holding(leshan, "经济总量跨上3400亿元台阶")
    checked = check_answer("主要任务包括:\n到2027年,乐山经济总量跨上3400亿元台阶[1]。", [target], originals(leshan))
    assert checked.text.startswith("主要任务包括:") and not checked.flagged
    assert check_answer("具体措施包括:", [target], originals(leshan)).flagged == []
    invented = check_answer("具体措施包括:设立量子产业基金[1]。", [target], originals(leshan))
    assert invented.flagged == ["设立量子产业基金。"]


def test_没有编号但有数字的句子_有依据就补上引用_没有就标记(leshan):
    target = chunk_holding(leshan, "经济总量跨上3400亿元台阶")
    cited = check_answer("乐山到2027年经济总量跨上3400亿元台阶。", [target], originals(leshan))
    assert cited.text == "乐山到2027年经济总量跨上3400亿元台阶[1]。"
    invented = check_answer("乐山到2027年经济总量跨上9999亿元台阶。", [target], originals(leshan))
    assert invented.flagged == ["乐山到2027年经济总量跨上9999亿元台阶。"] and invented.text == ""


def test_只说没有找到的回答不算有依据(leshan):
    checked = check_answer("文件中没有找到相关内容。", list(leshan.chunks[:3]), originals(leshan))
    assert not checked.supported and checked.flagged == []


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("迈上六万亿元台阶", "迈上6万亿元台阶", True),
        ("百分之三十", "30%", True),
        ("贡献了四分之三的新增就业", "75%的新增就业", True),
        ("三分之一", "三分之二", False),
        ("二〇二七年", "2027年", True),
        ("3400亿元", "5000亿元", False),
        ("十二届五次全会", "十二届六次全会", False),
    ],
)
def test_数字按数值比较(one, other, same):
    assert (figures(one) == figures(other)) is same


def test_一个方案编号算一个数字_词语里的数字不算():
    assert "1+6" in figures("“1+6”实施方案")
    assert figures("进一步推进一体化,打造千园建设") == set()


def test_用来源里的零散词语拼出的说法被拒绝(leshan):
    """Qwen2.5-0.5B 的真实输出:把问题里的词和别处的词拼成一条新“政策”,大部分词段落里都有,但段落没有这样说。"""
    target = chunk_holding(leshan, "24项支持政策措施")
    checked = check_answer(
        "乐山对欠发达县域托底性帮扶配套了税务助力乡村振兴先行村，以确保欠发达县域的税收得到有效保障[1]。",
        [target],
        originals(leshan),
    )
    assert not checked.supported and len(checked.flagged) == 1


def test_全角标点的列表逐项核对_编造的一项被剔除_列表仍分行(leshan):
    target = chunk_holding(leshan, "实施晶硅光伏科技赋能行动")
    checked = check_answer(
        "乐山实施的科技赋能行动包括：\n"
        "1. 晶硅光伏科技赋能行动[1]\n2. 量子计算科技赋能行动[1]\n3. 核技术应用科技赋能行动[1]",
        [target],
        originals(leshan),
    )
    assert checked.flagged == ["2. 量子计算科技赋能行动"]
    assert checked.text == "乐山实施的科技赋能行动包括[1]：\n1. 晶硅光伏科技赋能行动[1]\n3. 核技术应用科技赋能行动[1]"


def test_没有标注的句子把两处事实连在一起_逐个分句核对(leshan):
    """本地 1.5B 模型的真实输出:两个品牌在段落的两句话里,模型用逗号连成一句且没有标注编号。"""
    target = chunk_holding(leshan, "嘉里养老")
    checked = check_answer("乐山在养老方面打造“嘉里养老”品牌体系，慈善方面塑造“大爱乐山”慈善关爱品牌。",
                           [target], originals(leshan))
    assert not checked.flagged
    assert "嘉里养老" in checked.text and "大爱乐山" in checked.text
    quotes = [citation.quote for citation in checked.citations]
    assert len(quotes) == 2 and all(quote in target.text for quote in quotes)
    assert any("嘉里养老" in quote for quote in quotes) and any("大爱乐山" in quote for quote in quotes)


def test_分句核对时真的一半保留_编造的一半标记(leshan):
    target = chunk_holding(leshan, "嘉里养老")
    checked = check_answer("乐山在养老方面打造“嘉里养老”品牌体系，慈善方面设立“乐山慈善基金”500亿元[1]。",
                           [target], originals(leshan))
    assert "嘉里养老" in checked.text and "500亿元" not in checked.text
    assert any("500亿元" in sentence for sentence in checked.flagged)


def test_引文不以上一句的后引号开头_本句的后引号留在引文末尾():
    newspaper = prepare_document(DOCUMENTS_DIR / "leshan-innovation-driven.txt")
    target = chunk_holding(newspaper, "党支部就像一个灯塔")
    checked = check_answer("峨眉山市在京农民工党支部书记余伟对记者说,党支部就像一个灯塔[1]。", [target], originals(newspaper))
    [citation] = checked.citations
    assert citation.quote.startswith("峨眉山市在京农民工党支部书记")
    assert citation.quote.endswith("帮助他们。”")


def test_以小数开头的回答不被当成列表编号_数字照常核对():
    """模型只答“99.4%[1]”:开头的“99.”是数字的一部分,不是“1.”那样的列表编号。"""
    chengdu = prepare_document(DOCUMENTS_DIR / "chengdu-2024-press-conference.txt")
    target = chunk_holding(chengdu, "办结率99.4%")

    checked = check_answer("99.4%[1]", [target], originals(chengdu))

    assert checked.supported and not checked.flagged
    assert "99.4%" in checked.citations[0].quote
    assert not check_answer("98.4%[1]", [target], originals(chengdu)).supported


# -- 没有编号、把几份资料合在一起说的句子(资料为编造) --

def _decision(doc_id: str, region: str, text: str):
    from corpus.model import Chunk, DocumentMeta
    from corpus.normalize import to_index_text

    meta = DocumentMeta(doc_id=doc_id, title=f"中共{region}委关于推进创新发展的决定", issuer=f"中共{region}委", region=region)
    return Chunk(doc_id=doc_id, section_path=("一、总体要求",), text=text, index_text=to_index_text(text),
                 start=0, end=len(text), ordinal=0, meta=meta)


JIA = _decision("jia", "甲市", "认真落实省委九届三次全会决策部署,到2027年建成创新中心20个。市财政设立天使投资基金。")
YI = _decision("yi", "乙市", "认真落实省委九届三次全会决策部署,到2027年建成创新中心30个。推动园区扩容提质。")


def test_没有编号的句子同时说两个地方_两份资料各自都这样说_引用两份():
    checked = check_answer("甲市、乙市两份决定都落实了省委九届三次全会的部署。", [JIA, YI])
    assert checked.text == "甲市、乙市两份决定都落实了省委九届三次全会的部署[1][2]。" and not checked.flagged
    assert [(c.marker, c.doc_id) for c in checked.citations] == [(1, "jia"), (2, "yi")]
    assert all("九届三次全会" in c.quote for c in checked.citations)


@pytest.mark.parametrize("claim", [
    "甲市、乙市都提出到2027年建成创新中心20个。",  # 20个只是甲市的数
    "甲市、乙市都提出到2027年建成创新中心50个。",  # 哪份资料都没有的数
    "甲市、乙市都落实了省委九届四次全会的部署。",  # 编错的届次
    "甲市、乙市都设立天使投资基金。",  # 只有甲市这样说
    "甲市和乙市落实全会部署的做法相同。",  # 资料没有作这个比较
])
def test_合在一起说的句子_数字或说法不是每份资料都有_仍被标记(claim):
    checked = check_answer(claim, [JIA, YI])
    assert not checked.supported and checked.flagged == [claim]


# -- 不标编号、用顿号连起来的清单:逐项核对 ----------------------------------------------------------------

from corpus.model import Chunk, DocumentMeta  # noqa: E402
from corpus.normalize import to_index_text  # noqa: E402

丙市 = DocumentMeta(doc_id="bingshi", title="丙市关于深化改革的决定", region="丙市", issuer="丙市人民政府",
                   date="2030-01-01", file_name="bingshi.txt")


def 编造的段落(text: str) -> Chunk:
    return Chunk(doc_id="bingshi", section_path=("三、重点领域改革",), text=text, index_text=to_index_text(text),
                 start=0, end=len(text), ordinal=0, meta=丙市)


段落 = 编造的段落(
    "深化土地供应制度改革,完善公共数据运营机制。推进临河新区集成授权改革试点,完善南北组团协作机制。"
    "深化科研经费“包干制”试点,健全容错免责机制。深化金融领域改革,完善投融资体系。")


def test_没标编号的长清单跨了几句_逐项核对后保留():
    answer = "丙市重点领域改革涉及土地供应制度改革、公共数据运营机制、临河新区集成授权改革试点、科研经费“包干制”试点、金融领域改革。"
    checked = check_answer(answer, [段落])
    assert checked.supported and not checked.flagged
    assert "临河新区集成授权改革试点" in checked.text and "金融领域改革" in checked.text
    assert all(fold(citation.quote) in fold(段落.text) for citation in checked.citations)


def test_逐项核对时编造的一项仍被标记():
    answer = "丙市重点领域改革涉及土地供应制度改革、临河新区集成授权改革试点、海港自由贸易试验区扩区、金融领域改革。"
    checked = check_answer(answer, [段落])
    assert any("海港自由贸易试验区" in claim for claim in checked.flagged)
    assert "海港" not in checked.text and "金融领域改革" in checked.text


def test_百项千家是计数_回答核对数量时读作100和1000():
    assert figures("突破百项关键技术,培育千家企业", bare=True) == {"100", "1000"}
    assert figures("建成千亿立方米级产能基地", bare=True) == {"100000000000"}
    assert figures("突破百项关键技术") == set(), "引用核对本身不变"
    assert figures("百姓、千园", bare=True) == set(), "不是计数的百、千不是数字"
