"""Command-line interface: the commands Make targets call; user errors never show a traceback."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from polypress.cli_exchange import add_exchange_commands, quiet_everywhere
from polypress.errors import BuildWarning, PolypressError, StrictFailure, UsageError, format_location, os_error_hint
from polypress.pipeline.signals import Terminated, stop_signals_raise
from polypress.settings import PDF_VARIANTS
from polypress.version import __version__

if TYPE_CHECKING:
    from polypress.editions import BuildReport


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        with stop_signals_raise():
            return args.run(args)
    except Terminated as stop:
        print(f"stopped by {stop.name}: nothing was published, the previous site is intact", file=sys.stderr)
        return stop.exit_status
    except PolypressError as exc:
        if args.debug:
            raise
        print(f"{exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("interrupted: the previous site is intact", file=sys.stderr)
        return 130
    except OSError as exc:
        # The machine, not the code: a file that cannot be read or written is the user's to fix.
        if args.debug:
            raise
        where = str(exc.filename) if exc.filename else None
        problem = f"cannot read or write {'it' if where else 'a file'}: {exc.strerror or exc}"
        print(format_location(where, None, problem, os_error_hint(exc)), file=sys.stderr)
        return 1
    except Exception as exc:  # a bug in polypress: say so briefly, the traceback is one flag away
        if args.debug:
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc} — this is a bug in polypress, not in your files; "
            "run the same command with --debug for the traceback and report it",
            file=sys.stderr,
        )
        return 2


def _whole(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high]; anything else is refused with the range."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{value} is out of range {low}–{high if high is not None else '∞'}")
        return value

    return parse


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{value:g} is not a percentage (0 to 100)")
    return value


def _say(args: argparse.Namespace, text: str) -> None:
    """What a command reports on success; --quiet keeps it to errors and warnings."""
    if not getattr(args, "quiet", False):
        print(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m polypress",
        description="Publish canonical English documents in every configured language as HTML and PDF.",
    )
    parser.add_argument("--version", action="version", version=f"polypress {__version__}")
    parser.add_argument("-C", "--project", type=Path, default=Path("."), help="project folder (default: .)")
    parser.add_argument("--debug", action="store_true", help="show a traceback for errors")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="print only errors and warnings")
    commands = quiet_everywhere(parser.add_subparsers(title="commands", metavar="COMMAND"), common)

    build = commands.add_parser("build", help="render every document in every language into build/site")
    build.add_argument("--lang", action="append", help="only this language (repeatable)")
    build.add_argument("--doc", action="append", metavar="SLUG", help="only this document (repeatable)")
    build.add_argument(
        "-j", "--jobs", type=_whole(0, 256), default=0, help="parallel renders (default: number of cores)"
    )
    build.add_argument("--strict", action="store_true", help="fail on warnings (fallbacks, substitutions)")
    build.add_argument("--pdf-variant", choices=[v for v in PDF_VARIANTS if v], help="PDF standard (default pdf/ua-1)")
    build.add_argument(
        "--print-marks", action="store_true", help="bleed (3 mm) and crop marks for the print shop (print_marks)"
    )
    build.add_argument("--executor", choices=["local", "dask"], default="local", help="local processes or Dask")
    build.add_argument("--scheduler", help="the Dask scheduler's address, tcp://HOST:8786 (with --executor dask)")
    build.set_defaults(run=_build)

    extract = commands.add_parser("extract", help="write one .pot per document and one for the templates")
    extract.set_defaults(run=_extract)

    update = commands.add_parser("update", help="extract, then merge the .pot files into every language's .po files")
    update.add_argument("--lang", action="append", help="only this language (repeatable)")
    update.set_defaults(run=_update)

    add = commands.add_parser("add-language", help="configure a language and create its catalogues")
    add.add_argument("code", help="language code, e.g. de")
    add.add_argument("--locale", help="Babel locale for dates and numbers (default: the code)")
    add.set_defaults(run=_add_language)

    stats = commands.add_parser("stats", help="translated, fuzzy, untranslated and obsolete units per catalogue")
    stats.add_argument("--lang", action="append", help="only this language (repeatable)")
    stats.add_argument("--json", action="store_true", help="print JSON instead of a table")
    stats.add_argument("--min", type=_percent, metavar="PERCENT", help="exit 1 if a catalogue is less translated")
    stats.set_defaults(run=_stats)

    check = commands.add_parser("check", help="quality checks on every catalogue: path:line: check: message")
    check.add_argument("--lang", action="append", help="only this language (repeatable)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=_check)

    review = commands.add_parser(
        "review", help="bilingual review edition for revisers: build/review/<lang>/<doc>.html and .pdf"
    )
    review.add_argument("--lang", action="append", required=True, help="the translation's language (repeatable)")
    review.add_argument("--doc", action="append", help="only this document, by slug (repeatable; default: all)")
    review.set_defaults(run=_review)

    serve = commands.add_parser("serve", help="serve build/site on http://127.0.0.1 for a quick look")
    serve.add_argument(
        "--port", type=_whole(0, 65535), default=8000, help="port to listen on (default: 8000; 0 picks a free one)"
    )
    serve.add_argument(
        "--watch", action="store_true", help="rebuild when a source is saved and reload the open page in the browser"
    )
    serve.add_argument("--lang", action="append", help="with --watch: rebuild only this language (repeatable)")
    serve.add_argument("--doc", action="append", metavar="SLUG", help="with --watch: rebuild only this document")
    serve.set_defaults(run=_serve)

    add_exchange_commands(commands, common)

    bench = commands.add_parser("bench", help="benchmark: build vs WeasyPrint alone, no-op, -j, update vs msgmerge")
    bench.add_argument("--out", type=Path, help="where the corpus and results.json go (default: build/bench)")
    bench.add_argument("--units", type=_whole(1), nargs="*", default=[1000, 10000], help="generated reports' units")
    bench.add_argument("--repeat", type=_whole(1), default=5, help="rounds of paired runs (default: 5)")
    bench.set_defaults(run=lambda a: _call("polypress.bench", a.out, tuple(a.units), a.repeat))
    return parser


def _build(args: argparse.Namespace) -> int:
    from polypress.pipeline.stamp import options as stamp_options
    from polypress.pipeline.stamp import unchanged_build
    from polypress.settings import read_settings

    overrides: dict = {}
    if args.pdf_variant:
        overrides["pdf_variant"] = args.pdf_variant
    if args.print_marks:
        overrides["print_marks"] = True
    if (args.executor == "dask") != bool(args.scheduler):
        raise UsageError(
            "is only for --executor dask" if args.scheduler else "needs the address of a Dask scheduler",
            "--scheduler" if args.scheduler else "--executor dask",
            hint="give both (--executor dask --scheduler tcp://HOST:8786), or neither to build here",
        )
    if args.scheduler:
        from polypress.pipeline.cluster import check_executor

        check_executor(args.scheduler)
    settings = read_settings(args.project, **overrides)
    site = _relative(settings.site_dir, settings.root)

    def accept(report: BuildReport) -> None:
        # Printed before the build is committed, so --strict can refuse it with the reasons in view.
        if report.recovered:
            print("an interrupted build was rolled back: the previous site was restored", file=sys.stderr)
        if report.taken_over:
            print(f"took over the build lock of PID {report.taken_over}, which is no longer running", file=sys.stderr)
        for record in getattr(report.recovered, "refused", ()):
            print(
                f"build/.journal: refused a journal record that names a file outside build/ or is malformed: {record}",
                file=sys.stderr,
            )
        _print_warnings(report.warnings)
        if args.strict and report.warnings:
            raise StrictFailure(
                f"--strict: {len(dict.fromkeys(report.warnings))} warning(s) are errors; nothing was published",
                site,
                hint="fix what the warnings above point at, or build without --strict",
            )

    # One build at a time; every write is journaled, so a failed, refused (--strict) or killed
    # build leaves the previous site as it was (a killed one is rolled back by the next build).
    # A build with nothing to do is known from file metadata alone (pipeline/stamp.py): nothing is loaded.
    chosen = stamp_options(settings, args.lang or list(settings.languages), args.doc)
    report = unchanged_build(settings, chosen)
    if report is not None:
        accept(report)
    else:
        from polypress.pipeline.progress import Progress
        from polypress.project import Project
        from polypress.sources import load_sources

        project = Project(load_sources(settings.root, settings=settings))
        report = project.build(args.lang, args.jobs, Progress(quiet=args.quiet), accept, args.doc, args.scheduler)
    for path in report.written:
        _say(args, f"wrote {path}")
    _say(
        args,
        f"built {len(report.artifacts)} files in {site}: "
        f"{len(report.rendered)} rendered, {len(report.reused)} up to date"
        + (f", {len(report.kept)} kept from the last release" if report.kept else ""),
    )
    return 0


def _print_warnings(warnings: list[BuildWarning]) -> None:
    for warning in dict.fromkeys(warnings):
        print(warning, file=sys.stderr)


def _extract(args: argparse.Namespace) -> int:
    from polypress.i18n.update import UpdateReport, extract_templates, write_pots
    from polypress.settings import read_settings

    project = read_settings(args.project)
    report = UpdateReport()
    write_pots(project, extract_templates(project), report)
    for path in report.written:
        _say(args, f"wrote {path}")
    _say(args, f"{len(report.written)} written, {len(report.unchanged)} unchanged")
    return 0


def _update(args: argparse.Namespace) -> int:
    from polypress.i18n.update import update_catalogs
    from polypress.settings import read_settings

    project = read_settings(args.project)
    report = update_catalogs(project, args.lang)
    for path in report.written:
        _say(args, f"wrote {path}" + (f" ({report.notes[path]})" if path in report.notes else ""))
    _say(args, f"{len(report.written)} written, {len(report.unchanged)} unchanged")
    return 0


def _add_language(args: argparse.Namespace) -> int:
    from polypress.i18n.update import add_language
    from polypress.settings import read_settings

    added = add_language(read_settings(args.project), args.code, args.locale)
    for path in added.report.written:
        _say(args, f"wrote {path}")
    print(
        f"added {added.code} ({added.name}, {added.direction}, locale {added.locale}, fonts {', '.join(added.fonts)}; "
        f"{added.plural_forms})\n"
        f"next: translate translations/{added.code}/LC_MESSAGES/*.po, then `make check` and `make build`; "
        "check the fonts and job_suffix in polypress.toml"
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from polypress.serve import make_server, make_watch_server
    from polypress.settings import read_settings

    settings = read_settings(args.project)
    site_dir = settings.site_dir
    if args.watch:
        if not _rebuild(args):
            return 1
        server = make_watch_server(settings.root, site_dir, args.port, lambda: _rebuild(args), verbose=not args.quiet)
    else:
        server = make_server(site_dir, args.port, verbose=True)
    watching = " — watching content, templates and translations (Ctrl-C stops)" if args.watch else " (Ctrl-C stops)"
    print(f"serving {site_dir} at http://127.0.0.1:{server.server_port}/{watching}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.stopped = True  # type: ignore[attr-defined]
        server.server_close()
    return 0


def _call(module: str, *args: object) -> int:
    """A benchmark's main(), imported only when asked for: it is no part of a build."""
    return importlib.import_module(module).main(*args)


