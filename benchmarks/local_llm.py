"""The local model benchmark: what "extract, then write" costs and gives, on the evaluation set's test split.

Every item is answered twice over the knowledge base of all 25 documents (benchmarks/run_eval.py builds and
caches it): with the local model, timing the quoted answer, the model's first token and the end, and
extractively. Both are scored by the shared score.py. Then the served app is started in a child process, asked
one question with the model, and its resident memory read.

Reported: quoted-answer, first-token and total latency (p50/p95) of the questions the model was given; the
share of those that fell back to the quotes, and of the model's answers shown how many had failed claims dropped
or were followed by quotes they left out; answer_terms and citation_valid, local beside extractive on the
same items; prompt tokens processed and reused from the KV cache; the app's RSS. The 1-minute load average is
printed beside the timings: the figures are only comparable on equally idle cores.

usage: python benchmarks/local_llm.py [--split test|tune] [--limit N] [--shared DIR] [--model qwen2.5-1.5b]
  fit and inspect on --split tune; report test.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from settings import apply_offline_environment

apply_offline_environment()

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_eval import _cell as cell, eval_engine, items_by_split  # noqa: E402
from qa.answer import BadQuestion, Engine  # noqa: E402
from qa import prompts  # noqa: E402
from qa.llm import LLMUnavailable, LocalLLM, preload  # noqa: E402
from qa.models import install_model  # noqa: E402
from qa.results import answer_json  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RSS_QUESTION = "乐山每万人口高价值发明专利拥有量目标是多少?"
SERVED_APP = """
import sys, time
from settings import apply_offline_environment, load_settings
apply_offline_environment()
from qa.answer import Engine
from ui.app import build_app, launch
settings = load_settings(data_dir=sys.argv[1], llm={"backend": "local", "local_model": sys.argv[2]},
                         serve={"host": "127.0.0.1", "port": int(sys.argv[3])})
