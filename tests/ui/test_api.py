"""应用的接口(gradio_client,不经浏览器):程序也能提问、查出处、上传、生成简报,并受登录保护。"""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError, AuthenticationError

from pydantic import SecretStr

from ui.app import build_app, launch


@pytest.fixture(scope="module")
def client(app_url) -> Client:
    return Client(app_url, verbose=False)


def test_提问返回带出处的回答(client):
    answer = client.predict("南充力争到2026年,企业研发经费、技术合同成交额、国家高新技术企业数要比哪一年增长多少?",
                            api_name="/ask")
    assert not answer["refused"]
    assert "30%" in answer["answer"] and "2023" in answer["answer"]
    assert answer["citations"], answer
    citation = answer["citations"][0]
    assert citation["doc"] == "nanchong-2024-new-productive-forces"
    assert f"[{citation['marker']}]" in answer["answer"]
    assert citation["quote"] in " ".join(hit["text"] for hit in answer["retrieved"])


def test_文件中没有的内容_拒答_说明未写明_只引最接近的表述(client):
    answer = client.predict("乐山提出到2025年全市经济总量要达到多少亿元?", api_name="/ask")
    assert answer["refused"]
    assert "文件中没有找到" in answer["answer"] and "未写明2025年" in answer["answer"]
    stated, nearest = answer["answer"].split("相关表述")
    assert "[" not in stated  # the refusal itself cites nothing; only the nearest statement carries a marker
    assert all(f"[{citation['marker']}]" in nearest for citation in answer["citations"])


def test_按城市筛选只引用该城市的文件(client):
    answer = client.predict("培育壮大的新兴产业和未来产业有哪些?", "extractive", [], ["南充市"], api_name="/ask")
    assert answer["citations"]
    assert {citation["doc"] for citation in answer["citations"]} == {"nanchong-2024-new-productive-forces"}


def test_追问用上文补全问题(client):
    answer = client.predict("那四川呢?", "extractive", [], [], [], ["乐山到2027年经济总量目标是多少?"],
                            api_name="/ask")
    assert answer["question"].startswith("四川")
    assert {citation["doc"] for citation in answer["citations"]} == {"sichuan-2024-high-quality-development"}


@pytest.mark.parametrize("question, message", [("   ", "问题为空"), ("乐山" * 501, "问题过长")])
def test_坏问题得到说明而不是报错堆栈(client, question, message):
    with pytest.raises(AppError, match=message):
        client.predict(question, api_name="/ask")


def test_出处查询跨简繁找到原句(client):
    html = client.predict("全省经济总量已经迈上六万亿元台阶", api_name="/lookup")
    assert "四川省关于以发展新质生产力为重要着力点扎实推进高质量发展的决定" in html
    assert "<mark>全省經(jīng)濟總量已經(jīng)邁上六萬億元臺階</mark>" in html
    assert "原文</span>" in html  # 精确匹配排在前面


def test_上传不支持的文件类型_说明原因且不存盘(client, tmp_path, ui_settings, engine):
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ\x90\x00")
    before = engine.kb.documents()
    status, *_ = client.predict([handle_file(program)], api_name="/upload")
    assert "“setup.exe”不是支持的文件类型" in status
    assert engine.kb.documents() == before
    assert not (ui_settings.uploads_dir / "setup.exe").exists()


def test_上传坏的Word文件_说明读不了且知识库不变(client, tmp_path, engine):
    broken = tmp_path / "损坏的通知.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    before = engine.kb.documents()
    status, *_ = client.predict([handle_file(broken)], api_name="/upload")
    assert "无法读取“损坏的通知.docx”" in status
    assert engine.kb.documents() == before


def test_生成简报_返回带脚注的正文和Word文件(client):
    html, files = client.predict("人才", ["南充市"], [], "extractive", api_name="/briefing")
    assert "“人才”政策简报(南充市)" in html
    assert 'class="footnote-ref"' in html and 'class="footnotes"' in html
    word = next(Path(file) for file in files if str(file).endswith(".docx"))
    document = docx.Document(word)
    assert document.paragraphs[0].text.startswith("“人才”政策简报")
    footnotes = [part for part in document.part.package.parts if part.partname.endswith("/footnotes.xml")]
    assert footnotes and "南充市委" in footnotes[0].blob.decode()


def test_简报主题为空_说明原因(client):
    with pytest.raises(AppError, match="简报主题为空"):
        client.predict("", [], [], "extractive", api_name="/briefing")


