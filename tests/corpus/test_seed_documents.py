"""五份种子文件：手写的章节路径、每一块的原文偏移与长度约束、修复报告。"""
from __future__ import annotations

import hashlib

import pytest

from corpus import DOCUMENTS_DIR
from corpus.chunk import MIN_CHARS, outline_lines
from corpus.normalize import to_index_text
from corpus.pipeline import packaged_manifest, prepare_document
from corpus.repair import ILLEGIBLE, UNRELATED_HEADING, repair

SEED_IDS = ("leshan-2024-industry", "nanchong-2024-new-productive-forces", "leshan-innovation-driven",
            "sichuan-2024-high-quality-development", "chengdu-2024-press-conference")
MAX_CHARS = 400
SENTENCE_ENDS = tuple("。！？!?；;”’」』）)，,")

# sha256 of /work/shared/corpus-seeds/000_….txt … 004_….txt: the packaged documents are byte-exact copies
SEED_SHA256 = {
    "leshan-2024-industry.txt": "28008a323cf10ea269b82dbe6d88be86ec3efb1b1023e373fd27b2faa4e3f2ee",
    "nanchong-2024-new-productive-forces.txt": "4bf60d1f914f82911ef5b2e6accd5566f03610c3be845c6bda46a409596853d4",
    "leshan-innovation-driven.txt": "de1983f645af417a157358d3452fa5434dcb8333c41a65d945e54be45af83e8d",
    "sichuan-2024-high-quality-development.txt": "f1be3c928e50dc102a8760715d7312b41d9216394e4f5139bbb3844d745ade4d",
    "chengdu-2024-press-conference.txt": "8a26c4f215bf41a2d12929a48511e5f9fbb4ace458183a8b4b3bebfa119becc1",
}

CHENGDU_QUESTION = "此次全会对优化促进民营经济发展壮大的体制机制提出了一系列务实举措,请问在下一步贯彻落实过程中,有哪些着力重点?"

# (document, a passage, the section path of the chunk that holds it), written out by hand
EXPECTED_SECTIONS = [
    ("leshan-2024-industry", "(2024年6月25日中国共产党乐山市第八届委员会第九次全体会议通过)", ()),
    ("leshan-2024-industry", "打造具有国际竞争力的中国绿色硅谷",
     ("二、明确主攻方向", "(一)培育壮大先进制造业集群")),
    ("leshan-2024-industry", "深入实施欠发达县域托底性帮扶“1+6”实施方案和24项支持政策措施",
     ("四、强化统筹协调", "(九)深入推进城乡融合发展")),
    ("leshan-2024-industry", "坚持把良好发展环境作为重要基础",  # 过短的引言并入第一个小节
     ("五、优化发展环境", "(十二)全面深化改革扩大开放")),
    ("leshan-2024-industry", "防止把传统产业当成“低端产业”简单退出",
     ("六、提升能力水平", "(十五)全面加强党的领导")),
    ("nanchong-2024-new-productive-forces", "较2023年增长30%以上", ()),
    ("nanchong-2024-new-productive-forces", "支持西华师范大学天体物理实验室创建省级重点实验室",
     ("(一)建强科学技术创新平台",)),
    ("nanchong-2024-new-productive-forces", "积极培育AI产业", ("(二)培育壮大新兴起的产业和未来产业",)),
    ("nanchong-2024-new-productive-forces", "强化党对新质生产力发展的全面领导,优化落实专班推进", ()),  # 上级标题已失
    ("leshan-innovation-driven", "把乐山建成民用核技术产业发展新高地", ("7. 建设民用核技术产业创新区块",)),
    ("leshan-innovation-driven", "全市每万人口高价值发明专利拥有量达到1.54件以上",
     ("三、培育建强各类创新主体,全面提升科技创新能力", "13. 加强知识产权保护运用")),
    ("leshan-innovation-driven", "破除唯论文、唯职称、唯学历、唯奖项导向",
     ("五、集聚用好各类创新要素,营造一流创新生态环境", "22. 突破体制机制障碍")),
    ("leshan-innovation-driven", "实施智能制造行动,推动产品设计",  # 跨页断开的句子已接合
     ("四、拓展创新成果应用场景,强化重点领域科技赋能", "15. 强化先进制造科技支撑")),
    ("leshan-innovation-driven", "余伟返乡投资达400万元", (UNRELATED_HEADING, "引进资源建设家乡")),
    ("leshan-innovation-driven", "申领《就业登记证》", (UNRELATED_HEADING, "致高校毕业生的一封信")),
    ("sichuan-2024-high-quality-development", "全省經濟總量已經邁上六萬億元臺階",
     ("一、把堅持高質量發展作為新時代的硬道理",)),
    ("sichuan-2024-high-quality-development", "推動落實職務科技成果單列管理制度",
     ("二、以創新為主導加快發展新質生產力", "(三)深化重點領域和關鍵環節改革")),
    ("sichuan-2024-high-quality-development", "支持建設9個國家級和20個省級農業優勢特色產業集群",
     ("三、增強發展平衡性協調性和可持續性", "(二)深入推進城鄉融合發展")),
    ("sichuan-2024-high-quality-development", "推動三星堆遺址—金沙遺址申報世界文化遺產",
     ("四、提升人民群眾生活品質", "(三)豐富高品質文化供給")),
    ("sichuan-2024-high-quality-development", "堅持新時代好干部標準", ("六、提高推動高質量發展能力和水平",)),
    ("chengdu-2024-press-conference", "出席发布会并发言", ()),
    ("chengdu-2024-press-conference", "全会听取和讨论了曹立军同志受市委常委会委托作的工作报告",
     ("中共成都市委副秘书长 市委政研室主任 市委改革办常务副主任曾明友 介绍了市委十四届六次全会 有关情况",)),
    ("chengdu-2024-press-conference", "三是充分体现了市委着眼长远谋划成都进一步全面深化改革的战略考量", ("全会主要特点",)),
    ("chengdu-2024-press-conference", "实行“一次挂号管三天”", ("《决定》主要内容", "第四部分为全面推进政治文化社会生态领域改革")),
    ("chengdu-2024-press-conference", "成都的民营经济贡献了全市50%左右的经济总量",
     ("记者问答", CHENGDU_QUESTION, "市发展改革委副主任陈健")),
    ("chengdu-2024-press-conference", "建立健全12345企业诉求提速提级处置机制",
     ("记者问答", CHENGDU_QUESTION, "市发展改革委副主任陈健", "二是聚焦解难题护权益,及时回应民营企业急难愁盼")),
]


