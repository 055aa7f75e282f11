"""Division lookup (extract/regions.py) over ontology/divisions.tsv."""

from __future__ import annotations

import pytest

from extract.regions import (find_region, level, load_divisions, parents, region_path,
                             resolve_mention, short_name)
from kg.errors import ConfigError


def test_the_table_covers_all_of_china():
    table = load_divisions()
    provinces = [d for d in table.by_code.values() if d.level == "province"]
    assert len(provinces) == 34  # 23 provinces, 5 autonomous regions, 4 municipalities, HK, Macau
    assert len(table.by_code) > 3000
    assert {d.level for d in table.by_code.values()} == {
        "province", "prefecture-city", "county-level-city", "county", "district"}


@pytest.mark.parametrize("name, short", [
    ("吴中区", "吴中"), ("苏州市", "苏州"), ("江苏省", "江苏"), ("沛县", "沛县"),
    ("广西壮族自治区", "广西"), ("新疆维吾尔自治区", "新疆"), ("内蒙古自治区", "内蒙古"),
    ("延边朝鲜族自治州", "延边"), ("湘西土家族苗族自治州", "湘西"), ("长阳土家族自治县", "长阳"),
])
def test_short_name(name, short):
    assert short_name(name) == short


@pytest.mark.parametrize("name, code", [
    ("海宁市", "330481"), ("海宁", "330481"), ("吴中", "320506"), ("苏州", "320500"),
    ("长沙县", "430121"), ("天河区", "440106"), ("云南", "530000"),
])
def test_find_region_full_and_short(name, code):
    d = find_region(name)
    assert d is not None and d.code == code


def test_ambiguous_name_settled_by_context():
    gulou = find_region("鼓楼区", context="徐州市召开会议，鼓楼区参加")
    assert gulou is not None and [p.name for p in parents(gulou.code)] == ["徐州市", "江苏省"]
    gulou = find_region("鼓楼区", context="福建省福州市")
    assert gulou is not None and [p.name for p in parents(gulou.code)] == ["福州市", "福建省"]


def test_parents_nearest_first_and_level():
    haining = find_region("海宁市")
    assert haining is not None
    assert [p.name for p in parents(haining.code)] == ["嘉兴市", "浙江省"]
    assert level(haining.code) == "county-level-city"
    assert level("320506") == "district" and level("440000") == "province"
    assert level("999999") is None


@pytest.mark.parametrize("mention, code", [
    ("吴中", "320506"), ("吴中区", "320506"), ("苏州市吴中区", "320506"), ("苏州吴中", "320506"),
    ("浙江省嘉兴市海宁市", "330481"), ("湖南省长沙县", "430121"), ("广州市天河区", "440106"),
])
def test_resolve_mention(mention, code):
    d = resolve_mention(mention)
    assert d is not None and d.code == code


@pytest.mark.parametrize("mention", ["吴中人才", "人力资源", "", "2021年"])
def test_resolve_mention_rejects_what_is_not_a_place(mention):
    assert resolve_mention(mention) is None


def test_region_path_stops_where_the_chain_breaks():
    assert [d.name for d in region_path("江苏省苏州市吴中区人力资源")] == [
        "江苏省", "苏州市", "吴中区"]
    assert region_path("人力资源和社会保障") == ()


def test_bad_table_file_is_a_config_error(tmp_path):
    bad = tmp_path / "divisions.tsv"
    bad.write_text("not\ta\ttable\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a division table"):
        load_divisions(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_divisions(tmp_path / "missing.tsv")
