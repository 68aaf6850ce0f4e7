"""聊天窗口的行为规范:在真实浏览器(Debian chromium)中操作真实的应用和知识库。

每个测试都截图到 build/screenshots/(或 $POLICYQA_SCREENSHOTS),供人检查版面。
"""
from __future__ import annotations

import re
import zipfile

import docx
import pytest
from playwright.sync_api import Page, expect

from qa.answer import Engine
from ui.app import build_app, launch

ANSWER_TIMEOUT = 60_000
MODEL_TIMEOUT = 180_000  # the 0.5B model on 2 shared cores
FINAL_ANSWERS = "#chat .pq-answer:not(.pq-streaming):not(.pq-provisional)"


def ask(page: Page, question: str):
    """Type a question, send it, and return the checked answer that appears for it."""
    answers = page.locator(FINAL_ANSWERS)
    before = answers.count()
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    expect(answers).to_have_count(before + 1, timeout=ANSWER_TIMEOUT)
    return answers.nth(before)


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def test_首页显示知识库概况和示例问题_点击示例即提问(page, screenshots):
    expect(page.get_by_text("知识库:5 份文件")).to_be_visible()
    expect(page.get_by_text("原文摘录(不用大模型)")).to_be_visible()
    example = page.get_by_text("四川全省经济总量目前已经迈上什么台阶?")
    expect(example).to_be_visible()
    page.screenshot(path=screenshots / "01-首页.png")

    example.click()
    answer = page.locator("#chat .pq-answer:not(.pq-streaming)").first
    expect(answer).to_contain_text("六萬億元", timeout=ANSWER_TIMEOUT)  # 繁体原文照录
    expect(answer.locator("a.pq-cite").first).to_be_visible()


def test_点击引用标记_侧栏打开原文并高亮所引的话(page, screenshots):
    answer = ask(page, "南充决定支持哪个实验室创建省级重点实验室?")
    expect(answer).to_contain_text("西华师范大学天体物理实验室")
    expect(answer.locator(".pq-meta")).to_contain_text("回答方式:原文摘录")

    answer.locator(".pq-text a.pq-cite").first.click()
    panel = page.locator("#source-panel")
    expect(panel.locator(".pq-source-title")).to_have_text("《南充市委关于加快培育新质生产力、推动高水平发展的决定》")
    expect(panel.locator(".pq-source-meta")).to_contain_text("发文:中共南充市委")
    expect(panel.locator(".pq-source-section")).to_contain_text("建强科学技术创新平台")
    expect(panel.locator(".pq-passage mark").first).to_contain_text("西华师范大学天体物理实验室")
    page.screenshot(path=screenshots / "02-引用与原文.png")

    panel.locator(".pq-expand summary").click()
    expect(panel.locator(".pq-context").first).to_be_visible()
    expect(panel.locator(".pq-context-cited mark").first).to_contain_text("西华师范大学")
    page.screenshot(path=screenshots / "03-展开整节.png")


def test_文件中没有的内容_明说没有并列出最接近的段落(page, screenshots):
    answer = ask(page, "乐山提出到2025年全市经济总量要达到多少亿元?")
    expect(answer.locator(".pq-refusal")).to_contain_text("文件中没有找到")
    # 问的数值文件未写明:明说未写明,只引最接近的表述,不把它当作答案
    expect(answer.locator(".pq-refusal")).to_contain_text("未写明2025年")
    nearest = answer.locator(".pq-nearest li")
    expect(nearest.first).to_be_visible()

    nearest.first.locator("a").click()
    expect(page.locator("#source-panel .pq-source-label")).to_have_text("相关段落 1")
    page.screenshot(path=screenshots / "04-拒答.png")


