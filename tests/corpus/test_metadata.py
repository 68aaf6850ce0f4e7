"""文件元数据：人工清单，或从正文推出（只写正文里有的）：标题、发文机关、地区、日期、文件类型。"""
from __future__ import annotations

import pytest

from corpus.manifest import doc_id_for, load_manifest
from corpus.metadata import derive_meta, kind_of
from corpus.pipeline import prepare_document
from corpus.repair import repair


def test_清单按文件名给出元数据(tmp_path):
    manifest = tmp_path / "manifest.toml"
    manifest.write_text('[[document]]\ndoc_id = "leshan-2024-industry"\nfile = "leshan.txt"\ntitle = "乐山的决定"\n'
                        'region = "乐山市"\ndate = "2024-06-25"\n', encoding="utf-8")
    meta = load_manifest(manifest)["leshan.txt"]
    assert (meta.doc_id, meta.title, meta.region, meta.date, meta.issuer, meta.file_name) == (
        "leshan-2024-industry", "乐山的决定", "乐山市", "2024-06-25", "", "leshan.txt")


@pytest.mark.parametrize(
    ("entries", "complaint"),
    [
        ('[[document]]\ndoc_id = "a"\nfile = "a.txt"\n', "缺少字段"),
        ('[[document]]\ndoc_id = "a"\nfile = "a.txt"\ntitle = "甲"\nauthor = "某人"\n', "未知字段"),
        ('[[document]]\ndoc_id = "a"\nfile = "a.txt"\ntitle = "甲"\ndate = "2024年6月25日"\n', "日期"),
        ('[[document]]\ndoc_id = "a"\nfile = "a.txt"\ntitle = "甲"\n[[document]]\ndoc_id = "a"\nfile = "b.txt"\ntitle = "乙"\n',
         "重复"),
        ('[[document]\n', "TOML"),
    ],
)
def test_清单有误时指明哪一条(tmp_path, entries, complaint):
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(entries, encoding="utf-8")
    with pytest.raises(ValueError, match=complaint):
        load_manifest(manifest)


def test_从正文推出元数据():
    text = ("中共乐山市委\n关于以发展新质生产力为重要着力点\n加快构建现代化产业体系的决定\n"
            "(2024年6月25日中国共产党乐山市第八届委员会第九次全体会议通过)\n"
            "高质量发展是全面建设社会主义现代化国家的首要任务。成都、南充也在推进。\n一、把握阶段性目标\n……")
    meta = derive_meta("乐山 决定(2024).txt", text)
    assert meta.title == "中共乐山市委关于以发展新质生产力为重要着力点加快构建现代化产业体系的决定"
    assert (meta.issuer, meta.region, meta.date) == ("中共乐山市委", "乐山市", "2024-06-25")
    assert (meta.doc_id, meta.file_name, meta.source) == ("乐山-决定-2024", "乐山 决定(2024).txt", "")


@pytest.mark.parametrize(
    ("title", "issuer"),
    [
        pytest.param("中共四川省委關於以發展新質生產力為重要著力點扎實推進高質量發展的決定", "中共四川省委", id="繁体的关于"),
        pytest.param("成都市人民政府辦公廳關於印發促進民營經濟發展若干措施的通知", "成都市人民政府办公厅", id="繁体的办公厅"),
        pytest.param("南充市人民政府办公室关于加快培育新质生产力的实施意见", "南充市人民政府办公室", id="简体"),
    ],
)
def test_发文机关从标题开头推出_繁体标题也认_以简体记(title, issuer):
    meta = derive_meta("upload.txt", f"{title}\n一、总体要求\n坚持创新引领。")
    assert (meta.title, meta.issuer) == (title, issuer)


def test_没有标题行时用文件名_地区取正文中最常见的地名_繁体也认():
    text = "一、把堅持高質量發展作為新時代的硬道理\n四川是我國發展的戰略腹地,平安四川、美麗四川建設扎實推進,成都極核支撐。"
    meta = derive_meta("sichuan.txt", text)
    assert (meta.title, meta.region, meta.date, meta.issuer) == ("sichuan", "四川省", "", "")


def test_文件编号稳定可读():
    assert doc_id_for("Leshan_2024 Industry.TXT") == doc_id_for("Leshan_2024 Industry.TXT") == "leshan-2024-industry"
    assert doc_id_for("（南充）新质生产力.docx") == "南充-新质生产力"
    assert doc_id_for("___.txt").startswith("doc-")


