"""Publishing an edition folder in one rename, and recovering from a build killed mid-way."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from inequalities.publishing.cache import _pause

#: Scratch folders of a build that are not published.
SCRATCH = ("work", "quarto")


def publish(build_dir: Path, target: Path) -> None:
    """Replace ``target`` with ``build_dir`` (two renames on one file system).

    Between the two renames the previous copy is ``.old-<slug>-<ms>`` beside ``target``; if
    the process is killed exactly there, :func:`recover` puts it back on the next build.
    """
    for name in SCRATCH:
        shutil.rmtree(build_dir / name, ignore_errors=True)
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
