"""The Jinja environment every render of a process shares: templates read through the project's safe reader,
compiled once (and kept between builds), and the render in progress found through a context variable."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from polypress.errors import TemplateError
from polypress.files import display_path, read_text
from polypress.user_cache import entry_path, read_entry, write_entry


class ProjectLoader(jinja2.BaseLoader):
    """Templates are project files like any other: regular files under templates/, read with a size limit."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = templates_dir

    def get_source(self, environment: jinja2.Environment, template: str):  # type: ignore[override]
        path = self.templates_dir.joinpath(*split_template_path(template))
        if not path.exists() and not path.is_symlink():
            raise jinja2.TemplateNotFound(template)
        root = self.templates_dir.parent
        text = read_text(path, root, TemplateError, display=display_path(path, root))
        seen = _file_signature(path)
        # A file changed (ctime) within the clock's granularity of its reading could change again unseen (git's
        # "racy" rule, as pipeline/stamp.py): such a template is read again at every use until it is old enough.
        racy = seen is None or time.time_ns() - seen[1] < _RACY_NS
        return text, str(path), lambda: not racy and _file_signature(path) == seen


#: How recent a template's modification may be for its cached compilation to be trusted (2 s, as the stamp's).
_RACY_NS = 2_000_000_000


def _file_signature(path: Path) -> tuple[int, ...] | None:
    """What changes when a file is saved, replaced, or copied over with its old date kept (ctime)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept for the process (and forked workers) and between builds (user_cache.py),
    named by the template's file, the digest of its source, Python, Jinja and the environment's options."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is None:
            data = read_entry(self._entry(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)  # checked against the source's digest: stale code is dropped

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = bucket.bytecode_to_string()
        self.store[bucket.key] = data
        write_entry(self._entry(bucket), data)

    @staticmethod
    def _entry(bucket: jinja2.bccache.Bucket) -> Path:
        env = bucket.environment
        options = (
            env.autoescape,
            env.trim_blocks,
            env.lstrip_blocks,
            env.keep_trailing_newline,
            *sorted(env.extensions),
        )
        return entry_path("templates", bucket.key, bucket.checksum, sys.version, jinja2.__version__, options)


#: Compiling a template costs ~17 ms; every render used to recompile the same few, every build all of them.
_BYTECODE_CACHE = _CompiledTemplates()


def make_environment(templates_dir: Path, kind: type[jinja2.Environment] = jinja2.Environment) -> jinja2.Environment:
    return kind(
        loader=ProjectLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_BYTECODE_CACHE,
    )


@dataclass
class _Render:
    """The render in progress: the functions its templates call, and what it loaded."""

    helpers: dict[str, object]
    templates_read: set[str]
    #: Imported templates' modules, made once per render (their top-level code may translate).
    modules: dict[jinja2.Template, jinja2.environment.TemplateModule] = field(default_factory=dict)


#: The render in progress in this thread: one environment serves every render, in every language.
_CURRENT: ContextVar[_Render] = ContextVar("polypress_render")


class _RenderGlobals(MutableMapping):
    """The environment's globals: Jinja's own, then the current render's functions (gettext in its language,
    date, inline…), looked up when a template calls them, so compiled templates are shared between renders."""

    def __init__(self, fixed: dict[str, object]) -> None:
        self.fixed = fixed

    def _current(self) -> dict[str, object]:
        render = _CURRENT.get(None)
        return render.helpers if render is not None else {}

    def __getitem__(self, key: str) -> object:
        current = self._current()
        return current[key] if key in current else self.fixed[key]

    def __setitem__(self, key: str, value: object) -> None:
        self.fixed[key] = value

    def __delitem__(self, key: str) -> None:
        del self.fixed[key]

    def __iter__(self) -> Iterator[str]:
        return iter({**self.fixed, **self._current()})

    def __len__(self) -> int:
        return len({**self.fixed, **self._current()})


class _RenderTemplate(jinja2.Template):
    def _get_default_module(self, ctx: jinja2.runtime.Context | None = None) -> jinja2.environment.TemplateModule:
        """An imported template's module for this render only: Jinja keeps one for the template's life, which
        would show the first render's language (and record its strings) in every later one."""
        render = _CURRENT.get(None)
        if render is None or (ctx is not None and ctx.globals_keys - self.globals.keys()):
            return super()._get_default_module(ctx)
        if self not in render.modules:
            render.modules[self] = self.make_module()
        return render.modules[self]


class _RenderEnvironment(jinja2.Environment):
    """One per templates folder and process: templates are read and compiled once, not once per render
    (the shipped project's clean build loaded 393 of them), and every one a render loads is recorded."""

    template_class = _RenderTemplate

    def get_template(self, name, parent=None, globals=None):  # type: ignore[override]
        if isinstance(name, str):
            self._record(self.join_path(name, parent) if parent is not None else name)
        return super().get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):  # type: ignore[override]
        """The first of *names* there is; only it is recorded (a template that appears changes the listing
        of templates, which every job's key holds, so the candidates before it need no record)."""
        template = super().select_template(names, parent, globals)
        if template.name is not None:
            self._record(template.name)
        return template

    @staticmethod
    def _record(name: str) -> None:
        render = _CURRENT.get(None)
        if render is not None:
            render.templates_read.add(name)


@lru_cache(maxsize=8)
def render_environment(templates_dir: Path) -> _RenderEnvironment:
    env = make_environment(templates_dir, _RenderEnvironment)
    # Not install_gettext_callables: Jinja's newstyle wrappers %-format every translated string,
    # so a translator's "100 %" would crash the build. Ours fill only the msgid's own placeholders.
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals = _RenderGlobals(env.globals)
    return env


@contextmanager
def rendering(helpers: dict[str, object], templates_read: set[str]) -> Iterator[None]:
    """Within it, templates call *helpers* (gettext in the render's language, date, inline…) and every
    template loaded is added to *templates_read*."""
    token = _CURRENT.set(_Render(helpers, templates_read))
    try:
        yield
    finally:
        _CURRENT.reset(token)
