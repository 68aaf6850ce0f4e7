"""命令行的规格:`policyqa ask --json` 的字段,`policyqa eval` 写出评分脚本读得懂的结果并打分。"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

POLICYQA = Path(sys.executable).with_name("policyqa")
SHARED_EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"


def run(demo_settings, *args: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "POLICYQA_DATA_DIR": str(demo_settings.data_dir),
                   "POLICYQA_LLM__BACKEND": "extractive"}
    return subprocess.run([str(POLICYQA), *args], env=environment, capture_output=True, text=True, timeout=300)


def test_ask_json_带回答引用和检索结果(demo_settings):
    result = run(demo_settings, "ask", "乐山每万人口高价值发明专利拥有量目标", "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert {"answer", "refused", "citations", "retrieved", "latency_ms"} <= answer.keys()
    assert "1.54件" in answer["answer"] and not answer["refused"]
    assert {"doc", "section", "quote", "chunk_id", "start", "end"} <= answer["citations"][0].keys()
    assert {"doc", "section", "text", "score"} <= answer["retrieved"][0].keys()
    assert {"retrieve", "total"} <= answer["latency_ms"].keys()


def test_空问题退出码非零并说明原因(demo_settings):
    result = run(demo_settings, "ask", "   ")
    assert result.returncode != 0 and "问题为空" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not (SHARED_EVAL / "dev.jsonl").is_file(), reason="../shared/eval is not beside this checkout")
def test_eval_写出每条结果并用评分脚本打分(demo_settings, tmp_path):
    chosen = {"q092", "q058", "q077"}  # 繁体事实、无法回答、出处查询
    lines = [line for line in (SHARED_EVAL / "dev.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip() and json.loads(line)["id"] in chosen]
    dataset = tmp_path / "mini.jsonl"
    dataset.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "results.jsonl"
    result = run(demo_settings, "eval", "--dataset", str(dataset), "--out", str(out),
                 "--scorer", str(SHARED_EVAL / "score.py"))
    assert result.returncode == 0, result.stderr
    records = {record["id"]: record for record in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert records.keys() == chosen
    assert "三星堆" in records["q092"]["answer"] and records["q058"]["refused"]
    assert "refusal_on_unanswerable    1.0" in result.stdout and "citation_valid             1.0" in result.stdout


def test_docs_列出标题_发文机关_地区_日期_类型(demo_settings):
    from click.testing import CliRunner

    from qa.cli import cli

    environment = {"POLICYQA_DATA_DIR": str(demo_settings.data_dir), "POLICYQA_LLM__BACKEND": "extractive"}
    listed = CliRunner().invoke(cli, ["docs"], env=environment)
    assert listed.exit_code == 0, listed.output
    line = next(line for line in listed.output.splitlines() if line.startswith("leshan-2024-industry\t"))
    assert line.split("\t")[2:] == ["2024-06-25", "乐山市", "决定", "中共乐山市委",
                                    "中共乐山市委关于以发展新质生产力为重要着力点加快构建现代化产业体系扎实推进高质量发展的决定"]
    rows = json.loads(CliRunner().invoke(cli, ["docs", "--json"], env=environment).output)
    assert {row["kind"] for row in rows} == {"决定", "新闻发布会"}


def test_lookup_空句子退出码非零并说明原因(demo_settings):
    result = run(demo_settings, "lookup", "“”")
    assert result.returncode != 0 and "为空" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("content, message", [
    ('{"id": "a", "question": "乐山经济总量"}\n{不是JSON\n', "第 2 行不是 JSON"),
    ('{"question": "乐山经济总量"}\n', "第 1 行须是含文字 id 和 question"),
    ('["a", "b"]\n', "第 1 行须是"),
    ('{"id": "a", "question": 12345}\n', "第 1 行须是"),
    ('{"id": "a", "question": "那南充呢?", "history": "乐山的目标"}\n', "第 1 行须是"),
], ids=["坏JSON", "缺id", "不是对象", "问题是数字", "历史不是列表"])
def test_eval_数据集有误_说明第几行_不写结果(demo_settings, tmp_path, content, message):
    dataset, out = tmp_path / "bad.jsonl", tmp_path / "results.jsonl"
    dataset.write_text(content, encoding="utf-8")
    result = run(demo_settings, "eval", "--dataset", str(dataset), "--out", str(out))
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_eval_结果文件就是数据集时拒绝_数据集不被覆盖(demo_settings, tmp_path):
    dataset = tmp_path / "mine.jsonl"
    dataset.write_text('{"id": "a", "question": "乐山经济总量目标"}\n', encoding="utf-8")
    result = run(demo_settings, "eval", "--dataset", str(dataset), "--out", str(dataset))
    assert result.returncode != 0 and "覆盖数据集" in result.stderr
    assert dataset.read_text(encoding="utf-8") == '{"id": "a", "question": "乐山经济总量目标"}\n'
