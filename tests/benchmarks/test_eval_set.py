"""评测集 benchmarks/eval/*.jsonl：合并后的整套题满足 issue 9 的全部规则；检查器对常见错误逐条报错。

需要仓库旁的 ../shared（CI 上即如此）；在 worktree 里用 POLICYQA_SHARED_DIR=/work/shared 指定。"""
from __future__ import annotations

import json

import pytest

from benchmarks.eval.check import DEFAULT_SHARED, EVAL_DIR, check

pytestmark = pytest.mark.skipif(not (DEFAULT_SHARED / "eval" / "check_eval.py").is_file(),
                                reason="../shared is not beside this checkout (set POLICYQA_SHARED_DIR)")

LESHAN = "000_8902df2bf2f4ee86.txt"
NANCHONG = "001_c9c4803088df93b3.txt"
SICHUAN = "003_a2ba1bc787fa838e.txt"  # 繁体，带 (fā) 之类的拼音残留
LESHAN_QUOTE = "推动峨眉山、乐山大佛景区争创世界级旅游景区"


def item(item_id: str, **fields) -> dict:
    base = {"id": item_id, "split": "tune", "type": "fact", "question": "乐山想把哪两个景区推成世界级的？",
            "answer": "推动峨眉山、乐山大佛景区争创世界级旅游景区。", "must_contain": ["乐山大佛"],
            "evidence": [{"doc": LESHAN, "quote": LESHAN_QUOTE}], "section": ""}
    return base | fields


def errors_of(tmp_path, *items: dict) -> list[str]:
    (tmp_path / "set.jsonl").write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items),
                                        encoding="utf-8")
    return check(tmp_path, DEFAULT_SHARED).errors


def item_errors(tmp_path, *items: dict) -> list[str]:
    """只看逐题的错误（一两道题的小集合当然达不到整套题的数量和比例）"""
    return [e for e in errors_of(tmp_path, *items) if e.startswith("set.jsonl")]


def test_合并后的评测集满足全部规则():
    report = check(EVAL_DIR, DEFAULT_SHARED)
    assert not report.errors, "\n".join(report.errors)


def test_正确的题目没有逐题错误_繁体证据按简体比对(tmp_path):
    sichuan = item("d2", question="四川的天然气要做成多大规模的产能基地？", type="trad",
                   answer="建设国家天然气(页岩气)千亿立方米级产能基地。", must_contain=["千亿立方米"],
                   evidence=[{"doc": SICHUAN, "quote": "建設國家天然氣(頁巖氣)千億立方米級產(chǎn)能基地"}])
    assert item_errors(tmp_path, item("d1"), sichuan) == []


@pytest.mark.parametrize("bad, expected", [
    ({"evidence": [{"doc": LESHAN, "quote": "推动峨眉山和乐山大佛景区争创世界级旅游景区"}]}, "not verbatim"),
    ({"evidence": [{"doc": LESHAN, "quote": "乐山大佛景区"}]}, "quote of 6 characters"),
    ({"must_contain": ["峨眉山市"]}, "is not in the evidence"),
    ({"must_contain": ["樂山大佛"]}, "is not normalized"),
    ({"type": "unanswerable"}, "has no evidence and no must_contain"),
    ({"type": "cross"}, "at least two documents"),
    ({"type": "trad"}, "traditional-script documents only"),
    ({"history": []}, "history must be"),
    ({"split": "dev"}, "is not one of"),
    ({"evidence": [{"doc": LESHAN}]}, "fields of the wrong type: evidence"),
])
def test_逐题错误都会报出(tmp_path, bad, expected):
    assert any(expected in e for e in item_errors(tmp_path, item("d1", **bad))), expected


def test_同一文件不能同时出现在两个划分里_重复编号也报错(tmp_path):
    about_leshan = item("d2", split="test", type="unanswerable", question="乐山2022年的GDP有多少亿?",
                        answer="文件中没有找到。", must_contain=[], evidence=[], about=[LESHAN])
    errors = errors_of(tmp_path, item("d1"), about_leshan, item("d1", evidence=[
        {"doc": NANCHONG, "quote": "推进南充高新区、阆中经开区省级近零碳排放园区建设"}], must_contain=["南充高新区"],
        answer="南充高新区"))
    assert f"{LESHAN} has items in both splits" in errors
    assert "id d1 is used 2 times" in errors
    assert any("fewer than 300" in e for e in errors)
