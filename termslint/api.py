"""The library API: the one place that joins the parser and the policy engine.

    files --read--> text --parse--> Document --annotate--> Document+facts
          --align(base)--> Changes --evaluate(policies)--> Findings
          --waivers/baseline--> Findings  (the CLI then picks a reporter)

`check()` is what `termslint check` runs; `load_document()` is the per-file
front half, shared by `parse`, `explain` and the workers of a parallel check.
Nothing here prints or exits.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from termslint import SCHEMA_VERSION
from termslint.config import Config
from termslint.errors import LimitError, TermslintError
from termslint.files import expand_paths
from termslint.model import ADDED, MODIFIED, Changes, Document, Finding, RuleDoc

if TYPE_CHECKING:
    from termslint.annotate import Vocabulary
    from termslint.engine import Engine
    from termslint.policies import PolicySet
    from termslint.report import Summary

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass
class CheckOptions:
    """What one `termslint check` run was asked to do (command line over config)."""

    paths: list[str] = field(default_factory=list)
    base: str | None = None
    staged: bool = False
    jobs: int | None = None
    baseline: str | None = None
    engine: str | None = None
    opa_url: str | None = None
    cwd: Path = field(default_factory=Path.cwd)


@dataclass
class CheckResult:
    findings: list[Finding]
    rules: dict[str, RuleDoc]
    summary: Summary
    documents: dict[str, Document]
    changes: dict[str, Changes]
    base_documents: dict[str, Document]
    base_rev: str | None = None


# ---------------------------------------------------------------- per document

_VOCAB: dict[str, Vocabulary] = {}
_CAN_FORK = "fork" in multiprocessing.get_all_start_methods()


def vocabulary(cfg: Config) -> Vocabulary:
    """The compiled vocabulary, once per process (compiling regexes is not free)."""
    key = json.dumps(cfg.vocabulary, sort_keys=True, default=str)
    if key not in _VOCAB:
        from termslint.annotate import Vocabulary

        _VOCAB[key] = Vocabulary.load(cfg.vocabulary or None)
    return _VOCAB[key]


def load_document(text: str, path: str, cfg: Config) -> Document:
    """Parse and annotate one document's text."""
    from termslint.annotate import annotate_document
    from termslint.parse import parse_document

    doc = parse_document(text, path)
    if len(doc.clauses) > cfg.max_clauses:
        raise LimitError(
            f"{path}: {len(doc.clauses)} clauses, more than the limit of {cfg.max_clauses}",
            "split the document, or raise limits.max_clauses in .termslint.yaml",
        )
    annotate_document(doc, vocabulary(cfg))
    return doc


def read_document(path: str, cfg: Config, cwd: Path) -> Document:
    from termslint.read import read_document_text

    full = path if os.path.isabs(path) else str(cwd / path)
    return load_document(read_document_text(full, max_bytes=cfg.max_file_bytes), path, cfg)


def policy_input(doc: Document, changes: Changes | None = None) -> dict[str, Any]:
    """Exactly what a policy sees as `input` (and `termslint parse --format json` prints)."""
    from termslint.evaluate import build_input

    return build_input(doc, changes)


@dataclass
class _Prepared:
    """One file's work from the parallel front half: parsed, annotated, aligned."""

    path: str
    doc: Document
    base_doc: Document | None = None
    changes: Changes | None = None


@dataclass
class _Job:
    path: str
    cfg: Config
    cwd: Path
    head_bytes: bytes | None = None  # staged content; None: read the working tree
    base_rev: str | None = None
    base_bytes: bytes | None = None
    has_base: bool = False


def _prepare(job: _Job) -> _Prepared:
    from termslint.read import decode_document

    if job.head_bytes is not None:
        doc = load_document(decode_document(job.head_bytes, job.path, job.cfg.max_file_bytes), job.path, job.cfg)
    else:
        doc = read_document(job.path, job.cfg, job.cwd)
    if not job.has_base:
        return _Prepared(job.path, doc)
    from termslint.align import build_changes

    base_doc = None
    if job.base_bytes is not None:
        base_doc = load_document(
            decode_document(job.base_bytes, f"{job.path}@{job.base_rev}", job.cfg.max_file_bytes),
            job.path, job.cfg)
    changes = build_changes(base_doc, doc, job.base_rev or "")
    return _Prepared(job.path, doc, base_doc, changes)


# ---------------------------------------------------------------- the run