def test_不在清单中的文件用推出的元数据_同版其他文章的日期不算(tmp_path):
    decision = "中共乐山市委关于深入推进创新驱动的决定\n" + "".join(f"{number}. 第{number}项任务落实到位。\n" for number in range(1, 30))
    other = "余伟:在京不忘家\n■记者 唐诗敏\n2021年7月12日\n"
    path = tmp_path / "newspaper-page.txt"
    path.write_text(decision + other, encoding="utf-8")
    meta = prepare_document(path).meta
    assert (meta.doc_id, meta.title, meta.region, meta.date) == (
        "newspaper-page", "中共乐山市委关于深入推进创新驱动的决定", "乐山市", "")


def fields(meta):
    return meta.title, meta.issuer, meta.region, meta.date, meta.kind


def derived(text: str, name: str = "upload.md"):
    """Metadata as a file without a manifest entry gets it: from the repaired text, header fields from the original."""
    repaired = repair(text)
    return derive_meta(name, repaired.text, text)


def test_人民代表大会通过的条例_发文机关是人大():
    text = "# 武汉市优化营商环境条例\n2023年1月12日 武汉市第十五届人民代表大会第三次会议通过\n第一条 为了优化营商环境，制定本条例。"
    assert fields(derived(text))[1:4] == ("武汉市人大", "武汉市", "2023-01-12")


@pytest.mark.parametrize("organ", ["加快布局", "暂无", ""])
def test_页头的发布机构不像机关时不用(organ):
    text = f"# “十五五”数字经济发展规划\n\n**发布日期**: 2026年1月\n**发布机构**: {organ}\n\n---\n\n数字经济是主要经济形态。\n"
    meta = derived(text)
    assert (meta.title, meta.issuer, meta.kind) == ("“十五五”数字经济发展规划", "", "规划")


def test_标题从不取文件名中的地名():
    meta = derived("一、总体要求\n坚持创新引领，推动高质量发展。\n", "guangzhou_2024_plan.txt")
    assert (meta.region, meta.issuer, meta.date) == ("", "", "")


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("上海市人民政府办公厅关于印发《上海市促进高端医疗器械产业全链条发展行动方案》的通知", "行动方案"),
        ("关于印发《杨浦区创新区建设方案》的通知（沪科合〔2025〕7号）", "建设方案"),
        ("国务院关于印发“十四五”数字经济发展规划的通知", "规划"),
        ("中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要", "纲要"),
        ("长江经济带发展规划纲要", "规划纲要"),
        ("工业和信息化部等七部门关于推动未来产业创新发展的实施意见", "实施意见"),
        ("关于进一步深化改革创新 加快科技服务业高质量发展的若干意见", "若干意见"),
        ("中共乐山市委关于深入推进创新驱动引领乐山高质量发展的决定", "决定"),
        ("2025年四川省政府工作报告", "政府工作报告"),
        ("国务院关于数字经济发展情况的报告", "报告"),
        ("解读市委十四届六次全会精神新闻发布会", "新闻发布会"),
        ("山东省人才发展促进条例", "条例"),
        ("成都市人民政府办公厅关于做好2025年防汛工作的通知", "通知"),
        ("四川省加快制造业智能化改造数字化转型行动计划（2024—2027年）", "行动计划"),
        ("民营经济促进若干措施", "若干措施"),
    ],
)
def test_文件类型(title, kind):
    assert kind_of(title) == kind


