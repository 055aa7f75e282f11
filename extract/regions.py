"""China's administrative divisions (ontology/divisions.tsv): lookup by name, short form and code.

The table lists every province, prefecture and county-level division with its 6-digit code,
name, level and parent (built from the ``cpca`` package by ``ontology/build_divisions.py``).
Plans name their region in full (``广州市天河区``), by short form (``天河``, ``广州``) or as a
path (``浙江省金华市义乌市``); :func:`resolve_mention` reads all three, and ambiguous names
(``鼓楼区`` exists in several cities) are settled by the other division names around them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from kg.errors import ConfigError

__all__ = [
    "Division",
    "Divisions",
    "load_divisions",
    "find_region",
    "parents",
    "level",
    "resolve_mention",
    "short_name",
    "region_path",
]

# Ethnic-autonomy suffix: 延边朝鲜族自治州 → 延边, 新疆维吾尔自治区 → 新疆, 内蒙古自治区 → 内蒙古.
_AUTONOMOUS = re.compile(r"^(.{2,}?)(?:(?:[\u4e00-\u9fff]{1,4}?族|维吾尔)*)自治(?:区|州|县|旗)$")
# Ordinary suffixes, longest first: 香港特别行政区, 大兴安岭地区, 神农架林区, 广州市, 天河区, 沛县.
_SUFFIX = re.compile(r"(?:特别行政区|地区|林区|新区|省|市|区|县|盟|旗)$")
# A run of CJK characters (division names are CJK only).
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division: 6-digit code, name, level and parent code."""

    code: str
    name: str
    level: str
    parent: str | None


def short_name(name: str) -> str:
    """The name without its administrative suffix, or the name itself when that would leave
    fewer than two characters.

    Examples
    --------
    >>> short_name("天河区"), short_name("广州市"), short_name("广西壮族自治区"), short_name("沛县")
    ('天河', '广州', '广西', '沛县')
    """
    m = _AUTONOMOUS.match(name)
    if m:
        return m.group(1)
    stripped = _SUFFIX.sub("", name)
    return stripped if len(stripped) >= 2 else name


class Divisions:
    """The division table, indexed by code, full name and short name (built once)."""

    def __init__(self, rows: Iterable[Division]) -> None:
        self.by_code: dict[str, Division] = {}
        by_name: dict[str, list[Division]] = {}
        by_short: dict[str, list[Division]] = {}
        for d in rows:
            self.by_code[d.code] = d
            by_name.setdefault(d.name, []).append(d)
            short = short_name(d.name)
            if short != d.name:
                by_short.setdefault(short, []).append(d)
        self.by_name = {k: tuple(v) for k, v in by_name.items()}
        self.by_short = {k: tuple(v) for k, v in by_short.items()}

    @cached_property
    def _names(self) -> tuple[frozenset[str], int]:
        names = frozenset(self.by_name) | frozenset(self.by_short)
        return names, max(map(len, names), default=0)

    def name_at(self, text: str, pos: int = 0) -> str | None:
        """The longest full or short division name that ``text`` has at ``pos`` (广州市
        before 广州), or ``None``. A dictionary look-up per length: no alternation of
        6,000 names to compile (a twentieth of a second per process) or to try in turn.

        Examples
        --------
        >>> t = load_divisions()
        >>> t.name_at("在广州市天河区", 1), t.name_at("广州天河", 2), t.name_at("人才", 0)
        ('广州市', '天河', None)
        """
        names, longest = self._names
        for n in range(min(longest, len(text) - pos), 1, -1):
            if text[pos:pos + n] in names:
                return text[pos:pos + n]
        return None

    def full_name_at(self, text: str, pos: int = 0) -> str | None:
        """The longest division name at ``pos`` when it is a full name (某某市, not 某某).

        Examples
        --------
        >>> t = load_divisions()
        >>> t.full_name_at("广州市天河区"), t.full_name_at("广州天河")
        ('广州市', None)
        """
        name = self.name_at(text, pos)
        return name if name is not None and name in self.by_name else None

    @cached_property
    def _children(self) -> dict[str, tuple[Division, ...]]:
        out: dict[str, list[Division]] = {}
        for d in self.by_code.values():
            if d.parent:
                out.setdefault(d.parent, []).append(d)
        return {k: tuple(v) for k, v in out.items()}

    def children(self, code: str) -> tuple[Division, ...]:
        """The divisions right below ``code`` (a city's counties and districts)."""
        return self._children.get(code, ())

    def candidates(self, name: str) -> tuple[Division, ...]:
        """Divisions called ``name`` in full, else by short form (full names win)."""
        return self.by_name.get(name) or self.by_short.get(name) or ()

    def ancestors(self, code: str) -> tuple[Division, ...]:
        """Enclosing divisions of ``code``, nearest first."""
        out: list[Division] = []
        d = self.by_code.get(code)
        while d is not None and d.parent:
            d = self.by_code.get(d.parent)
            if d is not None:
                out.append(d)
        return tuple(out)


def _read(path: Path) -> Divisions:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the division table ({exc.strerror}); "
                          "reinstall PolicyKG or regenerate it with "
                          "ontology/build_divisions.py") from None
    if not lines or lines[0].split("\t")[:4] != ["code", "name", "level", "parent"]:
        raise ConfigError(f"{path}: not a division table (expected the header "
                          "'code, name, level, parent'); regenerate it with "
                          "ontology/build_divisions.py")
    rows = []
    for lineno, line in enumerate(lines[1:], start=2):
        cols = line.split("\t")
        if len(cols) != 4:
            raise ConfigError(f"{path}:{lineno}: expected 4 tab-separated columns, "
                              f"found {len(cols)}")
        code, name, lvl, parent = cols
        rows.append(Division(code, name, lvl, parent or None))
    return Divisions(rows)


