"""`termslint explain`: for reviewers who are lawyers, not engineers."""
from __future__ import annotations

import argparse
import re
import sys
import textwrap
from pathlib import Path

from termslint.config import load_config
from termslint.errors import TermslintError
from termslint.model import RuleDoc

CODE_RE = re.compile(r"^[A-Za-z]{2,}\d{3}$")


def render_rule(rule: RuleDoc) -> str:
    """A rule's documentation from its METADATA block, like `ruff rule CODE`."""
    def para(text: str) -> str:
        return "\n".join(textwrap.fill(p, 78) for p in text.strip().split("\n\n")) if text else ""

    out = [f"{rule.code} {rule.name} ({rule.severity})", "", rule.title, ""]
    if rule.description:
        out += ["What it checks", "", para(rule.description), ""]
    if rule.why:
        out += ["Why it matters", "", para(rule.why), ""]
    if rule.fix:
        out += ["How to fix", "", para(rule.fix), ""]
    if rule.example:
        out += ["Example that triggers it", "", textwrap.indent(rule.example.strip(), "    "), ""]
    return "\n".join(out)


def _find_rule(target: str, rules: dict[str, RuleDoc]) -> RuleDoc:
    wanted = target.upper()
    for rule in rules.values():
        if rule.code.upper() == wanted or rule.name == target:
            return rule
    import difflib

    names = sorted(rules) + sorted(r.name for r in rules.values())
    close = difflib.get_close_matches(target, names, n=3)
    raise TermslintError(f"no rule {target}", ("did you mean " + ", ".join(close) + "?") if close
                         else "see 'termslint rules' for the list")


def explain(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    if args.base:
        return _explain_changes(args, cfg)
    if len(args.target) != 1:
        raise TermslintError("explain takes one CODE or FILE#CLAUSE (or --base REV [FILE...])",
                             "e.g. 'termslint explain TL101' or 'termslint explain terms.md#10.4'")
    target = args.target[0]
    if "#" in target:
        from termslint.api import read_document
        from termslint.explain import explain_clause

        file, _, clause = target.partition("#")
        doc = read_document(file, cfg, Path.cwd())
        sys.stdout.write(explain_clause(doc, clause) + "\n")
        return 0
    if CODE_RE.match(target) or not Path(target).exists():
        from termslint.api import load_policies

        sys.stdout.write(render_rule(_find_rule(target, load_policies(cfg).rules)))
        return 0
    raise TermslintError(f"{target}: name a clause as FILE#CLAUSE, or use --base REV to explain changes",
                         f"e.g. 'termslint explain {target}#1'")


def _explain_changes(args: argparse.Namespace, cfg: object) -> int:
    from termslint.api import CheckOptions, check
    from termslint.commands.check import change_account

    assert hasattr(cfg, "paths")
    result = check(CheckOptions(paths=list(args.target), base=args.base, cwd=Path.cwd()), cfg)  # type: ignore[arg-type]
    account = change_account(result) or f"No clause changed since {args.base}."
    new = [f for f in result.findings if f.status == "new" and not f.waived]
    lines = [account, ""]
    if new:
        lines.append(f"New findings since {args.base}:")
        for f in new:
            where = f"{f.path}#{f.clause}" if f.clause else f.path
            lines.append(f"  {f.code} {f.name} [{f.severity}] at {where} (line {f.span.start_line}): {f.message}")
    else:
        lines.append(f"No new findings since {args.base}.")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
