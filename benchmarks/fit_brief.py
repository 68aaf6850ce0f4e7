"""Fit the briefing's heading parameters (qa/brief/topic.py), and scan a ranking one (qa/brief/build.py), on tune.

    python benchmarks/fit_brief.py [TOPIC FILES...]

The tune topics of every file given (by default benchmarks/eval/briefing/topics.jsonl and tune2.jsonl) are
measured. Scans GENERIC_IDF (jieba IDF below which a topic's nominal term is a generic head word a heading may vary)
and MAX_NAMED_THINGS (up to how many specific names a sentence holds raise it among the measures shown), builds
every tune briefing of benchmarks/eval/briefing/topics.jsonl for each pair and prints coverage, empty cells and
silent documents covered. The value kept has the highest coverage with no silent document covered, and among
equals the lowest cut: at 5.0 未来 (IDF 4.69) becomes generic, so every heading naming 产业 counts as on 未来产业;
that fills more table cells with the wrong sections, and so fewer empty cells do not break a tie.
MAX_NAMED_THINGS is printed, not kept: 6 wins one tune item and lost three on the old test topics (qa/brief/build.py).
Then, at the kept GENERIC_IDF, scans PART_HEADING (the share of the topic a heading must hold to put its section on
the topic when the search ranks one of the section's passages among the document's first HEADED_SEARCH_RANKS)
and HEADED_SEARCH_RANKS; kept is the highest coverage with no more silent documents covered than without the
rule, among equals the strictest (highest share, fewest ranks).
Last, at those values, scans MEASURE_BUDGET_CHARS (qa/brief/build.py: how many characters of measures a document
shows): coverage only grows with room, so kept is the smallest budget whose coverage the next larger one does not
raise (where the gain levels off), with no more silent documents covered.
Then DENSE_SENTENCE, DENSE_MARGIN and DENSE_RANKS (the sentence encoder's own rule), then SEARCHED_COSINE
(how close the encoder must put a sentence the search finds): the strictest floor that loses no coverage, then
DENSE_HEADING (how close it must put the heading of a sentence it alone finds), the same way, and last
ORDINARY_WORD_FREQ (qa/brief/items.py: the jieba count from which a quoted one-word noun is an ordinary word used as
a metaphor, 当好“X”, “X”作用, not a name): the lowest count that loses no coverage. `--last` runs only the last two scans,
at the values the code holds. Test topics are not read.
"""
from __future__ import annotations

import json
import sys
import tempfile
from itertools import product
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.brief import EVAL, knowledge_base, measure  # noqa: E402
from qa.brief import build as build_module, items as items_module, topic as topic_module  # noqa: E402

TOPIC_FILES = (EVAL, EVAL.with_name("tune2.jsonl"))
GENERIC_IDFS = (0.0, 4.0, 5.0, 5.5)
NAMED_THINGS = (3, 6, 9)
PART_HEADINGS = (0.3, 0.4, 0.45, 0.5, 0.6, float("inf"))  # inf: the rule off
HEADED_RANKS = (1, 3)
# from the room ten measures of at most MEASURE_CHARS (120) had before the cap was counted in characters
MEASURE_BUDGETS = (1200, 1800, 2400, 3600)
DENSE_SENTENCES = (float("inf"), 0.2, 0.25, 0.3)
DENSE_MARGINS = (0.0, 0.03, 0.06, 0.09)
DENSE_RANKS = (3, 5)
SEARCHED_COSINES = (float("-inf"), 0.05, 0.1, 0.15, 0.2, 0.25)  # -inf: no floor
DENSE_HEADINGS = (float("-inf"), 0.0, 0.05, 0.1, 0.15, 0.2, 0.25)  # -inf: any heading
ORDINARY_WORD_FREQS = (float("inf"), 100, 30, 10, 1)  # inf: no quoted dictionary noun is taken for a metaphor


def _measured(engine, doc_ids, tune, out: Path) -> tuple[int, int, float, int]:
    results = [measure(engine, doc_ids, topic, out) for topic in tune]
    found, total = sum(r["found"] for r in results), sum(r["total"] for r in results)
    empty = sum(r["empty_all"] for r in results) / sum(r["cells_all"] for r in results)
    return found, total, empty, sum(len(r["silent_but_covered"]) for r in results)


