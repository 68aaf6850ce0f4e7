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
    "通过 进行 没有 找到 无法 回答 提供 任务 讲话 介绍 说法 这份 那份 里面 当中 东西 事情 问题 时候 时间 "
    "要点 大致 大概 那段 这段 那块 这块 一块 那章 一章 那节 一节 核心内容 核心 意思 大意 要义 梳理 收尾 结尾 涉及".split()
)
# Words an answer adds around what the source says, or says about itself ("文件中没有找到"); they are
# never evidence of anything.
CLAIM_FRAMING = frozenset(
    "根据 文件 资料 材料 提到 指出 表示 包括 主要 方面 以下 具体 如下 其中 分别 以及 相关 内容 来源 出自 "
    "此外 同时 另外 总之 综上 可见 通过 进行 没有 找到 无法 回答 提供 目标 举措 措施 任务".split()
)

# The shortenings official Chinese uses for the names in documents' titles: 二十大报告 is the report to the
# 第二十次全国代表大会, 人大常委会 the 人民代表大会常务委员会. A title is matched in full and shortened.
TITLE_SHORTENINGS = (
    (re.compile(r"第([一二三四五六七八九十]+)次全国代表大会(?:上的)?"), r"\1大"),  # ……大会上的报告 → 二十大报告
    (re.compile(r"第([一二三四五六七八九十]+)个五年规划"), r"\1五"),
    (re.compile(r"人民代表大会常务委员会"), "人大常委会"),
    (re.compile(r"人民代表大会"), "人大"),
    (re.compile(r"中国共产党"), "中共"),
    (re.compile(r"科技创新"), "科创"),
)
# The region of a national document: it holds for every place a question names
NATIONAL = "全国"

# The jieba part-of-speech tags of words a question is about: nouns, noun-like verbs, abbreviations, idioms
CONTENT_TAGS = re.compile(r"^(n|vn|an|j|l|b|eng|nz|nt|ns)")

# Words of the question itself: what is asked, not what it is about.
QUESTION_WORD = re.compile(r"哪|什么|多少|怎|如何|是否|请问|几|啥|吗|呢|概括|总结|介绍|各自|分别|谁|多大|多久|多长|有没有")

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


# Qualifiers that narrow what a figure or a rule is of (人均 GDP, 高压 供电, 民营 企业): a sentence stating the bare
# thing (经济总量, 低压供电, 后备企业) does not answer for the qualified one.
QUALIFIERS = re.compile(r"人均|年均|户均|平均|累计|新增|净增|全年|上半年|下半年|高压|低压|中压|民营|国有|外资|外商|私营"
                        r"|中小|小微|个体|城镇|农村|居民|省级|市级|县级|国家级|首批|第二批|第三批|进口|出口")

# A change asked with a bare 多少 ("增长了多少") may be answered by a rate (6.6%).
CHANGE_WORDS = re.compile(r"增长|增加|提高|提升|下降|降低|减少|增速|涨")

# A post held by a person: "乐山市委书记是谁" asks for a person, not an organisation.
JOB_TITLE = re.compile(r"书记|秘书长|主任|局长|部长|市长|省长|区长|县长|主席|院长|董事长|总经理|行长|发言人|负责人")

# A question asking for a plan's figure (今年打算增长多少, 增长目标是多少), and the words a sentence states one with
# (预期目标, 6%左右, 力争, 到2027年): a report of last year's result (增长6.6%) states none.
ASKS_TARGET = re.compile(r"目标|打算|计划|力争|预期|准备|争取|要达到|要到|想")
STATES_TARGET = re.compile(r"目标|力争|预期|确保|争取|计划|将|打造|建成|到\d{4}年|\d{4}年前"
                           r"|(?:\d|%|[万亿元个家项倍])(?:以上|左右|以内)")  # 10家以上, not 规模以上

# A question asking for targets or indicators wants their figures ("举措和目标": 到2025年……4家以上).
ASKS_TARGETS = re.compile(r"目标|指标")

# A follow-up's opening or closing words ("那南充呢?", "还有呢").
FOLLOW_UP_HEAD = re.compile(r"^(那么|那|还有|另外|再|同样|而|它们|它|其|该|这个|这项)")
FOLLOW_UP_TAIL = re.compile(r"呢\s*[?？]?\s*$")  # read on the question as typed: both forms
# A quoted phrase asked about with these words is looked up (出处查询), not answered.
LOOKUP_WORDS = re.compile(r"出自|出处|来源于|在哪|哪份|哪个文件|哪些文件|哪一部分|哪部分|哪一条|哪条|哪部")
# A part of a document named by its ordinal: 第三章, 第3节, 第二部分, 第十二条 (group 1 the ordinal, 2 the part)
PART_ORDINAL = re.compile(r"第([一二三四五六七八九十百零〇两\d]+)(章|节|部分|编|条)")
QUOTE_MARK = re.compile(r"[“「『\"]")
# what asks for a source, on its own side of a colon or dash that sets the phrase off (出处是哪:要推动……)
SOURCE_ASK = re.compile(r"出自|出于|出处|来自|源自|来源于|见于|哪份|哪个文件|哪篇|哪部|哪一条|哪条|哪一部分|哪部分|哪里的话")