def test_追问沿用上文_新对话清空上文(page, screenshots):
    ask(page, "乐山到2027年经济总量目标是多少?")
    follow_up = ask(page, "那四川呢?")
    expect(follow_up.locator(".pq-sources")).to_contain_text("四川省关于以发展新质生产力")
    page.screenshot(path=screenshots / "05-追问.png")

    page.get_by_role("button", name="新对话").click()
    expect(page.locator("#chat .pq-answer")).to_have_count(0)
    expect(page.get_by_text("四川全省经济总量目前已经迈上什么台阶?")).to_be_visible()  # 示例问题重新出现
    expect(page.locator("#source-panel")).to_contain_text("点击回答中的")

    # 清空后的追问不再沿用乐山的问题:没有上文可补,按原样检索
    answer = ask(page, "那四川呢?")
    expect(answer.locator(".pq-meta")).to_be_visible()


def test_空问题和过长问题给出提示_输入的文字不丢(page, screenshots):
    box = page.locator("#question textarea")
    box.press("Enter")
    expect(page.get_by_text("问题为空")).to_be_visible()

    long_question = "乐山" * 600
    box.fill(long_question)
    box.press("Enter")
    expect(page.get_by_text("问题过长(1200字)")).to_be_visible()
    expect(box).to_have_value(long_question)
    expect(page.locator("#chat .pq-answer")).to_have_count(0)
    page.screenshot(path=screenshots / "06-问题过长.png")


def test_按城市筛选_引用只来自该城市的文件(page):
    page.get_by_text("筛选范围").click()
    page.locator("#region-filter input").click()
    page.get_by_role("option", name="南充市").click()
    page.keyboard.press("Escape")

    answer = ask(page, "培育壮大的新兴产业和未来产业有哪些?")
    sources = answer.locator(".pq-source-line")
    expect(sources.first).to_be_visible()
    for line in sources.all_inner_texts():
        assert "南充市委" in line


@pytest.fixture
def fact_docx(tmp_path):
    """一份知识库里没有的文件,写着一个独有的数字。"""
    document = docx.Document()
    for paragraph in [
        "眉山市关于建设竹编机器人产业园的通知",
        "一、建设目标",
        "到2030年,眉山市竹编机器人产业园年产值达到8642万元,引进竹编机器人企业37家。坚持传统技艺与智能制造"
        "融合发展,推动竹编产品设计、编织、检测全流程自动化,建设竹编机器人中试基地和展示中心。",
        "二、保障措施",
        "设立竹编机器人产业发展专项资金,每年安排不少于500万元。完善用地、用能、人才等要素保障,建立产业园"
        "建设工作专班和月调度机制,定期评估建设进度并向社会公开。",
    ]:
        document.add_paragraph(paragraph)
    path = tmp_path / "眉山竹编机器人产业园.docx"
    document.save(path)
    return path


def test_上传新文件后可据此回答_删除后从列表消失(page, fact_docx, screenshots):
    open_tab(page, "文件管理")
    page.locator("#upload input[type=file]").set_input_files(fact_docx)
    expect(page.locator("#upload")).to_contain_text("眉山竹编机器人产业园.docx")
    page.get_by_role("button", name="加入知识库").click()
    status = page.locator("#documents-status")
    expect(status).to_contain_text("已加入《眉山市关于建设竹编机器人产业园的通知》", timeout=ANSWER_TIMEOUT)
    expect(page.locator("#documents-table")).to_contain_text("眉山市关于建设竹编机器人产业园的通知")
    expect(page.get_by_text("知识库:6 份文件")).to_be_visible()
    page.screenshot(path=screenshots / "07-上传成功.png", full_page=True)

    open_tab(page, "问答")
    answer = ask(page, "眉山竹编机器人产业园到2030年年产值要达到多少?")
    expect(answer.locator(".pq-text")).to_contain_text("8642万元")
    answer.locator(".pq-text a.pq-cite").first.click()
    expect(page.locator("#source-panel .pq-source-title")).to_contain_text("眉山市关于建设竹编机器人产业园的通知")
    expect(page.locator("#source-panel mark").first).to_contain_text("8642万元")
    page.screenshot(path=screenshots / "08-上传文件的回答.png")

    open_tab(page, "文件管理")
    page.locator("#doc-choice input").click()
    page.get_by_role("option", name="眉山市关于建设竹编机器人产业园的通知").click()
    expect(page.locator("#outline")).to_contain_text("一、建设目标")
    page.get_by_role("button", name="删除所选文件").click()
    expect(status).to_contain_text("已删除《眉山市关于建设竹编机器人产业园的通知》")
    expect(page.locator("#documents-table")).not_to_contain_text("竹编机器人")
    expect(page.get_by_text("知识库:5 份文件")).to_be_visible()


