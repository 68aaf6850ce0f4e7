"""向量索引的句子单元：每句一个向量，显示原文，按索引形式（简体）编码。"""
from __future__ import annotations

from vectorstore.store import sentences


def test_每句一个单元_显示原文_编码简体(make_chunk):
    chunk = make_chunk("sichuan", 0, "高質量發展是首要任務。\n推動產業深度轉型升級。")
    assert sentences(chunk) == [("高質量發展是首要任務。", "高质量发展是首要任务。"),
                                ("推動產業深度轉型升級。", "推动产业深度转型升级。")]


def test_过短的片段不单独成单元(make_chunk):
    chunk = make_chunk("leshan", 0, "9.\n突出企业创新主体地位。好。")
    assert [display for display, _ in sentences(chunk)] == ["突出企业创新主体地位。"]


def test_没有像样的句子时整段作为一个单元(make_chunk):
    chunk = make_chunk("leshan", 0, "一、\n好。")
    assert sentences(chunk) == [(chunk.text, chunk.index_text)]
