from __future__ import annotations

from termslint.cli import run

if __name__ == "__main__":  # not when a spawned worker process imports this module
    run()