def test_上传读不了的文件_明确提示且知识库不变(page, tmp_path, ui_settings, screenshots):
    broken = tmp_path / "扫描件.pdf"
    broken.write_bytes(b"%PDF-1.4\n this is not really a pdf \x00\x01\x02")
    open_tab(page, "文件管理")
    page.locator("#upload input[type=file]").set_input_files(broken)
    expect(page.locator("#upload")).to_contain_text("扫描件.pdf")
    page.get_by_role("button", name="加入知识库").click()
    status = page.locator("#documents-status")
    expect(status).to_contain_text("无法读取“扫描件.pdf”", timeout=ANSWER_TIMEOUT)
    expect(status).to_contain_text("知识库未改动")
    expect(page.get_by_text("知识库:5 份文件")).to_be_visible()
    assert not (ui_settings.uploads_dir / "扫描件.pdf").exists()
    page.screenshot(path=screenshots / "09-上传失败.png", full_page=True)


def test_出处查询_简体原句找到繁体原文的位置(page, screenshots):
    open_tab(page, "出处查询")
    page.locator("#phrase textarea").fill("全省经济总量已经迈上六万亿元台阶")
    page.get_by_role("button", name="查找出处").click()
    first = page.locator("#lookup-results .pq-lookup").first
    expect(first).to_contain_text("四川省关于以发展新质生产力为重要着力点扎实推进高质量发展的决定")
    expect(first.locator(".pq-badge")).to_have_text("原文")
    expect(first.locator("mark")).to_contain_text("六萬億元臺階")
    page.screenshot(path=screenshots / "10-出处查询.png")


# Everything #briefing shows while a briefing is built, recorded by the page itself: the extractive
# build is too quick for polling from the test to see each step.
RECORD_BRIEFING_VIEWS = """() => {
  window.briefingViews = [];
  const view = document.querySelector('#briefing');
  new MutationObserver(() => window.briefingViews.push(view.innerText)).observe(
    view, {childList: true, subtree: true, characterData: true});
}"""


def test_生成简报_逐份文件显示进度_完成后显示带脚注的简报_可下载Word(page, tmp_path, screenshots):
    open_tab(page, "政策简报")
    page.get_by_label("主题").fill("人才引进和培养")
    page.evaluate(RECORD_BRIEFING_VIEWS)
    page.get_by_role("button", name="生成简报").click()
    briefing = page.locator("#briefing")
    expect(briefing).to_contain_text("“人才引进和培养”政策简报", timeout=ANSWER_TIMEOUT)
    seen = page.evaluate("window.briefingViews")
    progress = [view for view in seen if "正在生成简报" in view]
    assert any("已读 0/5 份文件" in view for view in progress), seen[:5]
    assert any("已读 5/5 份文件" in view and "撰写要点" in view for view in progress), seen[-5:]

    expect(briefing.locator("sup.footnote-ref").first).to_be_visible()  # 脚注编号可点,注释列在文末
    assert briefing.locator(".footnotes li").count() >= 3
    expect(briefing.locator("table")).to_contain_text("嘉陵江英才工程")  # 对比表
    expect(briefing).to_contain_text("(六)厚植科技创新人才资源优势")  # 按文件自己的标题分组
    page.screenshot(path=screenshots / "11-简报.png", full_page=True)

    with page.expect_download() as download:
        page.locator('#briefing-files a[download$=".docx"]').click()
    saved = tmp_path / "简报.docx"
    download.value.save_as(saved)
    document = docx.Document(saved)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0].startswith("“人才引进和培养”政策简报")
    assert headings.index("来源文件") < headings.index("要点") < headings.index("各文件的相关措施") < headings.index("对比")
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "嘉陵江英才工程" in cells and "嘉才计划" in cells
    with zipfile.ZipFile(saved) as package:
        footnotes = package.read("word/footnotes.xml").decode()
        body = package.read("word/document.xml").decode()
    assert body.count("<w:footnoteReference") >= 3
    assert "《中共乐山市委关于" in footnotes and "嘉陵江英才工程" in footnotes  # 脚注引的是原文


