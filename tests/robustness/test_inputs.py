"""同一套输入检查管命令行、引擎和接口:类型、长度(连同对话历史)、年份范围、回答方式、文件 ID 和地区;每种错都有一句明白话。

The API's side of it (gradio_client against a served app) is in tests/ui/test_api.py; here the engine, the
checks themselves and every command of the CLI, whose errors must end in a message and exit code 1 or 2, never
a traceback.
"""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.inputs import BadQuestion, MAX_CONVERSATION_CHARS, validate_history, validate_regions, validate_years

LOOKUP_PHRASE = "全省经济总量已经迈上六万亿元台阶"


@pytest.mark.parametrize("question, history, backend, message", [
    (12345, (), None, "问题必须是一段文字"),
    (["a", "b"], (), None, "问题必须是一段文字"),
    ("那南充呢?", [1, 2, 3], None, "对话历史中的每一项"),
    ("那南充呢?", "乐山的目标", None, "对话历史必须是问题的列表"),
    ("那南充呢?", ["乐山" * 152_000], None, "对话过长"),
    ("乐山经济总量", (), "bogus", "回答方式“bogus”不存在"),
], ids=["数字", "列表", "历史里是数字", "历史是一个字符串", "三十万字的历史", "未知后端"])
def test_引擎对坏参数说明原因(demo_engine, question, history, backend, message):
    with pytest.raises(BadQuestion, match=message):
        demo_engine.ask(question, history, backend=backend)


def test_对话消息形式的历史_只算用户说的话():
    history = [{"role": "user", "content": "乐山2027年经济总量目标是多少?"}, {"role": "assistant", "content": "3400亿元"}]
    assert validate_history(history, "那南充呢?") == ["乐山2027年经济总量目标是多少?"]
    with pytest.raises(BadQuestion, match="对话过长"):
        validate_history([{"role": "user", "content": "问" * MAX_CONVERSATION_CHARS}], "那南充呢?")


@pytest.mark.parametrize("years, message", [
    (["abc"], "必须是整数"), ([True], "必须是整数"), ([2024.5], "必须是整数"),
    ([99999999999999999999], "超出范围"), (["99999999999999999999"], "超出范围"), ([10**5000], "超出范围"), ([1800], "超出范围"),
])
def test_年份必须是合理范围内的整数(years, message):
    with pytest.raises(BadQuestion, match=message):
        validate_years(years)


def test_年份可以是文字形式的整数():
    assert validate_years(["2024", 2027]) == (2024, 2027)


def test_地区按全称或简称认_不认识的说出可选项(demo_engine):
    assert validate_regions(demo_engine.kb, ["乐山", "四川省"]) == ("乐山市", "四川省")
    with pytest.raises(BadQuestion, match="可选 .*乐山市"):
        validate_regions(demo_engine.kb, ["火星"])


def run(demo_settings, *args: str):
    return CliRunner().invoke(cli, list(args), env={"POLICYQA_DATA_DIR": str(demo_settings.data_dir),
                                                    "POLICYQA_LLM__BACKEND": "extractive"})


@pytest.mark.parametrize("args, message", [
    (["lookup", ""], "要查找出处的句子为空"),
    (["lookup", "\u200b\u202e"], "要查找出处的句子为空"),
    (["lookup", LOOKUP_PHRASE, "--k", "0"], "结果数须为 1 到 50"),
    (["lookup", LOOKUP_PHRASE, "--k", "-1"], "结果数须为 1 到 50"),
    (["search", ""], "检索词为空"),
    (["search", "乐山经济", "--k", "0"], "结果数须为 1 到 50"),
    (["search", "乐山经济", "--year", "99999999999999999999"], "超出范围"),
    (["ask", "乐山经济", "--year", "99999999999999999999"], "超出范围"),
    (["ask", "乐山经济", "--region", "火星"], "知识库中没有地区“火星”"),
    (["docs", "--outline", "no-such-doc"], "知识库中没有文件“no-such-doc”"),
    (["brief", "科技创新", "--out", "missing/dir/b.md"], "文件夹“missing/dir”不存在"),
    (["brief", "科技创新", "--out", "b.pdf"], "只能写成 Word(.docx)或 Markdown(.md)"),
], ids=["空出处", "只有零宽和方向字符", "k为0", "k为负", "空检索", "检索k为0", "检索年份过大", "提问年份过大",
        "未知地区", "未知文件", "简报文件夹不存在", "简报写成pdf"])
def test_命令行的错误输入_退出码非零_一句话说明(demo_settings, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run(demo_settings, *args)
    assert result.exit_code in (1, 2) and isinstance(result.exception, SystemExit), result.exception
    assert message in result.output
    assert not (tmp_path / "b.pdf").exists()


def test_出处查询去掉零宽_控制和方向字符_与干净的句子结果相同(demo_settings):
    clean = run(demo_settings, "lookup", LOOKUP_PHRASE)
    dirty = run(demo_settings, "lookup", "全省\u200b经济\u0007总量已经\u202e迈上六万亿元\u2066台阶")
    assert clean.exit_code == dirty.exit_code == 0
    assert dirty.output == clean.output and "原文" in clean.output


def test_有文件导入失败时_退出码非零并说出是哪个(demo_settings, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "好的.txt").write_text("辛市关于数字政务的通知\n一、目标\n建成驿站12个。\n", encoding="utf-8")
    (folder / "坏的.docx").write_bytes(b"PK\x03\x04 not really a zip")
    result = run(demo_settings, "ingest", str(folder), "--quiet")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "坏的.docx" in result.output and "1 个文件未能导入" in result.output and "新增 1 篇" in result.output