@pytest.mark.parametrize(("doc_id", "passage", "section_path"), EXPECTED_SECTIONS)
def test_章节路径(seeds, doc_id, passage, section_path):
    holding = [chunk for chunk in seeds[doc_id].chunks if passage in chunk.text]
    assert [chunk.section_path for chunk in holding] == [section_path]


def test_乐山产业体系决定的目录():
    assert outline_lines(packaged_chunks("leshan-2024-industry")) == [
        "一、把握阶段性目标", "二、明确主攻方向", "  (一)培育壮大先进制造业集群", "  (二)推动农业产业全链条升级",
        "  (三)促进以旅游为龙头的现代服务业繁荣发展", "三、聚焦关键环节", "  (四)强化企业科技创新主体地位",
        "  (五)建设高端创新平台", "  (六)厚植科技创新人才资源优势", "  (七)提升产业园区承载能级", "  (八)构建创新型产品体系",
        "四、强化统筹协调", "  (九)深入推进城乡融合发展", "  (十)提升人民群众生活品质", "  (十一)全面加强美丽乐山建设",
        "五、优化发展环境", "  (十二)全面深化改革扩大开放", "  (十三)激发各类经营主体活力", "  (十四)构建更高水平安全格局",
        "六、提升能力水平", "  (十五)全面加强党的领导", "  (十六)凝聚强大工作合力",
    ]


def test_南充决定缺少一级标题_各组从一开始():
    assert [line for line in outline_lines(packaged_chunks("nanchong-2024-new-productive-forces"))
            if line.startswith("(一)")] == [
        "(一)焕新升级传统产业", "(一)建强科学技术创新平台", "(一)全力发展绿色低碳循环经济", "(一)深入推动重点领域改革"]


def packaged_chunks(doc_id: str):
    return prepare_document(DOCUMENTS_DIR / f"{doc_id}.txt").chunks


@pytest.fixture(scope="module", params=SEED_IDS)
def seed(request, seeds):
    document = seeds[request.param]
    return document, repair(document.original_text).text


