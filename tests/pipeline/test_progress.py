"""Progress that scales: one plain line per job off a terminal, with rate and time left once they mean something."""

from __future__ import annotations

import io
import re

from polypress.pipeline.progress import Progress


def test_off_a_terminal_each_job_is_one_line_and_long_builds_say_their_pace() -> None:
    stream = io.StringIO()
    progress = Progress(stream)
    progress.start(40)
    for n in range(40):
        progress.finished(f"doc{n}.fr.pdf")
    progress.done()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 40
    assert lines[0] == "[1/40] doc0.fr.pdf"  # the first jobs' pace says nothing yet
    assert re.fullmatch(r"\[20/40\] doc19\.fr\.pdf \([\d.]+ jobs/(s|min), \d+ (s|min) left\)", lines[19])
    assert re.fullmatch(r"\[40/40\] doc39\.fr\.pdf \([\d.]+ jobs/(s|min)\)", lines[-1])


def test_a_small_build_prints_plain_counts() -> None:
    stream = io.StringIO()
    progress = Progress(stream)
    progress.start(3)
    for n in range(3):
        progress.finished(f"doc{n}.en.html")
    assert stream.getvalue().splitlines() == ["[1/3] doc0.en.html", "[2/3] doc1.en.html", "[3/3] doc2.en.html"]


def test_quiet_prints_nothing() -> None:
    stream = io.StringIO()
    progress = Progress(stream, quiet=True)
    progress.start(50)
    for n in range(50):
        progress.finished(f"doc{n}.zh.pdf")
    assert stream.getvalue() == ""
    assert progress.completed == 50