@cache
def _default() -> Divisions:
    from kg.resources import ontology_dir

    return _read(ontology_dir() / "divisions.tsv")


def load_divisions(path: str | Path | None = None) -> Divisions:
    """Load the division table (``ontology/divisions.tsv`` unless ``path`` is given).

    The default table is read once per process.

    Raises
    ------
    kg.errors.ConfigError
        When the file is missing or not a division table.

    Examples
    --------
    >>> load_divisions().by_code["330782"].name
    '义乌市'
    """
    return _default() if path is None else _read(Path(path))


def _context_names(context: str | Iterable[str] | None) -> str:
    if context is None:
        return ""
    return context if isinstance(context, str) else "\n".join(context)


def _pick(cands: tuple[Division, ...], context: str, table: Divisions) -> Division | None:
    """The candidate whose enclosing divisions the context names most often; ties go to the
    higher-level division (a prefecture city before a county-level namesake), then the code."""
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0]
    rank = {"province": 0, "prefecture-city": 1, "county-level-city": 2, "district": 2,
            "county": 2}

    def score(d: Division) -> tuple[int, int, str]:
        hits = 0
        if context:
            for a in table.ancestors(d.code):
                hits += context.count(a.name)
                short = short_name(a.name)
                if short != a.name:
                    hits += context.count(short) - context.count(a.name)
        return (-hits, rank.get(d.level, 3), d.code)

    return min(cands, key=score)


def find_region(name: str, *, context: str | Iterable[str] | None = None,
                divisions: Divisions | None = None) -> Division | None:
    """The division called ``name`` (full or short form), or ``None``.

    Parameters
    ----------
    name : a division name: ``义乌市``, ``义乌``, ``天河区``.
    context : text (or names) around the mention; when several divisions share the name,
        the one whose parents the context names most often wins.
    divisions : the table to use (default: the shipped one).

    Examples
    --------
    >>> find_region("义乌").name, find_region("鼓楼区", context="福州市鼓楼区").parent
    ('义乌市', '350100')
    """
    table = divisions or load_divisions()
    return _pick(table.candidates(name.strip()), _context_names(context), table)


def parents(code: str, *, divisions: Divisions | None = None) -> tuple[Division, ...]:
    """Enclosing divisions of ``code``, nearest first.

    Examples
    --------
    >>> [d.name for d in parents("330782")]
    ['金华市', '浙江省']
    """
    return (divisions or load_divisions()).ancestors(code)


def level(code: str, *, divisions: Divisions | None = None) -> str | None:
    """The admin level of ``code`` (``province`` … ``district``), ``None`` if unknown.

    Examples
    --------
    >>> level("330782")
    'county-level-city'
    """
    d = (divisions or load_divisions()).by_code.get(code)
    return d.level if d else None


def region_path(text: str, *, context: str | Iterable[str] | None = None,
                divisions: Divisions | None = None) -> tuple[Division, ...]:
    """The chain of divisions that ``text`` begins with, outermost first.

    Reads a path of names written one after the other (``广东省广州市天河区``, ``广州天河``),
    each a child of the one before; stops at the first name that does not continue the chain.
    A lone name is settled by ``context``.

    Examples
    --------
    >>> [d.name for d in region_path("浙江省金华市义乌市人力资源")]
    ['浙江省', '金华市', '义乌市']
    """
    table = divisions or load_divisions()
    ctx = _context_names(context)
    chain: list[Division] = []
    pos = 0
    while True:
        found = table.name_at(text, pos)
        if not found:
            break
        end = pos + len(found)
        cands = table.candidates(found)
        if chain:
            below = tuple(d for d in cands
                          if any(a.code == chain[-1].code for a in table.ancestors(d.code)))
            if not below:
                break
            chosen = _pick(below, ctx, table)
        else:
            # the rest of the text is context too: 广州天河 settles 广州 by its child.
            rest = text[end:end + 12]
            chosen = _pick_with_child(cands, rest, ctx, table)
        if chosen is None:
            break
        chain.append(chosen)
        pos = end
    return tuple(chain)


def _pick_with_child(cands: tuple[Division, ...], rest: str, ctx: str,
                     table: Divisions) -> Division | None:
    if len(cands) > 1 and rest:
        child = table.name_at(rest)
        if child:
            children = table.candidates(child)
            parents_of_child = {a.code for c in children for a in table.ancestors(c.code)}
            inside = tuple(d for d in cands if d.code in parents_of_child)
            if inside:
                cands = inside
    return _pick(cands, ctx, table)


def resolve_mention(text: str, *, context: str | Iterable[str] | None = None,
                    divisions: Divisions | None = None) -> Division | None:
    """The division a mention names: a full name, a short form or a path of names.

    Returns the innermost division of the path (``广州市天河区`` → 天河区), ``None`` when the
    mention is not wholly a division name or path (``天河人才`` is not).

    Examples
    --------
    >>> resolve_mention("广州天河").code, resolve_mention("天河区").code
    ('440106', '440106')
    >>> resolve_mention("天河人才") is None
    True
    """
    table = divisions or load_divisions()
    mention = "".join(_CJK_RUN.findall(text))
    if not mention:
        return None
    chain = region_path(mention, context=context, divisions=table)
    if not chain:
        return None
    consumed = 0
    pos = 0
    for _ in chain:
        found = table.name_at(mention, pos)
        if found is None:  # pragma: no cover - region_path matched these very names
            return None
        consumed = pos = pos + len(found)
    return chain[-1] if consumed == len(mention) else None
