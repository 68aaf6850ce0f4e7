"""What a briefing lists before the measures: the named programmes, targets and figures of a sentence.

Every piece is a verbatim slice of the sentence, so a footnote quoting the sentence backs it. Patterns
are those of Chinese official documents in general, in full-width and ASCII punctuation alike.
"""
from __future__ import annotations

import re

import jieba
import jieba.posseg

from qa import lexicon

MAX_INDICATOR_CHARS = 40

# documents in traditional script write the same words (實施…計劃, 萬億元): each simplified character of
# the patterns below also matches its traditional form
_TRADITIONAL = dict(zip("实开启动进组织计划万亿个项户条吨倍达过长提升迈降将于还亩里张规关项类级国专点设贷试头辆时顷标准机协调联沟议", "實開啟動進組織計劃萬億個項戶條噸倍達過長提昇邁降將於還畝裏張規關項類級國專點設貸試頭輛時頃標準機協調聯溝議"))


def _both_scripts(pattern: str) -> str:
    """Each character with a traditional form becomes a class of both; inside a class, both are listed."""
    out, in_class = [], False
    for char in pattern:
        if char == "[" and (not out or out[-1] != "\\"):
            in_class = True
        elif char == "]" and (not out or out[-1] != "\\"):
            in_class = False
        if char in _TRADITIONAL and _TRADITIONAL[char] != char:
            out.append(char + _TRADITIONAL[char] if in_class else f"[{char}{_TRADITIONAL[char]}]")
        else:
            out.append(char)
    return "".join(out)


# a clause ends at a comma, semicolon, colon or sentence end (、 joins the items of one indicator list)
_CLAUSE = re.compile(r"[^,，;；:：。！？!?]+")
_DIGIT = re.compile(r"\d")
MIN_LEADING_INDICATOR = 3  # "形成百项标志性产品": a verb alone before a figure is no indicator
# what a figure counts in: the general vocabulary of units (qa/lexicon.py), a magnitude before any of them (6000万头,
# 1.4亿千瓦, 2.1万张), or a magnitude alone (3400亿); an ordinal's units (届, 期, 轮) count nothing
_UNITS = sorted({*lexicon.AMOUNT_UNITS.split("|"), *lexicon.MEASURE_UNITS.split("|"), "张", "倍",
                 *(set(lexicon.COUNT_UNITS) - set("届期轮"))} - {"万亿", "亿", "万"}, key=len, reverse=True)
_UNIT = rf"(?:万亿|亿|万|千)?(?:{'|'.join(_UNITS)})|万亿|亿|万"
# a year a figure is to be reached by: 到2025年, 2025年底; not the year a figure grew to (增长到2021年) or stood at
# (截至2024年末), which a report of past results gives
_TARGET_YEAR = re.compile(_both_scripts(
    r"(?:力争)?(?<![长高升加大低降少])到(20\d{2})年(?:底|末)?|(?<!截至)(?<!截止)(20\d{2})年(?:底前|末前|前|底|末)"))
# 300家, 2.1万张; 百项, 三十家 (a Chinese numeral with 十/百/千: 一家 alone is an article); an ordinal (第七十三条,
# 第3条) counts nothing
_NUMBER = (r"(?:(?<![第\d.．])\d+(?:[.．]\d+)?|(?<![第一二三四五六七八九十百千])[一二三四五六七八九]?[十百千][一二三四五六七八九十百千]*)"
           rf"(?:[%％]|{_UNIT})")
