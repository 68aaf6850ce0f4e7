"""Synthetic policy documents for scale tests, made from the demo corpus's own structure and sentences.

Each document is a municipal decision as the seeds write them: 中共X市委 / 关于……的决定 / (date, plenum) /
preamble, then 一、 sections holding (一) or 1. items, each item a paragraph the chunker keeps as one chunk.
Sentences come from the five seeds (simplified), with the place swapped for one of Sichuan's 21 cities and
prefectures, years moved to the document's year, figures rescaled, and some clauses exchanged between
sentences, so no two documents say the same thing and search is not trivially degenerate. A tenth of the
documents are written in traditional characters, as the provincial seed is.
Generation is deterministic for a seed; every document is cut by the real chunker to count its chunks.

usage: .venv/bin/python benchmarks/synthetic.py OUT_DIR --chunks 1000 [--seed 0]
"""
from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import opencc

from corpus import DOCUMENTS_DIR
from corpus.model import Chunk
from corpus.normalize import to_index_text
from corpus.pipeline import iter_corpus, prepare_document

# (short name, as written with its kind): the prefecture-level divisions of Sichuan
CITIES = (
    ("成都", "成都市"), ("自贡", "自贡市"), ("攀枝花", "攀枝花市"), ("泸州", "泸州市"), ("德阳", "德阳市"),
    ("绵阳", "绵阳市"), ("广元", "广元市"), ("遂宁", "遂宁市"), ("内江", "内江市"), ("乐山", "乐山市"),
    ("南充", "南充市"), ("眉山", "眉山市"), ("宜宾", "宜宾市"), ("广安", "广安市"), ("达州", "达州市"),
    ("雅安", "雅安市"), ("巴中", "巴中市"), ("资阳", "资阳市"), ("阿坝", "阿坝州"), ("甘孜", "甘孜州"),
    ("凉山", "凉山州"),
)
TOPICS = (
    "以发展新质生产力为重要着力点加快构建现代化产业体系扎实推进高质量发展",
    "深入推进创新驱动引领高质量发展",
    "加快培育新质生产力推动高水平发展",
    "进一步全面深化改革推进中国式现代化",
    "促进民营经济发展壮大",
    "建设更高水平天府粮仓推进乡村全面振兴",
    "加快建设现代化基础设施体系",
    "推动文化和旅游深度融合发展",
    "深化科技体制改革加快建设区域科技创新中心",
    "加强生态文明建设推动绿色低碳发展",
    "健全保障和改善民生制度体系",
    "打造一流营商环境",
)
SEED_YEAR = 2024  # the year the seeds speak from: their years move by (document year - this)
ITEM_CHARS = (150, 360)  # one item paragraph: long enough to stand alone, short enough to stay one chunk
TRADITIONAL_SHARE = 0.1
CLAUSE_SWAP_SHARE = 0.4

_SEED_PLACES = ("乐山", "南充", "成都")
_CITY_PLACEHOLDER, _SHORT_PLACEHOLDER = "\uE000", "\uE001"
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]")
_LEAD_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、])[^。]{0,40}。")
_LEVEL_ONE = re.compile(r"^[一二三四五六七八九十]+、(.{4,30})$")
_LEVEL_TWO = re.compile(r"^(?:[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.．]\s*)(.{4,30})$")
_NOISE = re.compile(r"记者|图文|来源|发布会|网易|编辑|:|https?|www")  # press-conference and scraping lines
_YEAR = re.compile(r"(?<!\d)(20[0-4]\d)(?=年|\b|[^\d])")
_FIGURE = re.compile(r"(?<![\d.])(\d+)(?:\.(\d+))?(?![\d.])")
_CN_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class SyntheticCorpus:
    folder: Path
    files: tuple[Path, ...]
    chunks: int  # as the real chunker cuts the files


@dataclass(frozen=True)
class Probe:
    """A search a person might type for a passage they half remember: the place and a clause of it."""

    query: str
    clause: str  # normalized; a hit "finds" the probe when its index text holds this clause


@dataclass(frozen=True)
class _Material:
    sections: tuple[str, ...]  # 一、 headings without their number
    items: tuple[str, ...]  # (一) / 1. headings without their number
    sentences: tuple[str, ...]  # with the seed's place replaced by placeholders
    clauses: tuple[str, ...]  # middle clauses of those sentences, for exchanging


def generate(folder: str | Path, target_chunks: int, seed: int = 0, sources: Path = DOCUMENTS_DIR,
             max_chars: int = 400) -> SyntheticCorpus:
    """Write documents into `folder` until the chunker cuts at least `target_chunks` chunks from them."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    material = _material(sources, max_chars)
    rng = random.Random(seed)
    to_traditional = opencc.OpenCC("s2t")
    files: list[Path] = []
    chunks = 0
    while chunks < target_chunks:
        # one chunk for the preamble, one per item paragraph: the last document takes only what is left
        items = min(rng.randint(15, 60), max(1, target_chunks - chunks - 1))
        text = _document(rng, material, items)
        if rng.random() < TRADITIONAL_SHARE:
            text = to_traditional.convert(text)
        path = folder / f"synthetic-{len(files) + 1:06d}.txt"
        path.write_text(text, encoding="utf-8")
        chunks += len(prepare_document(path, max_chars=max_chars).chunks)
        files.append(path)
    return SyntheticCorpus(folder, tuple(files), chunks)


def probes(chunks: Sequence[Chunk], count: int, seed: int = 0) -> list[Probe]:
    """`count` searches for passages of these chunks, each naming the chunk's place and one of its clauses."""
    rng = random.Random(seed)
    found: list[Probe] = []
    for chunk in rng.sample(list(chunks), min(len(chunks), count * 3)):
        body = to_index_text(chunk.text)
        clauses = [clause for clause in re.split(r"[,，。;；、:：]", body) if 8 <= len(clause) <= 30]
        if not clauses:
            continue
        clause = rng.choice(clauses)
        place = next((short for short, _ in CITIES if chunk.meta.region.startswith(short)), chunk.meta.region)
        found.append(Probe(query=f"{place}{clause}", clause=clause))
        if len(found) == count:
            break
    return found


