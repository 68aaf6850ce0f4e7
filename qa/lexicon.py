"""The words of questions and answers that are not what they are about: one home for every word list.

Every pattern here reads normalized text (corpus.normalize.normalize_query / to_index_text: NFKC, simplified
script), so full-width ，：；？（）％ arrive as , : ; ? ( ) % and one pattern serves both forms.
"""
from __future__ import annotations

import re

# Words that frame a question or an answer and are never evidence of anything (方面, 哪份文件, 具体如下).
FRAMING = frozenset(
    "方面 主要 目标 文件 份文件 材料 部分 内容 情况 举措 措施 哪些 表述 规定 提出 要求 意见 条例 方案 报告 "
    "根据 资料 提到 指出 表示 包括 以下 具体 如下 其中 分别 以及 相关 来源 出自 此外 同时 另外 总之 综上 可见 "
    "通过 进行 没有 找到 无法 回答 提供 任务 讲话 介绍 说法 这份 那份 里面 当中 东西 事情 问题 时候 时间".split()
)
# Words an answer adds around what the source says, or says about itself ("文件中没有找到"); they are
# never evidence of anything.
CLAIM_FRAMING = frozenset(
    "根据 文件 资料 材料 提到 指出 表示 包括 主要 方面 以下 具体 如下 其中 分别 以及 相关 内容 来源 出自 "
    "此外 同时 另外 总之 综上 可见 通过 进行 没有 找到 无法 回答 提供 目标 举措 措施 任务".split()
)

# Words of the question itself: what is asked, not what it is about.
QUESTION_WORD = re.compile(r"哪|什么|多少|怎|如何|是否|请问|几|啥|吗|呢|概括|总结|介绍|各自|分别|谁")

# Words of official statistics and procedure that documents and people use for one another (经济规模 / 经济总量,
# 解决 / 办结): general usage of Chinese official documents, read both ways.
EQUIVALENTS = (
    ("经济规模", "经济总量", "地区生产总值", "GDP", "国内生产总值"),
    ("规上", "规模以上"),
    ("解决", "办结", "化解"),
    ("研发", "研究开发", "研究与试验发展"),
    ("民企", "民营企业"),
    ("国企", "国有企业"),
    ("央企", "中央企业"),
    ("老板", "经营者", "负责人"),
    ("罚款", "处罚", "罚"),
    ("生效", "施行", "实施"),
    ("增速", "增长"),
    ("钱", "资金", "金额"),
)


def variants(word: str) -> tuple[str, ...]:
    """The word and the equivalents of any term it holds (经济规模 → 经济总量, 地区生产总值, ...)."""
    found = [word]
    for group in EQUIVALENTS:
        for term in group:
            if term in word:
                found += [word.replace(term, other) for other in group if other != term]
    return tuple(found)


# A change asked with a bare 多少 ("增长了多少") may be answered by a rate (6.6%).
CHANGE_WORDS = re.compile(r"增长|增加|提高|提升|下降|降低|减少|增速|涨")

# A post held by a person: "乐山市委书记是谁" asks for a person, not an organisation.
JOB_TITLE = re.compile(r"书记|秘书长|主任|局长|部长|市长|省长|区长|县长|主席|院长|董事长|总经理|行长|发言人|负责人")

# A question asking for targets or indicators wants their figures ("举措和目标": 到2025年……4家以上).
ASKS_TARGETS = re.compile(r"目标|指标")

# A follow-up's opening or closing words ("那南充呢?", "还有呢").
FOLLOW_UP_HEAD = re.compile(r"^(那么|那|还有|另外|再|同样|而|它们|它|其|该|这个|这项)")
FOLLOW_UP_TAIL = re.compile(r"呢\s*[?？]?\s*$")  # read on the question as typed: both forms
# A quoted phrase asked about with these words is looked up (出处查询), not answered.
LOOKUP_WORDS = re.compile(r"出自|出处|来源于|在哪|哪份|哪个文件|哪些文件|哪一部分|哪部分|哪一条|哪条|哪部")
QUOTE_MARK = re.compile(r"[“「『\"]")

# Units a count is given in, after the number (12家, 24项, 3个); and the units of an amount.
COUNT_UNITS = "个项家件条次所座名类批种只位支人户届期轮场台套"
AMOUNT_UNITS = r"元|美元|亿|万亿|万|吨|亩|公里|千米|平方公里|平方米|千瓦|瓦|P|EFLOPS|TB"
# Units of physical quantities a target is given in besides those (6000万头, 725亿斤, 1.4亿千瓦, 0.7个百分点).
MEASURE_UNITS = r"个百分点|百分点|头|只|斤|辆|架|艘|台|套|千瓦时|兆瓦|吉瓦|立方米|公顷|标准箱|人次"
TIME_SPAN_UNITS = r"个?工作日|天|日|周|个月|月|年|小时|分钟"

# A region's administrative suffix: what makes 乐山 and 乐山市 the same place.
REGION_SUFFIX = re.compile(r"(市|省|自治区|自治州|特别行政区|县|区)$")
