"""Fit the answerability model (qa/answerability.py) on the TUNE split and write qa/fitted_parameters.toml.

For every tune item the engine retrieves as it would to answer, and every sentence of the retrieved passages
becomes one example per ask of the question, with the features qa/answerability.py computes:
  * positive: a sentence of an answerable item that holds its gold evidence (most of a quote, or the sentence
    lies within a quote);
  * negative: every sentence retrieved for an unanswerable item (the near misses the set is written to have),
    and, with the small weight OTHER_SENTENCE_WEIGHT, the other sentences of answerable items (mostly not the
    answer, but what is decided is a near miss against the answer, not the answer against its neighbours: at 0.3
    they drowned the near misses, and the tune eval gave 0.723 / 0.125 / 0.875 against 0.762 / 0.055 / 0.850).
A logistic regression (numpy, L2, gradient descent) fits the weights; the threshold is then chosen on the
same tune items at the question level (a question is answered when one of its asks reaches it): the one
maximising the mean of the answered share of answerable items and the refused share of unanswerable ones.
With --refusal-floor F it is instead the one answering the most answerable items while refusing at least F of
the unanswerable ones (0.90 is issue 9's target); on the 459 tune items that floor cost more answers than it
saved refusals (extractive eval: answer_terms 0.762 -> 0.715, false refusal 0.055 -> 0.130, refusal on
unanswerable 0.850 -> 0.900; a 0.875 floor: 0.729 / 0.102 / 0.875), so the default is no floor.
Lookup items go to 出处查询 and are left out. Test items are never read: items whose split is not "tune" are
skipped.

usage: python benchmarks/fit_answerability.py DATASET.jsonl … [--shared DIR] [--out qa/fitted_parameters.toml]
"""
from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_eval import REPO, eval_engine, read_items  # noqa: E402

from qa import answerability  # noqa: E402
from qa.answer import standalone_question  # noqa: E402
from qa.citations import fold  # noqa: E402
from qa.question import LOOKUP  # noqa: E402

SPLIT = "tune"
OTHER_SENTENCE_WEIGHT = 0.02  # an answerable item's other sentences: negatives, but some answer it too (see above)
GOLD_SHARE = 0.6  # share of a quote (or of the sentence) that must be shared for the sentence to hold the evidence
L2 = 1e-4  # against the balanced sample weights, which sum to 1
STEPS, LEARNING_RATE = 20000, 2.0
REFUSAL_FLOOR = 0.0  # share of unanswerable tune items the threshold must refuse; 0: none (see above)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=answerability.PARAMETERS)
    parser.add_argument("--refusal-floor", type=float, default=REFUSAL_FLOOR,
                        help="share of unanswerable tune items the threshold must refuse (0: the best mean of the shares)")
    args = parser.parse_args()

    items = [item for dataset in args.datasets for item in read_items(dataset) if item.get("split") == SPLIT]
    engine = eval_engine(args.shared)
    aliases = engine.aliases()
    rows, labels, weights, groups = [], [], [], []  # groups: (item index, ask index) of each row
    answerable_item = []
    for index, item in enumerate(items):
        question = engine.parse(standalone_question(item["question"], item.get("history") or (), aliases))
        if question.kind == LOOKUP:
            continue
        hits = engine.retrieve(question)
        answerable = item["type"] != "unanswerable"
        answerable_item.append((index, answerable))
        quotes = [fold(evidence["quote"]) for evidence in item.get("evidence") or []]
        for ask_index, ask in enumerate(question.asks()):
            for rank, hit, start, end, values in answerability.candidates(ask, hits, engine.similarity):
                gold = answerable and _holds_evidence(fold(hit.chunk.text[start:end]), quotes)
                rows.append(values)
                labels.append(1.0 if gold else 0.0)
                weights.append(1.0 if gold or not answerable else OTHER_SENTENCE_WEIGHT)
                groups.append((index, ask_index))
    features, target, weight = np.array(rows, dtype=float), np.array(labels), np.array(weights)
    coefficients, bias = _logistic_regression(features, target, weight)
    fitted = answerability.Parameters(tuple(coefficients), bias, 0.5)
    scores = 1 / (1 + np.exp(-(features @ coefficients + bias)))
    best_per_item: dict[int, float] = {}
    for (index, _), score, values in zip(groups, scores, rows):
        if answerability.can_answer(values):  # as judge() decides: only a sentence holding a value of the kind asked
            best_per_item[index] = max(best_per_item.get(index, 0.0), float(score))
    threshold, balanced = _threshold(best_per_item, answerable_item, args.refusal_floor)
    fitted = answerability.Parameters(fitted.weights, fitted.bias, threshold)
    args.out.write_text(_toml(fitted, len(answerable_item), int(target.sum()), len(target), balanced, args.refusal_floor), encoding="utf-8")
    print(f"{len(answerable_item)} tune items, {len(target)} sentences ({int(target.sum())} gold); "
          f"threshold {threshold:.3f}, balanced accuracy on tune {balanced:.3f} → {args.out}")
    for name, value in zip(answerability.FEATURES, coefficients):
        print(f"  {name:22s} {value:+.3f}")


