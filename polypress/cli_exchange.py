"""The command line's exchange commands: XLIFF for CAT tools, TBX glossaries for term bases."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from polypress.errors import format_location


def quiet_everywhere(commands, common: argparse.ArgumentParser):  # noqa: ANN001 - argparse's private class
    """Every command (and sub-command) takes the common options, after its name as users type them."""
    add_parser = commands.add_parser
    commands.add_parser = lambda *a, **k: add_parser(*a, parents=[common], **k)
    return commands


def add_exchange_commands(commands, common: argparse.ArgumentParser) -> None:  # noqa: ANN001 - argparse's class
    """``xliff export|import`` and ``glossary export|import``, each taking the common options."""
    xliff = commands.add_parser("xliff", help="XLIFF files for CAT tools (Trados, memoQ, OmegaT): export and import")
    xliff_commands = quiet_everywhere(xliff.add_subparsers(title="xliff commands", metavar="ACTION"), common)
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
    glossary_commands = quiet_everywhere(glossary.add_subparsers(title="glossary commands", metavar="ACTION"), common)
    tbx_out = glossary_commands.add_parser("export", help="each glossary.csv as a TBX-Basic file")
    tbx_out.add_argument("--format", choices=["tbx"], default="tbx", help="exchange format (TBX-Basic)")
    tbx_out.add_argument("--lang", action="append", help="only this language (repeatable)")
    tbx_out.add_argument("--out", type=Path, help="folder (default: build/glossary)")
    tbx_out.set_defaults(run=_glossary_export)
    tbx_in = glossary_commands.add_parser("import", help="merge a TBX file's terms into the glossaries")
    tbx_in.add_argument("file", type=Path, metavar="FILE.tbx")
    tbx_in.add_argument("--lang", action="append", help="only this language (repeatable)")
    tbx_in.set_defaults(run=_glossary_import)


def _say(args: argparse.Namespace, text: str) -> None:
    if not getattr(args, "quiet", False):
        print(text)


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
