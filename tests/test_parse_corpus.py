"""The parser against real terms, read in place from ../shared/corpus (never copied).

realistic/: 60 current documents in every drafting style, each its own test.
bulk/: ~2,900 documents (120 MB); one slow test (about 75-100 s here).
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from termslint.errors import InputError
from termslint.model import Document
from termslint.parse import parse_document
from termslint.read import read_document_text

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SCHEMA = json.loads(
    resources.files("termslint").joinpath("schemas", "policy-input.schema.json").read_text(encoding="utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def corpus(name: str) -> list[Any]:
    folder = CORPUS / name
    files = sorted(p for p in folder.glob("*.md") if p.name != "INDEX.md")
    if not files:
        reason = f"corpus not found: {folder} (expected ../shared/corpus/{name} beside the repository)"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="absent")]
    return [pytest.param(p, id=p.name) for p in files]


def problems(doc: Document) -> list[str]:
    """What is wrong with a parsed document; empty when it is sound."""
    out: list[str] = []
    n = doc.line_count
    index: dict[str, int] = {}
    for i, c in enumerate(doc.clauses):
        if c.id in index:
            out.append(f"duplicate id {c.id!r}")
        index[c.id] = i
        if not 1 <= c.span.start_line <= c.span.end_line <= n:
            out.append(f"{c.id}: span {c.span.start_line}-{c.span.end_line} outside 1..{n}")
        if c.parent is not None and index.get(c.parent, i) >= i:
            out.append(f"{c.id}: parent {c.parent!r} missing or not before it")
        for r in c.refs:
            if not 1 <= r.span.start_line <= r.span.end_line <= n:
                out.append(f"{c.id}: ref {r.text!r} span outside 1..{n}")
        for offset, line, col in c.line_starts:
            source = doc.lines[line - 1].replace("\xa0", " ") if 1 <= line <= n else ""
            if source[col - 1:col] != c.text[offset]:
                out.append(f"{c.id}: text line at {offset} is not at {line}:{col}")
                break
    for term, d in doc.definitions.items():
        if not 1 <= d.span.start_line <= d.span.end_line <= n:
            out.append(f"definition {term!r}: span outside 1..{n}")
        if d.clause not in index:
            out.append(f"definition {term!r}: clause {d.clause!r} missing")
    return out


def parse_path(path: Path) -> Document | None:
    try:
        return parse_document(read_document_text(str(path)), str(path))
    except InputError:
        return None  # a clear one-line error is an acceptable outcome for a broken file


@pytest.mark.parametrize("path", corpus("realistic"))
def test_realistic_document(path: Path) -> None:
    """Sound structure, schema-valid, and every text line maps back to its file position."""
    doc = parse_path(path)
    if doc is None:
        return
    assert problems(doc) == []
    VALIDATOR.validate(json.loads(json.dumps({"schema_version": 1, **doc.as_dict()})))


def test_realistic_documents_have_structure() -> None:
    """Every realistic document yields clauses, and numbered ones keep their numbers."""
    files = [p for p in (CORPUS / "realistic").glob("*.md") if p.name != "INDEX.md"]
    if not files:
        pytest.skip(f"corpus not found: {CORPUS / 'realistic'}")
    numbered = 0
    for p in files:
        doc = parse_path(p)
        assert doc is not None and doc.clauses, p.name
        numbered += any(c.number for c in doc.clauses)
    assert numbered >= 40


@pytest.mark.slow
def test_bulk_corpus() -> None:
    """Every bulk document parses (or fails with InputError) into a sound document.

    Takes 75-100 s on one core, hence `slow`; the schema is checked on every
    25th document to keep it there.
    """
    params = corpus("bulk")
    if params[0].values[0] is None:
        pytest.skip(str(params[0].marks[0].kwargs["reason"]))
    failures: list[str] = []
    for k, param in enumerate(params):
        path: Path = param.values[0]
        try:
            doc = parse_path(path)
        except Exception as exc:  # noqa: BLE001 - collect every crash, report them together
            failures.append(f"{path.name}: {type(exc).__name__}: {exc}")
            continue
        if doc is None:
            continue
        failures.extend(f"{path.name}: {p}" for p in problems(doc))
        if k % 25 == 0:
            errors = list(VALIDATOR.iter_errors(json.loads(json.dumps({"schema_version": 1, **doc.as_dict()}))))
            failures.extend(f"{path.name}: schema: {e.message}" for e in errors[:3])
    assert failures == [], "\n".join(failures[:50])
