"""The registry of report editions: England and the nine English regions.

An edition is a named slice of the country. Its slug is what users type
(``inequalities build --edition north-east``); the ONS GSS code is what the data use.
Region codes and names are ONS's (Regions, December 2023, E12000001 to E12000009).
Slugs are validated here and nowhere else; code that needs a path or a command argument
takes an :class:`Edition`, never the raw user string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Edition:
    """One edition of the report.

    Attributes:
        slug: URL- and path-safe identifier (lower-case letters, digits, hyphens).
        code: ONS GSS code of the area (E92000001 for England, E12 codes for regions).
        name: the area's official name.
        level: ``"country"`` or ``"region"``.
    """

    slug: str
    code: str
    name: str
    level: str

    def __post_init__(self) -> None:
        if not SLUG_PATTERN.fullmatch(self.slug):
            raise ValueError(f"invalid edition slug {self.slug!r}: use lower-case letters, "
                             "digits and single hyphens")

    @property
    def is_england(self) -> bool:
        """True for the national edition."""
        return self.level == "country"


EDITIONS: tuple[Edition, ...] = (
    Edition("england", "E92000001", "England", "country"),
    Edition("north-east", "E12000001", "North East", "region"),
    Edition("north-west", "E12000002", "North West", "region"),
    Edition("yorkshire-and-the-humber", "E12000003", "Yorkshire and The Humber", "region"),
    Edition("east-midlands", "E12000004", "East Midlands", "region"),
    Edition("west-midlands", "E12000005", "West Midlands", "region"),
    Edition("east-of-england", "E12000006", "East of England", "region"),
    Edition("london", "E12000007", "London", "region"),
    Edition("south-east", "E12000008", "South East", "region"),
    Edition("south-west", "E12000009", "South West", "region"),
)

_BY_SLUG = {edition.slug: edition for edition in EDITIONS}
_BY_CODE = {edition.code: edition for edition in EDITIONS}


class UnknownEditionError(ValueError):
    """Raised for an edition slug or code that is not in the registry."""


def slugs() -> list[str]:
    """Return every edition slug, England first then regions in ONS code order."""
    return [edition.slug for edition in EDITIONS]


def regions() -> list[Edition]:
    """Return the nine regional editions in ONS code order."""
    return [edition for edition in EDITIONS if edition.level == "region"]


def get(slug: str) -> Edition:
    """Return the edition for ``slug``.

    Raises:
        UnknownEditionError: naming the bad value and listing the valid slugs.
    """
    try:
        return _BY_SLUG[slug]
    except (KeyError, TypeError):
        raise UnknownEditionError(
            f"unknown edition {slug!r}; choose one of: {', '.join(slugs())}"
        ) from None


def by_code(code: str) -> Edition:
    """Return the edition whose ONS code is ``code`` (E92000001 or E12000001..9)."""
    try:
        return _BY_CODE[code]
    except (KeyError, TypeError):
        raise UnknownEditionError(
            f"no edition has area code {code!r}; codes: {', '.join(_BY_CODE)}"
        ) from None
