"""The registry of report editions, in four sets: England, the nine ONS regions, the seven
NHS England regions and the 42 integrated care boards (ICBs, April 2024 boundaries).

An edition is a named slice of the country. Its slug is what users type
(``inequalities build --edition north-east``); the ONS GSS code is what the data use.
ONS region codes and names are ONS's (Regions, December 2023, E12000001 to E12000009).
NHS England regions (E40) and ICBs (E54) come from ``nhs_editions.csv`` beside this
module, which :func:`derive_nhs_table` generates from the staged lookups (ICBs from ONS's
LSOA 2021 to ICB April 2024 lookup; each ICB's NHS England region from NHS England's QOF
2022-23 geography mapping, joined on the ICB's NHS (ODS) code because two ICBs' ONS codes
changed in 2024). Slugs are validated here and nowhere else; code that needs a path or a
command argument takes an :class:`Edition`, never the raw user string.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: The edition sets, in the order they are listed and built.
SETS: tuple[str, ...] = ("country", "ons-region", "nhs-region", "icb")
SET_TITLES = {"country": "England", "ons-region": "ONS regions",
              "nhs-region": "NHS England regions",
              "icb": "Integrated care boards (2024 boundaries)"}
#: The file :func:`derive_nhs_table` writes and the registry reads.
NHS_TABLE = Path(__file__).with_name("nhs_editions.csv")
NHS_COLUMNS = ("set", "code", "code_nhs", "name", "parent_code")


@dataclass(frozen=True)
class Edition:
    """One edition of the report.

    Attributes:
        slug: URL- and path-safe identifier (lower-case letters, digits, hyphens), unique
            across sets.
        code: ONS GSS code of the area (E92000001 England, E12 ONS regions, E40 NHS
            England regions, E54 ICBs of April 2024).
        name: the area's name as written in the report.
        set: one of :data:`SETS`.
        parent: slug of the edition it sits in ("" for England): an ICB's NHS England
            region; England for a region.
    """

    slug: str
    code: str
    name: str
    set: str
    parent: str = "england"

    def __post_init__(self) -> None:
        if not SLUG_PATTERN.fullmatch(self.slug):
            raise ValueError(f"invalid edition slug {self.slug!r}: use lower-case letters, "
                             "digits and single hyphens")
        if self.set not in SETS:
            raise ValueError(f"edition {self.slug!r}: unknown set {self.set!r}; sets: "
                             f"{', '.join(SETS)}")

    @property
    def is_england(self) -> bool:
        """True for the national edition."""
        return self.set == "country"

    @property
    def level(self) -> str:
        """``"country"`` for England, else ``"region"`` (kept for older callers)."""
        return "country" if self.is_england else "region"


def slugify(name: str) -> str:
    """A readable slug from an area name: lower case, words joined by single hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", name.lower().replace("&", " and ")))


def _short_icb(name: str) -> str:
    """"NHS Kent and Medway Integrated Care Board" -> "Kent and Medway"."""
    name = re.sub(r"\s+", " ", name).strip()
    name = re.sub(r"^NHS ", "", name)
    return re.sub(r" Integrated Care Board$", "", name)


def _nhs_editions(rows: Iterable[dict[str, str]]) -> list[Edition]:
    rows = list(rows)
    region_slug = {r["code"]: "nhs-" + slugify(r["name"]) for r in rows
                   if r["set"] == "nhs-region"}
    out = []
    for row in rows:
        if row["set"] == "nhs-region":
            out.append(Edition(region_slug[row["code"]], row["code"],
                               f"NHS England {row['name']}", "nhs-region", "england"))
        elif row["set"] == "icb":
            short = row["name"]
            out.append(Edition("icb-" + slugify(short), row["code"], f"NHS {short} ICB",
                               "icb", region_slug[row["parent_code"]]))
        else:
            raise ValueError(f"{NHS_TABLE}: unknown set {row['set']!r} for {row['code']}; "
                             "regenerate it with editions.derive_nhs_table")
    return out


def read_nhs_table(path: Path = NHS_TABLE) -> list[dict[str, str]]:
    """Rows of the checked-in NHS regions and ICBs table."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def derive_nhs_table(data_dir: str | Path) -> list[dict[str, str]]:
    """Rebuild the rows of ``nhs_editions.csv`` from the staged lookups in ``data_dir``.

    ICB codes and names: ``lookup_lsoa21_icb24.csv`` (ONS, April 2024). NHS England
    region of each ICB: ``qof_practice_nhs_geography_2223.csv``, joined on the ICB's NHS
    code. Write them with :func:`write_nhs_table`.
    """
    data_dir = Path(data_dir)
    icbs: dict[str, tuple[str, str]] = {}
    with (data_dir / "lookup_lsoa21_icb24.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            icbs[row["icb24_code_nhs"]] = (row["icb24_code"], _short_icb(row["icb24_name"]))
    regions: dict[str, str] = {}
    icb_region: dict[str, str] = {}
    path = data_dir / "qof_practice_nhs_geography_2223.csv"
    with path.open(newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            regions[row["REGION_ONS_CODE"]] = row["REGION_NAME"].strip()
            icb_region[row["ICB_ODS_CODE"]] = row["REGION_ONS_CODE"]
    missing = sorted(set(icbs) - set(icb_region))
    if missing:
        raise ValueError(f"{path}: no NHS England region for ICB NHS code(s) "
                         f"{', '.join(missing)}; use a newer NHS geography mapping")
    out = [{"set": "nhs-region", "code": code, "code_nhs": "", "name": name,
            "parent_code": "E92000001"} for code, name in sorted(regions.items())]
    out += [{"set": "icb", "code": code, "code_nhs": nhs, "name": name,
             "parent_code": icb_region[nhs]}
            for nhs, (code, name) in sorted(icbs.items(), key=lambda kv: kv[1][0])]
    return out


def write_nhs_table(rows: list[dict[str, str]], path: Path = NHS_TABLE) -> None:
    """Write ``rows`` (from :func:`derive_nhs_table`) as the checked-in table."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=NHS_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


