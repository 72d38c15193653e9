"""`make bench`: run every benchmark module under bench/ (or those named) and print results.

Each module `bench/<name>.py` has `run(args: list[str]) -> dict` returning its figures;
the runner prints them and appends them, with the time, to var/bench/results.jsonl.
"""

import importlib
import json
import os
import pkgutil
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civil_affairs.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "0")


def main(argv: list[str]) -> int:
    import django

    django.setup()
    here = Path(__file__).parent
    names = [m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_")]
    wanted = [a for a in argv if not a.startswith("-")] or names
    out = Path("var/bench")
    out.mkdir(parents=True, exist_ok=True)
    for name in wanted:
        module = importlib.import_module(f"bench.{name}")
        print(f"== bench/{name}", flush=True)
        figures = module.run([a for a in argv if a.startswith("-")])
        for key, value in figures.items():
            print(f"   {key}: {value}")
        with (out / "results.jsonl").open("a") as log:
            log.write(json.dumps({"bench": name, "at": time.time(), **figures}, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
