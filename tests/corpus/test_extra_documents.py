"""../shared/corpus-extra 的真实文件：手写的章节路径与目录；同一文件存成 .txt、.docx、.pdf、.html，元数据和目录相同。

文件只在运行时从 ../shared 读取（或 $POLICYQA_SHARED_DIR），Word、PDF 和网页也在测试里生成，不进仓库。
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import docx
import pytest

from corpus.chunk import outline, outline_lines
from corpus.pipeline import prepare_document
from tests.corpus.conftest import EXTRA_DIR

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
BOILERPLATE = ("**", "## ", "<!--", "---", "【原文下载】", "更新时间", "发布机构", "Public domain", "\u200b", "\u200c")

# (document, a passage, the section path of the chunk that holds it), written out by hand from the texts
EXPECTED_SECTIONS = [
    # a regulation with chapters whose list is repeated before the body
    ("beijing_digital_economy_regulation_2022", "第一条 为了加强数字基础设施建设", ("第一章 总则", "第一条")),
    ("beijing_digital_economy_regulation_2022", "第十四条 除法律、行政法规另有规定", ("第二章 数字基础设施", "第十四条")),
    ("beijing_digital_economy_regulation_2022", "第十五条 本市加强数据资源安全保护", ("第三章 数据资源", "第十五条")),
    ("beijing_digital_economy_regulation_2022", "本条例自2023年1月1日起施行", ("第九章 附则", "第五十八条")),
    # a regulation with chapters and items inside its articles
    ("chongqing_business_environment_regulation_2021", "（四）对情况清楚、诉求合理的实名差评事项，拒不整改的",
     ("第四章 法治保障", "第七十八条")),
    ("chongqing_business_environment_regulation_2021", "第二条 本市行政区域内优化营商环境工作适用本条例", ("第一章 总则", "第二条")),
    ("chongqing_business_environment_regulation_2021", "本条例自2021年7月1日起施行", ("第五章 附则", "第八十条")),
    # a regulation without chapters
    ("shandong_growth_drivers_conversion_regulation_2019", "第一条 为了促进和保障新旧动能转换", ("第一条",)),
    ("shandong_growth_drivers_conversion_regulation_2019", "本条例自2019年10月1日起施行", ("第三十条",)),
    # a work report: unnumbered parts, (一) items, lead phrases, the glossary as an appendix
    ("sichuan_gov_work_report_2025", "全省地区生产总值增长5.7%", ("2024年工作回顾",)),
    ("sichuan_gov_work_report_2025", "持续开展项目攻坚行动",
     ("2025年工作安排建议", "（一）全方位扩大内需，稳住经济大盘", "做实项目支撑扩大有效投资")),
    ("sichuan_gov_work_report_2025", "坚持高质量发展硬道理，抢抓机遇", ("加强政府自身建设", "（一）树牢正确政绩观")),
    ("sichuan_gov_work_report_2025", "“两新”：是指大规模设备更新和消费品以旧换新", ("名词解释",)),
    # a work report whose appendix numbers its items 一、 like the report's own parts
    ("guangdong_gov_work_report_2025", "一年来的发展历程很不平凡", ("一、2024年工作回顾",)),
    ("guangdong_gov_work_report_2025", "为超2.5万名65岁及以上失能老年人免费提供健康管理",
     ("附件1 2025年省十件民生实事", "一、为老年人提供健康管理、医养结合服务和提升养老机构服务水平")),
    ("guangdong_gov_work_report_2025", "货物“一线”放开、“二线”管住", ("附件2 名词解释",)),
    # a plan issued by a notice before it
    ("national_digital_economy_14th_fyp_2021", "现将《“十四五”数字经济发展规划》印发给你们", ("印发通知",)),
    ("national_digital_economy_14th_fyp_2021", "数字经济是继农业经济、工业经济之后的主要经济形态", ()),
    ("national_digital_economy_14th_fyp_2021", "建成全球规模最大的光纤和第四代移动通信",
     ("一、发展现状和形势", "（一）发展现状", "信息基础设施全球领先")),
    # a press-conference transcript: the asker's question, the answer over several paragraphs
    ("shanghai_private_economy_measures_qa_2025", "2024年，我市民营经济保持平稳健康发展",
     ("新华社：目前上海民营经济发展的整体情况怎么样？未来政府部门在推进措施落地、营造民营企业更好发展环境、促进民营经济高质量发展方面有什么考虑？",
      "顾军")),
    ("shanghai_private_economy_measures_qa_2025", "去年7月我们对本市支持上市的指导性文件进行了修订完善",
     ("界面财联社：民营企业发展到一定阶段需要扩宽融资渠道，上市是重要途径。请问上海在支持民营企业上市融资方面，是怎么做的？", "周小全")),
]

# the top of each outline, written out by hand
EXPECTED_TOP_LEVEL = {
    "beijing_digital_economy_regulation_2022": [
        "第一章 总则", "第二章 数字基础设施", "第三章 数据资源", "第四章 数字产业化", "第五章 产业数字化", "第六章 智慧城市建设",
        "第七章 数字经济安全", "第八章 保障措施", "第九章 附则"],
    "sichuan_gov_work_report_2025": ["2024年工作回顾", "2025年工作安排建议", "加强政府自身建设", "名词解释"],
    "guangdong_gov_work_report_2025": ["一、2024年工作回顾", "二、2025年工作安排", "附件1 2025年省十件民生实事", "附件2 名词解释"],
    "national_digital_economy_14th_fyp_2021": [
        "印发通知", "一、发展现状和形势", "二、总体要求", "三、优化升级数字基础设施", "四、充分发挥数据要素作用",
        "五、大力推进产业数字化转型", "六、加快推动数字产业化", "七、持续提升公共服务数字化水平", "八、健全完善数字经济治理体系",
        "九、着力强化数字经济安全体系", "十、有效拓展数字经济国际合作", "十一、保障措施"],
    "shanghai_medical_devices_action_plan_2025": ["印发通知", "一、主要目标", "二、重点发展产品", "三、重点任务"],
}


@pytest.mark.parametrize(("stem", "passage", "section_path"), EXPECTED_SECTIONS,
                         ids=[f"{stem}:{passage[:12]}" for stem, passage, _ in EXPECTED_SECTIONS])
def test_章节路径(extra, stem, passage, section_path):
    holding = [chunk.section_path for chunk in extra(stem).chunks if passage in chunk.text]
    assert holding == [section_path]


@pytest.mark.parametrize("stem", EXPECTED_TOP_LEVEL)
def test_最上层的章节(extra, stem):
    assert [heading for depth, heading in outline(extra(stem).chunks) if depth == 0] == EXPECTED_TOP_LEVEL[stem]


def test_没有章的条例_三十条都在最上层_条与条不合并(extra):
    chunks = extra("shandong_growth_drivers_conversion_regulation_2019").chunks
    top = [heading for depth, heading in outline(chunks) if depth == 0]
    assert len(top) == 30 and top[0] == "第一条" and top[-1] == "第三十条"
    assert all(len(chunk.section_path) == 1 and re.fullmatch(r"第.+条", chunk.section_path[0]) for chunk in chunks)


def test_北京条例的章目录不重复_每条都在它的章下(extra):
    lines = outline_lines(extra("beijing_digital_economy_regulation_2022").chunks)
    assert len([line for line in lines if not line.startswith(" ")]) == 9
    assert len([line for line in lines if line.startswith("  第")]) == 58


def test_每一块都有完整的章节路径_没有网页残留(extra):
    for stem in ("beijing_digital_economy_regulation_2022", "shanghai_medical_devices_action_plan_2025",
                 "yangpu_new_quality_innovation_zone_plan_2025", "cpc_20th_congress_report_2022",
                 "guangdong_gov_work_report_2025", "national_digital_economy_14th_fyp_2021"):
        chunks = extra(stem).chunks
        # only the preamble, and the document proper's after the notice that issues it, stand above the sections
        after_notice = [chunk.section_path for chunk in chunks if chunk.section_path != ("印发通知",)]
        first_section = next(index for index, path in enumerate(after_notice) if path)
        assert all(after_notice[first_section:]), stem
        for chunk in chunks:
            assert not any(mark in chunk.text or mark in chunk.section for mark in BOILERPLATE), (stem, chunk.text[:40])


# --- the same document as .txt, .docx, .pdf and .html -----------------------------------------------------------

_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """The text's paragraphs as a converter would carry them over: (heading level or 0, text without marks)."""
    paragraphs = []
    for line in text.splitlines():
        if not line.strip() or re.fullmatch(r"\s*(?:-{3,}|<!--.*-->)\s*", line):
            continue  # blank lines and rules are layout, a comment is not shown
        heading = _MARKDOWN_HEADING.match(line)
        level = len(heading.group().strip()) if heading else 0
        paragraphs.append((level, _LINK.sub(r"\1", _BOLD.sub(r"\1", line[heading.end():] if heading else line))))
    return paragraphs


