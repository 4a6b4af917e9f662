#!/usr/bin/env python3
"""termslint benchmarks: stage timings, scaling with clause count, cold start.

    python bench/run.py corpus [FOLDER...] [--runs 3] [--limit N] [--jobs N]
        per-stage medians (read, parse, annotate, align, evaluate, report),
        documents and MB per second, and the full check against markdown-it-py
        parsing the same files alone, measured in the same run.
        Default folders: ../shared/corpus/bulk and ../shared/corpus/realistic.
    python bench/run.py scaling [--runs 3]
        synthetic documents of 100 .. 10,000 clauses: time per clause per size
        and the fitted growth exponent (log time against log clauses).
    python bench/run.py cold [FILE] [--runs 5]
        a cold `termslint check FILE` process against a cold run of
        markdown-it-py's own command line (`markdown-it FILE`, parse and render)
        on the same file (default FILE: the largest realistic document).

All figures are medians over --runs runs. Nothing here is asserted: the
numbers are for reading and for the closing notes of a change. The corpus
mode runs under the same garbage-collector setting as `termslint check`
(api.fewer_collections), baseline included.
"""
from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))


def median_time(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def corpus_files(folder: Path, limit: int | None) -> list[Path]:
    files = sorted(p for p in folder.rglob("*.md") if p.is_file())
    return files[:limit] if limit else files


# ------------------------------------------------------------------ corpus

def bench_corpus(folder: Path, runs: int, limit: int | None, jobs: int) -> None:
    from markdown_it import MarkdownIt

    from termslint import api
    from termslint.align import build_changes
    from termslint.annotate import annotate_document
    from termslint.config import Config
    from termslint.errors import TermslintError
    from termslint.parse import parse_document
    from termslint.read import read_document_text
    from termslint.report import render

    files = corpus_files(folder, limit)
    cfg = Config()
    size = sum(p.stat().st_size for p in files)
    print(f"\n## {folder} : {len(files)} documents, {size / 1e6:.1f} MB, {runs} runs, medians")

    def read_all() -> list[tuple[str, str]]:
        out = []
        for p in files:
            try:
                out.append((str(p), read_document_text(str(p), max_bytes=cfg.max_file_bytes)))
            except TermslintError:
                pass
        return out

    t_read, texts = median_time(read_all, runs)
    md = MarkdownIt("commonmark").enable("table")
    t_mdit, _ = median_time(lambda: [md.parse(t) for _, t in texts], runs)
    t_parse, docs = median_time(lambda: [parse_document(t, p) for p, t in texts], runs)
    vocab = api.vocabulary(cfg)

    def annotate_all() -> None:
        for d in docs:
            annotate_document(d, vocab)

    t_annotate, _ = median_time(annotate_all, runs)
    t_align, changes = median_time(lambda: [build_changes(d, d, "HEAD") for d in docs], runs)

    policies = api.load_policies(cfg)
    engine = api.make_configured_engine(cfg)
    from termslint.evaluate import documents_data, evaluate_document
    from termslint.model import DocumentOutline

    engine.load(policies)
    outlines = [DocumentOutline.of(d) for d in docs]
    engine.set_data({"termslint": {"documents": documents_data(outlines), "config": cfg.as_policy_data()}})

    def evaluate_all() -> list[Any]:
        out = []
        for d in docs:
            out.extend(evaluate_document(engine, api.policy_input(d), policies.rules, severity_overrides=cfg.rules))
        return out

    t_eval, findings = median_time(evaluate_all, runs)
    from termslint.report import Summary

    summary = Summary.of(findings, files=len(docs), clauses=sum(len(d.clauses) for d in docs))
    t_report, _ = median_time(lambda: render("json", findings, policies.rules, summary, tool_version="bench"), runs)

    def full_check(n: int) -> Callable[[], str]:
        opts = api.CheckOptions(paths=[str(p) for p in files], jobs=n, cwd=REPO)

        def run() -> str:
            result = api.check(opts, cfg)
            return render("json", result.findings, result.rules, result.summary, tool_version="bench")
        return run

    t_full1, json1 = median_time(full_check(1), runs)
    t_fullj, jsonj = median_time(full_check(jobs), runs) if jobs > 1 else (t_full1, json1)

    stages = [("read", t_read), ("parse", t_parse), ("annotate", t_annotate), ("align (self)", t_align),
              ("evaluate", t_eval), ("report (json)", t_report)]
    print(f"{'stage':16} {'seconds':>9} {'docs/s':>9} {'MB/s':>8}")
    for name, t in stages:
        print(f"{name:16} {t:9.3f} {len(texts) / t:9.1f} {size / 1e6 / t:8.2f}")
    print(f"{'markdown-it-py':16} {t_mdit:9.3f} {len(texts) / t_mdit:9.1f} {size / 1e6 / t_mdit:8.2f}")
    print(f"{'check --jobs 1':16} {t_full1:9.3f} {len(texts) / t_full1:9.1f} {size / 1e6 / t_full1:8.2f}")
    if jobs > 1:
        print(f"{f'check --jobs {jobs}':16} {t_fullj:9.3f} {len(texts) / t_fullj:9.1f} {size / 1e6 / t_fullj:8.2f}")
    print(f"ratio parse/markdown-it-py        {t_parse / t_mdit:.2f}")
    print(f"ratio annotate/parse              {t_annotate / t_parse:.2f}")
    print(f"ratio check --jobs 1/markdown-it  {t_full1 / t_mdit:.2f}")
    if jobs > 1:
        print(f"ratio check --jobs {jobs}/markdown-it  {t_fullj / t_mdit:.2f}")
        print(f"speed-up --jobs {jobs} over --jobs 1   {t_full1 / t_fullj:.2f}")
        print(f"JSON of --jobs 1 and --jobs {jobs}    {'byte-identical' if json1 == jsonj else 'DIFFERENT'}")
    print(f"findings: {len(findings)}")


# ------------------------------------------------------------------ scaling

WORDS = ("customer content services data licence provide maintain support security notice account "
         "payment fees term termination warranty liability law dispute agreement party rights "
         "confidential information process store transmit display update suspend").split()


def synthetic_document(clauses: int, seed: int = 7) -> str:
    """A numbered terms document with definitions, references and a few data-use clauses."""
    import random

    rnd = random.Random(seed)
    out = ["# Synthetic Terms", "", "Effective date: 1 January 2024", "",
           '## 1. Definitions', "", '"Customer Content" means content you upload to the Services.', ""]
    sections = max(1, clauses // 10)
    n = 1
    for s in range(2, sections + 2):
        out += [f"## {s}. Section {s} {rnd.choice(WORDS).title()}", ""]
        n += 1
        for k in range(1, 10):
            if n >= clauses:
                break
            words = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(12, 40)))
            ref = f" as set out in Section {rnd.randint(2, s)}." if k % 4 == 0 else "."
            extra = " We may use Customer Content to improve the Services." if k % 7 == 0 else ""
            out += [f"**{s}.{k} Clause {s}.{k}.** The {words}{ref}{extra}", ""]
            n += 1
    return "\n".join(out) + "\n"


