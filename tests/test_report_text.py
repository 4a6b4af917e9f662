"""The text reporter's code frames, underlines and summary line, from
findings built by hand."""
from __future__ import annotations

from termslint.model import Evidence, Finding, RuleDoc, Span
from termslint.report import Summary, render

RULE = RuleDoc(
    code="TL101", name="ai-training-without-opt-out", title="t", description="d",
    severity="error", why="w", fix="Add an opt-out.", example="e",
)  # fmt: skip


def make(span: Span, evidence: list[Evidence] | None = None, **kw: object) -> Finding:
    fields: dict[str, object] = {
        "code": "TL101", "name": "ai-training-without-opt-out", "severity": "error",
        "message": "AI training with no opt-out", "path": "t.md", "clause": "1",
    }  # fmt: skip
    fields.update(kw)
    return Finding(span=span, evidence=evidence or [], **fields)  # type: ignore[arg-type]


def text(findings: list[Finding], lines: list[str] | None, *, color: bool = False) -> str:
    summary = Summary.of(findings, files=1, clauses=9)
    sources = {"t.md": lines} if lines is not None else None
    return render("text", findings, {"TL101": RULE}, summary, sources=sources, color=color,
                  tool_version="1.0")  # fmt: skip


def test_long_clause_shows_six_lines_around_the_evidence() -> None:
    lines = [f"line {i} of the clause" for i in range(1, 21)]
    ev = Evidence("purpose:ai_training", "of", Span(15, 15, 9, 10))
    out = text([make(Span(1, 20), [ev])], lines)
    assert out == (
        "t.md:1:1: TL101 [error] AI training with no opt-out\n"
        "   |\n"
        "...\n"
        "14 | line 14 of the clause\n"
        "15 | line 15 of the clause\n"
        "   |         ^^\n"
        "16 | line 16 of the clause\n"
        "17 | line 17 of the clause\n"
        "18 | line 18 of the clause\n"
        "19 | line 19 of the clause\n"
        "...\n"
        "   |\n"
        "   = help: Add an opt-out.\n"
        "\n"
        "Found 1 problem (1 error) in 1 file.\n"
    )


def test_long_clause_with_early_evidence_starts_at_its_heading() -> None:
    lines = [f"l{i}" for i in range(1, 11)]
    ev = Evidence("data:customer_content", "l3", Span(3, 3, 1, 2))
    out = text([make(Span(1, 10), [ev])], lines)
    assert "  |\n1 | l1\n2 | l2\n3 | l3\n  | ^^\n4 | l4\n5 | l5\n6 | l6\n...\n  |\n" in out


def test_evidence_outside_the_frame_is_listed() -> None:
    lines = [f"l{i}" for i in range(1, 31)]
    near = Evidence("purpose:ai_training", "l20", Span(20, 20, 1, 3))
    far = Evidence("data:customer_content", "l29", Span(29, 29, 1, 3))
    out = text([make(Span(1, 30), [near, far])], lines)
    assert '   = evidence: "l29" (line 29)\n   = help: Add an opt-out.\n' in out
    assert "l20" in out and "= evidence: \"l20\"" not in out


def test_without_sources_the_evidence_is_listed() -> None:
    ev = Evidence("purpose:ai_training", "machine\nlearning", Span(4, 5, 3, 8))
    out = text([make(Span(4, 5), [ev])], None)
    assert out == (
        "t.md:4:3: TL101 [error] AI training with no opt-out\n"
        '  = evidence: "machine learning" (line 4)\n'
        "  = help: Add an opt-out.\n"
        "\n"
        "Found 1 problem (1 error) in 1 file.\n"
    )


def test_multi_line_evidence_and_wide_characters() -> None:
    lines = ["利用規約: we may use", "  your content to train models."]
    ev = Evidence("purpose:ai_training", "use your content", Span(1, 2, 14, 14))
    out = text([make(Span(1, 2), [ev])], lines)
    assert (
        "  |\n"
        "1 | 利用規約: we may use\n"
        "  |                  ^^^\n"
        "2 |   your content to train models.\n"
        "  |   ^^^^^^^^^^^^\n"
        "  |\n"
    ) in out
    # Four double-width characters and ": we may " put "use" at display column 18.
    assert out.splitlines()[3].index("^") - len("  | ") == 4 * 2 + len(": we may ")