def test_选本地模型生成简报_可以中途停止_模型随之停下(page, screenshots):
    page.get_by_text("本地模型(qwen2.5-0.5b)").click()
    open_tab(page, "政策简报")
    page.get_by_label("主题").fill("科技创新")
    page.get_by_role("button", name="生成简报").click()
    progress = page.locator("#briefing-progress")
    expect(progress).to_contain_text("撰写要点", timeout=ANSWER_TIMEOUT)  # 五份文件读完,模型开始写
    expect(progress).to_contain_text("已读 5/5 份文件")
    page.screenshot(path=screenshots / "15-简报生成中.png")
    page.get_by_role("button", name="停止").click()
    # 模型写到下一个字就停下,页面随即说明已停止
    expect(page.locator("#briefing")).to_contain_text("已停止生成简报", timeout=ANSWER_TIMEOUT)
    page.wait_for_timeout(3000)  # 停止后不再有简报出现
    expect(page.locator("#briefing")).not_to_contain_text("政策简报")
    expect(page.locator('#briefing-files a[download$=".docx"]')).to_have_count(0)
    page.screenshot(path=screenshots / "16-简报已停止.png")


def test_重建索引时显示进度_完成后文件和分块数不变(page, engine, screenshots):
    chunk_total = sum(count for _, count in engine.kb.documents())
    open_tab(page, "文件管理")
    before = page.locator("#documents-table").inner_text()
    page.get_by_role("button", name="重建索引").click()
    status = page.locator("#documents-status")
    expect(status).to_contain_text(re.compile(r"\d+ 块 \|"))  # 进度:已索引的块数和用时
    page.screenshot(path=screenshots / "12-重建索引进度.png")
    expect(status).to_contain_text(f"共 {chunk_total} 块", timeout=120_000)
    assert page.locator("#documents-table").inner_text() == before


