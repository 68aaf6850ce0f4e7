"""任何上传的文件的结构：编章节条、Markdown 与加粗标题、工作报告的部分、段首短语、发布会问答、印发通知与附件、
网页残留与不可见字符（用编造的段落；真实文件见 test_extra_documents）。"""
from __future__ import annotations

from corpus.chunk import chunk_document, outline_lines
from corpus.model import DocumentMeta
from corpus.repair import repair

META = DocumentMeta(doc_id="upload", title="上传的文件")
BODY = "县级以上人民政府应当加强组织领导，建立健全工作机制，协调解决重大问题，并将所需经费纳入本级财政预算，保障各项工作顺利开展。"
MARKS = ("#", "**", "\u200b", "\ufeff", "<!--", "---", "【", "](")


def cut(text: str):
    return chunk_document(repair(text), META)


def paths(text: str):
    return [chunk.section_path for chunk in cut(text)]


def test_章标题里的半角全角和表意空格_以及Markdown井号():
    text = (f"# 某某条例\n\n2024年1月1日 某省第十四届人民代表大会常务委员会第五次会议通过\n\n<!-- INFO END -->\n\n"
            f"## 第一章　总　则\n\n第一条 为了促进发展，制定本条例。{BODY}\n\n## 第二章  创新主体\n\n第二条 {BODY}\n\n"
            f"第三章\u3000保障措施\n\n第三条 {BODY}\n\n第四章附则\n\n第四条 本条例自2024年3月1日起施行。")
    chunks = cut(text)
    assert [chunk.section_path for chunk in chunks] == [
        ("第一章 总则", "第一条"), ("第二章 创新主体", "第二条"), ("第三章 保障措施", "第三条"), ("第四章 附则", "第四条")]
    assert not any(mark in chunk.text + chunk.index_text for chunk in chunks for mark in MARKS)


def test_正文前重复的章目录_不产生空章节或重复路径():
    text = (f"# 某某条例\n\n## 第一章 总 则\n\n## 第二章 数据资源\n\n## 第三章 附 则\n\n"
            f"## 第一章 总 则\n\n第一条 {BODY}\n\n## 第二章 数据资源\n\n第二条 {BODY}\n\n## 第三章 附 则\n\n第三条 {BODY}")
    chunks = cut(text)
    assert outline_lines(chunks) == ["第一章 总则", "  第一条", "第二章 数据资源", "  第二条", "第三章 附则", "  第三条"]
    assert all(chunk.text.strip() for chunk in chunks)
    assert len({chunk.section_path for chunk in chunks}) == len(chunks)


def test_条内的项不是章节_相邻的短条不合并():
    text = (f"第一章 总则\n第一条 有下列情形之一的，依法追究责任：\n（一）违法拒绝接收申请材料的；\n（二）妨碍依法履职的。\n"
            f"第二条 本条例自2024年1月1日起施行。\n第三条 本市行政区域内的相关工作适用本条例。")
    assert paths(text) == [("第一章 总则", "第一条"), ("第一章 总则", "第二条"), ("第一章 总则", "第三条")]


def test_没有章的条例_条在最上层():
    text = f"# 某某促进条例\n\n2019年7月26日 某省第十三届人民代表大会常务委员会第十三次会议通过\n\n第一条 {BODY}\n\n第二条 {BODY}"
    assert paths(text) == [("第一条",), ("第二条",)]


def test_加粗标题去掉星号_前面可以有全角空格():
    text = (f"\u3000**一、提升科技服务供给质量**\n\n**（一）推动科技创新资源开放**\n\n\u3000\u3000{BODY}\n\n"
            f"\u3000\u3000**（二）培育科技服务机构**\n\n\u3000\u3000{BODY}")
    chunks = cut(text)
    assert [chunk.section_path for chunk in chunks] == [
        ("一、提升科技服务供给质量", "（一）推动科技创新资源开放"), ("一、提升科技服务供给质量", "（二）培育科技服务机构")]
    assert not any("**" in chunk.text for chunk in chunks)


