"""索引文本与查询的规范化：两边必须经过同一个函数。"""
from __future__ import annotations

import pytest

from corpus.normalize import _traditional_to_simplified, chinese_number, normalize_query, to_index_text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("發展新質生產力", "发展新质生产力"),
        ("二〇二七年经济总量目标", "2027年经济总量目标"),
        ("二〇二四", "2024"),
        ("一九九九年提出西部大开发", "1999年提出西部大开发"),
        ("２０２７年ＧＤＰ", "2027年GDP"),
        ("经济总量跨上三千四百亿元台阶", "经济总量跨上3400亿元台阶"),
        ("新增一百二十个项目", "新增120个项目"),
        ("碳达峰十大行动", "碳达峰十大行动"),  # 文件里写作“十大”，不能改成数字
        ("三年行动计划", "三年行动计划"),
        ("千万工程", "千万工程"),
        ("一二三产融合", "一二三产融合"),
        ("乐山\x00的\u200b目标\t是什么", "乐山 的 目标 是什么"),
        ("  多个   空格\n换行  ", "多个 空格 换行"),
    ],
)
def test_查询规范化(query, expected):
    assert normalize_query(query) == expected


def test_索引文本_全角转半角_繁转简_合并空白():
    assert to_index_text("（一）實施前沿科技攻堅突破行動。\n\n到２０２７年") == "(一)实施前沿科技攻坚突破行动。 到2027年"


def test_查询与索引文本一致():
    passage = "高質量發展是全面建設社會主義現代化國家的首要任務"
    assert normalize_query(passage) == to_index_text(passage)


def test_繁简转换器每个进程只建一次():
    assert _traditional_to_simplified() is _traditional_to_simplified()


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("九十九", 99), ("一百零五", 105), ("三千四百", 3400),
     ("两千", 2000), ("一二三", None), ("百十", None), ("", None), ("三年", None)],
)
def test_中文数字(numeral, value):
    assert chinese_number(numeral) == value
