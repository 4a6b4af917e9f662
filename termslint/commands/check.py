"""`termslint check` and `termslint baseline`."""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

from termslint import __version__
from termslint.api import CheckOptions, CheckResult, check as run_check, fails
from termslint.config import load_config
from termslint.errors import TermslintError
from termslint.files import write_atomic

EXIT_CLEAN, EXIT_FINDINGS = 0, 1

EXTENSION_FORMATS = {".json": "json", ".sarif": "sarif", ".xml": "junit", ".md": "markdown",
                     ".markdown": "markdown", ".txt": "text", ".log": "github"}
FORMATS = ("text", "json", "sarif", "github", "junit", "markdown")


def _options(args: argparse.Namespace) -> CheckOptions:
    base, staged = getattr(args, "base", None), getattr(args, "staged", False)
    from_ref = os.environ.get("PRE_COMMIT_FROM_REF")
    if staged and not base and from_ref:
        # `pre-commit run --from-ref A --to-ref B` (CI, pre-push) checks the files
        # changed between A and B: compare the working tree with A, not the index
        # with HEAD, or a change already committed would count as existing.
        base, staged = from_ref, False
    return CheckOptions(
        paths=list(args.paths),
        base=base,
        staged=staged,
        jobs=getattr(args, "jobs", None),
        baseline=getattr(args, "baseline", None),
        engine=args.engine,
        opa_url=args.opa_url,
        cwd=Path.cwd(),
    )


def output_target(spec: str) -> tuple[str, str]:
    """'sarif:out.json' or 'report.sarif' -> (format, file)."""
    prefix, sep, rest = spec.partition(":")
    if sep and prefix in FORMATS:
        return prefix, rest
    fmt = EXTENSION_FORMATS.get(Path(spec).suffix.lower())
    if fmt is None:
        raise TermslintError(f"--output {spec}: cannot tell the report format from the file name",
                             "prefix it, e.g. --output sarif:" + spec)
    return fmt, spec


def _check_output_folder(file: str) -> None:
    """Refuse a report path whose folder is missing before the run, not after printing it."""
    if not file:
        raise TermslintError("--output: no file name given", "e.g. --output sarif:termslint.sarif")
    folder = Path(file).parent
    if not folder.is_dir():
        raise TermslintError(f"--output {file}: folder {folder} does not exist",
                             "create it or choose another --output")
    if Path(file).is_dir():
        raise TermslintError(f"--output {file}: is a folder", "name a file inside it, e.g. "
                             + (Path(file) / "termslint.sarif").as_posix())


def change_account(result: CheckResult) -> str | None:
    """The plain-language account of what changed, for summaries and PR comments."""
    parts = [text for _, text in sorted(result.change_accounts.items()) if text.strip()]
    return "\n\n".join(parts) or None


def render_report(fmt: str, result: CheckResult, color: bool = False) -> str:
    from termslint.report import render

    return render(
        fmt, result.findings, result.rules, result.summary, sources=result.sources,
        color=color, change_account=change_account(result) if fmt in ("github", "markdown") else None,
        tool_version=__version__,
    )


def _use_color(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and "NO_COLOR" not in os.environ


def check(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    fail_on = args.fail_on or cfg.fail_on
    targets = [output_target(spec) for spec in args.output]  # validate before the work
    for _, file in targets:
        _check_output_folder(file)
    summary_file = args.summary or (os.environ.get("GITHUB_STEP_SUMMARY") if args.format == "github" else None)
    if summary_file and (Path(summary_file).is_dir() or not Path(summary_file).parent.is_dir()):
        # Refused before the run, like --output, so that no report is printed first.
        raise TermslintError(f"--summary {summary_file}: not a file in an existing folder",
                             "create the folder or choose another --summary")
    result = run_check(_options(args), cfg)
    failed = fails(result.findings, fail_on, args.fail_existing)
    # Reporters state a verdict ("failed"/"passed"): give them the exit decision,
    # so --fail-on, --all and the baseline change the report and the exit code alike.
    result = dataclasses.replace(result, summary=dataclasses.replace(
        result.summary, failed=failed, paths=tuple(sorted(set(result.paths)))))
    sys.stdout.write(render_report(args.format, result, color=args.format == "text" and _use_color(sys.stdout)))
    for fmt, file in targets:
        write_atomic(file, render_report(fmt, result))
    if summary_file:
        from termslint.report.github import render_job_summary

        text = render_job_summary(result.findings, result.rules, result.summary, change_account(result))
        try:
            with open(summary_file, "a", encoding="utf-8") as out:  # Actions expects appends
                out.write(text)
        except OSError as exc:
            raise TermslintError(f"--summary {summary_file}: cannot append ({exc.strerror or exc})",
                                 "check the path; in GitHub Actions leave --summary out") from None
    return EXIT_FINDINGS if failed else EXIT_CLEAN


def baseline(args: argparse.Namespace) -> int:
    from termslint.suppress import baseline_text

    cfg = load_config(args.config)
    _check_output_folder(args.output)  # before the run, not after minutes of checking
    result = run_check(_options(args), cfg)
    write_atomic(args.output, baseline_text(result.findings))
    accepted = sum(1 for f in result.findings if not f.waived)
    sys.stdout.write(f"Wrote {accepted} finding(s) to {args.output}\n")
    return EXIT_CLEAN