def test_选本地模型时_先显示核对过的原文摘录_模型写完并通过核对后替换它_侧栏随之改用新回答的编号(page, screenshots):
    """本地 0.5B 模型:摘录立刻出现(可点引用),模型的话在其下流出;通过核对后,模型的回答取代摘录。
    摘录里打开的出处,在模型的回答里编号可能不同(摘录的[2]是它的[1]):侧栏跟着改用留下的回答的编号。"""
    page.get_by_text("本地模型(qwen2.5-0.5b)").click()
    box = page.locator("#question textarea")
    box.fill("乐山每万人口高价值发明专利拥有量目标是多少?")
    box.press("Enter")

    quoted = page.locator("#chat .pq-provisional")
    expect(quoted.locator(".pq-text")).to_contain_text("1.54件", timeout=ANSWER_TIMEOUT)
    expect(quoted.locator(".pq-meta")).to_contain_text("回答方式:原文摘录")
    expect(quoted.locator(".pq-rewrite-status")).to_contain_text("模型正在据此组织回答")
    quoted.locator(".pq-text a.pq-cite").last.click()  # 摘录的引用此时就能打开原文:写着1.54件的那句
    panel = page.locator("#source-panel")
    expect(panel.locator(".pq-passage mark").last).to_contain_text("1.54件")
    page.screenshot(path=screenshots / "13-摘录先出现.png")

    answer = page.locator(FINAL_ANSWERS).first
    expect(answer.locator(".pq-meta")).to_contain_text("回答方式:本地模型 qwen2.5-0.5b", timeout=MODEL_TIMEOUT)
    expect(page.locator("#chat .pq-provisional")).to_have_count(0)
    expect(answer.locator(".pq-notice")).to_have_count(0)
    expect(answer.locator(".pq-text")).to_contain_text("1.54")
    expect(answer.locator(".pq-text a.pq-cite").first).to_be_visible()

    # 侧栏仍是那一段,标签是模型的回答里引它的编号,点回答里的这个编号打开的也是它
    labels = answer.locator(".pq-text a.pq-cite").all_inner_texts()
    label = panel.locator(".pq-source-label")
    expect(label).to_have_text(re.compile("^(" + "|".join(map(re.escape, labels)) + ")$"))
    expect(panel.locator(".pq-passage mark").last).to_contain_text("1.54件")
    shown = label.inner_text()
    answer.locator(".pq-text a.pq-cite", has_text=shown).first.click()
    expect(label).to_have_text(shown)
    expect(panel.locator(".pq-passage mark").last).to_contain_text("1.54件")
    page.screenshot(path=screenshots / "14-本地模型回答.png")


def test_问题里的Markdown和网页代码原样显示_浏览器不去取图片(page, screenshots):
    image = "http://127.0.0.1:9/q.png"
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if "q.png" in request.url else None)
    ask(page, f"![x]({image}) <b>粗体</b> 乐山2027年经济总量目标是多少?")
    chat = page.locator("#chat")
    expect(chat.get_by_text(f"![x]({image}) <b>粗体</b>", exact=False)).to_be_visible()
    assert chat.locator("img[src*='q.png']").count() == 0 and chat.locator("b", has_text="粗体").count() == 0
    page.screenshot(path=screenshots / "13-问题原样显示.png")
    assert not fetched, fetched


@pytest.fixture
def cut_short_model_url(ui_settings, engine, unused_port):
    """The app with the local model as its backend, loaded at start, allowed two tokens per answer: nothing it
    writes can pass the citation check."""
    settings = ui_settings.model_copy(update={
        "llm": ui_settings.llm.model_copy(update={"backend": "local", "max_tokens": 2}),
        "serve": ui_settings.serve.model_copy(update={"port": unused_port})})
    demo = build_app(settings, Engine(settings, engine.kb))
    launch(demo, settings, block=False)
    yield f"http://127.0.0.1:{settings.serve.port}/"
    demo.close()


def test_模型的回答没通过核对时_摘录留在原处并说明(browser, cut_short_model_url, screenshots):
    context = browser.new_context(viewport={"width": 1400, "height": 950}, locale="zh-CN")
    page = context.new_page()
    page.goto(cut_short_model_url)
    page.get_by_text("知识库:").wait_for()

    box = page.locator("#question textarea")
    box.fill("乐山每万人口高价值发明专利拥有量目标是多少?")
    box.press("Enter")
    expect(page.locator("#chat .pq-provisional .pq-text")).to_contain_text("1.54件", timeout=MODEL_TIMEOUT)
    quoted_text = page.locator("#chat .pq-provisional .pq-text").inner_text()

    answer = page.locator(FINAL_ANSWERS).first
    expect(answer.locator(".pq-notice")).to_contain_text("未能通过引用核对", timeout=MODEL_TIMEOUT)
    expect(answer.locator(".pq-meta")).to_contain_text("回答方式:原文摘录")
    assert answer.locator(".pq-text").inner_text() == quoted_text
    expect(page.locator("#chat .pq-provisional")).to_have_count(0)
    page.screenshot(path=screenshots / "15-模型未通过核对保留摘录.png")
    context.close()
