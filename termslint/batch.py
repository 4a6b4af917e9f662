"""Checking a share of the run's files, in this process or in a worker process.

A document cannot be evaluated until every document of the run is parsed:
references to other documents ("our Privacy Policy") and
`data.termslint.documents` span the run. So a `Batch` works in two rounds:

1. `prepare()`: read, parse, annotate and align its files, and answer with a
   `DocumentOutline` of each: the little that the other documents need to know.
2. `evaluate()`: given every outline of the run, evaluate each document (and
   its base version), apply waivers, and answer with a `FileResult` of each:
   findings and what the reports need.

`run_batches()` splits the files between worker processes by size. Each
worker keeps its parsed documents between the two rounds and sends back only
outlines and results: pickling a parsed document to another process cost
more than parsing it, which made `--jobs 2` slower than `--jobs 1`.
"""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from termslint import cache
from termslint.config import Config
from termslint.errors import TermslintError
from termslint.model import ADDED, MODIFIED, Changes, Document, DocumentOutline, Finding

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from termslint.engine import Engine
    from termslint.policies import PolicySet


@dataclass
class Job:
    """One file to check, with whatever git already gave the main process."""

    path: str
    cwd: Path
    order: int = 0  # place in the run: the first failing file's error is the one reported
    head_bytes: bytes | None = None  # staged content; None: read the working tree
    base_rev: str | None = None
    base_bytes: bytes | None = None
    has_base: bool = False

    @cached_property
    def size(self) -> int:
        """Roughly how much work the file is: its length in bytes."""
        if self.head_bytes is not None:
            return len(self.head_bytes) + len(self.base_bytes or b"")
        try:
            full = self.path if os.path.isabs(self.path) else self.cwd / self.path
            return os.stat(full).st_size + len(self.base_bytes or b"")
        except OSError:
            return 0  # unreadable: `prepare` reports it


@dataclass
class FileResult:
    """One file's findings, and what the main process needs to report them."""

    path: str
    findings: list[Finding]
    base_fingerprints: set[str]  # findings the base version already had
    lines: list[str] | None  # the source, sent only when there is a finding to frame
    clauses: int = 0
    change_account: str | None = None
    documents: tuple[Document, Document | None, Changes | None] | None = None  # keep_documents only


@dataclass
class BatchSpec:
    """Everything a batch needs, built once in the main process."""

    cfg: Config
    policies: PolicySet
    make_engine: Callable[[], Engine]
    keep_documents: bool = False


@dataclass
class _Prepared:
    job: Job
    doc: Document
    base_doc: Document | None = None
    changes: Changes | None = None