def test_header_column_comes_from_the_first_evidence_on_the_line() -> None:
    ev = [Evidence("x", "b", Span(2, 2, 7, 7)), Evidence("y", "a", Span(2, 2, 3, 3))]
    assert text([make(Span(2, 2), ev)], None).startswith("t.md:2:3: TL101")


def test_crlf_lines_and_stale_sources() -> None:
    out = text([make(Span(1, 1), [Evidence("x", "we", Span(1, 1, 1, 2))])], ["we may\r\n"])
    assert "1 | we may\n  | ^^\n" in out
    stale = text([make(Span(9, 9))], ["only one line"])
    assert "|" not in stale


def test_no_escape_byte_without_colour_even_from_hostile_input() -> None:
    lines = ["\x1b[31mred\x1b[0m text\twith a tab"]
    f = make(Span(1, 1), [Evidence("x", "text", Span(1, 1, 14, 17))],
             message="bad \x1b]0;title\x07 message", waiver_reason=None)  # fmt: skip
    out = text([f], lines)
    assert "\x1b" not in out and "\x07" not in out
    # Each control character became one U+FFFD, so the underline still lines up.
    assert "1 | \ufffd[31mred\ufffd[0m text with a tab\n  |              ^^^^\n" in out
    coloured = text([f], lines, color=True)
    assert "\x1b[1;31mTL101 [error]\x1b[0m" in coloured
    assert "\x1b]" not in coloured  # hostile sequences are still neutralised


def test_notes_for_existing_and_waived_findings() -> None:
    existing = make(Span(1, 1), status="existing")
    waived = make(Span(2, 2), waived=True, waiver_reason="Approved\nby legal")
    bare = make(Span(3, 3), waived=True, code="TL999")
    out = text([existing, waived, bare], None)
    assert out == (
        "t.md:1:1: TL101 [error] AI training with no opt-out\n"
        "  = help: Add an opt-out.\n"
        "  = note: existing finding: already present at the base revision\n"
        "\n"
        "t.md:2:1: TL101 [error] AI training with no opt-out\n"
        "  = help: Add an opt-out.\n"
        "  = note: waived: Approved by legal\n"
        "\n"
        "t.md:3:1: TL999 [error] AI training with no opt-out\n"
        "  = note: waived (no reason given)\n"
        "\n"
        "Found 1 problem (1 error) in 1 file; 0 new, 1 existing; 2 waived.\n"
    )


def test_summary_lines() -> None:
    assert text([], None) == "All checks passed.\n"
    assert text([make(Span(1, 1), waived=True)], None).endswith("\n\nAll checks passed; 1 waived.\n")
    many = [make(Span(i, i), severity=s, path=p) for i, (s, p) in enumerate(
        [("error", "a.md"), ("error", "b.md"), ("warning", "a.md"), ("info", "c.md"),
         ("info", "c.md")], 1)]  # fmt: skip
    assert text(many, None).endswith(
        "\n\nFound 5 problems (2 errors, 1 warning, 2 info) in 3 files.\n"
    )


def test_a_long_line_is_cut_to_its_evidence_and_wrapped() -> None:
    # One 1,200-character paragraph, as converted terms often are: two pieces
    # of evidence far apart, each shown with some context, the rest left out.
    words = [f"word{i:03d}" for i in range(150)]
    line = " ".join(words)
    first, second = line.index("word010"), line.index("word120")
    ev = [Evidence("data:customer_content", "word010", Span(1, 1, first + 1, first + 7)),
          Evidence("purpose:ai_training", "word120", Span(1, 1, second + 1, second + 7))]
    out = text([make(Span(1, 1), ev)], [line])
    rows = out.split("\n")
    rows = rows[2:rows.index("  |", 2)]  # between the opening bar and the closing bar
    shown = [r for i, r in enumerate(rows) if i % 2 == 0 or "^" not in r]
    assert rows[0].startswith("1 | … word00") and all(len(r) <= 4 + 120 for r in rows)
    assert "word070" not in out  # far from both: cut
    assert "…" in "".join(shown)
    # Each caret row sits under exactly its piece of evidence.
    underlined = []
    for above, below in zip(rows, rows[1:]):
        if below.startswith("  | ") and "^" in below:
            underlined += [above[i:j] for i, j in _runs(below)]
    assert underlined == ["word010", "word120"]


def _runs(carets: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for i, ch in enumerate(carets):
        if ch == "^" and (not out or out[-1][1] != i):
            out.append((i, i + 1))
        elif ch == "^":
            out[-1] = (out[-1][0], i + 1)
    return out
