"""Source manifests: where each file is and how its columns map to canonical fields.

A manifest is a TOML file with one ``[manifest]`` table and one ``[[source]]`` table per
source. Each source names its publisher, title, vintage, URL, licence, SHA-256, file name,
the *kind* of source (which selects how its canonical fields are tidied, see
:mod:`inequalities.data.readers`) and a ``[source.columns]`` table mapping canonical field
names to the column names of that particular file layout. The publishers' official layouts
(``official.toml``, used by ``inequalities data fetch``) and the tidied national copies
(``shared.toml``, the layout of ``../shared/data`` and of the demonstration data) are two
manifests read by the same code.
"""

from __future__ import annotations

import functools
import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from inequalities.data.digests import known_sha256, sha256_file  # noqa: F401 - re-exported

MANIFEST_NAME = "manifest.toml"

_SOURCE_KEYS = {
    "id", "kind", "publisher", "title", "vintage", "url", "licence", "sha256", "file",
    "format", "area_vintage", "lad_vintage", "required", "notes", "columns", "constants",
    "indicators", "options", "vintages",
}
#: Environment variable naming the data vintage to load (``inequalities build --vintage``
#: sets it, so that every notebook kernel of a build loads the same vintage).
VINTAGE_ENV = "INEQUALITIES_VINTAGE"


class ManifestError(ValueError):
    """A manifest that cannot be used; the message names the file, the source and the fix."""


@dataclass(frozen=True)
class Source:
    """One declared source file.

    ``columns`` maps canonical field -> column name in the file; ``constants`` gives
    canonical fields that the layout does not carry (for example a Fingertips indicator id
    in a tidied copy); ``indicators`` maps indicator ids to the wide columns holding them
    (for wide files such as the IoD underlying indicators); ``options`` holds
    kind-specific settings (for example the age-column pattern of a population file).
    """

    id: str
    kind: str
    publisher: str
    title: str
    vintage: str
    url: str
    licence: str
    sha256: str
    file: str
    format: str = "csv"
    area_vintage: str = ""
    lad_vintage: int | None = None
    required: bool = True
    notes: str = ""
    columns: Mapping[str, str] = field(default_factory=dict)
    constants: Mapping[str, Any] = field(default_factory=dict)
    indicators: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    #: Data vintages (``"2019"``, ``"2025"``) this source belongs to; empty = every vintage.
    vintages: tuple[str, ...] = ()

    def path(self, root: Path) -> Path:
        """Return the file's path under ``root`` (the data folder)."""
        return Path(root) / self.file


