"""Entry point for ``python -m polypress``."""

import sys

from polypress.cli import main

sys.exit(main())