engine = Engine(settings)
launch(build_app(settings, engine), settings, block=False)
print(engine.ask(sys.argv[4]).backend, flush=True)
time.sleep(600)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test")
    parser.add_argument("--limit", type=int, help="a sample: N items spread evenly over the split")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--model", default="qwen2.5-1.5b", choices=["qwen2.5-1.5b", "qwen2.5-0.5b"])
    parser.add_argument("--out", type=Path, default=REPO / "build" / "local-llm")
    parser.add_argument("--replay", action="store_true",
                        help="no model: check again the answers a previous run in --out recorded (model_text), "
                             "as the code now checks them; timings and RSS are then not measured")
    args = parser.parse_args()
    if not (args.shared / "corpus-extra").is_dir():
        parser.error(f"{args.shared}/corpus-extra not found: pass --shared (the knowledge base needs all 25 documents)")

    items = items_by_split(sorted((REPO / "benchmarks" / "eval").glob("*.jsonl")))[args.split]
    if args.limit and args.limit < len(items):  # every document of the split, not only the first file's
        items = [items[i * len(items) // args.limit] for i in range(args.limit)]
    engine = eval_engine(args.shared)
    if args.replay:
        replay_run(engine, items, args)
        return
    model_dir, installed = engine.settings.model_dir, REPO / "data" / "models"
    if not model_dir.exists() and installed.is_dir():  # the model `policyqa models install` put in the repo
        model_dir.symlink_to(installed.resolve(), target_is_directory=True)
    install_model(args.model, model_dir)
    engine.settings.llm.local_model = args.model
    llm = engine.llm("local")
    assert isinstance(llm, LocalLLM)
    preload(llm, prompts.system_messages())  # as the app does at start

    args.out.mkdir(parents=True, exist_ok=True)
    dataset = args.out / f"{args.split}.items.jsonl"
    dataset.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    load_before = os.getloadavg()[0]
    local, timings = answer_all(engine, items, "local", llm)
    load_after = os.getloadavg()[0]
    extractive, _ = answer_all(engine, items, "extractive", None)
    scores = {name: write_and_score(args, dataset, name, records)
              for name, records in (("local", local), ("extractive", extractive))}
    given = report_answers(local, scores, items, args.split, llm.name)
    print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after the local run "
          f"({os.cpu_count()} cores, shared with other processes)")
    for name in ("quoted", "first_token", "total"):
        values = [r["latency_ms"][name] for r in given if name in r["latency_ms"]]
        print(f"{name + ' ms':16s} p50 {pct(values, 50):8.0f}   p95 {pct(values, 95):8.0f}   max {max(values, default=0):8.0f}")
    prompt_n, cache_n = [t.get("prompt_n", 0) for t in timings], [t.get("cache_n", 0) for t in timings]
    print(f"prompt tokens processed p50 {pct(prompt_n, 50):.0f} (max {max(prompt_n, default=0)}), "
          f"reused from the KV cache p50 {pct(cache_n, 50):.0f}")
    rss, peak, backend = served_app_rss(engine.settings.data_dir, args.model)
    print(f"served app with the model loaded ({backend}): RSS {rss / 1024:.0f} MB, peak {peak / 1024:.0f} MB")


class Replay:
    """The local model's answers a previous run recorded, by question: what changed in checking them, without the
    model's minutes. A question it was not given then is one it cannot answer now."""

    last_timings: dict[str, float] = {}

    def __init__(self, records: list[dict]):
        self.name = next((r["backend"] for r in records if r.get("model_text")), "local:replay")
        self._written = {r["question"]: r["model_text"] for r in records if r.get("model_text")}

    def stream(self, messages, *, max_tokens: int, wording=None):
        question = messages[-1]["content"].rsplit("问题:", 1)[-1]
        if question not in self._written:
            raise LLMUnavailable("这个问题没有记录下的回答")
        yield self._written[question]


def replay_run(engine: Engine, items: list[dict], args: argparse.Namespace) -> None:
    recorded = args.out / f"{args.split}.local.results.jsonl"
    if not recorded.is_file():
        sys.exit(f"{recorded} not found: run without --replay first")
    records = [json.loads(line) for line in recorded.read_text(encoding="utf-8").splitlines()]
    if [r["id"] for r in records] != [item["id"] for item in items]:
        sys.exit(f"{recorded} holds other items: pass the --split and --limit of the run that recorded it")
    replay = Replay(records)
    engine._llms["local"] = replay
    dataset = args.out / f"{args.split}.items.jsonl"
    local, _ = answer_all(engine, items, "local", replay)
    extractive, _ = answer_all(engine, items, "extractive", None)
    scores = {name: write_and_score(args, dataset, name, records, ".replay")
              for name, records in (("local", local), ("extractive", extractive))}
    report_answers(local, scores, items, args.split, replay.name)


def write_and_score(args: argparse.Namespace, dataset: Path, name: str, records: list[dict], suffix: str = "") -> dict:
    results = args.out / f"{args.split}.{name}{suffix}.results.jsonl"
    results.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return score(args.shared, dataset, results)


def report_answers(local: list[dict], scores: dict, items: list[dict], split: str, name: str) -> list[dict]:
    """Prints what the model's answers gave (fallback share, answer_terms local beside extractive); returns the
    records of the questions the model was given."""
    given = [r for r in local if "quoted" in r["latency_ms"]]  # the model was given the quoted answer's evidence
    fell_back = [r for r in given if r["backend"] == "extractive"]
    print(f"items: {len(items)} of split {split!r}; the model ({name}) was given {len(given)}")
    print(f"fallback share: {len(fell_back)}/{len(given)} = {len(fell_back) / max(1, len(given)):.2f}"
          f"  ({', '.join(sorted({r['notice'][:14] for r in fell_back}))})")
    shown = [r for r in given if r["backend"] != "extractive"]
    trimmed = sum("已删去" in r["notice"] for r in shown)
    topped_up = sum("原文另有:" in r["answer"] for r in shown)
    print(f"the model's answer shown: {len(shown)}; of them with claims that failed the check dropped: {trimmed}, "
          f"followed by quotes it left out (原文另有): {topped_up}")
    print(f"{'':16s}{'local':>12s}{'extractive':>12s}")
    for metric in ("answer_terms", "citation_valid", "false_refusal", "cites_gold_evidence", "answer_chars_p50"):
        print(f"{metric:16s}" + "".join(f"{cell(scores[backend].get(metric)):>12s}" for backend in ("local", "extractive")))
    return given


def answer_all(engine: Engine, items: list[dict], backend: str, llm: LocalLLM | None) -> tuple[list[dict], list[dict]]:
    """One result per item (the eval's JSON form, with the quoted-answer time), and llama.cpp's timings."""
    records, timings = [], []
    for item in items:
        try:
            answer, written = None, ""
            for event in engine.stream(item["question"], item.get("history", []), backend=backend):
                answer, written = event.answer or answer, written + event.delta
            record = answer_json(answer)
            if written:  # what the model wrote, before the check: why an answer fell back or lost a term
                record["model_text"] = written
        except BadQuestion as error:
            record = {"answer": str(error), "refused": True, "citations": [], "retrieved": [], "latency_ms": {}}
        record["id"] = item["id"]
        records.append(record)
        if llm is not None and "quoted" in record["latency_ms"]:
            timings.append(dict(llm.last_timings))
            print(f"{item['id']} {record['backend']:22s} first {record['latency_ms'].get('first_token', 0):6.0f} ms "
                  f"total {record['latency_ms']['total']:6.0f} ms prompt {llm.last_timings.get('prompt_n', 0):.0f} "
                  f"cached {llm.last_timings.get('cache_n', 0):.0f}", file=sys.stderr)
    return records, timings


def score(shared: Path, dataset: Path, results: Path) -> dict:
    command = [sys.executable, str(shared / "eval" / "score.py"), str(dataset), str(results),
               "--seeds", str(shared / "corpus-seeds"), "--seeds", str(shared / "corpus-extra"), "--json"]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def served_app_rss(data_dir: Path, model: str) -> tuple[int, int, str]:
    """(VmRSS, VmHWM) in kB of `policyqa serve` over the knowledge base, once it answered with the model."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = os.environ | {"PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", SERVED_APP, str(data_dir), model, str(port), RSS_QUESTION],
                             stdout=subprocess.PIPE, text=True, env=environment)
    try:
        backend = child.stdout.readline().strip()
        time.sleep(2)
        status = dict(line.split(":", 1) for line in Path(f"/proc/{child.pid}/status").read_text().splitlines())
        return int(status["VmRSS"].split()[0]), int(status["VmHWM"].split()[0]), backend
    finally:
        child.terminate()
        child.wait()


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else 0.0


if __name__ == "__main__":
    main()
