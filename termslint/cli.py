"""The command line: parse arguments, dispatch, and map errors to exit codes.

Only this module chooses streams and exit codes. Each command lives in
`termslint/commands/<name>.py` as one function taking plain arguments and
returning an exit code.

Exit codes: 0 clean (or only findings below --fail-on), 1 findings at or above
--fail-on or a failing policy test, 2 a usage or input error, 3 an unexpected
internal error.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from termslint import __version__, cache
from termslint.errors import TermslintError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

FORMATS = ("text", "json", "sarif", "github", "junit", "markdown")

DESCRIPTION = """\
Lint legal terms (Terms of Service, privacy policies, DPAs) written in Markdown
with Rego policies: AI-training grants without an opt-out, "any purpose" data
use, over-broad licences, quiet changes between versions, broken references.
"""

EPILOG = """\
examples:
  termslint check legal/                     check every Markdown file under legal/
  termslint check --base origin/main legal/  only new findings against main fail
  termslint explain TL101                    what a rule means and how to fix it
  termslint explain legal/terms.md#10.4      what a clause grants, with evidence
  termslint explain --base HEAD~1            what rights changed, clause by clause
  termslint parse legal/terms.md             the clause outline policies see

exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error,
3 internal error. Configuration: .termslint.yaml or [tool.termslint] in pyproject.toml.
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit code 2 like every other input error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"termslint: error: {message}; see '{self.prog} --help'\n")
        raise SystemExit(EXIT_USAGE)


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE",
                   help="config file (default: nearest .termslint.yaml or pyproject.toml [tool.termslint])")


