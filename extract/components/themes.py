"""``policykg_themes``: themes of the SKOS theme scheme, assigned to sections and entities."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extract.components._shared import ENTITY_KEY, plan_of
from extract.components.relations import RelationType
from extract.lexicon import Concept, load_lexicon

__all__ = ["ThemeAssigner", "themes_of"]


def themes_of(text: str, concepts: tuple[Concept, ...]) -> list[Concept]:
    """The concepts whose labels or keywords (``skos:hiddenLabel``) occur in ``text``,
    in scheme order."""
    return [c for c in concepts if any(w in text for w in (c.pref, *c.alts, *c.hidden))]


class ThemeAssigner:
    """Assign themes from section headings, table category cells and box titles.

    Writes ``doc._.policykg_themes``: theme key → (theme name, spans of the headings or
    cells it was read from), and adds ``hasTheme`` relations for entities (by their name's
    keywords, or else by the theme of the section they are first named in).
    """

    def __init__(self, nlp: Language, name: str, *, scheme: str, max_heading_level: int) -> None:
        self.name = name
        self.concepts = load_lexicon().scheme(scheme)
        self.max_level = max_heading_level

    def __call__(self, doc: Doc) -> Doc:
        plan = plan_of(doc)
        found: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        section_theme: dict[str, list[Concept]] = {}

        def note(c: Concept, start: int, end: int) -> None:
            found.setdefault(c.key, (c.pref, []))[1].append((start, end))

        if plan is not None:
            for s in plan.sections:
                if s.level > self.max_level or s.title_end <= s.title_start:
                    continue
                hits = themes_of(s.title, self.concepts)
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
                        for c in themes_of(cell.text, self.concepts):
                            note(c, cell.start, cell.end)
        doc._.policykg_themes = {k: (n, sorted(set(v))) for k, (n, v) in found.items()}
        relations = list(doc._.policykg_relations or ())
        seen: set[tuple[str, str]] = set()
        for span in doc.spans[ENTITY_KEY] if ENTITY_KEY in doc.spans else ():
            if span.label_ in ("Region", "TargetGroup"):
                continue
            ent = (span.label_, span.kb_id_)
            hits = themes_of(span.kb_id_, self.concepts)
            if not hits and plan is not None:
                sec = plan.section_at(span.start_char)
                while sec is not None and sec.id not in section_theme:
                    sec = next((s for s in plan.sections if s.id == sec.parent), None)
                hits = section_theme.get(sec.id, []) if sec is not None else []
            for c in hits:
                if c.key in found and (ent, c.key) not in seen:
                    seen.add((ent, c.key))  # type: ignore[arg-type]
                    relations.append((RelationType.HAS_THEME, ent, ("Theme", c.pref),
                                      span.start_char, span.end_char))
        doc._.policykg_relations = relations
        return doc


@Language.factory(
    "policykg_themes",
    default_config={"scheme": "theme", "max_heading_level": 3},
    assigns=["doc._.policykg_themes", "doc._.policykg_relations"],
    requires=["doc.spans"],
)
def make_theme_assigner(nlp: Language, name: str, scheme: str,
                        max_heading_level: int) -> ThemeAssigner:
    """Build the theme assigner from the SKOS scheme ``scheme``."""
    return ThemeAssigner(nlp, name, scheme=scheme, max_heading_level=max_heading_level)