def test_工作报告_不编号的部分_段首短语是小节():
    text = ("2025年某省政府工作报告\n来源：某某日报\n2025年1月20日在某省第十四届人民代表大会第四次会议上\n各位代表：\n"
            f"现在，我代表省人民政府，向大会报告工作，请予审议。\n2024年工作回顾\n过去一年，{BODY}\n"
            f"2025年工作安排建议\n（一）全方位扩大内需，稳住经济大盘。{BODY}\n做实项目支撑扩大有效投资。持续开展项目攻坚行动，{BODY}\n"
            f"实施提振消费专项行动。着力提升消费能力，{BODY}\n加强政府自身建设\n{BODY}")
    chunks = cut(text)
    assert [chunk.section_path for chunk in chunks][1:] == [
        ("2024年工作回顾",),
        ("2025年工作安排建议", "（一）全方位扩大内需，稳住经济大盘"),
        ("2025年工作安排建议", "（一）全方位扩大内需，稳住经济大盘", "做实项目支撑扩大有效投资"),
        ("2025年工作安排建议", "（一）全方位扩大内需，稳住经济大盘", "实施提振消费专项行动"),
        ("加强政府自身建设",),
    ]
    assert "来源" not in chunks[0].text


def test_是字句不是段首短语():
    text = f"一、把坚持高质量发展作为硬道理\n高质量发展是新时代的首要任务。{BODY}\n科技创新是第一动力。{BODY}"
    assert paths(text) == [("一、把坚持高质量发展作为硬道理",)]


def test_发布会实录_媒体提问_人名回答跨多段_同一人可答两次():
    text = ("# 问答实录：《若干措施》相关情况\n\n**发布日期**: 2025-04-21\n\n---\n\n"
            f"新华社：目前民营经济发展的整体情况怎么样？\n\n\u3000\u3000张三：近年来，{BODY}\n\n\u3000\u3000目前来看，{BODY}\n\n"
            f"\u3000\u3000一是以一流营商环境促进发展。{BODY}\n\n\u3000\u3000二是以统一大市场促进发展。{BODY}\n\n"
            f"\u3000\u3000解放日报：如何营造公平竞争的法治环境？\n\n\u3000\u3000李四：{BODY}\n\n\u3000\u3000张三：补充一点，{BODY}")
    question_1, question_2 = "新华社：目前民营经济发展的整体情况怎么样？", "解放日报：如何营造公平竞争的法治环境？"
    assert paths(text) == [
        (question_1, "张三"), (question_1, "张三", "一是以一流营商环境促进发展"),
        (question_1, "张三", "二是以统一大市场促进发展"), (question_2, "李四"), (question_2, "张三")]


def test_印发通知在文件正文之前_附件各成一部分():
    text = (f"某市人民政府办公厅关于印发《某市行动方案》的通知\n某府办发〔2025〕17号\n各区人民政府，市政府各委、办、局：\n"
            f"\u2003\u2003《某市行动方案》已经市政府同意，现印发给你们，请认真按照执行。\n\u2003\u2003某市人民政府办公厅\n2025年9月4日\n"
            f"**某市行动方案**\n为推进产业高质量发展，制定本方案。{BODY}\n一、总体要求\n{BODY}\n二、重点任务\n{BODY}\n"
            f"附件1\n2025年十件民生实事\n一、为老年人提供健康管理服务。{BODY}\n二、提升困难群众兜底保障水平。{BODY}\n"
            f"附件2 名词解释\n1.“两重”：是指国家重大战略实施和重点领域安全能力建设。{BODY}")
    chunks = cut(text)
    assert [chunk.section_path for chunk in chunks] == [
        ("印发通知",), (), ("一、总体要求",), ("二、重点任务",),
        ("附件1 2025年十件民生实事", "一、为老年人提供健康管理服务"), ("附件1 2025年十件民生实事", "二、提升困难群众兜底保障水平"),
        ("附件2 名词解释", "1.“两重”")]
    assert chunks[0].text.endswith("2025年9月4日") and chunks[1].text.startswith("某市行动方案")


def test_落款的机关不是标题():
    text = f"一、总体要求\n{BODY}\n二、保障措施\n{BODY}\n工业和信息化部\n教育部\n中国科学院\n2024年1月18日"
    assert outline_lines(cut(text)) == ["一、总体要求", "二、保障措施"]


