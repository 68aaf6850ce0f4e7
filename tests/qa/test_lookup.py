"""查出处:一句话出自哪份文件的哪一部分;简体句子也能找到繁体文件,偏移指向原文件里的那一段。"""
import pytest

from corpus import DOCUMENTS_DIR
from corpus.pipeline import PreparedDocument, iter_corpus
from corpus.repair import repair
from qa.lookup import extract_quoted_phrase, lookup, reworded_candidates

LESHAN = "leshan-2024-industry"
SICHUAN = "sichuan-2024-high-quality-development"


@pytest.fixture(scope="module")
def seeds() -> list[PreparedDocument]:
    return list(iter_corpus(DOCUMENTS_DIR))


@pytest.fixture(scope="module")
def chunks(seeds):
    return [chunk for document in seeds for chunk in document.chunks]


@pytest.fixture(scope="module")
def originals(seeds) -> dict[str, str]:
    return {document.meta.doc_id: document.original_text for document in seeds}


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("“打造具有国际竞争力的中国绿色硅谷”这句话出自哪份文件的哪个部分?", "打造具有国际竞争力的中国绿色硅谷"),
        ("“一次挂号管三天”出自哪份材料的哪一部分?", "一次挂号管三天"),
        (
            "“防止把传统产业当成‘低端产业’简单退出”这句话在哪些文件里出现?分别在哪一部分?",
            "防止把传统产业当成‘低端产业’简单退出",
        ),
        ("「先立后破、分类指导」出自哪里", "先立后破、分类指导"),
        ("全省经济总量已经迈上六万亿元台阶这句话出自哪里?", "全省经济总量已经迈上六万亿元台阶"),
        ("乐山到2027年经济总量目标是多少?", ""),
        ("这句话是哪份文件里的:争取让全国百强县百强区实现零突破", "争取让全国百强县百强区实现零突破"),
        ("企业违法情节轻微、及时改正的不罚款——出自哪部条例?", "企业违法情节轻微、及时改正的不罚款"),
        ("乐山的目标：到2027年经济总量是多少？", ""),
        ("出自哪部条例：人才计划", ""),
    ],
)
def test_从问题里取出要查的句子(question, phrase):
    assert extract_quoted_phrase(question) == phrase


def test_简体句子找到繁体文件_偏移切出原文(chunks, originals):
    [match] = lookup("全省经济总量已经迈上六万亿元台阶", chunks, originals)
    assert (match.doc_id, match.exact, match.score) == (SICHUAN, True, 1.0)
    assert match.matched_text == originals[SICHUAN][match.start : match.end]
    assert repair(match.matched_text).text == "全省經濟總量已經邁上六萬億元臺階"
    assert match.section == "一、把堅持高質量發展作為新時代的硬道理"
    assert match.matched_text in match.context and len(match.context) > len(match.matched_text)


def test_两份文件里的同一句话都找到_各自的部分(chunks, originals):
    matches = lookup("“防止把传统产业当成‘低端产业’简单退出”这句话在哪些文件里出现?", chunks, originals)
    assert {(match.doc_id, match.exact) for match in matches} == {(LESHAN, True), (SICHUAN, True)}
    sections = {match.doc_id: match.section for match in matches}
    assert sections[LESHAN] == "六、提升能力水平 > (十五)全面加强党的领导"
    for match in matches:
        assert match.matched_text == originals[match.doc_id][match.start : match.end]


def test_原文排在近似表述前面(chunks, originals):
    matches = lookup("因地制宜发展新质生产力,先立后破、分类指导", chunks, originals)
    assert [(match.doc_id, match.exact) for match in matches] == [(LESHAN, True), (SICHUAN, False)]
    assert matches[1].score < 1.0
    assert repair(matches[1].matched_text).text.endswith("先立后破、因地制宜、分類指導")


def test_稍有改写的句子也能找到(chunks, originals):
    [match] = lookup("努力打造国际竞争力强的中国绿色硅谷", chunks, originals)
    assert (match.doc_id, match.exact) == (LESHAN, False)
    assert match.matched_text == "打造具有国际竞争力的中国绿色硅谷"
    assert match.section == "二、明确主攻方向 > (一)培育壮大先进制造业集群"


def test_文件里没有的句子找不到(chunks, originals):
    assert lookup("乐山要建设全国最大的氢能产业基地和储能中心", chunks, originals) == []


def test_短语只做精确查找_不把几个字相同的说法当成出处(chunks, originals):
    assert lookup("建设世界一流大学", chunks, originals) == []


def test_同一位置只报一次(chunks, originals):
    """相互重叠的段落会在同一处各找到一次;结果里每个位置只出现一次。"""
    once = lookup("防止贪大求洋、一哄而上", chunks, originals)
    assert lookup("防止贪大求洋、一哄而上", chunks + chunks, originals) == once
    assert len(once) == 2


def test_空句子和缺少原文都给出明确的错误(chunks, originals):
    with pytest.raises(ValueError, match="为空"):
        lookup(" “” ", chunks, originals)
    two_documents = [chunk for chunk in chunks if chunk.doc_id in (LESHAN, SICHUAN)]
    with pytest.raises(ValueError, match=SICHUAN):
        lookup("全省经济总量", two_documents, {LESHAN: originals[LESHAN]})


def test_改写的短句与长句里的一段分句比较_不只与整句比较():
    """“政府不能拿换届当理由不兑现承诺”改写的是四个分句中的一个:整句的相近度被其余分句冲淡。"""
    text = "行政机关应当遵循诚信原则，不得以政府换届为由不履行约定义务，确需改变的应当依法补偿，并纳入绩效评价。下一句。"
    spans = [text[start:end] for start, end in reworded_candidates(text, length=12)]
    assert spans[0] == "行政机关应当遵循诚信原则，不得以政府换届为由不履行约定义务，确需改变的应当依法补偿，并纳入绩效评价。"
    assert "不得以政府换届为由不履行约定义务，" in spans
    assert "下一句。" in spans and all(len(span) <= len(spans[0]) for span in spans)
