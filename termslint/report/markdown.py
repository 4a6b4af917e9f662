"""A pull-request comment in GitHub-flavoured Markdown.

The verdict first, then a table of findings, the reasoning per finding (why
and fix from the rule's METADATA), the waived findings with their reasons,
and the plain-language account of what changed. The GitHub job summary is
built from the same pieces (`github.render_job_summary`), so Markdown is
escaped in one place.

Comments and summaries have size caps, so the output is fitted to a limit:
sections that matter most keep their room, and whatever is cut says so.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from termslint import __version__
from termslint.model import Finding, RuleDoc
from termslint.report import (
    Summary,
    ordered,
    plural,
    run_failed,
    severity_counts,
    severity_of,
    summary_line,
)

# GitHub rejects a comment body over 65,536 characters; leave some room.
PR_COMMENT_LIMIT = 65_000
# A hidden marker, so that a bot can find its previous comment and update it.
MARKER = "<!-- termslint-report -->"
FULL_REPORT_HINT = "run `termslint check --format text` or open the SARIF report for the full list"


def render(
    findings: Sequence[Finding],
    rules: Mapping[str, RuleDoc],
    summary: Summary,
    *,
    sources: Mapping[str, Sequence[str]] | None = None,
    color: bool = False,
    change_account: str | None = None,
    tool_version: str = __version__,
    limit: int = PR_COMMENT_LIMIT,
) -> str:
    return build_report(
        findings,
        rules,
        summary,
        change_account,
        details=True,
        marker=True,
        limit=limit,
        measure=len,
        cap_name=f"{limit:,} characters",
    )


def build_report(
    findings: Sequence[Finding],
    rules: Mapping[str, RuleDoc],
    summary: Summary,
    change_account: str | None,
    *,
    details: bool,
    marker: bool,
    limit: int,
    measure: Callable[[str], int],
    cap_name: str,
) -> str:
    """The Markdown report, fitted to `limit` as counted by `measure`
    (characters for a comment, UTF-8 bytes for a job summary)."""
    shown = [f for f in ordered(findings) if not f.waived]
    waived = [f for f in ordered(findings) if f.waived]
    top = [MARKER] if marker else []
    top += [f"## {verdict(findings, summary)}", "", counts_line(findings, summary)]
    sections = [_Section(priority=0, head="\n".join(top))]
    if shown:
        sections.append(
            _Section(
                priority=3,
                head=_TABLE_HEAD,
                units=[_table_row(f) for f in shown],
                joiner="\n",
                more=lambda n: f"\n\n_{plural(n, 'more finding')} not shown: "
                f"this report is capped at {cap_name}; {FULL_REPORT_HINT}._",
            )
        )
    if shown and details:
        sections.append(
            _Section(
                priority=4,
                head="### Details\n\n",
                units=[_details(f, rules.get(f.code)) for f in shown],
                joiner="\n\n",
                more=lambda n: f"\n\n_Details of {plural(n, 'more finding')} left out "
                f"to stay under {cap_name}._",
            )
        )
    if waived:
        sections.append(
            _Section(
                priority=2,
                share=0.125,
                head=f"### Waived ({len(waived)})\n\n",
                units=[_waived_item(f) for f in waived],
                joiner="\n",
                more=lambda n: f"\n\n_{plural(n, 'more waived finding')} left out "
                f"to stay under {cap_name}._",
            )
        )
    if change_account and change_account.strip():
        sections.append(
            _Section(
                priority=1,
                share=0.25,
                head="### What changed\n\n",
                units=change_account.strip().splitlines(),
                joiner="\n",
                more=lambda n: f"\n\n_The account of what changed was cut short by "
                f"{plural(n, 'line')} to stay under {cap_name}._",
            )
        )
    return _fit(sections, limit, measure)


def verdict(findings: Sequence[Finding], summary: Summary) -> str:
    counts = severity_counts(summary)
    if run_failed(findings, summary):
        return f"❌ termslint: failed ({counts})" if counts else "❌ termslint: failed"
    if counts:
        return f"⚠️ termslint: passed with {counts}"
    return "✅ termslint: all checks passed"


def counts_line(findings: Sequence[Finding], summary: Summary) -> str:
    files_with_problems = len({f.path for f in findings if not f.waived})
    return (
        f"Checked {plural(summary.files, 'file')} ({plural(summary.clauses, 'clause')}). "
        + summary_line(summary, files_with_problems)
    )


# ---------------------------------------------------------------- escaping


def cell(text: str) -> str:
    """Text safe inside a table cell: HTML-escaped (a `<!-- ... -->` in a
    message must not vanish), backslashes and pipes escaped so a `|` cannot
    open a new column, and line breaks as `<br>` so a row stays one line."""
    text = inline(text).replace("\\", "\\\\").replace("|", "\\|")
    return text


def inline(text: str) -> str:
    """Text safe in running Markdown: HTML-escaped, line breaks as `<br>`."""
    lines = html.escape(text.strip(), quote=False).splitlines()
    return "<br>".join(line.strip() for line in lines)


def code(text: str) -> str:
    """A code span that holds any text, backticks included (CommonMark: a
    longer fence, padded when the text starts or ends with a backtick)."""
    text = " ".join(text.split())
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# ---------------------------------------------------------------- pieces

_TABLE_HEAD = (
    "| Code | Severity | Clause | Location | Message | Status |\n"
    "| --- | --- | --- | --- | --- | --- |\n"
)


def location(finding: Finding) -> str:
    return f"{finding.path}:{max(finding.span.start_line, 1)}"


def status_text(finding: Finding) -> str:
    if finding.status == "existing":
        return "existing"
    return "new, changed clause" if finding.changed else "new"


def _table_row(f: Finding) -> str:
    cells = [f.code, severity_of(f), f.clause or "—", location(f), f.message, status_text(f)]
    return "| " + " | ".join(cell(c) for c in cells) + " |"


def _details(f: Finding, rule: RuleDoc | None) -> str:
    where = f"{location(f)}" + (f" · clause {f.clause}" if f.clause else "")
    title = f"<b>{html.escape(f.code)}</b> {html.escape(f.name)} · {html.escape(where)}"
    parts = [f"<details>\n<summary>{title}</summary>", inline(f.message)]
    if f.status == "existing":
        parts.append("_Existing: already present at the base revision._")
    if rule is not None and rule.why.strip():
        parts.append(f"**Why:** {rule.why.strip()}")
    if rule is not None and rule.fix.strip():
        parts.append(f"**Fix:** {rule.fix.strip()}")
    if f.evidence:
        quoted = ", ".join(f"{code(e.text)} (line {e.span.start_line})" for e in f.evidence)
        parts.append(f"**Evidence:** {quoted}")
    parts.append("</details>")
    return "\n\n".join(parts)


def _waived_item(f: Finding) -> str:
    where = location(f) + (f", clause {f.clause}" if f.clause else "")
    reason = inline(f.waiver_reason) if f.waiver_reason and f.waiver_reason.strip() else ""
    return (
        f"- **{html.escape(f.code)}** {html.escape(f.name)} at {inline(where)}: "
        + (reason or "_no reason given_")
    )


# ---------------------------------------------------------------- fitting


@dataclass(slots=True)
class _Section:
    """A part of the report: a fixed head, then units that can be left out
    from the end, with a note saying how many were."""

    priority: int  # lower gets its room first
    head: str
    units: list[str] = field(default_factory=list)
    joiner: str = "\n"
    more: Callable[[int], str] = lambda n: ""
    share: float = 1.0  # the most of the whole limit this section may take

    def text(self, count: int) -> str:
        body = self.head + self.joiner.join(self.units[:count])
        if count < len(self.units):
            body = body.rstrip("\n") + self.more(len(self.units) - count)
        return body


_SEPARATOR = "\n\n"


def _fit(sections: list[_Section], limit: int, measure: Callable[[str], int]) -> str:
    """Give each section, by priority, as many whole units as still fit.

    Every section first gets room for its head and its "left out" note, so
    that a later section is cut short, never dropped without a word; a
    section with a `share` takes at most that part of the limit, so that a
    long account of changes cannot crowd out the table.
    """

    def floor(index: int) -> int:
        return (measure(_SEPARATOR) if index else 0) + measure(sections[index].text(0))

    remaining = limit - measure("\n") - sum(floor(i) for i in range(len(sections)))
    counts: dict[int, int] = {}
    for index, section in sorted(enumerate(sections), key=lambda s: (s[1].priority, s[0])):
        remaining += floor(index)
        room = min(remaining, int(limit * section.share))
        sep = measure(_SEPARATOR) if index else 0
        size = sep + measure(section.head)
        count = 0
        for unit in section.units:
            extra = measure(unit) + (measure(section.joiner) if count else 0)
            # Room for the note that would say the rest was left out.
            rest = len(section.units) - count - 1
            note = measure(section.more(rest)) if rest else 0
            if size + extra + note > room:
                break
            size += extra
            count += 1
        counts[index] = count
        remaining -= sep + measure(section.text(count))
    return _SEPARATOR.join(s.text(counts[i]) for i, s in enumerate(sections)) + "\n"
