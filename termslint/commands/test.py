"""`termslint test`: run the policies' `*_test.rego` unit tests."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from termslint.config import load_config

EXIT_PASS, EXIT_FAIL = 0, 1


def test(args: argparse.Namespace) -> int:
    from termslint.policies import load_policy_set
    from termslint.testing import run_policy_tests

    cfg = load_config(args.config)
    policies = load_policy_set([*cfg.policies, *(Path(d).resolve() for d in args.dirs)], with_tests=True)
    engine = args.engine or cfg.engine
    options = {}
    if engine == "opa":
        options = {"url": args.opa_url or cfg.opa_url, "timeout": cfg.opa_timeout, "binary": cfg.opa_binary}
    summary = run_policy_tests(policies, engine_name=engine, engine_options=options)
    if args.format == "json":
        sys.stdout.write(json.dumps(summary.as_dict(), indent=2) + "\n")
    else:
        for r in summary.results:
            if args.verbose or not r.passed:
                status = "PASS" if r.passed else ("ERROR" if r.error else "FAIL")
                sys.stdout.write(f"{r.path}:{r.line}: {status}: {r.package}.{r.name}"
                                 + (f" ({r.error})" if r.error else "") + "\n")
                for line in ([] if r.passed else r.prints):
                    sys.stdout.write(f"    print: {line}\n")
        total = len(summary.results)
        sys.stdout.write(f"{summary.passed} passed, {summary.failed} failed\n" if total
                         else "no tests found (test rules are named test_* in *_test.rego files)\n")
    return EXIT_PASS if summary.ok else EXIT_FAIL