_VALUE = re.compile(_both_scripts(
    r"(?:达到|突破|超过|增长|提高到|提升到|提高|跨上|迈上|增至|降至|下降|控制在|保持在|稳定在|不低于|不少于)?"
    r"(?:超|近|逾)?"  # 超1万家, 近10%: the bound is part of the value
    # figures listed under one 分别 share the last unit: 分别提升31.1个和26.3个百分点 is one value, not 31.1个
    rf"{_NUMBER}(?:[和、与]{_NUMBER})*"
    r"级?"  # 千亿级产业园区: the class is part of the value
    r"(?:以上|左右|以内|以下)?"
    # 十个工作日内, 30日: a time span is a deadline, not a figure to reach
    rf"(?!{lexicon.TIME_SPAN_UNITS})"
))
# 合作企业已从2家拓展至12家, 光缆线路长度从2012年的1479万公里增加到2021年的5481万公里: a change from one figure to
# another is one figure, from 从 on, of what stands before it
_CHANGE_FROM = re.compile(_both_scripts(r"从(?:(?:19|20)\d{2}年(?:底|末)?的?)?$"))
_CHANGE_TO = re.compile(_both_scripts(r"^[\u4e00-\u9fff]{0,4}?[到至](?:(?:19|20)\d{2}年(?:底|末)?的?)?$"))
_ALREADY = re.compile(_both_scripts(r"(?:已经|已)$"))
# 1万家企业开展技术改造, 8项改革任务落地见效: what is counted is the noun before what it does
_COUNTED_DOES = re.compile(_both_scripts(r"(?<=[\u4e00-\u9fff]{2})(?:开展|实现|实施|通过|完成|参与|获得|入选|落地|纳入).*$"))
# 7家高质量孵化器中, 4家上市公司中3家: the set a clause picks from, named after the figure and closed by 中
_AMONG = re.compile(r"^(?P<set>[\u4e00-\u9fff]{2,20})中(?=$|\d|[一二三四五六七八九十百千]|有)")
# (上市公司中)3家是民营企业: what the figure picked from that set counts
_PICKED = re.compile(r"^(?:是|为)(?P<kind>[\u4e00-\u9fff]{2,12})$")
# 民营企业作为主体的共31个: a relative clause with no noun of its own before the figure
_UNNAMED = ("的", "的共")
# 千亿级, 千亩: a class or a size, which says of what follows how large it is (千亿级产业园区, 千亩高产示范片), unlike
# a count (3个驿站) or an amount on its own (100万亩)
_ATTRIBUTIVE = re.compile(_both_scripts(rf"(?:级|{'|'.join(lexicon.AREA_UNITS)})$"))
# the noun such a figure qualifies: the characters after it, up to a list mark or a connective
_CLASSED_NOUN = re.compile(r"(?:(?![和及与并或等的])[\u4e00-\u9fff])+")
# 比2012年分别提升: a comparison's base and its verb, with no subject, name nothing measured
_COMPARISON_ONLY = re.compile(_both_scripts(r"^(?:比|较|同比|环比)"))
# 处一万元以上十万元以下的罚款: a penalty a regulation sets, not a figure it aims at
# (处五千元以上三万元以下罚款: the lower bound is followed by the upper one)
_PENALTY = re.compile(_both_scripts(r"^[^,，;；。]{0,12}罚款"))
MIN_GOAL_CHARS, MAX_GOAL_CHARS = 6, 40  # "全面建成" says nothing; a longer clause is a measure
_INDICATOR_EDGE = re.compile(r"^[\s、和及与并,，]+|[\s、和及与并,，]+$")

# “嘉才计划”, 「一网通办」: a quoted name; a title in 《》 is a document, not a programme
_QUOTED_NAME = re.compile(r"“([^“”\n]{2,30})”|「([^「」\n]{2,30})」|\"([^\"\n]{2,30})\"")
# 实施高品质人才领跑计划, 推进工业强基工程, 用好未来产业基金, 开展知识产权质押贷款, 开展投贷联动试点, 推出科创助力贷:
# an unquoted name after the verb or the list mark before it; funds, loans (a credit product is named X贷; 信贷 and
# 敢贷 are no product) and pilots are a policy's named products as plans are its programmes
_PROGRAMME = re.compile(_both_scripts(
    r"(?:实施|开展|启动|推进|落实|推行|组织|深化|打造|制定|出台|设立|用好|推出|推广|发展|创设|和|及|、)"
    r"(?!实施)(?P<name>(?:(?![和及与的并或等])[\u4e00-\u9fff]){2,16}?(?:计划|工程|行动|工作法|基金|贷款|(?<![信借放敢愿能会])贷|试点))"
    r"(?=[,，、;；。和及与等\s]|$)"
    # 建立知识产权快速协同保护机制, 实行惩罚性赔偿制度: a mechanism or rule a policy sets up under a name of its own
    # (five characters or more before 机制 or 制度: 工作机制, 管理制度 are kinds)
    r"|(?:建立健全|建立|健全|落实|(?<!落)实行|推行)(?!完善|健全|建立)(?P<institution>(?:(?![和及与的并或等])[\u4e00-\u9fff]){5,14}?(?:机制|制度))"
    r"(?=[,，、;；。和及与等\s]|$)"
))
# a verb that introduces a programme, inside a name after 和 / 、, says the name began later: "支持企业和社会组织以设立
# 基金等方式…" names no fund "社会组织以设立基金"
_INTRODUCING_VERB = re.compile(_both_scripts(r"实施|开展|启动|设立|出台|制定|推出|创设|用好"))
_PROGRAMME_SUFFIX = re.compile(_both_scripts(r"(?:计划|工程|行动|工作法|十条|条|品牌|专项|基金|卡|贷|贷款|试点)$"))
# 年度计划, 相关人才工程, 省级重大人才计划: modifiers and at most a two-character word name no programme
_GENERIC_PROGRAMME = re.compile(_both_scripts(
    r"^(?:相关|有关|年度|各类|各项|专项|三年|系列|重点|重大|攻坚|一批|省级|市级|国家级|国家|行动)+"
    r"[\u4e00-\u9fff]{0,2}(?:行动|计划|工程|试点|基金|贷款)$|^(?:行动|计划|工程|试点){1,2}$"
    # 信用贷款, 并购基金, 产业投资基金, 综合试点: a kind of fund, loan or pilot, not one of them
    r"|^(?:产业|创业|股权|风险)?(?:投资)?[\u4e00-\u9fff]{0,2}(?:基金|贷款|试点)$"
    # 工作推进协调机制, 诚信建设长效机制: who meets or how long it lasts is a kind of mechanism, not its name
    r"|^.*(?:协调|长效|工作|联动|沟通|议事|体制)(?:工作)?机制$"))


