"""Publishing an edition folder in one rename, and recovering from a build killed mid-way."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from inequalities.data.folders import OUTPUT_MARKER, is_ours
from inequalities.publishing.cache import _pause

#: Scratch folders of a build that are not published.
SCRATCH = ("work", "quarto")


class NotOurs(RuntimeError):
    """The folder to be replaced was not made by this program."""


def published_by_us(folder: Path) -> bool:
    """True when ``folder`` is an edition this program published."""
    if is_ours(folder, OUTPUT_MARKER):
        return True
    try:
        record = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and record.get("package") == "inequalities"


def publish(build_dir: Path, target: Path) -> None:
    """Replace ``target`` with ``build_dir`` (two renames on one file system).

    ``target`` is replaced only when this program published it (it holds
    :data:`~inequalities.data.folders.OUTPUT_MARKER`, or, from before the marker, a
    ``provenance.json`` of this package); any other folder there raises
    :class:`NotOurs` and is left as it is. Between the two renames the previous copy is
    ``.old-<slug>-<ms>`` beside ``target``; if the process is killed exactly there,
    :func:`recover` puts it back on the next build.
    """
    if target.exists() and not published_by_us(target):
        raise NotOurs(f"{target} exists and was not published by inequalities; move it away "
                      "or build into another --out folder (nothing in it was changed)")
    for name in SCRATCH:
        shutil.rmtree(build_dir / name, ignore_errors=True)
    (build_dir / OUTPUT_MARKER).write_text("published by inequalities\n", encoding="utf-8")
    old = None
    if target.exists():
        old = target.with_name(f".old-{target.name}-{int(time.time() * 1000)}")
        target.rename(old)
    _pause("publish")
    build_dir.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def recover(out_dir: Path) -> list[str]:
    """Undo what a killed build left in ``out_dir``; return what was done, one line each.

    Temporary build folders (``.build-*``) are removed; a previous copy set aside by
    :func:`publish` (``.old-<slug>-<ms>``) is put back when its edition has no published
    folder, and removed otherwise. Call only while holding the output folder's lock.
    """
    done = []
    if not out_dir.is_dir():
        return done
    for path in sorted(out_dir.glob(".build-*")):
        shutil.rmtree(path, ignore_errors=True)
        done.append(f"removed unfinished build folder {path.name}")
    olds = sorted(out_dir.glob(".old-*"), key=lambda p: int(p.name.rsplit("-", 1)[-1])
                  if p.name.rsplit("-", 1)[-1].isdigit() else 0, reverse=True)
    for path in olds:
        slug = path.name[len(".old-"):].rsplit("-", 1)[0]
        target = out_dir / slug
        if slug and not target.exists():
            path.rename(target)
            done.append(f"restored the previous copy of {slug}")
        else:
            shutil.rmtree(path, ignore_errors=True)
            done.append(f"removed superseded copy {path.name}")
    return done