def _material(sources: Path, max_chars: int) -> _Material:
    sections: dict[str, None] = {}
    items: dict[str, None] = {}
    sentences: dict[str, None] = {}
    for document in iter_corpus(sources, max_chars=max_chars):
        for chunk in document.chunks:
            for heading in map(to_index_text, chunk.section_path):
                if found := _LEVEL_ONE.match(heading):
                    sections[found.group(1).rstrip("。")] = None
                elif found := _LEVEL_TWO.match(heading):
                    items[found.group(1).rstrip("。")] = None
            for line in chunk.text.splitlines():
                for sentence in _SENTENCE.findall(_LEAD_HEADING.sub("", to_index_text(line))):
                    sentence = sentence.strip()
                    if 15 <= len(sentence) <= 200 and not _NOISE.search(sentence):
                        sentences[_neutral_place(sentence)] = None
    clauses = {clause for sentence in sentences for clause in sentence.split(",")[1:-1] if 6 <= len(clause) <= 40}
    return _Material(tuple(sections), tuple(items), tuple(sentences), tuple(sorted(clauses)))


def _neutral_place(sentence: str) -> str:
    for place in _SEED_PLACES:
        sentence = sentence.replace(place + "市", _CITY_PLACEHOLDER).replace(place, _SHORT_PLACEHOLDER)
    return sentence


def _document(rng: random.Random, material: _Material, items: int) -> str:
    short, city = rng.choice(CITIES)
    year = rng.randint(2021, 2026)
    plenum = f"第{rng.choice(_CN_NUMBERS[5:])}届委员会第{rng.choice(_CN_NUMBERS)}次全体会议"
    lines = [
        f"中共{city}委",
        f"关于{rng.choice(TOPICS)}的决定",
        f"({year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日中国共产党{city}{plenum}通过)",
        _paragraph(rng, material, ""),
    ]
    for section_number, item_count in enumerate(_split(rng, items), start=1):
        lines.append(f"{_chinese_ordinal(section_number)}、{rng.choice(material.sections)}")
        for item_number in range(1, item_count + 1):
            style = "({})" if section_number % 2 else "{}. "
            number = _chinese_ordinal(item_number) if style == "({})" else str(item_number)
            lines.append(_paragraph(rng, material, style.format(number) + rng.choice(material.items) + "。"))
    text = "\n".join(lines) + "\n"
    text = text.replace(_CITY_PLACEHOLDER, city).replace(_SHORT_PLACEHOLDER, short)
    return _move_years(_rescale_figures(rng, text, skip=len("\n".join(lines[:3]))), year - SEED_YEAR)


def _split(rng: random.Random, items: int) -> Iterator[int]:
    """Item paragraphs per 一、 section: 2 to 8 each."""
    while items > 0:
        take = min(items, rng.randint(2, 8))
        items -= take
        yield take


def _paragraph(rng: random.Random, material: _Material, lead: str) -> str:
    paragraph = lead
    target = rng.randint(*ITEM_CHARS)
    for _ in range(100):  # sentences are at most 200 characters: a fitting one comes soon
        if len(paragraph) >= target:
            break
        sentence = _exchange_clause(rng, material, rng.choice(material.sentences))
        if len(paragraph) + len(sentence) <= ITEM_CHARS[1]:
            paragraph += sentence
    return paragraph


def _exchange_clause(rng: random.Random, material: _Material, sentence: str) -> str:
    clauses = sentence.split(",")
    if len(clauses) >= 3 and rng.random() < CLAUSE_SWAP_SHARE:
        clauses[rng.randrange(1, len(clauses) - 1)] = rng.choice(material.clauses)
    return ",".join(clauses)


def _rescale_figures(rng: random.Random, text: str, skip: int) -> str:
    """Every figure but years (and the title lines) times 0.5 to 2, keeping its decimals."""
    def rescale(match: re.Match[str]) -> str:
        whole, decimals = match.group(1), match.group(2)
        value = float(match.group())
        if 1990 <= value <= 2060 and not decimals or match.start() < skip:
            return match.group()
        scaled = value * rng.uniform(0.5, 2.0)
        return f"{scaled:.{len(decimals)}f}" if decimals else str(max(1, round(scaled)) if whole != "0" else 0)

    return _FIGURE.sub(rescale, text)


def _move_years(text: str, delta: int) -> str:
    lines = text.split("\n")
    body = "\n".join(lines[3:])  # the date line already holds the document's own year
    return "\n".join(lines[:3]) + "\n" + _YEAR.sub(lambda match: str(int(match.group(1)) + delta), body)


def _chinese_ordinal(number: int) -> str:
    if number <= 10:
        return _CN_NUMBERS[number - 1]
    tens, ones = divmod(number, 10)
    return (_CN_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (_CN_NUMBERS[ones - 1] if ones else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--chunks", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    corpus = generate(args.out, args.chunks, args.seed)
    print(f"{len(corpus.files)} documents, {corpus.chunks} chunks in {corpus.folder}")


if __name__ == "__main__":
    main()
