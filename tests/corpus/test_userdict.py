"""jieba 用户词典：语料中的政策术语，供关键词索引使用。"""
from __future__ import annotations

import logging
import re

import jieba
import pytest

from corpus import USERDICT_PATH
from corpus.normalize import to_index_text

ENTRY = re.compile(r"(?P<term>\S+) (?P<freq>\d+) n")


@pytest.fixture(scope="module")
def terms() -> list[str]:
    lines = USERDICT_PATH.read_text(encoding="utf-8").splitlines()
    assert all(ENTRY.fullmatch(line) for line in lines), [line for line in lines if not ENTRY.fullmatch(line)]
    return [ENTRY.fullmatch(line)["term"] for line in lines]


def test_约一百个不重复的术语(terms):
    assert len(terms) >= 100 and len(set(terms)) == len(terms)
    assert {"新质生产力", "成渝地区双城经济圈", "现代化产业体系", "高质量发展", "天府粮仓", "先进制造业集群", "专精特新"} <= set(terms)


def test_每个术语都出自种子文件(seeds, terms):
    corpus = " ".join(chunk.index_text for document in seeds.values() for chunk in document.chunks)
    assert [term for term in terms if term not in corpus] == []


def test_加载词典后术语不被切开(terms):
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(USERDICT_PATH))
    assert [term for term in terms if tokenizer.lcut(term, HMM=False) != [term]] == []
    assert "成渝地区双城经济圈" in tokenizer.lcut(to_index_text("融入成渝地區雙城經濟圈建設"))
