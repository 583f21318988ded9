"""`make bench`: run every benchmark of this folder in turn; each prints its figures and targets.

Files whose name starts with `_` are helpers the benchmarks share, not benchmarks.
"""

from __future__ import annotations

import runpy
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in sorted(HERE.glob("*.py")):
    if script.name != Path(__file__).name and not script.name.startswith("_"):
        print(f"== {script.stem}")
        runpy.run_path(str(script), run_name="__main__")
        print()