def test_网页残留不进正文():
    text = ("# 关于印发《某区建设方案》的通知\n\n**发布日期**: 2025-03-10\n**发布机构**: 某市科学技术委员会\n"
            "**原文链接**: [http://example.cn/1.html](http://example.cn/1.html)\n\n"
            "**附件**:\n- [布局图.pdf](./布局图.pdf) (pdf)\n\n"
            f"---\n\n## 政策全文\n\n一、主要目标\n\n{BODY}\n\n【相关附件】\n- [布局图.pdf](/cmsres/15/a.pdf)\n【原文下载】\n"
            "- [关于印发《某区建设方案》的通知.pdf](/cmsres/c2/b.pdf )\n\n---\n**更新时间**: 2026-01-26 11:25:36")
    chunks = cut(text)
    assert [chunk.section_path for chunk in chunks] == [("一、主要目标",)]
    assert chunks[0].text.split() == ["关于印发《某区建设方案》的通知", "一、主要目标", BODY]


def test_不可见字符_只有不可见字符的一行是空行():
    text = f"# 某某条例\n\u200b\n## 第一章 总 则\n\ufeff第一条 {BODY}\u200c\n## 第二章 附 则\n第二条 {BODY}"
    chunks = cut(text)
    assert [chunk.section_path for chunk in chunks] == [("第一章 总则", "第一条"), ("第二章 附则", "第二条")]
    assert not any(char in chunk.text for chunk in chunks for char in "\u200b\u200c\ufeff")


def test_维基文库_链接处断开的句子接回_文末版权说明去掉():
    text = ("一、过去五年的工作\n\n\n十九大以来的五年，是极不寻常、极不平凡的五年。党中央召开七次全会，分别就宪法修改，制定\n"
            "“十四五”规划和二〇三五年远景目标\n，全面总结党的百年奋斗重大成就作出决定，依照\n宪法\n和\n基本法\n有效实施全面管治权。\n\n"
            "二、开辟新境界\n\n" + BODY + "\n\n\n\n\n本作品来自中国共产党文件，属于\n公有领域\n。\n\n\n\nPublic domain\nfalse")
    chunks = cut(text)
    assert [chunk.section_path for chunk in chunks] == [("一、过去五年的工作",), ("二、开辟新境界",)]
    assert "制定“十四五”规划和二〇三五年远景目标，全面总结" in chunks[0].text
    assert "依照宪法和基本法有效实施" in chunks[0].text
    assert "公有领域" not in chunks[-1].text and "Public domain" not in chunks[-1].text


def test_目录一行和其下的章节表不是章节():
    text = (f"中华人民共和国某某法\n（2000年3月15日第九届全国人民代表大会第三次会议通过）\n目 录\n第一章 总则\n第二章 法律\n"
            f"第一节 立法权限\n第二节 立法程序\n第三章 附则\n第一章 总则\n第一条 {BODY}\n第二章 法律\n第一节 立法权限\n第二条 {BODY}\n"
            f"第二节 立法程序\n第三条 {BODY}\n第三章 附则\n第四条 本法自2000年7月1日起施行。")
    chunks = cut(text)
    assert outline_lines(chunks) == ["第一章 总则", "  第一条", "第二章 法律", "  第一节 立法权限", "    第二条",
                                     "  第二节 立法程序", "    第三条", "第三章 附则", "  第四条"]
    assert "目 录" in chunks[0].text and chunks[0].section_path == ()  # the contents stand with the preamble


def test_政府网站的页面元素不进正文也不进标题():
    text = (f"首页 > 政务公开 > 政策文件\n当前位置：首页 > 文件\n字号：大 中 小\n某市人民政府关于加快发展数字经济的通知\n"
            f"【打印本页】【关闭窗口】\n分享到：\n一、总体要求\n{BODY}")
    repaired = repair(text)
    assert repaired.text.split("\n")[0] == "某市人民政府关于加快发展数字经济的通知"
    assert not any(word in repaired.text for word in ("首页", "当前位置", "字号", "打印", "关闭", "分享"))


def test_回答里的冒号句不是新的发言人():
    text = (f"新华社：民营经济发展情况怎么样？\n张三：{BODY}\n具体来说：{BODY}\n"
            f"解放日报：如何营造法治环境？\n李四：{BODY}")
    assert paths(text) == [("新华社：民营经济发展情况怎么样？", "张三"), ("解放日报：如何营造法治环境？", "李四")]