def _holds_evidence(sentence: str, quotes: list[str]) -> bool:
    for quote in quotes:
        match = difflib.SequenceMatcher(None, sentence, quote, autojunk=False).find_longest_match(
            0, len(sentence), 0, len(quote))
        if match.size >= GOLD_SHARE * min(len(sentence), len(quote)):
            return True
    return False


def _logistic_regression(features: np.ndarray, target: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, float]:
    """Weighted, L2-regularised logistic regression by full-batch gradient descent (classes balanced)."""
    positive = target == 1
    balance = np.where(positive, 0.5 / max(weight[positive].sum(), 1e-9), 0.5 / max(weight[~positive].sum(), 1e-9))
    sample = weight * balance
    coefficients, bias = np.zeros(features.shape[1]), 0.0
    for _ in range(STEPS):
        predicted = 1 / (1 + np.exp(-(features @ coefficients + bias)))
        error = (predicted - target) * sample
        coefficients -= LEARNING_RATE * (features.T @ error + L2 * coefficients)
        bias -= LEARNING_RATE * error.sum()
    return coefficients, float(bias)


def _threshold(best_per_item: dict[int, float], answerable_item: list[tuple[int, bool]],
               floor: float = REFUSAL_FLOOR) -> tuple[float, float]:
    """The threshold answering the most answerable items among those refusing `floor` of the unanswerable
    ones (else the best mean of the two shares), midway between the scores of neighbouring items so it does not
    sit on one item's score; returned with the mean of the two shares (balanced accuracy) it reaches."""
    scored = [(best_per_item.get(index, 0.0), answerable) for index, answerable in answerable_item]
    answerable_count = sum(answerable for _, answerable in scored) or 1
    unanswerable_count = sum(not answerable for _, answerable in scored) or 1
    values = sorted({score for score, _ in scored})
    cuts = [(low + high) / 2 for low, high in zip(values, values[1:])] or [0.5]
    shares = []
    for cut in cuts:
        answered = sum(score >= cut for score, answerable in scored if answerable) / answerable_count
        refused = sum(score < cut for score, answerable in scored if not answerable) / unanswerable_count
        shares.append((cut, answered, refused))
    floored = [share for share in shares if floor and share[2] >= floor]
    cut, answered, refused = (max(floored, key=lambda share: (share[1], share[2])) if floored
                              else max(shares, key=lambda share: share[1] + share[2]))
    return cut, (answered + refused) / 2


def _toml(fitted: answerability.Parameters, items: int, gold: int, sentences: int, balanced: float,
          floor: float) -> str:
    names = ", ".join(f'"{name}"' for name in answerability.FEATURES)
    weights = ", ".join(f"{weight:.6f}" for weight in fitted.weights)
    return (
        "# Fitted parameters: written by benchmarks/fit_answerability.py, not by hand. Rerun it to change them.\n"
        "[answerability]\n"
        'script = "benchmarks/fit_answerability.py"\n'
        f'split = "{SPLIT}"\n'
        f"items = {items}  # tune items (lookup items left out)\n"
        f"sentences = {sentences}  # training examples, {gold} of them gold evidence\n"
        f"refusal_floor = {floor}  # share of unanswerable tune items the threshold refuses at least\n"
        f"balanced_accuracy_on_tune = {balanced:.4f}\n"
        f"features = [{names}]\n"
        f"weights = [{weights}]\n"
        f"bias = {fitted.bias:.6f}\n"
        f"threshold = {fitted.threshold:.6f}\n"
    )


if __name__ == "__main__":
    main()
