"""Build progress: one live display on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Progress:
    """Counts jobs done out of the total and names the current one."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.total = 0
        self.completed = 0
        self._live = None
        self._task = None

    def start(self, total: int) -> None:
        self.total = total
        self.completed = 0
        if self.quiet or total == 0:
            return
        if self.stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
            from rich.progress import Progress as RichProgress

            self._live = RichProgress(
                TextColumn("[bold]building"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                transient=True,
                console=Console(file=self.stream),
            )
            self._live.start()
            self._task = self._live.add_task("", total=total)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No refresh thread while worker processes are forked: a lock it holds would stay held in them."""
        live = self._live
        if live is None:
            yield
            return
        live.stop()
        try:
            yield
        finally:
            live.start()

    def started(self, name: str) -> None:
        if self._live is not None:
            self._live.update(self._task, description=name)

    def finished(self, name: str) -> None:
        self.completed += 1
        if self.quiet:
            return
        if self._live is not None:
            self._live.update(self._task, advance=1, description=name)
        else:
            print(f"[{self.completed}/{self.total}] {name}", file=self.stream, flush=True)

    def done(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
