"""Build progress: one live display on a terminal (count, rate, time left), one plain line per job otherwise."""

from __future__ import annotations

import sys
import time
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
        self._started_at = 0.0

    def start(self, total: int) -> None:
        self.total = total
        self.completed = 0
        self._started_at = time.monotonic()
        if self.quiet or total == 0:
            return
        if self.stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress

            self._live = RichProgress(
                TextColumn("[bold]building"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                TextColumn("{task.description}"),
                transient=True,
                console=Console(file=self.stream),
            )
            self._live.start()
            self._task = self._live.add_task("", total=total, rate="")

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
            self._live.update(self._task, advance=1, description=name, rate=self.rate())
        else:
            print(f"[{self.completed}/{self.total}] {name}{self.pace()}", file=self.stream, flush=True)

    def rate(self) -> str:
        """Jobs per second so far ("" until one finished)."""
        elapsed = time.monotonic() - self._started_at
        if not self.completed or elapsed <= 0:
            return ""
        per_second = self.completed / elapsed
        return f"{per_second:.1f} jobs/s" if per_second >= 1 else f"{60 * per_second:.1f} jobs/min"

    def pace(self) -> str:
        """The rate and time left, for plain lines: " (2.1 jobs/s, 40 s left)"; nothing for the first jobs,
        whose pace says little, nor for small builds."""
        if self.total < 20 or self.completed < 3:
            return ""
        elapsed = time.monotonic() - self._started_at
        left = elapsed / self.completed * (self.total - self.completed)
        return f" ({self.rate()}, {_duration(left)} left)" if self.completed < self.total else f" ({self.rate()})"

    def done(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds // 3600} h {round(seconds % 3600 / 60)} min"