# (file stem, title, issuer, place, date, kind), written by hand from the documents and
# ../shared/corpus-extra/SOURCES.md
EXTRA_METADATA = [
    ("beijing_digital_economy_regulation_2022", "北京市数字经济促进条例", "北京市人大常委会", "北京市", "2022-11-25", "条例"),
    ("chongqing_ftz_regulation_2019", "中国（重庆）自由贸易试验区条例", "重庆市人大常委会", "重庆市", "2019-09-26", "条例"),
    ("shanghai_sci_tech_innovation_center_regulation_2020", "上海市推进科技创新中心建设条例", "上海市人大", "上海市",
     "2020-01-20", "条例"),
    ("shenzhen_ai_industry_regulation_2022", "深圳经济特区人工智能产业促进条例", "深圳市人大常委会", "深圳市", "2022-08-30", "条例"),
    ("sichuan_gov_work_report_2025", "2025年四川省政府工作报告", "四川省人民政府", "四川省", "2025-01-20", "政府工作报告"),
    ("guangdong_gov_work_report_2025", "2025年广东省政府工作报告", "广东省人民政府", "广东省", "2025-01-15", "政府工作报告"),
    ("cpc_20th_congress_report_2022",
     "高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗——在中国共产党第二十次全国代表大会上的报告",
     "中共第十九届中央委员会", "全国", "2022-10-16", "报告"),
    ("national_digital_economy_14th_fyp_2021", "“十四五”数字经济发展规划", "国务院", "全国", "2021-12-12", "规划"),
    ("state_council_digital_economy_report_2022", "国务院关于数字经济发展情况的报告", "国务院", "全国", "2022-10-28", "报告"),
    ("miit_future_industries_opinion_2024", "工业和信息化部等七部门关于推动未来产业创新发展的实施意见", "工业和信息化部等七部门",
     "全国", "2024-01-18", "实施意见"),
    ("shanghai_medical_devices_action_plan_2025",
     "上海市人民政府办公厅关于印发《上海市促进高端医疗器械产业全链条发展行动方案》的通知", "上海市人民政府办公厅", "上海市",
     "2025-09-04", "行动方案"),
    ("shanghai_tech_services_opinions_2025",
     "上海市人民政府办公厅印发《关于进一步深化改革创新 加快科技服务业高质量发展的若干意见》", "上海市人民政府办公厅", "上海市",
     "2025-05-17", "若干意见"),
    ("shanghai_private_economy_measures_qa_2025", "问答实录：《新时代新征程促进民营经济高质量发展的若干措施》相关情况",
     "上海市科学技术委员会", "上海市", "2025-04-21", "问答实录"),
    ("yangpu_new_quality_innovation_zone_plan_2025", "关于印发《杨“数”浦新质秀带创新区建设方案》的通知",
     "上海市科学技术委员会、上海市杨浦区人民政府", "上海市", "2025-03-10", "建设方案"),
]


@pytest.mark.parametrize(("stem", "title", "issuer", "region", "date", "kind"), EXTRA_METADATA,
                         ids=[entry[0] for entry in EXTRA_METADATA])
def test_真实文件的元数据(extra, stem, title, issuer, region, date, kind):
    assert fields(extra(stem).meta) == (title, issuer, region, date, kind)


def test_标题里的中央不让地方文件成为全国的():
    text = "关于贯彻落实中央经济工作会议精神的实施意见\n一、总体要求\n坚持稳中求进，推动高质量发展。\n"
    assert derived(text, "opinion.txt").region == ""