def test_设了用户名密码就必须登录(ui_settings, engine, unused_port):
    settings = ui_settings.model_copy(update={"serve": ui_settings.serve.model_copy(
        update={"port": unused_port, "username": "analyst", "password": SecretStr("s3cret-pass")})})
    demo = build_app(settings, engine)
    launch(demo, settings, block=False)
    url = f"http://127.0.0.1:{settings.serve.port}/"
    try:
        with pytest.raises(AuthenticationError, match="credentials were not provided"):
            Client(url, verbose=False)
        with pytest.raises(ValueError, match="Could not login"):
            Client(url, auth=("analyst", "wrong"), verbose=False)
        logged_in = Client(url, auth=("analyst", "s3cret-pass"), verbose=False)
        assert logged_in.predict("四川全省经济总量目前已经迈上什么台阶?", api_name="/ask")["citations"]
    finally:
        demo.close()


def test_文件管理里更正元数据_列表和所选文件都显示新值(client):
    doc = "chengdu-2024-press-conference"
    shown = list(client.predict(doc, api_name="/metadata"))
    assert shown == ["解读市委十四届六次全会精神新闻发布会", "", "成都市", "2024-11-14", "新闻发布会"]
    status, *_views = client.predict(doc, shown[0], "中共成都市委宣传部", *shown[2:], api_name="/correct")
    try:
        assert "已更正" in status
        assert client.predict(doc, api_name="/metadata")[1] == "中共成都市委宣传部"
        refused, *_ = client.predict(doc, shown[0], "", "成都市", "2024年11月14日", "新闻发布会", api_name="/correct")
        assert "未保存" in refused and "YYYY-MM-DD" in refused
        assert client.predict(doc, api_name="/metadata")[1] == "中共成都市委宣传部"
    finally:  # the knowledge base is shared by the other tests of the session
        client.predict(doc, *shown, api_name="/correct")


@pytest.mark.parametrize("arguments, message", [
    (("乐山经济总量", "bogus"), "回答方式“bogus”不存在"),
    (("乐山经济总量", "extractive", [], [], ["abc"]), "年份必须是整数"),
    (("乐山经济总量", "extractive", [], [], [99999999999999999999]), "超出范围"),
    ((12345,), "问题必须是一段文字"),
    ((["a", "b"],), "问题必须是一段文字"),
    (("乐山经济总量", "extractive", [], [], [], [1, 2, 3]), "对话历史中的每一项必须是问题文字"),
    (("那南充呢?", "extractive", [], [], [], ["乐山" * 2_000]), "对话过长"),
    (("乐山经济总量", "extractive", ["no-such-doc"]), "知识库中没有文件“no-such-doc”"),
    (("乐山经济总量", "extractive", [], ["火星"]), "知识库中没有地区“火星”"),
], ids=["未知后端", "年份不是数字", "年份过大", "问题是数字", "问题是列表", "历史不是文字", "历史过长", "未知文件", "未知地区"])
def test_接口参数有误_说明哪里不对(client, arguments, message):
    with pytest.raises(AppError, match=message):
        client.predict(*arguments, api_name="/ask")


def test_不打开页面_接口也认得文件ID和地区(client, engine):
    doc_id = next(meta.doc_id for meta, _ in engine.kb.documents() if meta.doc_id.startswith("nanchong"))
    assert "pq-outline" in client.predict(doc_id, api_name="/outline")
    with pytest.raises(AppError, match="知识库中没有文件"):
        client.predict("../../etc/passwd", api_name="/outline")
    status, *_ = client.predict("no-such-doc", api_name="/delete")
    assert "知识库中没有文件“no-such-doc”" in status
    html, _ = client.predict("人才", ["南充"], [doc_id], "extractive", api_name="/briefing")
    assert "政策简报" in html


def test_出处查询去掉零宽和方向控制字符(client):
    html = client.predict("全省经济\u200b总量已经\u202e迈上六万亿元台阶", api_name="/lookup")
    assert "<mark>全省經(jīng)濟總量已經(jīng)邁上六萬億元臺階</mark>" in html


@pytest.mark.parametrize("arguments, message", [
    (("科技", [], [], "bogus"), "回答方式“bogus”不存在"),
    (("科技", ["火星"], [], "extractive"), "知识库中没有地区“火星”"),
    (("科技", [], ["nope"], "extractive"), "知识库中没有文件“nope”"),
], ids=["未知后端", "未知地区", "未知文件"])
def test_简报参数有误_说明哪里不对(client, arguments, message):
    with pytest.raises(AppError, match=message):
        client.predict(*arguments, api_name="/briefing")
