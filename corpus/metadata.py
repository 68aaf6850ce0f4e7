"""Metadata of a document no manifest describes: title, issuer, place, date and kind, read from its text.

Only what Chinese official documents generally show is used, never a list of this corpus's documents:
  * the title lines at the top, joined across line breaks until they make a whole title (…的决定, …条例,
    …方案); adoption notes ("2022年11月25日 …会议通过"), session lines, speakers, greetings (各位代表：),
    document numbers (国发〔2021〕29号) and dates are not title;
  * the issuer: the organ a title opens with (中共X市委关于…, X人民政府办公厅印发…), the people's congress of an
    adoption note, the organs that sign a notice above its date, the government a work report's speaker heads,
    the body a report is made on behalf of, or a scraper's 发布机构 header when it names an organ;
  * the place: the province or city the issuer or the title starts with, 全国 for a central organ;
  * the date: adopted (the latest revision of a revised regulation), delivered, signed at the foot, or a
    scraper's 发布日期 header;
  * the kind: the document type a title ends with (for a notice that issues a plan, the plan's type).
What cannot be found stays "".
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import opencc

from corpus.manifest import doc_id_for
from corpus.model import DocumentMeta
from corpus.normalize import chinese_number
from corpus.repair import is_scraper_field

_TOP_LINES = 40  # the title, notes and greeting stand in the first lines
_TITLE_LINE_MAX = 80
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_NUMBERED = re.compile(r"(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、]|"
                       r"第[一二三四五六七八九十百零〇\d]+[编章节条部])")
_DOC_NUMBER = re.compile(r"〔\d{4}〕\s*\d+\s*号|\[\d{4}\]\s*\d+\s*号")  # 国发〔2021〕29号
_GREETING = re.compile(r"[^，,。]{2,40}[:：]$|[^:：]{2,60}[:：]$")  # 各位代表： / 各区人民政府，市政府各委、办、局：
_SPACED_NAME = re.compile(r"[\u4e00-\u9fff](?:[\s\u3000]+[\u4e00-\u9fff]){1,3}")  # 习　近　平
_HEAD_ROLE = r"总理|省长|市长|州长|县长|区长|主席|主任|书记|部长|局长|秘书长|发言人|负责人"
_SPEAKER = re.compile(rf"(?P<organ>\S{{2,30}}?)(?P<role>{_HEAD_ROLE})\s*[\u4e00-\u9fff·]{{2,4}}")
# a whole title ends with a document type (or the closing mark of a quoted one)
_WHOLE_TITLE = re.compile(r"(?:条例|决定|决议|报告|意见|方案|规划|纲要|计划|办法|规定|细则|措施|通知|公告|通告|公报|讲话|"
                          r"发布会|实录|情况|要点|指引|清单|》)(?:[(（][^)）]*[)）])?$")

_TITLE_CONTINUES = ("的", "之", "暨")
# a title line that goes on in the next one, whatever the blank lines between them: "国务院关于印发" / "“十四五”…的通知"
_CONTINUES_TITLE = ("—", "的", "之", "关于", "《", "“", "暨", "和", "及", "与")
_TITLE_GOES_ON = ("印发", "转发", "关于", "的", "和", "及", "与", "、", "暨")
_DATE = re.compile(r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
                   r"|(?P<iso>(?:19|20)\d\d-\d{1,2}-\d{1,2})(?!\d)"
                   r"|(?P<cn_year>[〇○零一二三四五六七八九]{4})年(?P<cn_month>[一二三四五六七八九十]{1,2})月"
                   r"(?P<cn_day>[一二三四五六七八九十]{1,3})日")
_IN_FORCE = re.compile(r"\s*(?:起)?(?:施行|实施|生效)")  # "自2022年1月1日起施行" is not when it was adopted
_NOTE = re.compile(r"通过|修正|修订|修改|批准|公布|发布|印发|会议上|大会上")
_ADOPTED = re.compile(r"通过|修正|修订|批准")
_BARE_DATE = re.compile(rf"[(（]?(?:{_DATE.pattern})[)）]?")

_CONGRESS = re.compile(r"(?P<place>(?:(?![年月日第])[\u4e00-\u9fff]){2,12}?)?(?:第[一二三四五六七八九十百]+届)?(?P<national>全国)?人民代表大会"
                       r"(?P<standing>常务委员会)?")
_ORGAN_END = (r"人民代表大会常务委员会|人大常委会|人民代表大会|人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|"
              r"国务院|中央委员会|委员会|[省市县区州]委|中共中央|部门|[部厅局委院署办处]")
_TITLE_ORGAN = re.compile(rf"(?P<organ>.{{2,30}}?(?:{_ORGAN_END}))(?=关于|印发|转发)")
ORGAN_LINE = re.compile(rf"[^\s，,。:：;；]{{2,30}}?(?:{_ORGAN_END}|政府|中心)")
_ON_BEHALF = re.compile(r"我代表(?P<organ>[^，,。、\s]{2,20}?)(?:[，,])?向")
_CENTRAL = re.compile(r"国务院|中央|全国|^国家|部(?:等.{1,3}部门)?$|总局|总署")
_ABBREVIATED_ORGAN = re.compile(r"[省市县区州](?:人民政府|委|人大)")  # 市人民政府: the place is said elsewhere
_NATIONAL_TITLE = re.compile(r"^(?:中华人民共和国|国务院|中共中央|全国|国家)")  # a title that speaks for the country
# "2008年9月3日国务院第25次常务会议通过": the government that adopted it
_ADOPTING_GOVERNMENT = re.compile(r"(?P<organ>国务院|(?:(?![年月日第])[\u4e00-\u9fff]){2,12}?人民政府)\s*第\s*\d+\s*次常务会议")
_PLACE = re.compile(r"(?P<province>[\u4e00-\u9fff]{2,7}?(?:省|自治区))?(?P<city>[\u4e00-\u9fff]{2,7}?"
                    r"(?:市|自治州|地区|盟|特别行政区))?")
_NOT_A_PLACE = re.compile(r"^(?:全|本|该|各|城|大|超大|特大|中心|县级|地级|设区的)")
_YEAR_PREFIX = re.compile(r"^\d{4}\s*年(?:度)?")
_SCRAPER_FIELD = re.compile(r"\s*(?:\*\*)?\s*(?P<name>发布日期|发布时间|发文日期|成文日期|发布机构|发布单位|发文机关)\s*(?:\*\*)?"
                            r"\s*[:：]\s*(?P<value>.*?)\s*$")
_ISSUES = re.compile(r"(?:印发|转发)\s*[《<]?(?P<inner>[^》>]+)[》>]?")
# a plenum's decision without a title line: "…市委…全会对加快培育…进行了研究，作出如下决定"
_DECIDED = re.compile(r"(?P<organ>[\u4e00-\u9fff]{2,12}?(?:[省市县区州]委|人民政府|政府))[^，,。]{0,20}?对(?P<topic>[^。]{4,60}?)"
                      r"(?:进行了|作了)?(?:专题)?研究\s*[,，]\s*(?:现)?作出(?:如下|以下)决定")
# a news report's lead names the event: "11月14日,解读市委十四届六次全会精神新闻发布会召开"
_EVENT = re.compile(r"(?P<month>\d{1,2})月(?P<day>\d{1,2})日\s*[,，]?\s*(?:[^，,。]{0,10}?[,，])?"
                    r"(?P<event>[^，,。]{4,40}?(?:新闻发布会|发布会|座谈会|推进会|大会|论坛))(?:在[^，,。]{2,20})?(?:召开|举行)")
# a city named as the seat of an organ: 中共成都市委, 成都市商务局 (a bare "全市" or "城市" is not one)
_ORGAN_CITY = re.compile(r"(?<![\u4e00-\u9fff])(?:中共)?(?P<city>[\u4e00-\u9fff]{2,3}市)"
                         r"(?=委|人民政府|政府|人大|[\u4e00-\u9fff]{1,6}?[局委办院厅])")
_ISSUED_NAME = re.compile(r"《(?P<name>[^》]{4,60})》[^。]{0,30}?(?:印发给你们|现予(?:以)?印发|现印发|转发给你们)")
_DEFINES_KIND = (
    ("政府工作报告", r"政府工作报告"), ("新闻发布会", r"新闻发布会|发布会"), ("问答实录", r"问答实录|答记者问|问答"),
    ("规划纲要", r"规划纲要$"), ("规划", r"规划$"), ("纲要", r"纲要$"),
    ("实施意见", r"实施意见$"), ("若干意见", r"若干意见$"), ("指导意见", r"指导意见$"), ("意见", r"意见$"),
    ("行动方案", r"行动方案$"), ("建设方案", r"建设方案$"), ("实施方案", r"实施方案$"), ("工作方案", r"工作方案$"),
    ("方案", r"方案$"), ("行动计划", r"行动计划$"), ("计划", r"计划$"), ("若干措施", r"措施$"),
    ("条例", r"条例$"), ("办法", r"办法$"), ("法律", r"法$"), ("规定", r"规定$"), ("细则", r"细则$"), ("决定", r"决定$"),
    ("决议", r"决议$"), ("公报", r"公报$"), ("报告", r"报告$"), ("讲话", r"讲话$"), ("通知", r"通知$"),
)
_KINDS = tuple((kind, re.compile(pattern)) for kind, pattern in _DEFINES_KIND)
_TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")  # "（国发〔2021〕29号）", "（2024—2027年）"

# the province-level divisions, for a text that names its province only in passing ("四川是……")
_PROVINCES = {
    name: name + "省" for name in (
        "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南",
        "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾")
} | {"北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市", "内蒙古": "内蒙古自治区",
     "广西": "广西壮族自治区", "西藏": "西藏自治区", "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区",
     "香港": "香港特别行政区", "澳门": "澳门特别行政区"}
_PROVINCE = re.compile("|".join(sorted(_PROVINCES, key=len, reverse=True)))


@dataclass
class _Top:
    """What the lines above the text proper say."""

    title: list[str]  # as written (the document's own script)
    notes: list[str]  # adoption notes, session lines, dates (normalized)
    speakers: list[str]


def derive_meta(file_name: str, text: str, original: str | None = None) -> DocumentMeta:
    """Metadata for a file no manifest describes; `text` is the repaired text, `original` the file's text as read
    (where a scraper's header fields still stand)."""
    raw_lines = text.splitlines()
    lines = [line.strip() for line in raw_lines if line.strip()]
    set_apart = [number > 0 and not raw_lines[number - 1].strip()
                 for number, line in enumerate(raw_lines) if line.strip()]
    top = _top(lines, set_apart)
    fields = _scraper_fields(original if original is not None else text)
    normal_lines = [_normal(line) for line in lines]
    title = "".join(top.title)
    signed_date, signers = _signature(normal_lines)
    normal_title = _normal(title)
    issuer = (_title_organ(normal_title) or _congress(top.notes) or _adopting_government(top.notes) or "、".join(signers)
              or _speaker_organ(top.speakers)
              or _on_behalf(normal_lines[:_TOP_LINES]) or _sane_organ(fields.get("organ", "")))
    if not title:
        title, decided_by = _untitled(normal_lines[:_TOP_LINES], top)
        issuer = issuer or decided_by
        normal_title = _normal(title)
    place = (_place_of(issuer) or _place_of(_YEAR_PREFIX.sub("", normal_title), _NATIONAL_TITLE)
             or _congress_place(top.notes) or _session_place(top.notes)
             or _place_of(_sane_organ(fields.get("organ", ""))) or _most_named_place(normal_lines))
    if _ABBREVIATED_ORGAN.match(issuer) and place and place != "全国":  # "我代表市人民政府" in 绵阳市
        issuer = place + issuer[1:]
    return DocumentMeta(
        doc_id=doc_id_for(file_name),
        title=title or Path(file_name).stem,
        issuer=issuer,
        region=place,
        date=(_note_date(top.notes) or signed_date or _iso(fields.get("date", "")) or _event_date(normal_lines)
              or _first_date(normal_lines)),
        file_name=file_name,
        kind=kind_of(normal_title),
    )


def kind_of(title: str) -> str:
    """The document type a title names; for a notice issuing a document (印发《…方案》的通知), that document's."""
    title = _TRAILING_NOTE.sub("", _normal(title))
    issued = _ISSUES.search(title)
    candidates = [_TRAILING_NOTE.sub("", issued.group("inner")).removesuffix("的通知")] if issued else []
    for candidate in [*candidates, title]:
        for kind, pattern in _KINDS:
            if pattern.search(candidate):
                return kind
    return ""


@functools.cache
def _simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _normal(line: str) -> str:
    """NFKC and simplified script, so that 關於 is 关于 and ２０２４ is 2024; spaces kept."""
    return _simplified().convert(unicodedata.normalize("NFKC", line)).strip()


def _top(lines: list[str], set_apart: list[bool]) -> _Top:
    """`set_apart[i]`: a blank line stands above lines[i] (the two lines of a two-line title, printed apart, are
    two phrases: "高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗")."""
    top = _Top([], [], [])
    early_notes: list[str] = []  # above the title: a column's or a page's date ("每周一学（2022年6月27日——7月3日）")
    title_done = False
    for line, apart in zip(lines[:_TOP_LINES], set_apart):
        normal = _normal(line)
        if is_scraper_field(line):
            continue
        if _DATE.search(normal) and (_NOTE.search(normal) or _BARE_DATE.fullmatch(normal) or len(normal) <= 60
                                     and not _SENTENCE_END.search(normal)):
            (top.notes if top.title else early_notes).append(normal)
            title_done = title_done or bool(top.title)
            continue
        if _DOC_NUMBER.search(normal) and len(normal) <= 30:
            title_done = title_done or bool(top.title)
            continue
        if _is_speaker(normal):
            top.speakers.append(normal)
            title_done = title_done or bool(top.title)
            continue
        if (_SENTENCE_END.search(normal) or _NUMBERED.match(normal) or len(normal) > _TITLE_LINE_MAX
                or (_GREETING.fullmatch(normal) and not _WHOLE_TITLE.search(normal))):
            break
        if title_done:
            if _normal("".join(top.title)).replace(" ", "") == normal.replace(" ", ""):  # repeated above the text
                continue
            if not normal.startswith(_TITLE_CONTINUES):
                break
            title_done = False  # "…《…行动方案》" / "的通知": a title broken after its quoted name
        phrase = (top.title and apart and not normal.startswith(_CONTINUES_TITLE)
                  and not _normal(top.title[-1]).endswith(_TITLE_GOES_ON))
        top.title.append(" " + line if phrase else line)
        title_done = bool(_WHOLE_TITLE.search(normal))
    top.notes = top.notes or early_notes
    return top


def _is_speaker(line: str) -> bool:
    if _SPACED_NAME.fullmatch(line):
        return True
    speaker = _SPEAKER.fullmatch(line)
    return speaker is not None and not _WHOLE_TITLE.search(line)


def _scraper_fields(original: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in original.splitlines()[:_TOP_LINES]:
        field = _SCRAPER_FIELD.match(line)
        if field and field.group("value"):
            key = "date" if "日期" in field.group("name") or "时间" in field.group("name") else "organ"
            fields.setdefault(key, _normal(field.group("value")))
    return fields


def _title_organ(title: str) -> str:
    organ = _TITLE_ORGAN.match(title)
    return _party_committee(organ.group("organ")) if organ else ""


def _party_committee(organ: str) -> str:
    """乐山市委 is the CPC's committee: named 中共乐山市委, as the party writes it."""
    return "中共" + organ if re.search(r"[省市县区州]委$", organ) and not organ.startswith("中共") else organ


def _congress(notes: list[str]) -> str:
    """人大常委会 / 人大 of the latest adoption or revision note: 北京市人大常委会, 全国人大常委会."""
    for note in sorted(notes, key=_note_date, reverse=True):
        congress = _CONGRESS.search(note)
        if congress and "会议" in note[congress.end():] and _ADOPTED.search(note):
            place = "全国" if congress.group("national") else congress.group("place") or ""
            if place and (place == "全国" or _place_of(place)):
                return place + ("人大常委会" if congress.group("standing") else "人大")
    return ""


def _session_place(notes: list[str]) -> str:
    """The place of the people's congress a report was delivered at ("在四川省第十四届人民代表大会…会议上")."""
    for note in notes:
        congress = _CONGRESS.search(note)
        if congress and congress.group("place"):
            place = _place_of(re.sub(r"^.*?在", "", congress.group("place")))
            if place:
                return place
    return ""


def _adopting_government(notes: list[str]) -> str:
    for note in notes:
        adopted = _ADOPTING_GOVERNMENT.search(note)
        if adopted:
            return adopted.group("organ")
    return ""


def _congress_place(notes: list[str]) -> str:
    congress = _congress(notes)
    return "全国" if congress.startswith("全国") else _place_of(congress)


def _speaker_organ(speakers: list[str]) -> str:
    """四川省人民政府省长 施小琳 → 四川省人民政府; 广东省省长 王伟中 → 广东省人民政府."""
    for speaker in speakers:
        match = _SPEAKER.fullmatch(speaker)
        if match is None:
            continue
        organ, role = match.group("organ"), match.group("role")
        if role in ("省长", "市长", "州长", "县长", "区长") and not organ.endswith(("政府", "国务院")):
            organ += "人民政府"
        if _place_of(organ) or _CENTRAL.search(organ):
            return organ
    return ""


def _on_behalf(lines: list[str]) -> str:
    """我代表第十九届中央委员会向大会作报告 → 中共第十九届中央委员会."""
    for line in lines:
        match = _ON_BEHALF.search(line)
        if match:
            organ = match.group("organ")
            return "中共" + organ if organ.startswith("第") and organ.endswith("中央委员会") else organ
    return ""


def _sane_organ(value: str) -> str:
    """A scraper's 发布机构 when it names an organ (not "暂无", not a phrase the scraper caught)."""
    named = ORGAN_LINE.fullmatch(value) and (_place_of(value) or _CENTRAL.search(value))
    return value if 3 <= len(value) <= 30 and named else ""


def _signature(lines: list[str]) -> tuple[str, list[str]]:
    """The first date standing alone on its line under the organs that sign (上海市人民政府办公厅 / 2025年9月4日)."""
    for number, line in enumerate(lines):
        if not _BARE_DATE.fullmatch(line) or number == 0:
            continue
        signers = []
        for above in reversed(lines[max(0, number - 8):number]):
            if not ORGAN_LINE.fullmatch(above):
                break
            signers.insert(0, above)
        if signers:
            return _iso_of(_DATE.search(line)), signers
    return "", []


def _untitled(lines: list[str], top: _Top) -> tuple[str, str]:
    """The title (and issuer) of a text without a title line, from what it says of itself: a plenum's decision
    ("南充市委…对加快培育…进行了研究,作出如下决定"), a notice issuing a document (《…行动方案》…现印发给你们), a news
    report's event, a work report (its speaker heads a government, delivering it at a people's congress)."""
    for line in lines:
        issued = _ISSUED_NAME.search(line)
        if issued:
            return issued.group("name"), ""
        decided = _DECIDED.search(line)
        if decided:
            organ = decided.group("organ")
            return f"{organ}关于{decided.group('topic')}的决定", _party_committee(organ)
    for line in lines[:3]:
        event = _EVENT.search(line)
        if event:
            return event.group("event"), ""
    government = _speaker_organ(top.speakers)
    if government.endswith("人民政府") and any("人民代表大会" in note for note in top.notes):
        return government.removesuffix("人民政府") + "政府工作报告", government
    return "", ""


def _place_of(name: str, central: re.Pattern[str] = _CENTRAL) -> str:
    """The province or city a name starts with (中共乐山市委 → 乐山市, 上海市杨浦区人民政府 → 上海市), 全国 for a
    central organ, or ""."""
    party = re.match(r"中共|中国共产党", name)
    name = name[party.end():] if party else name
    if not name:
        return ""
    match = _PLACE.match(name)
    # "解读市委…精神": without 中共 in front, "X市委" is no proof that X is a place
    committee = match is not None and name.startswith("委", match.end()) and not party
    for unit in (match.group("city"), match.group("province")) if match and not committee else ():
        if unit and not _NOT_A_PLACE.match(unit):
            return unit
    province = _PROVINCE.match(name)
    if province:
        return _PROVINCES[province.group()]
    return "全国" if central.search(name) else ""


def _most_named_place(lines: list[str]) -> str:
    """The province the text names most, or the city whose organs it names more often still."""
    text = "".join(lines)
    provinces = Counter(_PROVINCES[name] for name in _PROVINCE.findall(text))
    cities = Counter(match.group("city") for match in _ORGAN_CITY.finditer(text))
    ranked = sorted([*provinces.most_common(1), *cities.most_common(1)], key=lambda pair: -pair[1])
    return ranked[0][0] if ranked else ""


def _event_date(lines: list[str]) -> str:
    """The day a news lead gives without its year ("11月14日,…发布会召开"), in the year the text's dates have."""
    event = next((match for line in lines[:3] if (match := _EVENT.search(line))), None)
    year = next((match.group("year") for line in lines for match in _DATE.finditer(line) if match.group("year")), None)
    if event is None or year is None:
        return ""
    return f"{year}-{int(event.group('month')):02d}-{int(event.group('day')):02d}"


def _note_date(notes: list[str] | str) -> str:
    """The latest date a note adopts, revises or delivers the document on; dates of entry into force left out."""
    notes = [notes] if isinstance(notes, str) else notes
    dates = [_iso_of(match) for note in notes for match in _DATE.finditer(note)
             if not _IN_FORCE.match(note, match.end())]
    return max(dates, default="")


def _first_date(lines: list[str]) -> str:
    for line in lines:
        for match in _DATE.finditer(line):
            if not _IN_FORCE.match(line, match.end()):
                return _iso_of(match)
    return ""


def _iso(value: str) -> str:
    match = _DATE.search(value)
    return _iso_of(match) if match else ""


def _iso_of(match: re.Match[str]) -> str:
    if match.group("iso"):
        year, month, day = (int(part) for part in match.group("iso").split("-"))
    elif match.group("year"):
        year, month, day = (int(match.group(name)) for name in ("year", "month", "day"))
    else:
        digits = {"〇": 0, "○": 0, "零": 0} | {char: value for value, char in enumerate("一二三四五六七八九", start=1)}
        year = int("".join(str(digits[char]) for char in match.group("cn_year")))
        month, day = chinese_number(match.group("cn_month")) or 0, chinese_number(match.group("cn_day")) or 0
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""