@dataclass
class Batch:
    spec: BatchSpec
    jobs: list[Job]
    prepared: list[_Prepared] = field(default_factory=list)
    engine: Engine | None = None
    at: int = -1  # `order` of the file being worked on; -1: none yet (building the engine)

    def prepare(self) -> list[DocumentOutline]:
        """Round 1. Raises the first file's error, in the order of `jobs`."""
        from termslint.api import load_document, read_document
        from termslint.read import decode_document

        cfg = self.spec.cfg
        # The engine first: a broken policy or an OPA server that is down
        # fails before minutes of parsing, not after.
        self.engine = self.spec.make_engine()
        self.engine.load(self.spec.policies)
        for job in self.jobs:
            self.at = job.order
            if job.head_bytes is not None:
                text = decode_document(job.head_bytes, job.path, cfg.max_file_bytes)
                doc = load_document(text, job.path, cfg)
            else:
                doc = read_document(job.path, cfg, job.cwd)
            prepared = _Prepared(job, doc)
            if job.has_base:
                from termslint.align import build_changes

                if job.base_bytes is not None:
                    base_name = f"{job.path}@{job.base_rev}"
                    base_text = decode_document(job.base_bytes, base_name, cfg.max_file_bytes)
                    prepared.base_doc = load_document(base_text, job.path, cfg)
                prepared.changes = build_changes(prepared.base_doc, doc, job.base_rev or "")
            self.prepared.append(prepared)
        cache.save()  # a worker's new regexes too: workers end without the CLI's save
        return [DocumentOutline.of(p.doc) for p in self.prepared]

    def evaluate(self, names: set[str], data: dict[str, Any]) -> list[FileResult]:
        """Round 2: `names` are the run's document names, `data` the policies' `data.termslint`."""
        from termslint.suppress import apply_waivers

        assert self.engine is not None
        cfg = self.spec.cfg
        self.engine.set_data(data)
        results = []
        for p in self.prepared:
            self.at = p.job.order
            resolve_document_refs(p.doc, names)
            findings = [f for f in self._findings(p.doc, p.changes) if cfg.rules.get(f.code) != "off"]
            findings += [f for f in apply_waivers(p.doc, findings) if cfg.rules.get(f.code) != "off"]
            _mark_changed(findings, p.changes)
            base = {f.fingerprint for f in self._findings(p.base_doc, None)} if p.base_doc else set()
            account = None
            if p.changes is not None:
                from termslint.explain import explain_changes

                account = explain_changes(p.changes, p.base_doc, p.doc)
            results.append(FileResult(
                p.doc.path, findings, base, p.doc.lines if findings else None, len(p.doc.clauses), account,
                (p.doc, p.base_doc, p.changes) if self.spec.keep_documents else None))
        return results

    def _findings(self, doc: Document, changes: Changes | None) -> list[Finding]:
        from termslint.evaluate import build_input, evaluate_document

        assert self.engine is not None
        return evaluate_document(self.engine, build_input(doc, changes), self.spec.policies.rules,
                                 severity_overrides=self.spec.cfg.rules)

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()  # stops an OPA server the engine started


# ---------------------------------------------------------------- across documents

def normal_name(name: str) -> str:
    """'our Privacy-Policy' -> 'privacy policy': how a document is named in another."""
    name = re.sub(r"[-_]+", " ", name.lower())
    name = re.sub(r"^(our|the|this|your)\s+", "", name.strip())
    return re.sub(r"\s+", " ", name)


def document_names(outlines: Sequence[DocumentOutline]) -> set[str]:
    names = {normal_name(Path(o.path).stem) for o in outlines}
    return names | {normal_name(o.title) for o in outlines if o.title}


def resolve_document_refs(doc: Document, names: set[str]) -> None:
    """Mark references to other documents of the run resolved."""
    for c in doc.clauses:
        for r in c.refs:
            if r.kind == "document" and normal_name(r.target) in names:
                r.resolved = True


def _mark_changed(findings: list[Finding], changes: Changes | None) -> None:
    if changes is None:
        return
    touched = {c.head_id for c in changes.clauses
               if c.status in (ADDED, MODIFIED) or c.facts_added or c.facts_removed}
    for f in findings:
        f.changed = f.clause in touched or f.clause is None


# ---------------------------------------------------------------- the two rounds, in parallel

def split_by_size(jobs: Sequence[Job], parts: int) -> list[list[int]]:
    """Job indexes in `parts` shares of about equal size (largest first, to the lightest share)."""
    shares: list[list[int]] = [[] for _ in range(parts)]
    loads = [0] * parts
    for i in sorted(range(len(jobs)), key=lambda i: (-jobs[i].size, i)):
        lightest = loads.index(min(loads))
        shares[lightest].append(i)
        loads[lightest] += jobs[i].size + 1
    return [sorted(s) for s in shares if s]


RoundTwoArgs = tuple[set[str], dict[str, Any]]  # the run's document names, and `data`


