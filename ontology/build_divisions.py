"""Regenerate ontology/divisions.tsv from the adcodes table shipped by the ``cpca`` package.

The table lists every province, prefecture and county-level division of China with its
12-digit 统计用区划代码. We keep the 6-digit code, the name, the derived level and the
parent code. Run by hand when the source data changes:

    pip download --no-deps cpca==0.5.5 && unzip -p cpca-0.5.5-py3-none-any.whl \
        cpca/resources/adcodes.csv > adcodes.csv
    python ontology/build_divisions.py adcodes.csv > ontology/divisions.tsv

Source: cpca 0.5.5 (MIT licence), resources/adcodes.csv.
"""

from __future__ import annotations

import csv
import sys

# Placeholder rows of the national tables, not real divisions.
_GROUPING = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


def level_of(code: str, name: str, parent_is_province: bool) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "prefecture-city"
    if name.endswith("区") or name.endswith("林区") or name.endswith("特区"):
        return "district"
    if name.endswith("市"):
        return "county-level-city"
    return "county"


def main(path: str) -> None:
    rows = {}
    with open(path, encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            rows[rec["adcode"][:6]] = rec["name"]
    out = ["code\tname\tlevel\tparent"]
    for code in sorted(rows):
        name = rows[code]
        if name in _GROUPING:
            continue
        if code[2:] == "0000":
            parent = ""
        elif code[4:] == "00":
            parent = code[:2] + "0000"
        else:
            pref = code[:4] + "00"
            # Counties of municipalities and 省直辖 counties hang from the province.
            parent = pref if pref in rows and rows[pref] not in _GROUPING else code[:2] + "0000"
        out.append(f"{code}\t{name}\t{level_of(code, name, parent.endswith('0000'))}\t{parent}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