def _write_docx(paragraphs, path: Path) -> None:
    document = docx.Document()
    for level, text in paragraphs:
        document.add_heading(text, level=min(level, 9)) if level else document.add_paragraph(text)
    document.save(str(path))


def _write_html(paragraphs, path: Path) -> None:
    title = html.escape(paragraphs[0][1])
    body = "".join(f"<h{level}>{html.escape(text)}</h{level}>" if level else f"<p>{html.escape(text)}</p>"
                   for level, text in paragraphs)
    path.write_text(f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
                    f"<nav><a href='/'>首页</a></nav><article>{body}</article></body></html>", encoding="utf-8")


def _write_pdf(paragraphs, path: Path) -> None:
    fpdf = pytest.importorskip("fpdf")
    if not CJK_FONT.exists():
        pytest.skip(f"no CJK font at {CJK_FONT} (scripts/test.sh installs fonts-wqy-microhei)")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.add_font("wqy", fname=str(CJK_FONT))
    for level, text in paragraphs:
        pdf.set_font("wqy", size=14 if level else 10)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


WRITERS = {".docx": _write_docx, ".html": _write_html, ".pdf": _write_pdf}
# a regulation (markdown title and chapters), a notice issuing a plan (scraper header, bold headings, em spaces),
# and a ministry's opinion signed at its foot
SAME_DOCUMENT = ("henan_high_tech_industry_regulation_2011", "shanghai_medical_devices_action_plan_2025",
                 "miit_future_industries_opinion_2024")


@pytest.mark.parametrize("suffix", list(WRITERS))
@pytest.mark.parametrize("stem", SAME_DOCUMENT)
def test_同一文件的各种格式_元数据和目录相同(extra, tmp_path, stem, suffix):
    as_text = extra(stem)
    path = tmp_path / f"{stem}{suffix}"
    WRITERS[suffix](_paragraphs((EXTRA_DIR / f"{stem}.txt").read_text(encoding="utf-8")), path)
    converted = prepare_document(path)
    meta, expected = converted.meta, as_text.meta
    assert (meta.title, meta.issuer, meta.region, meta.date, meta.kind) == (
        expected.title, expected.issuer, expected.region, expected.date, expected.kind)
    assert outline_lines(converted.chunks) == outline_lines(as_text.chunks)