@dataclass(frozen=True)
class Manifest:
    """A parsed manifest: its own settings and its sources, in file order."""

    name: str
    description: str
    lad_vintage: int
    is_demo: bool
    sources: tuple[Source, ...]
    path: Path | None = None
    seed: int | None = None
    #: The vintage this manifest was narrowed to by :meth:`select` ("" = not narrowed, or
    #: a manifest that declares no vintages).
    vintage: str = ""
    #: Declared vintages: id -> settings (``label``, ``description``), from
    #: ``[manifest.vintages.ID]`` tables.
    vintages: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    default_vintage: str = ""

    def vintage_ids(self) -> list[str]:
        """Every vintage the manifest declares (head tables and sources' lists), sorted."""
        ids = set(self.vintages) | {v for s in self.sources for v in s.vintages}
        return sorted(ids)

    def select(self, vintage: str | int | None = None) -> Manifest:
        """Return the manifest narrowed to one data vintage.

        ``vintage=None`` takes the manifest's ``vintage`` setting, else the newest declared
        vintage. Sources without a ``vintages`` list belong to every vintage. A manifest
        that declares no vintages is returned unchanged when ``vintage`` is None (and
        rejected when one is asked for). ManifestError names the choices.
        """
        ids = self.vintage_ids()
        if self.vintage and (vintage is None or str(vintage) == self.vintage):
            return self
        if not ids:
            if vintage is None:
                return self
            raise ManifestError(f"manifest {self.name!r} declares no data vintages, so "
                                f"vintage {vintage!r} cannot be chosen; omit --vintage")
        chosen = str(vintage) if vintage is not None else (self.default_vintage or ids[-1])
        if chosen not in ids:
            raise ManifestError(f"manifest {self.name!r} has no data vintage {chosen!r}; "
                                f"choose one of: {', '.join(ids)}")
        kept = tuple(s for s in self.sources if not s.vintages or chosen in s.vintages)
        return replace(self, sources=kept, vintage=chosen)

    def vintage_setting(self, key: str, default: str = "") -> str:
        """A setting of the selected vintage (``label``, ``description``), or ``default``."""
        return str(self.vintages.get(self.vintage, {}).get(key, default))

    def get(self, source_id: str) -> Source:
        """Return the source with id ``source_id`` (KeyError naming the choices if absent)."""
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(f"no source {source_id!r} in manifest {self.name!r}; "
                       f"sources: {', '.join(s.id for s in self.sources)}")

    def by_kind(self, kind: str) -> list[Source]:
        """Return the sources of one kind, in manifest order."""
        return [s for s in self.sources if s.kind == kind]

    def fingerprint(self) -> str:
        """SHA-256 of the manifest's content (sources and settings), for cache keys."""
        payload = {
            "name": self.name, "lad_vintage": self.lad_vintage, "is_demo": self.is_demo,
            "seed": self.seed, "vintage": self.vintage,
            "sources": [
                {k: (dict(v) if isinstance(v, Mapping) else v)
                 for k, v in s.__dict__.items()}
                for s in self.sources
            ],
        }
        text = json.dumps(payload, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def _check_file_name(name: str, where: str) -> str:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not name or "\\" in name:
        raise ManifestError(f"{where}: file {name!r} must be a plain relative name inside "
                            "the data folder (no '..', no absolute path)")
    return name


#: Types of the manifest's keys (TOML gives them typed): header, then each source's.
_HEAD_TYPES = {"name": str, "description": str, "lad_vintage": int, "demo": bool, "seed": int}
_SOURCE_TYPES = {"id": str, "kind": str, "file": str, "format": str, "sha256": str,
                 "required": bool, "lad_vintage": int, "columns": dict, "constants": dict,
                 "indicators": dict, "options": dict, "area_vintage": str}
_TYPE_NAMES = {str: "a string in quotes", int: "a whole number", bool: "true or false",
               dict: "a table"}


def _check_types(table: Mapping, types: dict[str, type], label: str) -> None:
    """Raise :class:`ManifestError` for the first key whose value has the wrong type."""
    for key, kind in types.items():
        value = table.get(key)
        if value is None:
            continue
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ManifestError(f"{label}: {key} = {value!r} must be {_TYPE_NAMES[kind]}; "
                                "correct it in the manifest")


def parse_manifest(text: str, *, path: Path | None = None) -> Manifest:
    """Parse manifest TOML text into a :class:`Manifest` (ManifestError if malformed)."""
    where = str(path) if path else "<manifest>"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{where}: not valid TOML ({exc}); fix the syntax") from None
    head = data.get("manifest", {})
    if not isinstance(head, dict):
        raise ManifestError(f"{where}: [manifest] must be a table")
    _check_types(head, _HEAD_TYPES, f"{where}: [manifest]")
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise ManifestError(f"{where}: no [[source]] tables; declare at least one source")
    sources = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_sources, start=1):
        if not isinstance(raw, dict):
            raise ManifestError(f"{where}: source #{i} must be a [[source]] table")
        label = f"{where}: source #{i} ({raw.get('id', '?')})"
        _check_types(raw, _SOURCE_TYPES, label)
        unknown = set(raw) - _SOURCE_KEYS
        if unknown:
            raise ManifestError(f"{label}: unknown keys {sorted(unknown)}; "
                                f"allowed: {sorted(_SOURCE_KEYS)}")
        missing = [k for k in ("id", "kind", "file") if not raw.get(k)]
        if missing:
            raise ManifestError(f"{label}: missing {', '.join(missing)}")
        if raw["id"] in seen:
            raise ManifestError(f"{label}: duplicate source id {raw['id']!r}")
        seen.add(raw["id"])
        sha = str(raw.get("sha256", "")).lower()
        if sha and (len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha)):
            raise ManifestError(f"{label}: sha256 {sha!r} is not 64 hex digits")
        sources.append(Source(
            id=raw["id"], kind=raw["kind"], publisher=raw.get("publisher", ""),
            title=raw.get("title", ""), vintage=str(raw.get("vintage", "")),
            url=raw.get("url", ""), licence=raw.get("licence", ""), sha256=sha,
            file=_check_file_name(raw["file"], label), format=raw.get("format", "csv"),
            area_vintage=raw.get("area_vintage", ""),
            lad_vintage=raw.get("lad_vintage"), required=bool(raw.get("required", True)),
            notes=raw.get("notes", ""), columns=dict(raw.get("columns", {})),
            constants=dict(raw.get("constants", {})),
            indicators=dict(raw.get("indicators", {})), options=dict(raw.get("options", {})),
            vintages=_vintage_list(raw.get("vintages", ()), label),
        ))
    return Manifest(
        name=head.get("name", path.stem if path else "manifest"),
        description=head.get("description", ""),
        lad_vintage=int(head.get("lad_vintage", 2023)),
        is_demo=bool(head.get("demo", False)),
        seed=head.get("seed"),
        sources=tuple(sources),
        path=path,
        vintages={str(k): dict(v) for k, v in head.get("vintages", {}).items()},
        default_vintage=str(head.get("vintage", "")),
    )