def _add_engine(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", choices=("embedded", "opa"),
                   help="Rego engine: embedded (in-process, default) or opa (a real OPA server)")
    p.add_argument("--opa-url", metavar="URL",
                   help="OPA server to use with --engine opa (default: start `opa` from PATH)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="termslint", description=DESCRIPTION, epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"termslint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser(
        "check", help="check terms against the policies",
        description="Check Markdown terms against the built-in and configured Rego policies.",
        epilog="Folders are searched for *.md and *.markdown (config: include/exclude). With --base, "
               "findings that already existed at REV are 'existing' and do not fail the check.\n\n"
               "Start-up work (compiled regexes, parsed YAML) is cached in the user's cache folder\n"
               "(~/.cache/termslint on Linux, ~/Library/Caches/termslint on macOS);\n"
               "TERMSLINT_NO_CACHE=1 turns that off, TERMSLINT_CACHE_DIR moves it.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: config 'paths', else .)")
    check.add_argument("--base", metavar="REV", help="git revision to compare with (e.g. origin/main, HEAD)")
    check.add_argument("--staged", action="store_true",
                       help="check the staged (index) version of each file (used by the pre-commit hook)")
    check.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    check.add_argument("--output", "-o", action="append", default=[], metavar="[FORMAT:]FILE",
                       help="also write a report to FILE (format from the prefix or the extension: "
                            ".json .sarif .xml .md); repeatable")
    check.add_argument("--fail-on", choices=("error", "warning", "info"),
                       help="lowest severity that fails the check (default: error)")
    check.add_argument("--baseline", metavar="FILE", help="treat findings recorded in FILE as existing")
    check.add_argument("--all", dest="fail_existing", action="store_true",
                       help="existing findings fail the check too (default: only new ones)")
    check.add_argument("--jobs", "-j", type=int, metavar="N",
                       help="parallel processes (default: one per CPU core, fewer for a small input)")
    check.add_argument("--summary", metavar="FILE",
                       help="append a Markdown job summary to FILE (e.g. $GITHUB_STEP_SUMMARY)")
    _add_engine(check)
    _add_common(check)

    baseline = sub.add_parser("baseline", help="record today's findings as accepted",
                              description="Write the fingerprints of the current findings to FILE; "
                                          "'check --baseline FILE' then reports them as existing.")
    baseline.add_argument("paths", nargs="*", metavar="PATH")
    baseline.add_argument("--output", "-o", required=True, metavar="FILE", help="baseline file to write")
    _add_engine(baseline)
    _add_common(baseline)

    explain = sub.add_parser(
        "explain", help="explain a rule, a clause, or what changed",
        description="For reviewers. CODE: what the rule checks, why it matters and how to fix it. "
                    "FILE#CLAUSE: what the clause grants, with the evidence marked. "
                    "--base REV [FILE...]: what rights changed since REV, clause by clause.")
    explain.add_argument("target", nargs="*", metavar="CODE|FILE#CLAUSE|FILE")
    explain.add_argument("--base", metavar="REV", help="explain the changes since REV")
    _add_common(explain)

    parse = sub.add_parser("parse", help="print the policy input for a document",
                           description="Print exactly what a policy sees as `input` for FILE.")
    parse.add_argument("file", metavar="FILE")
    parse.add_argument("--format", choices=("json", "text"), default="json",
                       help="json: the policy input; text: a clause outline (default: json)")
    _add_common(parse)

    test = sub.add_parser("test", help="run Rego unit tests (*_test.rego)",
                          description="Run the built-in and configured policies' *_test.rego unit tests, "
                                      "plus those in POLICY_DIRS.")
    test.add_argument("dirs", nargs="*", metavar="POLICY_DIR")
    test.add_argument("--format", choices=("text", "json"), default="text")
    test.add_argument("--verbose", "-v", action="store_true", help="list every test, not only failures")
    _add_engine(test)
    _add_common(test)

    rules = sub.add_parser("rules", help="list the rules", description="The rule catalogue, from the policies' METADATA.")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    _add_common(rules)

    bundle = sub.add_parser("bundle", help="write the policies as an OPA bundle",
                            description="Write the built-in and configured policies as an OPA bundle (.tar.gz).")
    bundle.add_argument("--output", "-o", required=True, metavar="FILE")
    _add_common(bundle)

    init = sub.add_parser("init", help="set up a legal-docs repository",
                          description="Write .termslint.yaml, a pre-commit entry and a GitHub workflow; "
                                      "never overwrites an existing file.")
    init.add_argument("--dir", default=".", help="repository folder (default: .)")
    init.add_argument("--paths", default="legal", help="folder holding the terms (default: legal)")
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    # Import the command lazily: `termslint rules` should not pay for regorus or git.
    if args.command == "check":
        from termslint.commands.check import check
        return check(args)
    if args.command == "baseline":
        from termslint.commands.check import baseline
        return baseline(args)
    if args.command == "explain":
        from termslint.commands.explain import explain
        return explain(args)
    if args.command == "parse":
        from termslint.commands.parse import parse
        return parse(args)
    if args.command == "test":
        from termslint.commands.test import test
        return test(args)
    if args.command == "rules":
        from termslint.commands.rules import rules
        return rules(args)
    if args.command == "bundle":
        from termslint.commands.rules import bundle
        return bundle(args)
    if args.command == "init":
        from termslint.commands.init import init
        return init(args)
    raise AssertionError(args.command)


def run() -> NoReturn:
    """The `termslint` command: `main()`, then exit without freeing every object.

    Freeing every object a check built, one by one, took 50 ms of a 400 ms
    one-document check; the operating system takes the memory back at once.
    By then every file, engine and worker is closed, and the output is
    flushed here. (mypy exits alike.)
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `termslint check | head`: the reader left
        pass
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        code = _dispatch(args)
        cache.save()  # what this run compiled anew, for the next start (see termslint/cache.py)
        return code
    except TermslintError as exc:
        sys.stderr.write(f"termslint: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("termslint: interrupted\n")
        return 130
    except BrokenPipeError:
        # `termslint check | head`: the reader left; that is not our error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_CLEAN
    except Exception as exc:  # noqa: BLE001 - the one place that catches everything
        if os.environ.get("TERMSLINT_DEBUG"):
            raise
        sys.stderr.write(
            f"termslint: internal error: {exc.__class__.__name__}: {exc}; "
            "please report it (set TERMSLINT_DEBUG=1 for a traceback)\n")
        return EXIT_INTERNAL