def bench_scaling(runs: int) -> None:
    from termslint import api
    from termslint.config import Config

    cfg = Config()
    sizes = (100, 300, 1000, 3000, 10000)
    print(f"\n## scaling: synthetic documents, full check of one file, {runs} runs, medians")
    print(f"{'clauses':>8} {'seconds':>9} {'us/clause':>10}")
    points = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"terms-{n}.md"
            path.write_text(synthetic_document(n), encoding="utf-8")
            opts = api.CheckOptions(paths=[str(path)], jobs=1, cwd=Path(tmp))
            api.check(opts, cfg)  # warm: vocabularies and policies compiled
            t, result = median_time(lambda: api.check(opts, cfg), runs)
            real = result.summary.clauses
            points.append((real, t))
            print(f"{real:8d} {t:9.3f} {t / real * 1e6:10.1f}")
    xs = [math.log(c) for c, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    print(f"growth exponent (least squares on log-log, {points[0][0]}..{points[-1][0]} clauses): {slope:.3f}")


# ------------------------------------------------------------------ cold start

def bench_cold(file: Path, runs: int) -> None:
    # A cold process, as after `pip install`: bytecode compiled once (pip does
    # that at install time), so each timed run loads .pyc files, not sources.
    # The bytecode goes to a temporary folder, for both commands alike.
    # termslint's start-up cache (compiled regexes, parsed YAML; see
    # termslint/cache.py) is likewise filled once by the warm-up run, in a
    # folder of its own; the run without it is timed too.
    with tempfile.TemporaryDirectory(prefix="termslint-cold-") as tmp:
        _bench_cold(file.resolve(), runs, Path(tmp))  # the commands run in an empty folder


def _bench_cold(file: Path, runs: int, tmp: Path) -> None:
    cache, cwd = tmp / "pycache", tmp / "cwd"
    cwd.mkdir()
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPYCACHEPREFIX": str(cache),
           "TERMSLINT_CACHE_DIR": str(tmp / "termslint-cache")}
    for name in ("PYTHONDONTWRITEBYTECODE", "TERMSLINT_NO_CACHE"):
        env.pop(name, None)
    # An empty folder to run in, as a docs repository without configuration
    # (in this repository, termslint would read its pyproject.toml).

    def run(cmd: list[str], extra_env: dict[str, str]) -> float:
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, env={**env, **extra_env}, cwd=cwd)
        elapsed = time.perf_counter() - start
        # A command that failed to start is fast, and timing it would flatter
        # the ratio: each command must print its output (`termslint check`
        # exits 1 when it finds something, after a full run).
        if done.returncode not in (0, 1) or not done.stdout.strip():
            last = (done.stderr.decode(errors="replace").strip().splitlines() or ["no output"])[-1]
            raise SystemExit(f"bench: {' '.join(cmd[1:])} failed (exit {done.returncode}): {last}")
        return elapsed

    # markdown-it-py's console script `markdown-it`, run by the same interpreter.
    md_cli = "import sys; from markdown_it.cli.parse import main; sys.exit(main())"
    check = [sys.executable, "-m", "termslint", "check", "--jobs", "1", str(file)]
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "markdown-it FILE": ([sys.executable, "-c", md_cli, str(file)], {}),
        "termslint check FILE": (check, {}),
        "  without start-up cache": (check, {"TERMSLINT_NO_CACHE": "1"}),
        "termslint rules": ([sys.executable, "-m", "termslint", "rules"], {}),
    }
    for cmd, extra_env in commands.values():
        run(cmd, extra_env)  # warm-up: compiles the bytecode, fills the start-up cache
    # Interleaved, so that both sides of the ratio see the machine in the same state.
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (cmd, extra_env) in commands.items():
            times[name].append(run(cmd, extra_env))
    medians = {name: statistics.median(t) for name, t in times.items()}
    print(f"\n## cold start: {file} ({file.stat().st_size / 1e3:.0f} KB), {runs} runs, medians")
    for name, t in medians.items():
        print(f"{name:28} {t:.3f} s")
    t_md, t_check = medians["markdown-it FILE"], medians["termslint check FILE"]
    print(f"ratio check/markdown-it      {t_check / t_md:.2f}")
    print(f"  without start-up cache     {medians['  without start-up cache'] / t_md:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("corpus", "scaling", "cold"))
    ap.add_argument("targets", nargs="*")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--limit", type=int, help="only the first N files of each folder")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    if args.mode == "corpus":
        folders = [Path(t) for t in args.targets] or [SHARED / "bulk", SHARED / "realistic"]
        from termslint.api import fewer_collections

        for folder in folders:
            with fewer_collections():  # as in `termslint check`, for every stage and the baseline
                bench_corpus(folder, args.runs, args.limit, args.jobs)
    elif args.mode == "scaling":
        bench_scaling(args.runs)
    else:
        default = max((SHARED / "realistic").glob("*.md"), key=lambda p: p.stat().st_size)
        bench_cold(Path(args.targets[0]) if args.targets else default, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