def _is_predicate(text: str) -> bool:
    """Text led by a verb (after its adverbs: 持续推动国务院, 扎实推进) is what is done, not what is counted."""
    for pair in jieba.posseg.cut(text):
        if pair.flag not in ("d", "vd", "ad", "a"):
            return pair.flag == "v"
    return False


def figures_in(sentence: str) -> list[tuple[str, str, str]]:
    """(target year, indicator, value) of each figure in a sentence, all verbatim pieces of it.

    "到2025年,全市新增国家科技型中小企业孵化器1家、国家科技型中小企业达到300家" gives
    ("2025年", "全市新增国家科技型中小企业孵化器", "1家") and ("2025年", "国家科技型中小企业", "达到300家").
    A target year holds for the rest of its sentence. When only a verb stands before the last figure of a
    clause, what it counts follows it: "建成3个大湾区国际人才驿站" gives ("", "大湾区国际人才驿站", "3个"), and
    "突破百项前沿关键核心技术" ("", "前沿关键核心技术", "突破百项"); "约50名…" says nothing. A change is one figure
    ("合作企业已从2家拓展至12家": ("", "合作企业", "从2家拓展至12家")); a deadline ("十个工作日内") is none.
    """
    found = []
    year = ""
    # a figure inside a quoted name belongs to the name (“人才政策‘嘉’十条”, “碳达峰十大行动”)
    quoted = [match.span() for match in _QUOTED_NAME.finditer(sentence)]
    set_before, set_start = "", 0  # the clause before, and where it starts in the sentence
    for clause_match in _CLAUSE.finditer(sentence):
        clause, offset = clause_match.group(), clause_match.start()
        if target := _TARGET_YEAR.search(clause):
            year = f"{target.group(1) or target.group(2)}年"
        previous_end = 0
        values: list[tuple[int, int]] = []
        for value in _VALUE.finditer(clause):
            if any(left < offset + value.start() < right for left, right in quoted) or _PENALTY.match(clause[value.end():]):
                continue
            if values and value.start() == values[-1][1]:
                continue  # "8个千亿级产业链": a figure right after another classes what that one counts
            change = _CHANGE_FROM.search(clause, 0, values[-1][0]) if values else None  # 从 just before the last value
            if change and _CHANGE_TO.match(clause[values[-1][1] : value.start()]):
                values[-1] = (change.start(), value.end())  # 从2家拓展至12家: one value
            else:
                values.append(value.span())
        for index, (start, end) in enumerate(values):
            value = clause[start:end]
            upto = values[index + 1][0] if index + 1 < len(values) else len(clause)
            classed = _CLASSED_NOUN.match(clause[end:upto]) if _ATTRIBUTIVE.search(value) else None
            if classed and classed.end() == upto - end and upto < len(clause):
                continue  # "粮油千亩高产示范片1000个": the size is part of what the next figure counts
            indicator = _INDICATOR_EDGE.sub("", _TARGET_YEAR.sub("", _ALREADY.sub("", clause[previous_end:start])))
            # "建成3个…"; nothing but a list mark after an earlier figure's noun ("1万亩基地、2个加工园区"): what the
            # figure counts follows it
            verb_only = (len(indicator) == MIN_LEADING_INDICATOR - 1 or not _DIGIT.search(value)
                         or (not indicator and previous_end > 0))
            previous_end = end + (classed.end() if classed else 0)  # the noun a class qualifies is no later indicator
            counted = _INDICATOR_EDGE.sub("", clause[end:]).removeprefix("的")  # 96.68%的办税缴费事项
            short = len(indicator) < MIN_LEADING_INDICATOR
            among = _AMONG.match(clause[end:upto])
            if classed:
                indicator = classed.group()  # "粮油五千亿级产业链和…", "打造千亿级产业园区": the class of the noun after
            elif among:
                # "全市首批7家高质量孵化器中,…", "新增的4家上市公司中3家…": the figure counts the set it is picked from
                indicator = among.group("set")
            elif indicator.endswith("中") and (picked := _PICKED.match(counted)):
                indicator = picked.group("kind")  # "上市公司中3家是民营企业": 3家 counts 民营企业
            elif indicator.endswith("等") and (listed := _INDICATOR_EDGE.sub("", clause[end:upto]).removeprefix("的")):
                # after a list, what is counted follows, up to the next figure (数字服务等5个国家特色服务出口基地,
                # "…、推进企业快速成长等6个方面16条措施": 6个 counts 方面)
                indicator = _COUNTED_DOES.sub("", listed)
            elif index == len(values) - 1 and counted and (verb_only if short else _is_predicate(indicator)):
                # "建成3个大湾区国际人才驿站", "突破百项前沿关键核心技术", "持续推动国务院8项调法调规任务落地见效":
                # after a verb, what is counted follows
                indicator = _COUNTED_DOES.sub("", counted)
            elif indicator.endswith(_UNNAMED) and not counted and set_before.endswith("中"):
                # "重大工程正式项目中,民营企业作为主体的共31个": what 的 qualifies is the set the clause before names
                indicator = _INDICATOR_EDGE.sub("", sentence[set_start : offset + start])
            if len(indicator) < 2 or _COMPARISON_ONLY.match(indicator):
                continue  # a bare figure ("增长30%", "约50名") says nothing the reader could compare
            if len(indicator) > MAX_INDICATOR_CHARS:
                indicator = "…" + indicator[-MAX_INDICATOR_CHARS:]
            found.append((year, indicator, value))
        set_before, set_start = clause.strip(), offset + len(clause) - len(clause.lstrip())
    return found


