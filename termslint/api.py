"""The library API: the one place that joins the parser and the policy engine.

    files --read--> text --parse--> Document --annotate--> Document+facts
          --align(base)--> Changes --evaluate(policies)--> Findings
          --waivers/baseline--> Findings  (the CLI then picks a reporter)

`check()` is what `termslint check` runs; `load_document()` is the per-file
front half, shared by `parse`, `explain` and the workers of a parallel check.
Nothing here prints or exits.
"""
from __future__ import annotations

import gc
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from termslint.config import Config
from termslint.errors import LimitError
from termslint.files import expand_paths
from termslint.model import Changes, Document, Finding, RuleDoc

if TYPE_CHECKING:
    from termslint.annotate import Vocabulary
    from termslint.batch import Job
    from termslint.model import DocumentOutline
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
    # Return the parsed documents too. Off by default: with --jobs they would
    # have to be pickled back from the workers, which costs more than parsing.
    keep_documents: bool = False


@dataclass
class CheckResult:
    findings: list[Finding]
    rules: dict[str, RuleDoc]
    summary: Summary
    paths: list[str]  # every file checked, in order
    sources: dict[str, list[str]]  # the lines of each file with findings, for the reports' frames
    change_accounts: dict[str, str]  # with a base: what changed, in plain language, by path
    # With `keep_documents` only:
    documents: dict[str, Document] = field(default_factory=dict)
    changes: dict[str, Changes] = field(default_factory=dict)
    base_documents: dict[str, Document] = field(default_factory=dict)
    base_rev: str | None = None


# ---------------------------------------------------------------- per document

_VOCAB: dict[str, Vocabulary] = {}


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


# ---------------------------------------------------------------- the run

@contextmanager
def fewer_collections() -> Iterator[None]:
    """A check builds millions of small objects that live until the report.

    CPython's default thresholds then run full collections over all of them
    again and again (about a fifth of the run on the bulk corpus); rarer
    collections cost a little memory. Worker processes inherit the setting.
    """
    before = gc.get_threshold()
    gc.freeze()  # what was loaded before the run is never garbage: skip it
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def check(options: CheckOptions, cfg: Config) -> CheckResult:
    """Run the whole pipeline over the given paths and return sorted findings."""
    with fewer_collections():
        return _check(options, cfg)


def _check(options: CheckOptions, cfg: Config) -> CheckResult:
    from termslint.batch import BatchSpec, document_names, run_batches
    from termslint.evaluate import documents_data
    from termslint.report import Summary
    from termslint.suppress import read_baseline

    paths = expand_paths(options.paths or cfg.paths or ["."], cfg.include, cfg.exclude, options.cwd)
    policies = load_policies(cfg)  # before any parsing: a broken policy fails fast
    spec = BatchSpec(cfg, policies, partial(make_configured_engine, cfg, options), options.keep_documents)

    def round_two(outlines: list[DocumentOutline]) -> tuple[set[str], dict[str, Any]]:
        data = {"termslint": {"documents": documents_data(outlines), "config": cfg.as_policy_data()}}
        return document_names(outlines), data

    jobs = _make_jobs(paths, options)
    results = run_batches(spec, jobs, _workers(options.jobs or cfg.jobs, jobs), round_two)

    known: set[str] = {fp for r in results for fp in r.base_fingerprints}
    baseline = options.baseline or (str(cfg.baseline) if cfg.baseline else None)
    if baseline:
        known |= read_baseline(baseline)
    findings: list[Finding] = []
    for r in results:
        for f in r.findings:
            f.severity = cfg.rules.get(f.code, f.severity)
            if f.fingerprint in known:
                f.status = "existing"
        findings.extend(r.findings)
    findings.sort(key=Finding.sort_key)
    return CheckResult(
        findings=findings,
        rules=policies.rules,
        summary=Summary.of(findings, files=len(results), clauses=sum(r.clauses for r in results)),
        paths=[r.path for r in results],
        sources={r.path: r.lines for r in results if r.lines is not None},
        change_accounts={r.path: r.change_account for r in results if r.change_account is not None},
        documents={r.path: r.documents[0] for r in results if r.documents},
        base_documents={r.path: r.documents[1] for r in results if r.documents and r.documents[1]},
        changes={r.path: r.documents[2] for r in results if r.documents and r.documents[2]},
        base_rev=options.base or ("HEAD" if options.staged else None),
    )


# With no --jobs, a worker process is started for each this many bytes of
# input, up to one per core: starting one (and compiling the policies in it)
# costs more than checking a few small files, as in a pre-commit hook.
BYTES_PER_WORKER = 256_000


def _workers(asked: int | None, jobs: list[Job]) -> int:
    if asked:
        return max(1, asked)
    cores = os.cpu_count() or 1
    return max(1, min(cores, sum(j.size for j in jobs) // BYTES_PER_WORKER))


def _make_jobs(paths: list[str], options: CheckOptions) -> list[Job]:
    """Read what git holds once, in the main process: one git call for all files."""
    from termslint.batch import Job

    if not options.base and not options.staged:
        return [Job(p, options.cwd, order=i) for i, p in enumerate(paths)]
    from termslint import git

    head: dict[str, bytes | None] = {}
    if options.staged:
        head = git.staged_files(paths, options.cwd)
    rev = options.base or "HEAD"
    if options.staged and not options.base and not git.head_exists(options.cwd):
        base: dict[str, bytes | None] = {p: None for p in paths}  # first commit: every file is new
    else:
        base = git.show_files(git.resolve_rev(rev, options.cwd), paths, options.cwd)
    return [
        Job(p, options.cwd, order=i, head_bytes=head.get(p), base_rev=rev, base_bytes=base.get(p),
            has_base=True)
        for i, p in enumerate(paths)
    ]


def fails(findings: list[Finding], fail_on: str, include_existing: bool = False) -> bool:
    """Whether the run fails: an unwaived finding at or above `fail_on` (new ones only by default)."""
    limit = SEVERITY_RANK[fail_on]
    return any(
        SEVERITY_RANK.get(f.severity, 9) <= limit and not f.waived
        and (include_existing or f.status == "new")
        for f in findings
    )