def test_每块的偏移落在原文中_原文去掉修复痕迹即是正文(seed):
    document, _ = seed
    original = document.original_text
    for chunk in document.chunks:
        span = original[chunk.start:chunk.end]
        assert span[0] == chunk.text[0] and span[-1] == chunk.text[-1], chunk.ordinal
        position = 0
        for char in chunk.text:
            if char == ILLEGIBLE:
                continue
            position = span.index(char, position) + 1  # ValueError: a character the span does not hold
        removed = len(span) - len(chunk.text.replace(ILLEGIBLE, ""))
        assert removed <= 0.6 * len(span), chunk.ordinal  # only artefacts are skipped, not passages


def test_块不超过上限_除非是一个超长的句子(seed):
    document, _ = seed
    for chunk in document.chunks:
        inner_ends = sum(chunk.text[:-1].count(end) for end in "。！？!?；;")
        assert len(chunk.text) <= MAX_CHARS or inner_ends == 0, chunk.ordinal


def test_块不在句子中间切开(seed):
    document, repaired = seed
    position = 0
    for chunk in document.chunks:
        start = repaired.index(chunk.text, position)
        end = position = start + len(chunk.text)
        starts_clean = start == 0 or repaired[start - 1] == "\n" or repaired[:start].rstrip().endswith(SENTENCE_ENDS)
        ends_clean = chunk.text.endswith(SENTENCE_ENDS) or end == len(repaired) or repaired[end] == "\n"
        assert starts_clean and ends_clean, (chunk.ordinal, chunk.text[:20], chunk.text[-20:])


def test_没有空块或孤立的小块(seed):
    document, _ = seed
    assert all(len(chunk.text.strip()) >= MIN_CHARS for chunk in document.chunks)


def test_正文每个字都在且只在一块中(seed):
    document, repaired = seed
    assert "".join("".join(chunk.text.split()) for chunk in document.chunks) == "".join(repaired.split())


def test_序号与位置依次递增_索引文本已规范化(seed):
    document, _ = seed
    chunks = document.chunks
    assert [chunk.ordinal for chunk in chunks] == list(range(len(chunks)))
    assert all(earlier.end <= later.start for earlier, later in zip(chunks, chunks[1:]))
    assert all(to_index_text(chunk.index_text) == chunk.index_text for chunk in chunks)
    assert all(chunk.meta == document.meta and chunk.doc_id == document.meta.doc_id for chunk in chunks)


def test_两次切分的块编号相同(seed):
    document, _ = seed
    again = prepare_document(document.path)
    assert [chunk.chunk_id for chunk in again.chunks] == [chunk.chunk_id for chunk in document.chunks]
    assert len({chunk.chunk_id for chunk in document.chunks}) == len(document.chunks)


@pytest.mark.parametrize(
    ("doc_id", "reported"),
    [
        ("leshan-2024-industry", ["页脚"]),
        ("nanchong-2024-new-productive-forces", []),
        ("leshan-innovation-driven", ["转版标记", "重复 3 次", "跨页断开", UNRELATED_HEADING]),
        ("sichuan-2024-high-quality-development", ["拼音注音", "乱码「!皩烁傔M」", "乱码「?茖W」"]),
        ("chengdu-2024-press-conference", ["噪声行 9 行", "页脚"]),
    ],
)
def test_修复报告(seeds, doc_id, reported):
    warnings = "\n".join(seeds[doc_id].warnings)
    assert all(what in warnings for what in reported), warnings
    assert bool(warnings) == bool(reported)


def test_打包的文件与种子逐字节相同_且都在清单中():
    files = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in DOCUMENTS_DIR.iterdir()}
    assert files == SEED_SHA256
    assert set(packaged_manifest()) == set(SEED_SHA256)


def test_文件的元数据来自清单(seeds):
    assert set(seeds) == set(SEED_IDS)
    leshan = seeds["leshan-2024-industry"].meta
    assert (leshan.region, leshan.date, leshan.source, leshan.year) == ("乐山市", "2024-06-25", "乐山发布", 2024)
    assert {meta.region for meta in (document.meta for document in seeds.values())} == {"乐山市", "南充市", "四川省", "成都市"}
    assert seeds["leshan-innovation-driven"].meta.date == ""  # 文中唯一的完整日期属于同版的另一篇文章