def goals_in(sentence: str) -> list[tuple[str, str]]:
    """(target year, clause) of each clause after a target year that states a goal without a figure, verbatim:
    "力争到2026年,新兴产业发展壮大,未来产业培育实现突破" gives ("2026年", "新兴产业发展壮大") and ("2026年",
    "未来产业培育实现突破"); "到2025年,把乐山建成全国智慧文旅标杆城市" ("2025年", "把乐山建成全国智慧文旅标杆城市").
    Clauses with a figure are figures_in's."""
    found = []
    year = ""
    for clause_match in _CLAUSE.finditer(sentence):
        clause = clause_match.group()
        if target := _TARGET_YEAR.search(clause):
            year = f"{target.group(1) or target.group(2)}年"
            clause = clause[target.end():]
        goal = _INDICATOR_EDGE.sub("", clause).strip()
        if year and MIN_GOAL_CHARS <= len(goal) <= MAX_GOAL_CHARS and not _VALUE.search(goal):
            found.append((year, goal))
    return found


def programmes_in(sentence: str) -> list[str]:
    """The named programmes, brands and labels of a sentence, in order: quoted names as quoted
    (“嘉才计划” → 嘉才计划), and unquoted names of plans, projects and actions (实施全民健身计划 → 全民健身计划)."""
    found: list[tuple[int, str]] = []
    quoted_spans = []
    for match in _QUOTED_NAME.finditer(sentence):
        quoted_spans.append(match.span())
        name = next(group for group in match.groups() if group)
        # “懂科技、懂产业…” is a list, not a name; a period, a slogan or a metaphor is none either
        if not re.search(r"[、,，;；]", name) and not _is_slogan(name, sentence[match.end():]):
            found.append((match.start(), name))
    objects_end = named_end = -1  # where the last names that are the objects of verbs joined by 和 end; the last name
    for match in _PROGRAMME.finditer(sentence):
        group = "name" if match.group("name") else "institution"
        start = match.start(group)
        if any(left <= start < right for left, right in quoted_spans):
            continue
        if sentence[match.start()] in "和及" and start - match.start() == 1 and match.start() != named_end and (
                match.start() == objects_end or _verb_before(sentence, match.start())):
            # "参与和主导国际科学计划和科学工程": the 和 joins two verbs, and what follows them are their objects
            objects_end = match.end()
            continue
        name = match.group(group)
        if not _GENERIC_PROGRAMME.match(name) and not _INTRODUCING_VERB.search(name) and not _is_kind(name):
            found.append((start, name))
            named_end = match.end()
    return list(dict.fromkeys(name for _, name in sorted(found)))


