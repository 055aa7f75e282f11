"""The wheel carries every package and data file the checkout has (pyproject.toml)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _folder(package: str) -> Path:
    mapped = CONFIG.get("package-dir", {}).get(package)
    return ROOT / (mapped or package.replace(".", "/"))


def test_every_python_package_is_listed() -> None:
    found = {p.parent.relative_to(ROOT).as_posix().replace("/", ".")
             for top in ("kg", "extract", "viz") for p in (ROOT / top).rglob("__init__.py")
             if "__pycache__" not in p.parts}
    assert found <= set(CONFIG["packages"]), sorted(found - set(CONFIG["packages"]))


def test_every_data_file_is_packaged() -> None:
    # each non-Python file under a listed package folder matches a package-data pattern of
    # the nearest listed package above it
    packages = sorted(CONFIG["packages"], key=lambda p: -len(_folder(p).as_posix()))
    data = CONFIG["package-data"]
    missing = []
    for package in CONFIG["packages"]:
        folder = _folder(package)
        for f in folder.rglob("*"):
            if not f.is_file() or f.suffix in {".py", ".pyc"} or "__pycache__" in f.parts:
                continue
            owner = next(p for p in packages if f.is_relative_to(_folder(p)))
            if owner != package:
                continue
            rel = f.relative_to(folder).as_posix()
            if not any(fnmatch.fnmatch(rel, pat) for pat in data.get(package, [])):
                missing.append(f.relative_to(ROOT).as_posix())
    # tools that regenerate data by hand are not shipped
    missing = [m for m in missing if not m.endswith("build_divisions.py")]
    assert not missing, missing