def main() -> None:
    args = sys.argv[1:]
    last_only = "--last" in args
    files = [Path(name) for name in args if name != "--last"] or TOPIC_FILES
    topics = [json.loads(line) for path in files for line in path.read_text(encoding="utf-8").splitlines()
              if line.strip()]
    tune = [topic for topic in topics if topic["split"] == "tune"]
    engine, doc_ids = knowledge_base(tune)
    if last_only:
        with tempfile.TemporaryDirectory() as out:
            fit_dense_heading(engine, doc_ids, tune, Path(out))
            fit_ordinary_word_freq(engine, doc_ids, tune, Path(out))
        engine.kb.close()
        return
    rows = []
    with tempfile.TemporaryDirectory() as out:
        topic_module.PART_HEADING = float("inf")
        for generic, named in product(GENERIC_IDFS, NAMED_THINGS):
            topic_module.GENERIC_IDF, build_module.MAX_NAMED_THINGS = generic, named
            found, total, empty, silent = _measured(engine, doc_ids, tune, Path(out))
            rows.append((generic, named, found, total, empty, silent))
            print(f"GENERIC_IDF={generic} MAX_NAMED_THINGS={named}: coverage {found}/{total},"
                  f" empty {empty:.0%} of all columns, silent covered {silent}", flush=True)
        base_silent = min(row[5] for row in rows)
        best = max((row for row in rows if row[5] == base_silent), key=lambda row: (row[2], -row[0], -row[1]))
        generic = max((row for row in rows if row[5] == base_silent and row[1] == 3),
                      key=lambda row: (row[2], -row[0]))[0]
        print(f"\nbest pair: GENERIC_IDF = {best[0]}, MAX_NAMED_THINGS = {best[1]}; kept: GENERIC_IDF = {generic}"
              " with MAX_NAMED_THINGS = 3\n")
        topic_module.GENERIC_IDF, build_module.MAX_NAMED_THINGS = generic, 3
        headed = []
        for share, ranks in product(PART_HEADINGS, HEADED_RANKS):
            topic_module.PART_HEADING, topic_module.HEADED_SEARCH_RANKS = share, ranks
            found, total, empty, silent = _measured(engine, doc_ids, tune, Path(out))
            headed.append((share, ranks, found, empty, silent))
            print(f"PART_HEADING={share} HEADED_SEARCH_RANKS={ranks}: coverage {found}/{total},"
                  f" empty {empty:.0%} of all columns, silent covered {silent}", flush=True)
        off_silent = min(row[4] for row in headed if row[0] == float("inf"))
        kept = max((row for row in headed if row[4] <= off_silent), key=lambda row: (row[2], -row[3], row[0], -row[1]))
        print(f"\nkept: PART_HEADING = {kept[0]}, HEADED_SEARCH_RANKS = {kept[1]}\n")
        topic_module.PART_HEADING, topic_module.HEADED_SEARCH_RANKS = kept[0], kept[1]
        budgets = []
        for budget in MEASURE_BUDGETS:
            build_module.MEASURE_BUDGET_CHARS = budget
            found, total, empty, silent = _measured(engine, doc_ids, tune, Path(out))
            budgets.append((budget, found, silent))
            print(f"MEASURE_BUDGET_CHARS={budget}: coverage {found}/{total}, empty {empty:.0%} of all columns,"
                  f" silent covered {silent}", flush=True)
        allowed = min(row[2] for row in budgets)
        levelled = [row for row, larger in zip(budgets, budgets[1:]) if larger[1] <= row[1] and row[2] <= allowed]
        build_module.MEASURE_BUDGET_CHARS = (levelled or budgets[-1:])[0][0]
        print(f"\nkept: MEASURE_BUDGET_CHARS = {build_module.MEASURE_BUDGET_CHARS}\n")
        silent_ids = {(topic["topic"], doc_ids[name]) for topic in tune for name in topic["silent"]}
        taken_from_silent = []
        rule = topic_module.dense_sentences

        def counted(about, ranked, similarity, found):
            taken = rule(about, ranked, similarity, found)
            taken_from_silent.extend(item for item in taken if (about.text, item.chunk.doc_id) in silent_ids)
            return taken

        topic_module.dense_sentences = counted
        dense = []
        for cosine, margin, ranks in product(DENSE_SENTENCES, DENSE_MARGINS, DENSE_RANKS):
            if cosine == float("inf") and (margin, ranks) != (DENSE_MARGINS[0], DENSE_RANKS[0]):
                continue
            topic_module.DENSE_SENTENCE, topic_module.DENSE_MARGIN, topic_module.DENSE_RANKS = cosine, margin, ranks
            taken_from_silent.clear()
            found, total, empty, silent = _measured(engine, doc_ids, tune, Path(out))
            dense.append((cosine, margin, ranks, found, len(taken_from_silent)))
            print(f"DENSE_SENTENCE={cosine} DENSE_MARGIN={margin} DENSE_RANKS={ranks}: coverage {found}/{total},"
                  f" empty {empty:.0%} of all columns, silent covered {silent},"
                  f" sentences taken from silent documents {len(taken_from_silent)}", flush=True)
        topic_module.dense_sentences = rule
        kept = max((row for row in dense if not row[4]), key=lambda row: (row[3], row[0], row[1], -row[2]))
        print(f"\nkept: DENSE_SENTENCE = {kept[0]}, DENSE_MARGIN = {kept[1]}, DENSE_RANKS = {kept[2]}\n")
        topic_module.DENSE_SENTENCE, topic_module.DENSE_MARGIN, topic_module.DENSE_RANKS = kept[:3]
        fit_searched_cosine(engine, doc_ids, tune, Path(out))
        fit_dense_heading(engine, doc_ids, tune, Path(out))
        fit_ordinary_word_freq(engine, doc_ids, tune, Path(out))
    engine.kb.close()


