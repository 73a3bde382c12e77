#!/usr/bin/env python3
"""Project bootstrap: the two commands in the README.

    python3 run.py build [inequalities build options]   # default: --edition england
    python3 run.py test  [pytest options]

Each command creates the project's virtual environment in ``.venv`` (or reuses it when
``requirements.lock`` and ``pyproject.toml`` have not changed since it was made), installs
the exact versions pinned in ``requirements.lock`` (hash-checked), installs this package in
editable mode, and then runs the ``inequalities`` command or pytest inside it.

Only the Python standard library is used here, so a machine with nothing but Python 3.11
can run it. Commands are passed to subprocesses as argument lists, never through a shell.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".installed-lock-sha256"
BROWSER_PACKAGES = ("chromium", "fonts-dejavu-core")


def _say(message: str) -> None:
    print(f"[run.py] {message}", flush=True)


def _venv_python() -> Path:
    return VENV / "bin" / "python"


def _lock_digest() -> str:
    digest = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _check(cmd: list[str], **kwargs) -> None:
    result = subprocess.run(cmd, check=False, **kwargs)
    if result.returncode != 0:
        _say(f"command failed with status {result.returncode}: {' '.join(cmd)}")
        sys.exit(result.returncode)


def ensure_environment() -> Path:
    """Create or refresh ``.venv`` from the lock file; return its Python."""
    if sys.version_info < (3, 11):
        _say(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
        sys.exit(2)
    wanted = _lock_digest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted and _venv_python().exists():
        return _venv_python()
    if not _venv_python().exists():
        _say(f"creating virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    python = str(_venv_python())
    _say("installing pinned dependencies from requirements.lock (first run: about a minute)")
    _check([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--require-hashes", "--no-deps", "-r", str(LOCK)])
    _check([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--no-deps", "-e", str(ROOT)])
    STAMP.write_text(wanted + "\n")
    _say("environment ready")
    return _venv_python()


def ensure_browser() -> None:
    """Install Debian's Chromium for the browser tests when we can (root + apt-get).

    Elsewhere the browser tests skip with a reason; nothing else depends on Chromium.
    """
    if shutil.which("chromium") or os.environ.get("INEQUALITIES_NO_BROWSER_INSTALL"):
        return
    apt = shutil.which("apt-get")
    if apt is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        _say("chromium not found and cannot be installed here: browser tests will skip")
        return
    _say("installing Debian chromium for the browser tests (once, about 30 s)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    quiet = {"stdout": subprocess.DEVNULL, "env": env}
    update = subprocess.run([apt, "-qq", "update"], check=False, **quiet)
    install = subprocess.run([apt, "-qq", "install", "-y", "--no-install-recommends",
                              *BROWSER_PACKAGES], check=False, **quiet)
    if update.returncode or install.returncode:
        _say("could not install chromium: browser tests will skip")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"build", "test"}:
        print(__doc__.strip())
        return 2
    command, rest = argv[0], argv[1:]
    python = ensure_environment()
    bin_dir = python.parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
               VIRTUAL_ENV=str(VENV))
    if command == "build":
        args = rest or ["--edition", "england"]
        cmd = [str(bin_dir / "inequalities"), "build", *args]
    else:
        ensure_browser()
        cmd = [str(python), "-m", "pytest", *rest]
    return subprocess.run(cmd, cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