def run_batches(spec: BatchSpec, jobs: list[Job], workers: int,
                data_for: Callable[[list[DocumentOutline]], RoundTwoArgs]) -> list[FileResult]:
    """Both rounds over `jobs`, results in the order of `jobs`.

    `data_for(outlines)` turns every outline of the run into round 2's
    arguments. With one worker (or one file) the batch runs in this process.
    """
    if workers <= 1 or len(jobs) <= 1:
        batch = Batch(spec, jobs)
        try:
            outlines = batch.prepare()
            return batch.evaluate(*data_for(outlines))
        finally:
            batch.close()
    shares = split_by_size(jobs, workers)
    with _Workers(spec, [[jobs[i] for i in share] for share in shares]) as pool:
        in_order: list[DocumentOutline | None] = [None] * len(jobs)
        for share, got in zip(shares, pool.round(None)):
            for i, outline in zip(share, got):
                in_order[i] = outline
        args = data_for([o for o in in_order if o is not None])
        results: list[FileResult | None] = [None] * len(jobs)
        for share, got in zip(shares, pool.round(args)):
            for i, result in zip(share, got):
                results[i] = result
    return [r for r in results if r is not None]


class _Workers:
    """One process per share of the files, each holding a `Batch` across both rounds."""

    def __init__(self, spec: BatchSpec, shares: list[list[Job]]) -> None:
        import multiprocessing  # here: a one-file check (pre-commit) never pays for importing it

        # fork: the workers inherit the spec (policies, config) instead of
        # unpickling it; elsewhere (macOS, Windows) spawn works the same, slower.
        methods = multiprocessing.get_all_start_methods()
        context: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.conns: list[Connection] = []
        self.procs: list[Any] = []
        forked = context.get_start_method() == "fork"
        for share in shares:
            parent, child = context.Pipe()
            # A forked worker inherits the main process's ends of every pipe made
            # so far, its own included; it closes them, or it would never see
            # the end of file that tells it the main process has given up.
            inherited = [*self.conns, parent] if forked else []
            proc = context.Process(target=_serve, args=(child, spec, share, inherited), daemon=True)
            proc.start()
            child.close()
            self.conns.append(parent)
            self.procs.append(proc)

    def round(self, args: Any) -> list[Any]:
        """Start a round in every worker, then collect the answers in share order.

        If any worker failed, raise the error of the first file that failed
        in the run's order, as a serial run would have.
        """
        if args is not None:
            for conn in self.conns:
                conn.send(args)
        answers = []
        for conn in self.conns:
            try:
                answers.append(conn.recv())
            except EOFError:
                answers.append(("crash", "a worker process ended unexpectedly (out of memory?)", -1))
        errors = [a for a in answers if a[0] != "ok"]
        if errors:
            kind, error, _ = min(errors, key=lambda a: a[2])
            if kind == "error":
                raise error
            if os.environ.get("TERMSLINT_DEBUG"):
                sys.stderr.write(error)  # the worker's traceback; the main one says little
            raise RuntimeError("in a worker process: " + error.strip().splitlines()[-1])
        return [a[1] for a in answers]

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        for conn in self.conns:
            conn.close()  # a worker still waiting for round 2 sees EOF and ends
        for proc in self.procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()
                proc.join()


def _serve(conn: Connection, spec: BatchSpec, jobs: list[Job], inherited: list[Connection]) -> None:
    """A worker process: round 1, then round 2 with the arguments the main process sends."""
    import gc

    for other in inherited:
        other.close()

    gc.set_threshold(100_000, 50, 100)  # as the main process (spawned workers start with defaults)
    batch = Batch(spec, jobs)
    try:
        for step in ("prepare", "evaluate"):
            try:
                answer: Any = ("ok", batch.prepare() if step == "prepare" else batch.evaluate(*conn.recv()), 0)
            except EOFError:
                return  # the main process gave up after round 1 (another worker failed)
            except TermslintError as exc:
                # The file that failed: the n-th of this share, whose jobs are in run order.
                answer = ("error", exc, batch.at)
            except Exception:  # noqa: BLE001 - a bug: the main process reports it (exit 3)
                import traceback

                answer = ("crash", traceback.format_exc(), batch.at)
            conn.send(answer)
            if answer[0] != "ok":
                return
    finally:
        batch.close()
        conn.close()
