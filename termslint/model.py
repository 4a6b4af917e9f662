"""The data model every stage shares.

This module imports nothing else from termslint. Each class has `as_dict()`,
which is exactly what a Rego policy sees under `input` (clauses, facts,
definitions, changes) and what the JSON and SARIF reporters print. Field names
are snake_case and dictionaries keep a fixed key order so output is stable.

Lines and columns are 1-based; `end_line` and `end_col` are inclusive.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Fact modalities: what a sentence does with the data it names.
GRANT = "grant"  # a licence or right handed to someone ("you grant us a licence")
PERMISSION = "permission"  # a use the company says it may make ("we may use ... to")
PROHIBITION = "prohibition"  # a use ruled out ("we will not use ... without consent")
OBLIGATION = "obligation"  # a duty ("we must delete ...", "you must not ...")
MODALITIES = (GRANT, PERMISSION, PROHIBITION, OBLIGATION)

LICENSE_SCOPE_WORDS = (
    "perpetual",
    "irrevocable",
    "worldwide",
    "royalty_free",
    "sublicensable",
    "transferable",
    "exclusive",
)


@dataclass(frozen=True, slots=True)
class Span:
    """Where something stands in its file: lines always, columns for evidence."""

    start_line: int
    end_line: int
    start_col: int | None = None
    end_col: int | None = None

    def as_dict(self) -> dict[str, int]:
        d = {"start_line": self.start_line, "end_line": self.end_line}
        if self.start_col is not None and self.end_col is not None:
            d["start_col"] = self.start_col
            d["end_col"] = self.end_col
        return d


@dataclass(slots=True)
class Definition:
    """A defined term: where it is defined and, once annotated, its data category."""

    term: str
    clause: str  # id of the defining clause
    span: Span
    text: str = ""  # the defining sentence
    category: str | None = None  # canonical data category, set by the annotator

    def as_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "clause": self.clause,
            "category": self.category,
            "span": self.span.as_dict(),
            "text": self.text,
        }


@dataclass(slots=True)
class Reference:
    """A cross-reference: to a clause ("Section 10.3"), an anchor, or another document."""

    target: str  # a clause id, an anchor, or a document's name ("Privacy Policy")
    text: str  # the words as written
    span: Span
    kind: str = "clause"  # clause | anchor | document | law ("Section 230 of the CDA") | external (another agreement's clause)
    resolved: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "text": self.text,
            "kind": self.kind,
            "resolved": self.resolved,
            "span": self.span.as_dict(),
        }


@dataclass(slots=True)
class Suppression:
    """An inline waiver: `<!-- termslint-disable TL101 reason="..." -->`."""

    codes: list[str]
    reason: str | None
    span: Span
    scope: str = "clause"  # clause (the next clause) | file
    used: bool = False  # set when it waived a finding

    def as_dict(self) -> dict[str, Any]:
        return {
            "codes": list(self.codes),
            "reason": self.reason,
            "scope": self.scope,
            "span": self.span.as_dict(),
        }


@dataclass(slots=True)
class Evidence:
    """The words that made the annotator conclude a concept."""

    concept: str  # e.g. "purpose:ai_training", "data:customer_content", "license:perpetual"
    text: str
    span: Span

    def as_dict(self) -> dict[str, Any]:
        return {"concept": self.concept, "text": self.text, "span": self.span.as_dict()}


@dataclass(slots=True)
class License:
    """The scope words of a licence grant, and whether it is tied to the service."""

    perpetual: bool = False
    irrevocable: bool = False
    worldwide: bool = False
    royalty_free: bool = False
    sublicensable: bool = False
    transferable: bool = False
    exclusive: bool = False
    limited_to_service: bool = False

    def as_dict(self) -> dict[str, bool]:
        return {
            "perpetual": self.perpetual,
            "irrevocable": self.irrevocable,
            "worldwide": self.worldwide,
            "royalty_free": self.royalty_free,
            "sublicensable": self.sublicensable,
            "transferable": self.transferable,
            "exclusive": self.exclusive,
            "limited_to_service": self.limited_to_service,
        }

    def scope_words(self) -> list[str]:
        return [w for w in LICENSE_SCOPE_WORDS if getattr(self, w)]


@dataclass(slots=True)
class Fact:
    """One statement a clause makes about data use.

    A sentence that forbids a use ("will not use ... to train ... without your
    consent") is a PROHIBITION with a condition, never a grant. When it names
    only some of the data ("audio, video or chat content"), `partial` is true
    and `data_terms` lists the words it covers; `partial` is also true, with no
    words, when it makes an exception ("except as described in Section 6.2").
    """

    modality: str
    actor: str  # company | user | third_party
    data: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    license: License | None = None
    conditions: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    span: Span | None = None  # the sentence
    text: str = ""  # the sentence
    partial: bool = False
    data_terms: list[str] = field(default_factory=list)
    beneficiaries: list[str] = field(default_factory=list)  # who gets the data: company, third_party
    # The purposes it names AI training as part of ("to improve our products,
    # including to train our models"): a choice over one of them reaches the training.
    ai_training_within: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "modality": self.modality,
            "actor": self.actor,
            "data": list(self.data),
            "purposes": list(self.purposes),
            "license": self.license.as_dict() if self.license else None,
            "conditions": list(self.conditions),
            "partial": self.partial,
            "data_terms": list(self.data_terms),
            "beneficiaries": list(self.beneficiaries),
            "ai_training_within": list(self.ai_training_within),
            "text": self.text,
            "span": self.span.as_dict() if self.span else None,
            "evidence": [e.as_dict() for e in self.evidence],
        }

    def key(self) -> tuple[Any, ...]:
        """What makes two facts "the same" across versions (for facts gained/lost)."""
        lic = tuple(self.license.scope_words()) if self.license else ()
        return (
            self.modality,
            self.actor,
            tuple(self.data),
            tuple(self.purposes),
            lic,
            tuple(self.conditions),
        )


@dataclass(frozen=True, slots=True)
class TableRow:
    """A table row in a clause's text: offsets in the text, and where each cell is.

    A row is one line of the text, its cells joined by " | ". Empty cells keep
    their place in `cells` (as an empty span), so a column index means the same
    in every row of a table.
    """

    start: int
    end: int
    table: int  # the table's number in the document
    index: int  # the row's number in its table; 0 is the header row
    cells: tuple[tuple[int, int], ...]

    def moved(self, by: int) -> TableRow:
        return TableRow(self.start + by, self.end + by, self.table, self.index,
                        tuple((a + by, b + by) for a, b in self.cells))


@dataclass(slots=True)
class Clause:
    """A numbered or headed unit of a document, with its own line span."""

    id: str  # the legal number ("10.4", "5(b)") when written, else a slug path
    number: str | None
    title: str | None
    level: int  # 1 for top-level clauses
    parent: str | None
    path: list[str]  # ids from the top-level ancestor down to this clause
    text: str  # the clause's own text, without sub-clauses, Markdown markup stripped
    span: Span  # the clause's own lines (heading or run-in line through its last own line)
    anchor: str | None = None  # the slug a Markdown link "#anchor" would reach
    defines: list[str] = field(default_factory=list)
    restates: list[str] = field(default_factory=list)  # of `defines`, those in the words of the definition before
    uses: list[str] = field(default_factory=list)
    refs: list[Reference] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    # For each line of `text`: (offset in `text`, file line, file column of that
    # text line's first character), so the annotator can turn a character
    # offset in `text` into a line and column. Not part of the policy input.
    line_starts: list[tuple[int, int, int]] = field(default_factory=list, repr=False)
    # The table rows among those lines, for the annotator. Not part of the policy input.
    table_rows: list[TableRow] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "title": self.title,
            "level": self.level,
            "parent": self.parent,
            "path": list(self.path),
            "anchor": self.anchor,
            "text": self.text,
            "span": self.span.as_dict(),
            "defines": list(self.defines),
            "restates": list(self.restates),
            "uses": list(self.uses),
            "refs": [r.as_dict() for r in self.refs],
            "facts": [f.as_dict() for f in self.facts],
            "tags": list(self.tags),
            "suppressions": [s.as_dict() for s in self.suppressions],
        }


@dataclass(slots=True)
class Document:
    """A parsed terms document."""

    path: str  # as given on the command line, with forward slashes
    title: str | None
    metadata: dict[str, Any]  # front matter, plus effective_date / version read from the text
    clauses: list[Clause]
    definitions: dict[str, Definition]
    line_count: int
    suppressions: list[Suppression] = field(default_factory=list)  # file-wide waivers
    # The file's raw lines (no line endings), for code frames and exact evidence
    # columns. Not part of the policy input.
    lines: list[str] = field(default_factory=list, repr=False)

    def clause_by_id(self) -> dict[str, Clause]:
        return {c.id: c for c in self.clauses}

    def document_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "title": self.title,
            "metadata": self.metadata,
            "line_count": self.line_count,
            "suppressions": [s.as_dict() for s in self.suppressions],
        }

    def as_dict(self) -> dict[str, Any]:
        """The policy input for this document, without `changes` and `schema_version`."""
        return {
            "document": self.document_dict(),
            "clauses": [c.as_dict() for c in self.clauses],
            "definitions": {t: d.as_dict() for t, d in sorted(self.definitions.items())},
        }


@dataclass(slots=True)
class DocumentOutline:
    """What the other documents of a run know of this one (`data.termslint.documents`)."""

    path: str
    title: str | None
    metadata: dict[str, Any]
    clause_ids: list[str]

    @classmethod
    def of(cls, doc: Document) -> DocumentOutline:
        return cls(doc.path, doc.title, doc.metadata, [c.id for c in doc.clauses])


# Clause change statuses.
ADDED, REMOVED, MODIFIED, MOVED, UNCHANGED = "added", "removed", "modified", "moved", "unchanged"


@dataclass(slots=True)
class ClauseChange:
    """How one clause changed between the base and the head version."""

    status: str  # added | removed | modified | moved | unchanged
    base_id: str | None
    head_id: str | None
    similarity: float  # 0..1, text similarity of the matched pair (0 for added/removed)
    facts_added: list[Fact] = field(default_factory=list)
    facts_removed: list[Fact] = field(default_factory=list)
    text_diff: str = ""  # a short unified word diff, empty when unchanged
    base_title: str | None = None
    head_title: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "base_id": self.base_id,
            "head_id": self.head_id,
            "base_title": self.base_title,
            "head_title": self.head_title,
            "similarity": round(self.similarity, 4),
            "facts_added": [f.as_dict() for f in self.facts_added],
            "facts_removed": [f.as_dict() for f in self.facts_removed],
            "text_diff": self.text_diff,
        }


@dataclass(slots=True)
class Changes:
    """A document's changes against a base revision (`input.changes`)."""

    base_rev: str
    base_metadata: dict[str, Any]
    head_metadata: dict[str, Any]
    clauses: list[ClauseChange]
    new_document: bool = False  # the file did not exist at the base

    def as_dict(self) -> dict[str, Any]:
        return {
            "base": {"rev": self.base_rev, "metadata": self.base_metadata},
            "head": {"metadata": self.head_metadata},
            "new_document": self.new_document,
            "clauses": [c.as_dict() for c in self.clauses],
        }


SEVERITIES = ("error", "warning", "info")  # most severe first


@dataclass(slots=True)
class Finding:
    """One rule violation, ready for any reporter."""

    code: str
    name: str
    severity: str  # error | warning | info
    message: str
    path: str
    clause: str | None
    span: Span
    evidence: list[Evidence] = field(default_factory=list)
    status: str = "new"  # new | existing
    waived: bool = False
    waiver_reason: str | None = None
    fingerprint: str = ""
    changed: bool = False  # the finding's clause was added or modified against the base

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.span.start_line, self.code, self.clause or "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "path": self.path,
            "clause": self.clause,
            "span": self.span.as_dict(),
            "evidence": [e.as_dict() for e in self.evidence],
            "status": self.status,
            "waived": self.waived,
            "waiver_reason": self.waiver_reason,
            "fingerprint": self.fingerprint,
        }


@dataclass(slots=True)
class RuleDoc:
    """A rule's documentation, read from its Rego METADATA block."""

    code: str
    name: str
    title: str
    description: str
    severity: str
    why: str
    fix: str
    example: str
    source: str = ""  # the .rego file it came from
    package: str = ""  # the Rego package, e.g. "termslint.rules.tl101"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "severity": self.severity,
            "why": self.why,
            "fix": self.fix,
            "example": self.example,
        }