def _rebuild(args: argparse.Namespace) -> bool:
    """One build for serve --watch: what changed is rendered; an error is printed and the last site kept."""
    from polypress.pipeline.progress import Progress
    from polypress.project import load_project

    try:
        project = load_project(args.project)
        report = project.build(args.lang, 0, Progress(quiet=True), None, args.doc)
    except PolypressError as exc:
        print(f"{exc}", file=sys.stderr, flush=True)
        return False
    _print_warnings(report.warnings)
    for path in report.written:
        _say(args, f"wrote {path}")
    sys.stdout.flush()
    return True


def _stats(args: argparse.Namespace) -> int:
    from polypress.i18n.stats import plain_table, print_rich_table, project_stats, stats_json
    from polypress.settings import read_settings

    counts = project_stats(read_settings(args.project), args.lang)
    if args.json:
        sys.stdout.write(stats_json(counts))
    elif sys.stdout.isatty():
        print_rich_table(counts)
    else:
        sys.stdout.write(plain_table(counts))
    below = [c for c in counts if args.min is not None and c.percent < args.min]
    for c in below:
        print(f"{c.path}: {c.percent:.1f}% translated, below --min {args.min:g}%", file=sys.stderr)
    return 1 if below else 0


def _review(args: argparse.Namespace) -> int:
    from polypress.project import load_project

    project = load_project(args.project)
    for language in args.lang:
        for path in project.review(language, args.doc):
            print(f"wrote {project.sources.display(path)}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from polypress.i18n.project_check import check_project
    from polypress.settings import read_settings

    settings = read_settings(args.project)
    report = check_project(settings, args.lang)
    for finding in report.findings:
        print(finding)
    if not report.errors:
        from polypress.pipeline.validate import validate
        from polypress.sources import load_sources

        # What the build reads, validated the same way: a project that passes check builds.
        sources = load_sources(settings.root, args.lang, settings)
        validate(sources, args.lang or list(settings.languages))
    failed = report.errors + (report.warnings if args.strict else [])
    print(
        f"checked {report.catalogs} catalogues: {len(report.errors)} error(s), {len(report.warnings)} warning(s)"
        + (f", {len(report.notes)} note(s)" if report.notes else "")
        + (" (--strict: warnings are errors)" if args.strict and report.warnings else ""),
        file=sys.stderr,
    )
    return 1 if failed else 0


def _relative(path: Path, root: Path) -> str:
    """*path* as messages show it: relative to the project when it is inside it."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
