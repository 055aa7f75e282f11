"""extract.lexicon: the one loader of the SKOS lexicons in ontology/."""

from __future__ import annotations

import pytest

from extract.lexicon import LEXICON_FILES, load_lexicon
from kg.errors import ConfigError


def test_schemes_and_labels_load_once() -> None:
    lex = load_lexicon()
    assert load_lexicon() is lex
    assert lex.label_index("target-group")["登记失业人员"].pref == "失业人员"
    assert "计划" in lex.words("program-heads")
    assert {c.pref for c in lex.scheme("theme")} >= {"就业创业", "社会保险", "人才队伍", "劳动关系",
                                                       "公共服务", "人事制度", "收入分配", "数字化"}


def test_every_scheme_named_by_a_component_exists() -> None:
    # every string option of a component names a lexicon scheme: the words are data
    from spacy.language import Language

    from extract.pipeline import PIPELINE, make_nlp

    make_nlp()
    lex = load_lexicon()
    named = 0
    for factory in PIPELINE:
        for key, value in Language.get_factory_meta(factory).default_config.items():
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, str):
                    assert lex.scheme(v), (factory, key, v)
                    named += 1
    assert named >= 15


def test_unknown_scheme_names_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="known schemes: .*program-heads"):
        load_lexicon().scheme("no-such-scheme")


def test_bad_turtle_is_a_config_error_naming_the_file(tmp_path) -> None:
    for name in LEXICON_FILES:
        (tmp_path / name).write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n",
                                     encoding="utf-8")
    (tmp_path / "themes.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(ConfigError, match="themes.ttl"):
        load_lexicon(str(tmp_path))


def test_a_concept_without_a_chinese_label_is_rejected(tmp_path) -> None:
    for name in LEXICON_FILES:
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "lexicon.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<urn:x:c> a skos:Concept ; skos:inScheme <urn:x:s> ; skos:prefLabel \"x\"@en .\n",
        encoding="utf-8")
    with pytest.raises(ConfigError, match="prefLabel@zh"):
        load_lexicon(str(tmp_path))
