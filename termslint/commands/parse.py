"""`termslint parse FILE`: the policy input, exactly as policies see it."""
from __future__ import annotations

import argparse
import json
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
        sys.stdout.write(json.dumps(policy_input(doc), indent=2, ensure_ascii=False) + "\n")
    return 0
