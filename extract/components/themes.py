"""``policykg_themes``: themes of the SKOS theme scheme, assigned to sections and entities."""

from __future__ import annotations

import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from extract.components._shared import ENTITY_KEY, plan_of
from extract.components.relations import RelationType
from extract.lexicon import Concept, load_lexicon

__all__ = ["ThemeAssigner", "themes_of"]


def themes_of(text: str, concepts: tuple[Concept, ...], *,
              sector: re.Pattern[str] | None = None) -> list[Concept]:
    """The concepts whose labels or keywords (``skos:hiddenLabel``) occur in ``text``,
    in scheme order. Keywords are read longest first without overlaps (失业保险 is social
    insurance, not also 失业); the names of the whole field (``sector``) are removed first.

    Examples
    --------
    >>> from extract.lexicon import load_lexicon
    >>> [c.pref for c in themes_of("完善失业保险制度", load_lexicon().scheme("theme"))]
    ['社会保险']
    """
    if sector is not None:
        text = sector.sub("", text)
    index, pattern = _keyword_index(concepts)
    hit = {index[m.group()].key for m in pattern.finditer(text)}
    return [c for c in concepts if c.key in hit]


@cache
def _keyword_index(concepts: tuple[Concept, ...]) -> tuple[dict[str, Concept], re.Pattern[str]]:
    index: dict[str, Concept] = {}
    for c in concepts:
        for w in (c.pref, *c.alts, *c.hidden):
            index.setdefault(w, c)
    words = sorted(index, key=lambda w: (-len(w), w))
    return index, re.compile("|".join(map(re.escape, words)))


class ThemeAssigner:
    """Assign themes from section headings, table category cells and box titles.

    Writes ``doc._.policykg_themes``: theme IRI → (theme name, spans of the headings or
    cells it was read from), and adds ``hasTheme`` relations for entities (by their name's
    keywords, or else by the theme of the section they are first named in).
    """

    def __init__(self, nlp: Language, name: str, *, scheme: str, sector: str,
                 max_heading_level: int) -> None:
        self.name = name
        lexicon = load_lexicon()
        self.concepts = lexicon.scheme(scheme)
        self.sector = re.compile("|".join(map(re.escape, lexicon.words(sector))))
        self.max_level = max_heading_level

    def __call__(self, doc: Doc) -> Doc:
        plan = plan_of(doc)
        found: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        section_theme: dict[str, list[Concept]] = {}

        def note(c: Concept, start: int, end: int) -> None:
            found.setdefault(c.iri, (c.pref, []))[1].append((start, end))

        if plan is not None:
            for s in plan.sections:
                if s.level > self.max_level or s.title_end <= s.title_start:
                    continue
                hits = themes_of(s.title, self.concepts, sector=self.sector)
                section_theme[s.id] = hits
                for c in hits:
                    note(c, s.title_start, s.title_end)
            for t in plan.tables:
                for r in t.rows:
                    if r.header or not r.category or not r.cells:
                        continue
                    cell = next((c for c in r.cells if c.text.strip() == r.category.strip()),
                                None)
                    if cell is not None:
                        for c in themes_of(cell.text, self.concepts, sector=self.sector):
                            note(c, cell.start, cell.end)
        doc._.policykg_themes = {k: (n, sorted(set(v))) for k, (n, v) in found.items()}
        relations = list(doc._.policykg_relations or ())
        seen: set[tuple[str, str]] = set()
        for span in doc.spans[ENTITY_KEY] if ENTITY_KEY in doc.spans else ():
            if span.label_ in ("Region", "TargetGroup"):
                continue
            ent = (span.label_, span.kb_id_)
            hits = themes_of(span.kb_id_, self.concepts, sector=self.sector)
            if not hits and plan is not None:
                sec = plan.section_at(span.start_char)
                while sec is not None and sec.id not in section_theme:
                    sec = next((s for s in plan.sections if s.id == sec.parent), None)
                hits = section_theme.get(sec.id, []) if sec is not None else []
            for c in hits:
                if c.iri in found and (ent, c.iri) not in seen:
                    seen.add((ent, c.iri))  # type: ignore[arg-type]
                    relations.append((RelationType.HAS_THEME, ent, ("Theme", c.pref),
                                      span.start_char, span.end_char))
        doc._.policykg_relations = relations
        return doc


@Language.factory(
    "policykg_themes",
    default_config={"scheme": "theme", "sector": "sector-names", "max_heading_level": 3},
    assigns=["doc._.policykg_themes", "doc._.policykg_relations"],
    requires=["doc.spans"],
)
def make_theme_assigner(nlp: Language, name: str, scheme: str, sector: str,
                        max_heading_level: int) -> ThemeAssigner:
    """Build the theme assigner from the SKOS scheme ``scheme``; ``sector`` names the
    lexicon scheme of the field's own names, ``max_heading_level`` the deepest heading
    read."""
    return ThemeAssigner(nlp, name, scheme=scheme, sector=sector,
                         max_heading_level=max_heading_level)
