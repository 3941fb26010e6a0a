"""Command-line interface: the commands Make targets call; user errors never show a traceback."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from polypress.errors import BuildWarning, PolypressError, StrictFailure, format_location, os_error_hint
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
        return 1
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


def _quiet_everywhere(commands, common: argparse.ArgumentParser):  # noqa: ANN001 - argparse's private class
    """Every command (and sub-command) takes the common options, after its name as users type them."""
    add_parser = commands.add_parser
    commands.add_parser = lambda *a, **k: add_parser(*a, parents=[common], **k)
    return commands


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
    commands = _quiet_everywhere(parser.add_subparsers(title="commands", metavar="COMMAND"), common)

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
    serve.set_defaults(run=_serve)

    xliff = commands.add_parser("xliff", help="XLIFF files for CAT tools (Trados, memoQ, OmegaT): export and import")
    xliff_commands = _quiet_everywhere(xliff.add_subparsers(title="xliff commands", metavar="ACTION"), common)
    export = xliff_commands.add_parser("export", help="one XLIFF file per document of a language")
    export.add_argument("--lang", action="append", required=True, help="target language (repeatable)")
    export.add_argument("--out", type=Path, help="folder (default: build/xliff); files go to <out>/<lang>/")
    export.add_argument("--version", choices=["2.0", "1.2"], default="2.0", help="XLIFF version (default 2.0)")
    export.add_argument("--doc", action="append", metavar="SLUG", help="only this document (repeatable)")
    export.set_defaults(run=_xliff_export)
    imported = xliff_commands.add_parser("import", help="bring translations back into the PO files, checked")
    imported.add_argument("files", nargs="+", type=Path, metavar="FILE", help="XLIFF 2.0 or 1.2 files")
    imported.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    imported.set_defaults(run=_xliff_import)

    glossary = commands.add_parser("glossary", help="exchange glossaries with term bases as TBX-Basic (ISO 30042)")
    glossary_commands = _quiet_everywhere(glossary.add_subparsers(title="glossary commands", metavar="ACTION"), common)
    tbx_out = glossary_commands.add_parser("export", help="each glossary.csv as a TBX-Basic file")
    tbx_out.add_argument("--format", choices=["tbx"], default="tbx", help="exchange format (TBX-Basic)")
    tbx_out.add_argument("--lang", action="append", help="only this language (repeatable)")
    tbx_out.add_argument("--out", type=Path, help="folder (default: build/glossary)")
    tbx_out.set_defaults(run=_glossary_export)
    tbx_in = glossary_commands.add_parser("import", help="merge a TBX file's terms into the glossaries")
    tbx_in.add_argument("file", type=Path, metavar="FILE.tbx")
    tbx_in.add_argument("--lang", action="append", help="only this language (repeatable)")
    tbx_in.set_defaults(run=_glossary_import)

    bench = commands.add_parser("bench", help="benchmark: build vs WeasyPrint alone, -j, no-op, update vs msgmerge")
    bench.add_argument("--out", type=Path, help="where the corpus and results.json go (default: build/bench)")
    bench.add_argument(
        "--units", type=_whole(1), nargs="+", default=[1000, 10000], help="translation units of each generated report"
    )
    bench.set_defaults(run=_bench)
    return parser


def _build(args: argparse.Namespace) -> int:
    from polypress.pipeline.progress import Progress
    from polypress.project import load_project

    overrides: dict = {}
    if args.pdf_variant:
        overrides["pdf_variant"] = args.pdf_variant
    if args.print_marks:
        overrides["print_marks"] = True
    project = load_project(args.project, **overrides)
    sources = project.sources
    site = sources.display(project.settings.site_dir)

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
    report = project.build(args.lang, args.jobs, Progress(quiet=args.quiet), accept, args.doc)
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
    from polypress.serve import make_server
    from polypress.settings import read_settings

    site_dir = read_settings(args.project).site_dir
    server = make_server(site_dir, args.port, verbose=True)
    print(f"serving {site_dir} at http://127.0.0.1:{server.server_port}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def _bench(args: argparse.Namespace) -> int:
    from polypress.bench import main as bench_main

    return bench_main(args.out, tuple(args.units))


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
    from polypress.i18n.checks import check_project
    from polypress.settings import read_settings

    settings = read_settings(args.project)
    report = check_project(settings, args.lang)
    for finding in report.findings:
        print(finding)
    if not report.errors:
        from polypress.sources import load_sources

        # What the build reads, validated the same way: a project that passes check builds.
        load_sources(settings.root, args.lang, settings)
    failed = report.errors + (report.warnings if args.strict else [])
    print(
        f"checked {report.catalogs} catalogues: {len(report.errors)} error(s), {len(report.warnings)} warning(s)"
        + (f", {len(report.notes)} note(s)" if report.notes else "")
        + (" (--strict: warnings are errors)" if args.strict and report.warnings else ""),
        file=sys.stderr,
    )
    return 1 if failed else 0


def _xliff_export(args: argparse.Namespace) -> int:
    from polypress.i18n.exchange import export_xliff
    from polypress.settings import read_settings

    project = read_settings(args.project)
    out = args.out or project.root / "build" / "xliff"
    count = 0
    for language in args.lang:
        for path in export_xliff(project, language, out, args.version, args.doc):
            _say(args, f"wrote {path}")
            count += 1
    _say(args, f"{count} XLIFF {args.version} file(s) written")
    return 0


def _xliff_import(args: argparse.Namespace) -> int:
    from polypress.i18n.exchange import import_xliff
    from polypress.settings import read_settings

    report = import_xliff(read_settings(args.project), args.files, args.dry_run)
    for path, changes in report.changes.items():
        for line, change in changes:
            source = change.message.id if isinstance(change.message.id, str) else change.message.id[0]
            form = f" (form {change.form})" if change.form >= 0 else ""
            print(format_location(path, line, f"{change.what}{form}: {source[:60]!r}"))
    for finding in report.findings:
        print(finding)
    for file, count in report.unknown.items():
        print(f"{file}: {count} unit(s) not in the catalogue (its English changed since the export?) were skipped")
    if report.errors:
        print(
            f"{len(report.errors)} error(s): nothing was written — fix them in the CAT tool and import again",
            file=sys.stderr,
        )
        return 1
    verb = "would write" if args.dry_run else "wrote"
    for path in report.written:
        _say(args, f"{verb} {path} ({len(report.changes[path])} unit(s))")
    _say(args, f"{len(report.written)} written, {len(report.unchanged)} unchanged")
    return 0


def _glossary_export(args: argparse.Namespace) -> int:
    from polypress.i18n.exchange import export_glossaries
    from polypress.settings import read_settings

    project = read_settings(args.project)
    written = export_glossaries(
        project, args.lang or project.target_languages, args.out or project.build_dir / "glossary"
    )
    for path in written:
        _say(args, f"wrote {path}")
    _say(args, f"{len(written)} TBX file(s) written")
    return 0


def _glossary_import(args: argparse.Namespace) -> int:
    from polypress.i18n.exchange import import_glossary
    from polypress.settings import read_settings

    results = import_glossary(read_settings(args.project), args.file, args.lang)
    for path, replaced, added in results:
        _say(args, f"wrote {path} ({replaced} changed, {added} new)")
    _say(args, f"{len(results)} glossary file(s) written")
    return 0
