"""The ``kg`` command line: a thin layer over the Python API.

Each area's commands live in a module of this package with a ``register(app)`` function;
heavy libraries (spaCy, rdflib, networkx, pyvis) are imported inside the commands that need
them, so ``kg --help`` stays fast. Data goes to stdout, diagnostics to stderr.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer

from kg.errors import PolicyKGError

__all__ = ["app", "main"]

app = typer.Typer(
    name="kg",
    help=(
        "PolicyKG: turn Chinese government plan documents into a knowledge graph.\n\n"
        "Example: kg extract data/ --format json > records.jsonl"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)

# Areas whose commands join the app, in the order of the data flow.
_AREAS = ("extract", "evaluate", "build", "query", "serve", "compare", "export")

for _area in _AREAS:
    try:
        _module = importlib.import_module(f"kg.cli.{_area}")
    except ModuleNotFoundError as _exc:  # an area not written yet
        if _exc.name != f"kg.cli.{_area}":
            raise
        continue
    _module.register(app)


def err_console():
    """The Rich console for diagnostics (stderr)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; a PolicyKG error becomes one clear line on stderr, never a traceback."""
    try:
        app(args=argv, standalone_mode=True)
    except SystemExit as exc:  # typer/click exit
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        return code
    except PolicyKGError as exc:
        from rich.markup import escape

        err_console().print(f"[bold red]error:[/] {escape(str(exc))}")
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence for users
        if os.environ.get("POLICYKG_DEBUG"):
            raise
        print(f"error: internal error ({type(exc).__name__}: {exc}); "
              "run again with POLICYKG_DEBUG=1 for a traceback and report it",
              file=sys.stderr)
        return 70
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
