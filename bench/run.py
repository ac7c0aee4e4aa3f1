"""Run every benchmark in this folder, each in its own process, and print its figures."""

import subprocess
import sys
from pathlib import Path


def main() -> int:
    """Run bench_*.py one after another; returns non-zero if any failed."""
    failed = 0
    for script in sorted(Path(__file__).parent.glob("bench_*.py")):
        print(f"== {script.stem}", flush=True)
        failed |= subprocess.run([sys.executable, str(script)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
