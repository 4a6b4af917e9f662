"""`termslint parse FILE`: the policy input, exactly as policies see it."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from termslint.api import policy_input, read_document
from termslint.config import load_config


def parse(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    doc = read_document(args.file, cfg, Path.cwd())
    if args.format == "text":
        from termslint.parse import format_outline

        sys.stdout.write(format_outline(doc))
    else:
        from termslint.engine import to_json

        # Exactly what an engine is given (to_json), so a value the engines
        # cannot take (NaN from front matter) is printed as they see it.
        sys.stdout.write(to_json(policy_input(doc), indent=2) + "\n")
    return 0