def _pool_map(func: Any, items: Sequence[Any], jobs: int, initializer: Any = None,
              initargs: tuple[Any, ...] = (), fork: bool = False) -> Iterator[Any]:
    """map() in order, in worker processes when it pays (more than one file and job).

    `fork=True` starts the workers by forking, so they inherit the parent's
    memory: tasks can then name data the parent already holds instead of
    pickling it across (see `_evaluate_index`).
    """
    if jobs <= 1 or len(items) <= 1:
        if initializer:
            initializer(*initargs)
        yield from map(func, items)
        return
    context = multiprocessing.get_context("fork") if fork else None
    with ProcessPoolExecutor(max_workers=min(jobs, len(items)), initializer=initializer,
                             initargs=initargs, mp_context=context) as pool:
        # chunks keep the per-task overhead small on corpora of thousands of files
        chunk = max(1, min(32, len(items) // (jobs * 4) or 1))
        yield from pool.map(func, items, chunksize=chunk)


def _normal_name(name: str) -> str:
    name = re.sub(r"[-_]+", " ", name.lower())
    name = re.sub(r"^(our|the|this|your)\s+", "", name.strip())
    return re.sub(r"\s+", " ", name)


def resolve_document_refs(docs: Iterable[Document]) -> None:
    """Mark references to other documents of the run ("our Privacy Policy") resolved."""
    docs = list(docs)
    names: set[str] = set()
    for d in docs:
        names.add(_normal_name(Path(d.path).stem))
        if d.title:
            names.add(_normal_name(d.title))
    for d in docs:
        for c in d.clauses:
            for r in c.refs:
                if r.kind == "document" and _normal_name(r.target) in names:
                    r.resolved = True


def load_policies(cfg: Config, extra_dirs: list[Path] | None = None) -> PolicySet:
    from termslint.policies import load_policy_set

    return load_policy_set([*cfg.policies, *(extra_dirs or [])])


def make_configured_engine(cfg: Config, options: CheckOptions | None = None) -> Engine:
    from termslint.engine import make_engine

    name = (options.engine if options and options.engine else None) or cfg.engine
    url = (options.opa_url if options and options.opa_url else None) or cfg.opa_url
    if url and name == "embedded" and options and options.opa_url:
        name = "opa"
    if name == "opa":
        return make_engine("opa", url=url, timeout=cfg.opa_timeout, binary=cfg.opa_binary)
    return make_engine("embedded")


# Each worker process builds its engine once, in the pool's initializer.
_WORKER_ENGINE: Engine | None = None
_WORKER_POLICIES: PolicySet | None = None
# A user error from building the engine (a Rego syntax error, an OPA server
# that is down), raised again by the worker's first task: an exception that
# escapes a pool initializer kills the worker, and the run then ends in
# BrokenProcessPool (exit 3, with a traceback) instead of the one-line error.
_WORKER_ERROR: TermslintError | None = None


def _init_evaluator(cfg: Config, options: CheckOptions, policies: PolicySet, data: dict[str, Any]) -> None:
    global _WORKER_ENGINE, _WORKER_POLICIES, _WORKER_ERROR
    _WORKER_ENGINE, _WORKER_POLICIES, _WORKER_ERROR = None, None, None
    try:
        engine = make_configured_engine(cfg, options)
        try:
            engine.load(policies)
            engine.set_data(data)
        except BaseException:
            engine.close()  # stop an OPA server this worker started
            raise
    except TermslintError as exc:
        _WORKER_ERROR = exc
        return
    _WORKER_ENGINE, _WORKER_POLICIES = engine, policies


# The documents of the run, set before the evaluation workers fork so they
# inherit them: pickling every parsed document across to a worker cost more
# than evaluating it.
_EVAL_ITEMS: list[tuple[Document, Changes | None, Config]] = []


def _evaluate_index(i: int) -> list[Finding]:
    return _evaluate_one(_EVAL_ITEMS[i])


def _evaluate_one(item: tuple[Document, Changes | None, Config]) -> list[Finding]:
    from termslint.engine import to_json
    from termslint.evaluate import results_to_findings

    doc, changes, cfg = item
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR
    assert _WORKER_ENGINE is not None and _WORKER_POLICIES is not None
    inp = policy_input(doc, changes)
    results = _WORKER_ENGINE.evaluate(to_json(inp))
    return results_to_findings(results, inp, _WORKER_POLICIES.rules, severity_overrides=cfg.rules)


def _mark_changed(findings: list[Finding], changes: Changes | None) -> None:
    if changes is None:
        return
    touched = {c.head_id for c in changes.clauses
               if c.status in (ADDED, MODIFIED) or c.facts_added or c.facts_removed}
    for f in findings:
        f.changed = f.clause in touched or f.clause is None


def check(options: CheckOptions, cfg: Config) -> CheckResult:
    """Run the whole pipeline over the given paths and return sorted findings."""
    from termslint.report import Summary
    from termslint.suppress import apply_waivers, read_baseline

    paths = expand_paths(options.paths or cfg.paths or ["."], cfg.include, cfg.exclude, options.cwd)
    jobs = max(1, options.jobs or cfg.jobs or os.cpu_count() or 1)
    policies = load_policies(cfg)  # before any parsing: a broken policy fails fast

    jobs_list = _make_jobs(paths, options, cfg)
    prepared = list(_pool_map(_prepare, jobs_list, jobs))
    docs = [p.doc for p in prepared]
    resolve_document_refs(docs)
    from termslint.evaluate import documents_data

    data = {"termslint": {"documents": documents_data(docs), "config": cfg.as_policy_data()}}

    items: list[tuple[Document, Changes | None, Config]] = [(p.doc, p.changes, cfg) for p in prepared]
    base_items: list[tuple[Document, Changes | None, Config]] = [
        (p.base_doc, None, cfg) for p in prepared if p.base_doc is not None]
    global _EVAL_ITEMS
    if _CAN_FORK:
        _EVAL_ITEMS = items + base_items
        try:
            results = list(_pool_map(_evaluate_index, range(len(_EVAL_ITEMS)), jobs,
                                     _init_evaluator, (cfg, options, policies, data), fork=True))
        finally:
            _EVAL_ITEMS = []
    else:
        results = list(_pool_map(_evaluate_one, items + base_items, jobs,
                                 _init_evaluator, (cfg, options, policies, data)))
    head_results, base_results = results[: len(items)], results[len(items):]

    known: set[str] = {f.fingerprint for fs in base_results for f in fs}
    baseline = options.baseline or (str(cfg.baseline) if cfg.baseline else None)
    if baseline:
        known |= read_baseline(baseline)

    findings: list[Finding] = []
    for p, fs in zip(prepared, head_results):
        fs = [f for f in fs if cfg.rules.get(f.code) != "off"]
        fs += [f for f in apply_waivers(p.doc, fs) if cfg.rules.get(f.code) != "off"]
        _mark_changed(fs, p.changes)
        for f in fs:
            f.severity = cfg.rules.get(f.code, f.severity)
            if f.fingerprint in known:
                f.status = "existing"
        findings.extend(fs)
    findings.sort(key=Finding.sort_key)
    return CheckResult(
        findings=findings,
        rules=policies.rules,
        summary=Summary.of(findings, files=len(docs), clauses=sum(len(d.clauses) for d in docs)),
        documents={d.path: d for d in docs},
        changes={p.path: p.changes for p in prepared if p.changes is not None},
        base_documents={p.path: p.base_doc for p in prepared if p.base_doc is not None},
        base_rev=options.base or ("HEAD" if options.staged else None),
    )


def _make_jobs(paths: list[str], options: CheckOptions, cfg: Config) -> list[_Job]:
    """Read what git holds once, in the main process: one git call for all files."""
    if not options.base and not options.staged:
        return [_Job(p, cfg, options.cwd) for p in paths]
    from termslint import git

    head: dict[str, bytes | None] = {}
    if options.staged:
        head = git.staged_files(paths, options.cwd)
    rev = options.base or "HEAD"
    if options.staged and not options.base and not git.head_exists(options.cwd):
        base: dict[str, bytes | None] = {p: None for p in paths}  # first commit: every file is new
        resolved = "HEAD"
    else:
        resolved = git.resolve_rev(rev, options.cwd)
        base = git.show_files(resolved, paths, options.cwd)
    return [
        _Job(p, cfg, options.cwd, head_bytes=head.get(p), base_rev=rev,
             base_bytes=base.get(p), has_base=True)
        for p in paths
    ]


def fails(findings: list[Finding], fail_on: str, include_existing: bool = False) -> bool:
    """Whether the run fails: an unwaived finding at or above `fail_on` (new ones only by default)."""
    limit = SEVERITY_RANK[fail_on]
    return any(
        SEVERITY_RANK.get(f.severity, 9) <= limit and not f.waived
        and (include_existing or f.status == "new")
        for f in findings
    )