EDITIONS: tuple[Edition, ...] = (
    Edition("england", "E92000001", "England", "country", ""),
    Edition("north-east", "E12000001", "North East", "ons-region"),
    Edition("north-west", "E12000002", "North West", "ons-region"),
    Edition("yorkshire-and-the-humber", "E12000003", "Yorkshire and The Humber", "ons-region"),
    Edition("east-midlands", "E12000004", "East Midlands", "ons-region"),
    Edition("west-midlands", "E12000005", "West Midlands", "ons-region"),
    Edition("east-of-england", "E12000006", "East of England", "ons-region"),
    Edition("london", "E12000007", "London", "ons-region"),
    Edition("south-east", "E12000008", "South East", "ons-region"),
    Edition("south-west", "E12000009", "South West", "ons-region"),
    *_nhs_editions(read_nhs_table()),
)

_BY_SLUG = {edition.slug: edition for edition in EDITIONS}
_BY_CODE = {edition.code: edition for edition in EDITIONS}
if len(_BY_SLUG) != len(EDITIONS) or len(_BY_CODE) != len(EDITIONS):
    raise ValueError(f"{NHS_TABLE}: edition slugs or codes are not unique across sets")
#: NHS (ODS) code of each ICB -> its edition's ONS code (2024).
ICB_BY_NHS_CODE = {row["code_nhs"]: row["code"] for row in read_nhs_table()
                   if row["set"] == "icb"}


class UnknownEditionError(ValueError):
    """Raised for an edition slug, code or set that is not in the registry."""


def slugs() -> list[str]:
    """Return every edition slug: England, ONS regions, NHS regions, ICBs (code order)."""
    return [edition.slug for edition in EDITIONS]


def regions() -> list[Edition]:
    """Return the nine ONS regional editions in ONS code order."""
    return in_set("ons-region")


def in_set(name: str) -> list[Edition]:
    """Return the editions of set ``name`` (one of :data:`SETS`) in registry order."""
    if name not in SETS:
        raise UnknownEditionError(f"unknown edition set {name!r}; choose one of: "
                                  f"{', '.join(SETS)}")
    return [edition for edition in EDITIONS if edition.set == name]


def parse_sets(text: str) -> tuple[str, ...]:
    """Set names in comma-separated ``text`` (validated, in the order given)."""
    names = tuple(dict.fromkeys(n.strip() for n in str(text).split(",") if n.strip()))
    bad = [n for n in names if n not in SETS] or ([] if names else [text])
    if bad:
        raise UnknownEditionError(f"unknown edition set {bad[0]!r}; choose from: "
                                  f"{', '.join(SETS)} (comma-separated)")
    return names


def parent(edition: Edition) -> Edition | None:
    """The edition ``edition`` sits in (an ICB's NHS England region), None for England."""
    return _BY_SLUG[edition.parent] if edition.parent else None


def children(edition: Edition) -> list[Edition]:
    """Editions whose parent is ``edition`` (an NHS England region's ICBs; England's regions)."""
    return [e for e in EDITIONS if e.parent == edition.slug]


#: How a local authority that straddles an edition's boundary is counted.
STRADDLE_RULE = ("A local authority that straddles the boundary is not split: its figures "
                 "count whole in the area where most of its residents live (by the "
                 "populations of its small areas).")


def variables(edition: Edition) -> dict[str, str]:
    """Build variables for the chapters: ``edition.parent`` (the parent's name, "" for
    England), ``edition.set`` (the set's title) and ``edition.membership`` (one paragraph
    saying which small areas and authorities the edition covers)."""
    up = parent(edition)
    if edition.is_england:
        text = "This edition covers every small area and local authority in England."
    elif edition.set == "ons-region":
        text = (f"This edition covers the small areas and local authorities of the "
                f"{edition.name} region (ONS regions, December 2023).")
    else:
        if edition.set == "icb":
            what = (f"the integrated care board {edition.name}, one of the boards of "
                    f"{up.name}")
        else:
            what = (f"{edition.name}, the NHS England region made up of "
                    f"{len(children(edition))} integrated care boards")
        text = (f"This edition covers {what}: the small areas that ONS's LSOA 2021 to ICB "
                "(April 2024) lookup places there; a 2011 small area counts where most of "
                f"its 2021 successors lie (ONS's 2011 to 2021 lookup). {STRADDLE_RULE}")
    return {"edition.parent": up.name if up else "", "edition.set": SET_TITLES[edition.set],
            "edition.membership": text}


def get(slug: str) -> Edition:
    """Return the edition for ``slug``.

    Raises:
        UnknownEditionError: naming the bad value and listing the valid slugs.
    """
    try:
        return _BY_SLUG[slug]
    except (KeyError, TypeError):
        raise UnknownEditionError(
            f"unknown edition {slug!r}; list them with 'inequalities editions'; choose "
            f"one of: {', '.join(slugs())}"
        ) from None


def by_code(code: str) -> Edition:
    """Return the edition whose ONS code is ``code`` (E92, E12, E40 or E54 2024)."""
    try:
        return _BY_CODE[code]
    except (KeyError, TypeError):
        raise UnknownEditionError(
            f"no edition has area code {code!r}; codes: {', '.join(_BY_CODE)}"
        ) from None
