"""修复：去掉抓取与转码留下的痕迹，同时保留回到原文位置的映射。"""
from __future__ import annotations

import pytest

from corpus.repair import ILLEGIBLE, UNRELATED_HEADING, repair


def assert_maps_back(repaired):
    """Every character of the repaired text (but the illegible mark) is the original character it maps to."""
    for index, char in enumerate(repaired.text):
        start, end = repaired.to_original(index, index + 1)
        if char == ILLEGIBLE:
            assert end > start
        else:
            assert (repaired.original[start], end - start) == (char, 1), index


def test_删除拼音注音():
    repaired = repair("高質量發(fā)展是全面建設社會主義現(xiàn)代化國家的首要任務。")
    assert repaired.text == "高質量發展是全面建設社會主義現代化國家的首要任務。"
    assert any("拼音" in warning and "2" in warning for warning in repaired.warnings)
    assert_maps_back(repaired)


@pytest.mark.parametrize("kept", ["互联网协议第六版(IPv6)商用部署", "天然氣(頁巖氣)開發", "不动产投资信托基金(REITs)申报",
                                  "(一)培育壮大先进制造业集群"])
def test_不带声调的括号内容保留(kept):
    assert repair(kept).text == kept


def test_删除抓取噪声行且偏移无缝():
    original = "打开网易新闻 查看精彩图片\n\n11月14日,新闻发布会召开。\n\n打开网易新闻 查看精彩图片\n\n全会主要特点\n"
    repaired = repair(original)
    assert "网易" not in repaired.text
    assert "11月14日,新闻发布会召开。" in repaired.text and "全会主要特点" in repaired.text
    assert_maps_back(repaired)
    start, end = repaired.to_original(repaired.text.index("全会"), len(repaired.text.rstrip()))
    assert original[start:end] == "全会主要特点"


def test_删除报纸转版标记():
    repaired = repair("中共乐山市委关于深入推进创新驱动引领乐山高质量发展的决定\n\n(上接第1版)\n\n7. 建设民用核技术产业创新区块。\n（下转第3版）")
    assert "上接" not in repaired.text and "下转" not in repaired.text
    assert "7. 建设民用核技术产业创新区块。" in repaired.text
    assert sum("转版标记" in warning for warning in repaired.warnings) == 2


def test_删除文末来源和联系方式页脚连同其间标语():
    body = "四是聚力优保障,构建总规模3000亿元以上覆盖企业全生命周期的产业基金体系,打造高素质产业人才矩阵。\n\n"
    footer = "图文来源:成都发布\n\n政府主导 链圈结盟\n\n产业导向 协同发展\n\n电邮:lianmeng@cdxcl.org\n\n电话:028-85469987"
    repaired = repair(body + footer)
    assert repaired.text.strip() == body.strip()
    assert any("页脚" in warning and "成都发布" in warning for warning in repaired.warnings)


def test_文末落款不是页脚():
    original = "同学们,衷心祝福你们成就梦想,前程似锦!\n\n乐山市就业创业促进中心\n2021年7月12日"
    assert repair(original).text == original


@pytest.mark.parametrize(
    ("garbled", "shown"),
    [
        ("建设一流å¤§å­¦和学科", "建设一流□和学科"),
        ("锟斤拷锟斤拷科技创新", "□科技创新"),
        ("经济总量\ufffd\ufffd\ufffd亿元", "经济总量□亿元"),
        ("確?茖W論證、科學決策", "確□論證、科學決策"),  # 确保科学论证, GBK 字节被错读
        ("做好高!皩烁傔M、爭創一流”工作", "做好高□、爭創一流”工作"),
    ],
)
def test_乱码标记后不进入正文(garbled, shown):
    repaired = repair(garbled)
    assert repaired.text == shown
    assert any("乱码" in warning for warning in repaired.warnings)
    assert_maps_back(repaired)


def test_感叹号问句不是乱码():
    kept = "遇见更好的自己!衷心祝福你们成就梦想?我们坚信AI产业会更好。"
    assert repair(kept).text == kept


def test_紧邻重复的句子只留一次():
    sentence = "加快建设乐山高新区与西部(成都)科学城战略合作,打造跨区域科技成果转化示范基地。"
    repaired = repair("加强科技成果转化服务。" + sentence * 4 + "\n13. 加强知识产权保护运用。")
    assert repaired.text.count(sentence) == 1
    assert any("重复 3 次" in warning for warning in repaired.warnings)
    assert_maps_back(repaired)


def test_隔着空格重复的句子连同空格删去():
    sentence = "“嘉州英才培育计划”持续实施。"
    repaired = repair(f"{sentence} {sentence} 培育引进一批人才。")
    assert repaired.text == f"{sentence} 培育引进一批人才。"
    assert_maps_back(repaired)


def test_跨页断开的句子接合():
    original = ("15. 强化先进制造科技支撑。推进工业强基工程,提升产业核心基础体系能级。实施智能制造行\n\n"
                "动,推动产品设计、生产流程、市场开发等数字化。\n\n16. 强化健康乐山科技支撑。")
    repaired = repair(original)
    assert "实施智能制造行动,推动产品设计" in repaired.text
    assert "数字化。\n\n16. 强化" in repaired.text  # 句末换行与标题前换行不动
    assert_maps_back(repaired)


def test_标题行不与下一行接合():
    original = "二、明确主攻方向\n坚持把构建富有乐山特色和优势的现代化产业体系作为主攻方向。"
    assert repair(original).text == original


def test_同版其他文章被标出而不删除():
    decision = "28. 保障政策落实。" + "".join(f"第{number}项部署全面落地落实。" for number in range(1, 30))
    original = f"{decision}\n\n余伟:在京不忘家 离乡不离党\n\n■记者 唐诗敏\n\n余伟返乡投资达400万元。"
    repaired = repair(original)
    assert repaired.text == original
    assert repaired.text[repaired.unrelated_from:].startswith("余伟:在京不忘家")
    assert any(UNRELATED_HEADING in warning for warning in repaired.warnings)


def test_记者问答不是记者署名():
    original = "《决定》主要内容" + "。" * 200 + "\n\n记者问答\n\n最近有哪些举措?"
    assert repair(original).unrelated_from is None


def test_原文不改写():
    nanchong_oddity = "坚定贯彻习关于新质生产力的重要论述,推动高水平质量的发展。"
    assert repair(nanchong_oddity).text == nanchong_oddity


def test_映射只接受文内区间():
    repaired = repair("一段文字。")
    with pytest.raises(ValueError):
        repaired.to_original(3, 99)
