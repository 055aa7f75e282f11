"""PolicyKG's spaCy components; importing this package registers their factories."""

from __future__ import annotations

from extract._spacy import import_spacy

import_spacy()  # before any component's ``from spacy… import``: leaves out spacy.cli

from extract.components._shared import (  # noqa: E402
    CANDIDATE_KEYS,
    ENTITY_KEY,
    SPAN_KEYS,
    info_of,
    register_extensions,
)
from extract.components import (  # noqa: E402, F401  (registration by import)
    institutions,
    policies,
    programs,
    regions,
    relations,
    resolve,
    target_groups,
    themes,
    tokenizer,
)

# The pipeline's order of these factories is extract.pipeline.PIPELINE.
__all__ = ["CANDIDATE_KEYS", "ENTITY_KEY", "SPAN_KEYS", "info_of", "register_extensions"]
