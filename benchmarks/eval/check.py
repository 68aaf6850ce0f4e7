"""Checks the evaluation set: every benchmarks/eval/*.jsonl file, together, against the documents in ../shared.

Per item: the fields and their types; ids unique over all files; split is tune or test; every evidence quote is
15-120 characters and verbatim in the named document (a seed in corpus-seeds/ or a file in corpus-extra/);
answerable items have evidence and 1-4 must_contain terms, each written normalized (simplified, NFKC) and found in
the gold answer and in the normalized evidence; unanswerable items have neither; cross items cite two documents;
trad items ask in traditional script about a simplified document, or in simplified about a traditional one;
a follow-up's history is a list of earlier questions.
Over the whole set: no document (cited, or named in `about`) has items in both splits; >= 300 items, >= 25% of them
test, >= 20% unanswerable; <= 35% of answerable questions share a run of 8 characters with their evidence; >= 15
corpus-extra documents used. Normalization is fold/norm of ../shared/eval/check_eval.py, imported from there.

usage: python benchmarks/eval/check.py [--shared DIR] [--eval-dir DIR]   (exit status 1 on any error)
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
EVAL_DIR = Path(__file__).resolve().parent
DEFAULT_SHARED = Path(os.environ.get("POLICYQA_SHARED_DIR") or REPO.parent / "shared")

TYPES = ("fact", "list", "cross", "unanswerable", "lookup", "trad", "summary")
SPLITS = ("tune", "test")
REQUIRED = {"id": str, "split": str, "type": str, "question": str, "answer": str, "must_contain": list,
            "evidence": list, "section": str}
OPTIONAL = {"history": list, "about": list, "tags": list}
QUOTE_CHARS = (15, 120)
MUST_CONTAIN_TERMS = (1, 4)
MIN_ITEMS, MIN_TEST_SHARE, MIN_UNANSWERABLE_SHARE = 300, 0.25, 0.20
COPY_RUN, MAX_COPY_SHARE = 8, 0.35  # a question "copies" its evidence when they share a run this long
MIN_EXTRA_DOCUMENTS = 15
TRADITIONAL_DOC_SHARE = 0.05  # a document is in traditional script when t2s changes this share of its characters


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    copy_share: dict[str, float] = field(default_factory=dict)  # per file, and "all"
    extra_documents: set[str] = field(default_factory=set)


def load_normalization(shared: Path) -> ModuleType:
    """check_eval.py of the shared folder, whose fold/norm score.py also uses"""
    spec = importlib.util.spec_from_file_location("check_eval", shared / "eval" / "check_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_documents(shared: Path) -> tuple[dict[str, str], set[str]]:
    """every document of the evaluation knowledge base by file name, and the names of the corpus-extra ones"""
    seeds = {p.name: p.read_text(encoding="utf-8") for p in sorted((shared / "corpus-seeds").glob("*.txt"))}
    extra = {p.name: p.read_text(encoding="utf-8") for p in sorted((shared / "corpus-extra").glob("*.txt"))}
    return seeds | extra, set(extra)


def load_items(eval_dir: Path, errors: list[str]) -> list[dict]:
    items = []
    for path in sorted(eval_dir.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.name}:{number}"
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                errors.append(f"{where}: not JSON ({error})")
                continue
            if not isinstance(item, dict):
                errors.append(f"{where}: not an object")
                continue
            items.append({**item, "_file": path.name, "_where": where})
    return items


def copies_evidence(question: str, evidence: str, fold) -> bool:
    question, evidence = fold(question), fold(evidence)
    return any(question[i:i + COPY_RUN] in evidence for i in range(len(question) - COPY_RUN + 1))


def check(eval_dir: Path = EVAL_DIR, shared: Path = DEFAULT_SHARED) -> Report:
    normalization = load_normalization(shared)
    fold, norm = normalization.fold, normalization.norm
    documents, extra_names = load_documents(shared)
    traditional = {name for name, text in documents.items()
                   if sum(a != b for a, b in zip(text, normalization.T2S(text))) > TRADITIONAL_DOC_SHARE * len(text)}
    report = Report()
    errors = report.errors
    items = [item for item in load_items(eval_dir, errors) if _fields_ok(item, errors)]
    report.items = items

    for item_id, count in Counter(item["id"] for item in items).items():
        if count > 1:
            errors.append(f"id {item_id} is used {count} times")
    splits_of_document = defaultdict(set)
    for item in items:
        problems = _item_problems(item, documents, traditional, fold, norm)
        errors.extend(f"{item['_where']} {item['id']}: {problem}" for problem in problems)
        for name in {e["doc"] for e in item["evidence"]} | set(item.get("about", [])):
            splits_of_document[name].add(item["split"])
            if name in extra_names:
                report.extra_documents.add(name)
    for name, splits in sorted(splits_of_document.items()):
        if len(splits) > 1:
            errors.append(f"{name} has items in both splits")

    total = len(items)
    test_share = sum(item["split"] == "test" for item in items) / max(total, 1)
    unanswerable_share = sum(item["type"] == "unanswerable" for item in items) / max(total, 1)
    if total < MIN_ITEMS:
        errors.append(f"{total} items, fewer than {MIN_ITEMS}")
    if test_share < MIN_TEST_SHARE:
        errors.append(f"test share {test_share:.0%} is below {MIN_TEST_SHARE:.0%}")
    if unanswerable_share < MIN_UNANSWERABLE_SHARE:
        errors.append(f"unanswerable share {unanswerable_share:.0%} is below {MIN_UNANSWERABLE_SHARE:.0%}")
    if len(report.extra_documents) < MIN_EXTRA_DOCUMENTS:
        errors.append(f"{len(report.extra_documents)} corpus-extra documents used, fewer than {MIN_EXTRA_DOCUMENTS}")

    answerable = defaultdict(list)
    for item in items:
        if item["type"] != "unanswerable":
            copied = copies_evidence(item["question"], "".join(e["quote"] for e in item["evidence"]), fold)
            answerable[item["_file"]].append(copied)
            answerable["all"].append(copied)
    report.copy_share = {name: sum(flags) / len(flags) for name, flags in answerable.items()}
    if report.copy_share.get("all", 0) > MAX_COPY_SHARE:
        errors.append(f"{report.copy_share['all']:.0%} of answerable questions share a run of {COPY_RUN} "
                      f"characters with their evidence, more than {MAX_COPY_SHARE:.0%}")
    return report


def _fields_ok(item: dict, errors: list[str]) -> bool:
    where = f"{item['_where']} {item.get('id', '?')}"
    missing = [name for name in REQUIRED if name not in item]
    wrong = [name for name, kind in (REQUIRED | OPTIONAL).items() if name in item and not isinstance(item[name], kind)]
    unknown = [name for name in item if name not in REQUIRED and name not in OPTIONAL and not name.startswith("_")]
    if not (missing or wrong):
        wrong += [name for name in ("about", "tags") if not all(isinstance(x, str) for x in item.get(name, []))]
        if not all(isinstance(e, dict) and set(e) == {"doc", "quote"} and all(isinstance(v, str) for v in e.values())
                   for e in item["evidence"]):
            wrong.append("evidence (a list of {doc, quote})")
    for problem, names in (("missing", missing), ("of the wrong type", wrong), ("unknown", unknown)):
        if names:
            errors.append(f"{where}: fields {problem}: {', '.join(names)}")
    return not (missing or wrong)


def _item_problems(item: dict, documents: dict[str, str], traditional: set[str], fold, norm) -> list[str]:
    problems = []
    if item["split"] not in SPLITS:
        problems.append(f"split {item['split']!r} is not one of {SPLITS}")
    if item["type"] not in TYPES:
        problems.append(f"type {item['type']!r} is not one of {TYPES}")
    if not item["question"].strip() or not item["answer"].strip():
        problems.append("empty question or answer")
    if "history" in item and not (item["history"] and all(isinstance(q, str) and q.strip() for q in item["history"])):
        problems.append("history must be a non-empty list of earlier questions")
    if any(name not in documents for name in item.get("about", [])):
        problems.append(f"about names an unknown document: {item['about']}")

    cited = []
    for quote in item["evidence"]:
        if quote["doc"] not in documents:
            problems.append(f"evidence names an unknown document {quote['doc']!r}")
        elif not QUOTE_CHARS[0] <= len(quote["quote"]) <= QUOTE_CHARS[1]:
            problems.append(f"quote of {len(quote['quote'])} characters: {quote['quote'][:30]}")
        elif quote["quote"] not in documents[quote["doc"]]:
            problems.append(f"quote is not verbatim in {quote['doc']}: {quote['quote'][:30]}")
        else:
            cited.append(quote)
    if len(cited) < len(item["evidence"]):
        return problems

    terms = item["must_contain"]
    if item["type"] == "unanswerable":
        if terms or cited:
            problems.append("an unanswerable item has no evidence and no must_contain")
        return problems
    if not cited:
        problems.append("an answerable item needs evidence")
    if not MUST_CONTAIN_TERMS[0] <= len(terms) <= MUST_CONTAIN_TERMS[1]:
        problems.append(f"{len(terms)} must_contain terms, not {MUST_CONTAIN_TERMS[0]}-{MUST_CONTAIN_TERMS[1]}")
    evidence_text, answer_text = fold("".join(q["quote"] for q in cited)), fold(item["answer"])
    for term in terms:
        if not isinstance(term, str) or not term:
            problems.append(f"must_contain term {term!r} is not a non-empty string")
            continue
        if norm(term) != term or unicodedata.normalize("NFKC", term) != term:
            problems.append(f"must_contain {term!r} is not normalized (simplified script, NFKC)")
        if fold(term) not in answer_text:
            problems.append(f"must_contain {term!r} is not in the answer")
        if fold(term) not in evidence_text:
            problems.append(f"must_contain {term!r} is not in the evidence")

    cited_documents = {q["doc"] for q in cited}
    if item["type"] == "cross" and len(cited_documents) < 2:
        problems.append("a cross item cites at least two documents")
    asks_in_traditional = norm(item["question"]) != item["question"]
    if item["type"] == "trad":
        if asks_in_traditional and cited_documents & traditional:
            problems.append("a traditional-script question must be about simplified documents")
        if not asks_in_traditional and not cited_documents <= traditional:
            problems.append("a simplified trad question must be about traditional-script documents only")
    return problems


def print_report(report: Report) -> None:
    by_type = Counter((item["type"], item["split"]) for item in report.items)
    print(f"{'type':<14}" + "".join(f"{split:>7}" for split in SPLITS) + f"{'all':>7}")
    for kind in TYPES:
        row = [by_type[kind, split] for split in SPLITS]
        print(f"{kind:<14}" + "".join(f"{n:>7}" for n in row) + f"{sum(row):>7}")
    totals = [sum(by_type[kind, split] for kind in TYPES) for split in SPLITS]
    print(f"{'all':<14}" + "".join(f"{n:>7}" for n in totals) + f"{sum(totals):>7}")
    tags = Counter(tag for item in report.items for tag in item.get("tags", []))
    print("\ntags: " + ", ".join(f"{tag}={n}" for tag, n in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))))
    print(f"\nanswerable questions sharing a run of {COPY_RUN} characters with their evidence: "
          + ", ".join(f"{name} {share:.0%}" for name, share in sorted(report.copy_share.items())))
    print(f"corpus-extra documents used: {len(report.extra_documents)}")
    for error in report.errors:
        print("ERROR", error)
    print(f"{len(report.errors)} errors")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder (default: ../shared)")
    parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR, help="the folder of *.jsonl files to check")
    args = parser.parse_args()
    report = check(args.eval_dir, args.shared)
    print_report(report)
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
