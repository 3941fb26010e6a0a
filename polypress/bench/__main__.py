"""``python -m polypress.bench print-html ROOT OUT LANG…``: the print HTML the floor renders (run in a child)."""

import sys
from pathlib import Path

from polypress.bench.floor import dump_print_html

if sys.argv[1:2] == ["print-html"]:
    dump_print_html(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:])
