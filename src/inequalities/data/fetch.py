"""``inequalities data fetch``: download each manifest source safely.

Each source is streamed to a temporary file beside its destination while its SHA-256 is
computed; the download is accepted only if it is complete (as many bytes as the server's
Content-Length) and its checksum matches the manifest, and only then renamed over the
destination (``os.replace`` is atomic on one file system). A failed, truncated or
corrupted download therefore never replaces a good file. Transient failures (timeouts,
connection errors, HTTP 5xx, truncation) are retried with exponential back-off; HTTP 4xx
and checksum mismatches are not.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inequalities.data.manifest import Manifest, Source, sha256_file

CHUNK = 1 << 16


class DownloadError(Exception):
    """One failed attempt; ``retry`` says whether trying again could help."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class FetchResult:
    """Outcome for one source: status is 'downloaded', 'up-to-date', 'skipped' or 'failed'."""

    source_id: str
    status: str
    message: str
    sha256: str = ""


def _download_once(url: str, target: Path, timeout: float) -> str:
    """Stream ``url`` into a temp file next to ``target``; return (tmp path, sha256)."""
    if not url.startswith(("https://", "http://")):
        raise DownloadError(f"URL {url!r} is not http(s); fix the manifest", retry=False)
    request = urllib.request.Request(url, headers={"User-Agent": "inequalities-data-fetch"})
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    digest = hashlib.sha256()
    received = 0
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                    expected = response.headers.get("Content-Length")
                    while True:
                        block = response.read(CHUNK)
                        if not block:
                            break
                        out.write(block)
                        digest.update(block)
                        received += len(block)
            except urllib.error.HTTPError as exc:
                raise DownloadError(f"HTTP {exc.code} {exc.reason}",
                                    retry=exc.code >= 500 or exc.code == 429) from None
            except http.client.IncompleteRead as exc:
                raise DownloadError(f"truncated download: connection closed after "
                                    f"{received + len(exc.partial)} bytes", retry=True) from None
            except (urllib.error.URLError, TimeoutError, OSError,
                    http.client.HTTPException) as exc:
                reason = getattr(exc, "reason", exc)
                raise DownloadError(f"network error: {reason}", retry=True) from None
        if expected is not None and expected.isdigit() and received != int(expected):
            raise DownloadError(f"truncated download: got {received} of {expected} bytes",
                                retry=True)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp + "\0" + digest.hexdigest()


def fetch_source(src: Source, dest: Path, *, retries: int = 3, timeout: float = 60.0,
                 backoff: float = 1.0, say: Callable[[str], None] = print) -> FetchResult:
    """Download one source into ``dest`` (see the module docstring for the guarantees)."""
    target = src.path(dest)
    if not src.url:
        return FetchResult(src.id, "skipped", "no URL in the manifest")
    if target.is_file() and src.sha256 and sha256_file(target) == src.sha256:
        return FetchResult(src.id, "up-to-date", "checksum matches", src.sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    last = ""
    for attempt in range(1, retries + 1):
        say(f"  {src.id}: downloading (attempt {attempt}/{retries}) {src.url}")
        try:
            tmp, digest = _download_once(src.url, target, timeout).split("\0")
        except DownloadError as exc:
            last = str(exc)
            say(f"  {src.id}: {last}")
            if not exc.retry or attempt == retries:
                break
            time.sleep(backoff * 2 ** (attempt - 1))
            continue
        if src.sha256 and digest != src.sha256:
            Path(tmp).unlink(missing_ok=True)
            msg = (f"checksum mismatch: got {digest}, manifest says {src.sha256}; the "
                   "publisher may have revised the file: check it and update the manifest")
            say(f"  {src.id}: {msg}")
            return FetchResult(src.id, "failed", msg, digest)
        os.replace(tmp, target)
        note = "" if src.sha256 else " (no checksum pinned in the manifest: record it)"
        return FetchResult(src.id, "downloaded", f"sha256 {digest}{note}", digest)
    return FetchResult(src.id, "failed", last or "download failed")


def fetch_all(manifest: Manifest, dest: str | Path, *, retries: int = 3,
              timeout: float = 60.0, backoff: float = 1.0,
              say: Callable[[str], None] = print) -> list[FetchResult]:
    """Download every source of ``manifest`` into ``dest``; return one result per source.

    The manifest itself is written to ``dest/manifest.toml`` (atomically) so the folder
    is self-describing for ``load`` and ``validate``.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    results = []
    total = len(manifest.sources)
    for i, src in enumerate(manifest.sources, start=1):
        say(f"[{i}/{total}] {src.id}")
        result = fetch_source(src, dest, retries=retries, timeout=timeout, backoff=backoff,
                              say=say)
        say(f"  {src.id}: {result.status}: {result.message}")
        results.append(result)
    if manifest.path is not None and manifest.path.resolve() != (dest / "manifest.toml"
                                                                 ).resolve():
        fd, tmp = tempfile.mkstemp(dir=dest, prefix=".manifest.", suffix=".part")
        with os.fdopen(fd, "wb") as out:
            out.write(manifest.path.read_bytes())
        os.replace(tmp, dest / "manifest.toml")
    return results
