from __future__ import annotations

from termslint.cli import main

raise SystemExit(main())