_KIND_HEAD = re.compile(_both_scripts(r"(?:基金|贷款|试点)$"))


def _is_kind(name: str) -> bool:
    """A fund, loan or pilot qualified by one word only (中长期贷款, as 信用贷款) is a kind of it, not one."""
    head = _KIND_HEAD.search(name)
    return bool(head) and len(list(jieba.cut(name[: head.start()]))) == 1


def _verb_before(sentence: str, end: int) -> bool:
    """The word right before `end` is a verb (参与 of 参与和主导)."""
    words = list(jieba.posseg.cut(sentence[max(0, end - 4) : end]))
    return bool(words) and words[-1].flag == "v"


# jieba's count of a word in its dictionary's corpus from which a quoted one-word noun is a word of the language used
# as a metaphor (当好企业的“知心人”, 发挥“稳定器”作用, 划定“红线”), not a name the document coins, which the dictionary
# does not hold (“嘉才计划”, “一网通办”): 1, that is any noun of the dictionary, fitted by benchmarks/fit_brief.py (the
# lowest count that loses no tune item; it was 100, set, which kept 知心人 10, 稳定器 35, 大礼包 12)
ORDINARY_WORD_FREQ = 1


def _is_slogan(name: str, after: str) -> bool:
    """A quoted period (“十四五”时期), numbered slogan (“四个意识”), verb slogan (“走出去”, “放管服”), motto (“…是…”) or an
    ordinary noun used as a metaphor (划定“红线”, 牵住“牛鼻子”): none is a named initiative of the document."""
    if lexicon.PERIOD_NAME.match(name) or lexicon.PERIOD_AFTER.match(after):
        return True
    if lexicon.NUMBERED_SLOGAN.match(name) or lexicon.DIRECTIONAL_SLOGAN.match(name):
        return True
    if _PROGRAMME_SUFFIX.search(name):
        return False
    # three verbs of one character each (“放管服”: 简政放权、放管结合、优化服务) shorten three lines of reform, a slogan
    if len(name) == 3 and all(next(jieba.posseg.cut(char)).flag in ("v", "vn") for char in name):
        return True
    words = list(jieba.posseg.cut(name))
    # a quoted statement (贯彻“服务是第一生产力”理念) is a motto the document cites: it says what something is
    if any(pair.word == "是" and pair.flag == "v" for pair in words):
        return True
    # one noun or set phrase (jieba's l: 放大器) of the dictionary is an ordinary word used as a metaphor
    return (len(words) == 1 and (words[0].flag.startswith("n") or words[0].flag == "l")
            and jieba.dt.FREQ.get(name, 0) >= ORDINARY_WORD_FREQ)


def is_programme(name: str) -> bool:
    """A plan, project, action or policy package by its name (嘉才计划, 人才政策‘嘉’十条), not a slogan
    or a label (“高精尖缺”, “小巨人”): these come first where room is short."""
    return bool(_PROGRAMME_SUFFIX.search(name))


_INSTITUTION_SUFFIX = re.compile(_both_scripts(r"(?:机制|制度)$"))


def is_institution(name: str) -> bool:
    """A mechanism or rule by its name (营商环境观察员制度): listed after programmes and the labels a document
    puts in quotes, which it marks as its own."""
    return bool(_INSTITUTION_SUFFIX.search(name))