def _vintage_list(value: Any, label: str) -> tuple[str, ...]:
    if isinstance(value, str | int):
        value = [value]
    if not isinstance(value, list | tuple):
        raise ManifestError(f"{label}: vintages must be a list such as [\"2019\"], "
                            f"not {value!r}")
    return tuple(str(v) for v in value)


def read_manifest(path: str | Path) -> Manifest:
    """Read and parse the manifest file at ``path``.

    The file is read every time; its parse is remembered by its text (and path), so a
    warm notebook kernel, which loads the data in every notebook, parses each shipped
    manifest once, and a changed file is parsed afresh.
    """
    path = Path(path)
    return _parse_remembered(path.read_text(encoding="utf-8"), path)


@functools.lru_cache(maxsize=16)
def _parse_remembered(text: str, path: Path) -> Manifest:
    return parse_manifest(text, path=path)  # a Manifest is frozen: safe to share


def shipped_manifest_dir() -> Path:
    """Folder of the manifests shipped with the package (``data/manifests`` in the repo)."""
    here = Path(__file__).resolve().parent
    installed = here / "manifests"
    if installed.is_dir():
        return installed
    return here.parents[2] / "data" / "manifests"


def shipped_manifests() -> dict[str, Path]:
    """Map manifest name -> path for every shipped manifest (``official``, ``shared``)."""
    folder = shipped_manifest_dir()
    return {p.stem: p for p in sorted(folder.glob("*.toml"))}


def find_manifest(data_dir: str | Path, vintage: str | int | None = None) -> Manifest:
    """Return the manifest that describes ``data_dir``, narrowed to one data vintage.

    ``DIR/manifest.toml`` wins when present. Otherwise the shipped manifests are tried in
    turn and the first one whose required files all exist in ``DIR`` is used, so that the
    tidied national folder (``../shared/data``) or a folder filled by
    ``inequalities data fetch`` works without copying a manifest into it. ``vintage``
    (default: the manifest's own default, the newest) is applied with
    :meth:`Manifest.select` before the files are checked.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise ManifestError(f"data folder {str(data_dir)!r} does not exist; give a folder "
                            "of source files, or omit it to use demonstration data")
    own = data_dir / MANIFEST_NAME
    if own.is_file():
        return read_manifest(own).select(vintage)
    tried = []
    for name, path in shipped_manifests().items():
        try:
            manifest = read_manifest(path).select(vintage)
        except ManifestError as exc:
            tried.append(f"{name} ({exc})")
            continue
        missing = [s.file for s in manifest.sources
                   if s.required and not s.path(data_dir).is_file()]
        if not missing:
            return manifest
        tried.append(f"{name} (missing {', '.join(missing[:3])}"
                     f"{', …' if len(missing) > 3 else ''})")
    raise ManifestError(
        f"no manifest for data folder {str(data_dir)!r}: it has no {MANIFEST_NAME} and no "
        f"shipped manifest matches its files; tried {'; '.join(tried) or 'none'}. "
        f"Add a {MANIFEST_NAME} or fetch the sources with 'inequalities data fetch'"
        f"{'' if vintage else '; for a folder of an older data vintage choose it with --vintage 2019'}."
    )