# Units a count is given in, after the number (12家, 24项, 3个); and the units of an amount.
COUNT_UNITS = "个项家件条次所座名类批种只位支人户届期轮场台套款部岁"
# Count units documents use for one another: 多少条政策 is answered by 24项, 几个园区 by 3个 or 3座, not 10家.
INTERCHANGEABLE_UNITS = ("个项件条款类批种部套", "家所户", "名位人", "次届期轮场", "个座所", "个只台支")
# A number asked that is no quantity: a hotline's or a document's number is looked for as written (12345).
NUMBER_NAMES = re.compile(r"(热线|电话|号码|编号|代码|文号|邮编|网址|邮箱)[^,?]{0,4}(多少|几)")
# A sum of money asked for (投了多少钱, 补贴多少, 资金有多少): answered by an amount in 元, not by 12609公里.
MONEY_WORDS = re.compile(r"钱|资金|经费|投资|补贴|补助|奖励|奖补|资助|罚款|金额|费用|预算|基金|收入")
AMOUNT_UNITS = r"元|美元|亿|万亿|万|吨|亩|公顷|公里|千米|平方公里|平方米|千瓦|瓦|P|EFLOPS|TB"
# Units of physical quantities a target is given in besides those (6000万头, 725亿斤, 1.4亿千瓦, 0.7个百分点).
MEASURE_UNITS = r"个百分点|百分点|头|只|斤|辆|架|艘|台|套|千瓦时|兆瓦|吉瓦|立方米|标准箱|人次"
TIME_SPAN_UNITS = r"个?工作日|天|日|周|个月|月|年|小时|分钟"

# Modifiers that leave a body unnamed: 有关主管部门, 相关单位, 各级政府.
GENERIC_BODY = re.compile(r"有关|相关|各级|各|其他|主管|本级|同级|上级|所在|行政|职能")
# An area asked (占地多大, 面积), in the units of an area.
AREA_WORDS = re.compile(r"占地|面积")
AREA_UNITS = ("亩", "平方公里", "平方米", "平方千米", "公顷")

# Common nouns for places that name none (jieba tags 城市 as a place): no answer to 在哪里.
PLACE_NOUNS = frozenset("城市 地区 地方 区域 全国 全省 全市 本市 本省 本地 当地 各地 城乡 农村 乡村".split())

# A region's administrative suffix: what makes 乐山 and 乐山市 the same place.
REGION_SUFFIX = re.compile(r"(市|省|自治区|自治州|特别行政区|县|区)$")

# Quoted terms that are no programme of a document: general shapes of Chinese political language, not a list of them.
# A period named by its five-year plan (“十四五”, the shortening TITLE_SHORTENINGS makes of 第十四个五年规划), or any
# quoted term followed by 时期 / 期间 / 以来.
PERIOD_NAME = re.compile(r"^[一二三四五六七八九十]+五$")
PERIOD_AFTER = re.compile(r"^(?:时期|期间|以来|末|初)")
# A numbered slogan (“四个意识”, “两个维护”): a number, 个, and the things counted.
NUMBERED_SLOGAN = re.compile(r"^[一二两三四五六七八九十]+个")
# A slogan of a verb and its direction (“引进来”, “走出去”, “请进来”): what is done, not a named measure.
DIRECTIONAL_SLOGAN = re.compile(r"^[\u4e00-\u9fff]{1,2}[进出入回上下过][来去]$")

# The nouns that name a part of a document rather than an action (一、指导思想, (三)发展目标, 二、2025年工作安排): a
# heading of at most four characters, after a year or 下一步, ending in one of them is the document's structure.
DOCUMENT_PART = re.compile(r"^(?:\d{4}年|下一步|今后)?[\u4e00-\u9fff]{0,2}"
                           r"(?:思想|原则|目标|现状|形势|成效|成就|布局|回顾|安排|要求|思路|基础|背景|意义|任务|措施|总则|附则)$")
# Of those, the parts that report what was (发展现状, 2024年工作回顾, 面临形势): their sentences are results, not measures.
PAST_PART = re.compile(r"(?:现状|回顾|形势|基础|成效|成就)$")