# made-up passages of the kinds of documents people upload: (text, file name, (title, issuer, region, date, kind))
MADE_UP = [
    pytest.param("# 湖北省科技创新促进条例\n\n2004年7月30日湖北省第十届人民代表大会常务委员会第十次会议通过 "
        "根据2021年9月29日湖北省第十三届人民代表大会常务委员会第二十六次会议《关于修改〈湖北省科技创新促进条例〉的决定》修正"
        "\n\n<!-- INFO END -->\n\n## 第一章　总　则\n\n第一条 为了促进科技创新，制定本条例。本条例自2022年1月1日起施行。\n",
        "upload.md", ("湖北省科技创新促进条例", "湖北省人大常委会", "湖北省", "2021-09-29", "条例"),
        id="修订过的条例_日期取最近一次修正_标题不带Markdown标记和通过日期"),
    pytest.param("# 湖北省人民政府办公厅关于印发《湖北省促进人工智能产业发展行动方案》的通知\n\n**发布日期**: 2025-06-30\n"
        "**发布机构**: 湖北省科学技术厅\n**原文链接**: [http://example.cn/a.html](http://example.cn/a.html)\n\n---\n\n"
        "鄂政办发〔2025〕8号\n\n各市、州、县人民政府，省政府各部门：\n\n　　《湖北省促进人工智能产业发展行动方案》已经省人民政府同意，"
        "现印发给你们，请认真贯彻执行。\n\n湖北省人民政府办公厅\n\n2025年6月12日\n\n**湖北省促进人工智能产业发展行动方案**\n\n"
        "一、总体要求\n\n到2027年，全省人工智能核心产业规模达到1000亿元。\n",
        "upload.md", ("湖北省人民政府办公厅关于印发《湖北省促进人工智能产业发展行动方案》的通知",
        "湖北省人民政府办公厅", "湖北省", "2025-06-12", "行动方案"),
        id="印发通知_抓取页头不进标题_落款日期优先于页面发布日期"),
    pytest.param("# 问答实录：《武汉市促进民营经济发展若干措施》相关情况\n\n**发布日期**: 2025-04-21\n**发布机构**: 武汉市科学技术局\n\n---\n\n"
        "长江日报：请问这些措施有哪些亮点？\n\n　　张三：一是降低融资成本。二是优化营商环境。\n",
        "upload.md", ("问答实录：《武汉市促进民营经济发展若干措施》相关情况", "武汉市科学技术局", "武汉市",
        "2025-04-21", "问答实录"),
        id="只有页头时_用页头的发布日期和发布机构"),
    pytest.param("2025年湖北省政府工作報告\n來源：湖北日報\n——2025年1月18日在湖北省第十四屆人民代表大會第三次會議上\n"
        "湖北省省長　王某某\u3000\n各位代表：\n現在，我代表省人民政府，向大會報告工作，請予審議。\n2024年工作回顧\n",
        "report.txt", ("2025年湖北省政府工作報告", "湖北省人民政府", "湖北省", "2025-01-18", "政府工作报告"),
        id="政府工作报告_繁体_来源行会议行和讲话人都不是标题"),
    pytest.param("2025年1月16日在綿陽市第八屆人民代表大會第五次會議上\n綿陽市人民政府市長 李云\n各位代表:\n"
        "現在，我代表市人民政府，向大會報告工作，請予審議。\n",
        "mianyang_report_2025.txt", ("绵阳市政府工作报告", "绵阳市人民政府", "绵阳市", "2025-01-16", "政府工作报告"),
        id="没有标题行的政府工作报告_由会议行和市长推出"),
    pytest.param("高举中国特色社会主义伟大旗帜\n\n\n\n为全面建设社会主义现代化国家而团结奋斗\n\n\n"
        "——在中国共产党第二十次全国代表大会上的报告\n\n（2022年10月16日）\n\n习\u3000近\u3000平\n\n同志们：\n\n"
        "现在，我代表第十九届中央委员会向大会作报告。\n",
        "report.txt", ("高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗——在中国共产党第二十次全国代表大会上的报告",
        "中共第十九届中央委员会", "全国", "2022-10-16", "报告"),
        id="党代会报告_隔开印的两行标题以空格相连_代表中央委员会"),
    pytest.param("国务院关于印发\n\n“十四五”数字经济发展规划的通知\n\n国发〔2021〕29号\n\n各省、自治区、直辖市人民政府：\n\n"
        "现将《“十四五”数字经济发展规划》印发给你们，请认真贯彻执行。\n\n国务院\n\n2021年12月12日\n",
        "notice.txt", ("国务院关于印发“十四五”数字经济发展规划的通知", "国务院", "全国", "2021-12-12", "规划"),
        id="断在关于印发之后的标题直接相连"),
    pytest.param("沪府办发〔2025〕17号\n各区人民政府，市政府各委、办、局：\n"
        "《上海市促进高端医疗器械产业全链条发展行动方案》已经市政府同意，现印发给你们，请认真按照执行。\n"
        "上海市人民政府办公厅\n2025年9月4日\n上海市促进高端医疗器械产业全链条发展行动方案\n为推进产业发展，制定本方案。\n",
        "plan.txt", ("上海市促进高端医疗器械产业全链条发展行动方案", "上海市人民政府办公厅", "上海市", "2025-09-04", "行动方案"),
        id="没有标题行的印发通知_标题取所印发的文件"),
    pytest.param("工业和信息化部等四部门关于加快推动制造业绿色化发展的指导意见\n工信部联节〔2024〕26号\n各省、自治区、直辖市有关主管部门：\n"
        "为加快推动制造业绿色化发展，提出如下意见。到2030年，绿色工厂产值占制造业总产值比重超过40%。\n一、总体要求\n"
        "坚持系统推进。\n工业和信息化部\n国家发展改革委\n财政部\n中国人民银行\n2024年2月5日\n",
        "opinion.txt", ("工业和信息化部等四部门关于加快推动制造业绿色化发展的指导意见",
        "工业和信息化部等四部门", "全国", "2024-02-05", "指导意见"),
        id="部委文件是全国的_日期取文末落款"),
    pytest.param("“十五五”现代服务业发展规划\n\n国务院关于印发\n\n“十五五”现代服务业发展规划的通知\n\n国发〔2026〕3号\n\n"
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n\n现将《“十五五”现代服务业发展规划》印发给你们，请认真贯彻执行。\n\n"
        "国务院\n\n2026年1月20日\n\n（此件公开发布）\n\n“十五五”现代服务业发展规划\n\n现代服务业是国民经济的重要组成部分。\n",
        "plan.txt", ("“十五五”现代服务业发展规划", "国务院", "全国", "2026-01-20", "规划"),
        id="国务院印发的规划_发文机关取落款"),
    pytest.param("为深入贯彻党的二十届三中全会精神，绵阳市委八届八次全会对加快发展新质生产力、推动高质量发展进行了研究，作出如下决定。\n"
        "一、总体要求\n到2027年，全市经济总量达到5000亿元。\n",
        "mianyang_decision_2024.txt", ("绵阳市委关于加快发展新质生产力、推动高质量发展的决定", "中共绵阳市委", "绵阳市", "", "决定"),
        id="没有标题行的全会决定_由作出如下决定一句推出"),
    pytest.param("11月14日，解读市委十四届六次全会精神新闻发布会召开。中共成都市委副秘书长曾明友出席发布会。\n"
        "中国共产党成都市第十四届委员会第六次全体会议于2024年11月13日召开。成都市商务局党组书记张金泉介绍情况。\n",
        "press.txt", ("解读市委十四届六次全会精神新闻发布会", "", "成都市", "2024-11-14", "新闻发布会"),
        id="新闻发布会报道_标题取导语中的发布会_年份取正文"),
    pytest.param("中华人民共和国劳动合同法实施条例\n\n（2008 年 9 月 3 日国务院第 25 次常务会议通过 2008 年 9 月 18 日中华人民共和国国务院令第 535 号\n"
        "公布 自公布之日起施行）\n\n第一章 总则\n\n第一条 为了贯彻实施劳动合同法，制定本条例。",
        "regulation.txt", ("中华人民共和国劳动合同法实施条例", "国务院", "全国", "2008-09-18", "条例"),
        id="国务院常务会议通过的行政法规_公布日期在后"),
    pytest.param("中华人民共和国土地管理法\n（1986年6月25日第六届全国人民代表大会常务委员会第十六次会议通过 根据1988年12月29日第七届全国人民代表大会"
        "常务委员会第五次会议《关于修改〈中华人民共和国土地管理法〉的决定》第一次修正 1998年8月29日第九届全国人民代表大会常务委员会第四次会议"
        "修订 根据2004年8月28日第十届全国人民代表大会常务委员会第十一次会议《关于修改〈中华人民共和国土地管理法〉的决定》第二次修正）\n"
        "目 录\n第一章 总则\n第二章 土地的所有权和使用权\n第一章 总则\n第一条 为了加强土地管理，制定本法。",
        "law.txt", ("中华人民共和国土地管理法", "全国人大常委会", "全国", "2004-08-28", "法律"),
        id="多次修正修订的法律_日期取最后一次"),
    pytest.param("政府工作报告\n\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n\n国务院总理 李克强\n\n各位代表：\n\n"
        "现在，我代表国务院，向大会报告政府工作，请予审议。\n",
        "report.txt", ("政府工作报告", "国务院", "全国", "2023-03-05", "政府工作报告"),
        id="国务院政府工作报告_总理作报告"),
    pytest.param("每周一学（2022年6月27日——7月3日）\n文章来源：\n作者：\n发布时间：2022-06-27\n"
        "在二十国集团领导人第十六次峰会第一阶段会议上的讲话\n（2021年10月30日）\n同志们：\n"
        + "当前世界百年变局和世纪疫情相互交织，各种安全挑战层出不穷，世界经济复苏步履维艰，全球发展遭遇严重挫折。" * 3,
        "weekly.txt", ("在二十国集团领导人第十六次峰会第一阶段会议上的讲话", "", "", "2021-10-30", "讲话"),
        id="网页栏目名和它的日期不是标题_日期取标题下的"),
    pytest.param("政府工作报告\n——2025年1月16日在绵阳市第八届人民代表大会第五次会议上\n市长 李云\n各位代表：\n"
        "现在，我代表市人民政府，向大会报告工作，请予审议。\n",
        "report.txt", ("政府工作报告", "绵阳市人民政府", "绵阳市", "2025-01-16", "政府工作报告"),
        id="讲话人只写市长_地区取会议行_市人民政府补上地名"),
]


@pytest.mark.parametrize(("text", "file_name", "expected"), MADE_UP)
def test_从正文推出的元数据(text, file_name, expected):
    assert fields(derived(text, file_name)) == expected
