"""`python -m app.cli`: the same as the `nlets-audit` command."""

import sys

from app.cli import main

sys.exit(main())
