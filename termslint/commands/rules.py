"""`termslint rules` (the catalogue) and `termslint bundle` (the pack as an OPA bundle)."""
from __future__ import annotations

import argparse
import json
import sys

from termslint.api import load_policies
from termslint.config import load_config
from termslint.model import RuleDoc


def _markdown(rules: list[RuleDoc]) -> str:
    out = ["# termslint rules", "",
           "Generated from the policies' METADATA blocks by `termslint rules --format markdown`.", "",
           "| code | name | severity | title |", "|---|---|---|---|"]
    out += [f"| [{r.code}](#{r.code.lower()}) | `{r.name}` | {r.severity} | {r.title} |" for r in rules]
    for r in rules:
        out += ["", f"## {r.code}", "", f"**{r.name}** ({r.severity}): {r.title}", "", r.description.strip(), "",
                "### Why it matters", "", r.why.strip(), "", "### How to fix", "", r.fix.strip(), "",
                "### Example", "", "```markdown", r.example.strip(), "```"]
    return "\n".join(out) + "\n"


def rules(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    catalogue = sorted(load_policies(cfg).rules.values(), key=lambda r: r.code)
    if args.format == "json":
        sys.stdout.write(json.dumps([r.as_dict() for r in catalogue], indent=2) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(_markdown(catalogue))
    else:
        width = max((len(r.name) for r in catalogue), default=10)
        for r in catalogue:
            setting = cfg.rules.get(r.code, r.severity)
            sys.stdout.write(f"{r.code}  {r.name:<{width}}  {setting:<7}  {r.title}\n")
    return 0


def bundle(args: argparse.Namespace) -> int:
    from termslint.bundle import write_bundle

    cfg = load_config(args.config)
    write_bundle(load_policies(cfg), args.output)
    sys.stdout.write(f"Wrote OPA bundle {args.output}\n")
    return 0