def fit_searched_cosine(engine, doc_ids, tune, out: Path) -> float:
    """Scans SEARCHED_COSINE (the encoder's cosine a sentence found through the search needs) at the values set;
    kept is the highest coverage with no more silent documents covered than with no floor, among equals the
    highest floor: a floor only takes sentences away, so the strictest that loses no item."""
    return _strictest(engine, doc_ids, tune, out, topic_module, "SEARCHED_COSINE", SEARCHED_COSINES, stricter=1)


def fit_dense_heading(engine, doc_ids, tune, out: Path) -> float:
    """Scans DENSE_HEADING (how close the encoder must put the heading of a sentence it finds alone to the topic);
    kept is the highest coverage with no more silent documents covered than with any heading, among equals the
    highest floor: the strictest that loses no item."""
    return _strictest(engine, doc_ids, tune, out, topic_module, "DENSE_HEADING", DENSE_HEADINGS, stricter=1)


def fit_ordinary_word_freq(engine, doc_ids, tune, out: Path) -> float:
    """Scans ORDINARY_WORD_FREQ (from what jieba count a quoted one-word noun is an ordinary word, a metaphor, and no
    named programme) from no such rule down; kept is the highest coverage with no more silent documents covered than
    with no rule, among equals the lowest count: a lower count only takes quoted words away, so the strictest that
    loses no item."""
    return _strictest(engine, doc_ids, tune, out, items_module, "ORDINARY_WORD_FREQ", ORDINARY_WORD_FREQS, stricter=-1)


def _strictest(engine, doc_ids, tune, out: Path, module, name: str, values: tuple, stricter: int) -> float:
    """Sets module.name to each of `values` (the first turns the rule off) and keeps the highest coverage with no more
    silent documents covered than the first, among equals the strictest value (the highest when `stricter` is 1, the
    lowest when it is -1)."""
    rows = []
    for value in values:
        setattr(module, name, value)
        found, total, empty, silent = _measured(engine, doc_ids, tune, out)
        rows.append((value, found, silent))
        print(f"{name}={value}: coverage {found}/{total}, empty {empty:.0%} of all columns, silent covered {silent}",
              flush=True)
    allowed = rows[0][2]
    kept = max((row for row in rows if row[2] <= allowed), key=lambda row: (row[1], stricter * row[0]))[0]
    setattr(module, name, kept)
    print(f"\nkept: {name} = {kept}")
    return kept

if __name__ == "__main__":
    main()
