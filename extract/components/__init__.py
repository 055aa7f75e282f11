"""PolicyKG's spaCy components; importing this package registers their factories."""

from __future__ import annotations

from extract.components._shared import (
    CANDIDATE_KEYS,
    ENTITY_KEY,
    SPAN_KEYS,
    info_of,
    register_extensions,
)
from extract.components import (  # noqa: F401  (registration by import)
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

__all__ = ["CANDIDATE_KEYS", "ENTITY_KEY", "SPAN_KEYS", "FACTORIES", "info_of",
           "register_extensions"]

#: Every factory this package registers, in pipeline order.
FACTORIES = (
    "policykg_policies",
    "policykg_programs",
    "policykg_institutions",
    "policykg_target_groups",
    "policykg_regions",
    "policykg_resolve",
    "policykg_themes",
    "policykg_relations",
)
