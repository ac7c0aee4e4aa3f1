"""Path completion in the interface's file fields, in a folder of 100,000 files.

One suggestion (`app.tui.widgets.path_input.complete_path`) for a name that matches nothing
(the worst case: it reads as far as its limit) and for a name that matches, against the
floor of listing the whole folder once with os.scandir, which is what an unbounded
completion would do on every key. The suggester runs in a thread, so even that cost is not
spent on the screen's event loop; the limit keeps it small whatever the folder holds.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import figure, measure, median_cpu  # noqa: E402

from app.tui.widgets.path_input import SCAN_LIMIT, complete_path  # noqa: E402

FILES = 100_000
RUNS = 7


def main() -> None:
    """Print the figures."""
    with tempfile.TemporaryDirectory() as folder:
        for number in range(FILES):
            open(os.path.join(folder, f"extract-{number:06d}.csv"), "w").close()  # noqa: SIM115

        def listing() -> int:
            with os.scandir(folder) as entries:
                return sum(1 for _ in entries)

        floor = [measure(listing)[0] for _ in range(RUNS)]
        assert measure(listing)[1] == FILES
        missing = [measure(lambda: complete_path(f"{folder}/zz"))[0] for _ in range(RUNS)]
        found = [measure(lambda: complete_path(f"{folder}/extract-0999"))[0]
                 for _ in range(RUNS)]
        assert complete_path(f"{folder}/zz") is None
        floor_cpu = median_cpu(floor)
        figure("path_complete_none", f"one suggestion in a folder of {FILES:,} files, no "
               f"name matching (reads {SCAN_LIMIT:,} entries)", median_cpu(missing),
               floor_cpu, f"listing all {FILES:,} names")
        figure("path_complete_match", f"one suggestion in a folder of {FILES:,} files, "
               "names matching", median_cpu(found), floor_cpu,
               f"listing all {FILES:,} names")


if __name__ == "__main__":
    main()
