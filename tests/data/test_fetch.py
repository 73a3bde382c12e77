"""fetch against a local HTTP server on 127.0.0.1 that this test starts and stops."""

import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from inequalities.cli import main
from inequalities.data.fetch import fetch_all
from inequalities.data.manifest import read_manifest

pytestmark = pytest.mark.integration

GOOD = b"lsoa11_code,coastal_G25_5\nE01000001,1\nE01000002,0\n"
OTHER = b"lsoa11_code,coastal_G25_5\nE01000001,0\n"
OLD = b"lsoa11_code,coastal_G25_5\nE01000009,1\n"  # the copy already on disk


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    flaky_failures = 2

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802
        hits = type(self).hits
        hits[self.path] = hits.get(self.path, 0) + 1
        if self.path == "/good.csv" or self.path == "/wrongsum.csv":
            self._send(200, GOOD)
        elif self.path == "/server-error.csv":
            self._send(500, b"boom")
        elif self.path == "/flaky.csv":
            if hits[self.path] <= type(self).flaky_failures:
                self._send(503, b"busy")
            else:
                self._send(200, GOOD)
        elif self.path == "/slow.csv":
            import time

            time.sleep(1.0)
            self._send(200, GOOD)
        elif self.path == "/truncated.csv":
            self.send_response(200)
            self.send_header("Content-Length", str(len(GOOD) + 100))
            self.end_headers()
            self.wfile.write(GOOD[:10])
            self.wfile.flush()
            self.close_connection = True
        else:
            self._send(404, b"not found")

    def _send(self, code, body):
        try:
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
            pass


@pytest.fixture()
def server():
    _Handler.hits = {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.timeout = 5
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _manifest(folder: Path, base: str, entries: list[tuple[str, str, str]]) -> Path:
    blocks = ["[manifest]\nname = \"test\"\n"]
    for sid, path, sha in entries:
        blocks.append(f"""
[[source]]
id = "{sid}"
kind = "coastal_lsoa"
publisher = "test"
title = "test file"
url = "{base}{path}"
sha256 = "{sha}"
file = "{sid}.csv"
[source.columns]
area_code = "lsoa11_code"
coastal = "coastal_G25_5"
""")
    path = folder / "fetch.toml"
    path.write_text("".join(blocks))
    return path


SHA_GOOD = hashlib.sha256(GOOD).hexdigest()
SHA_OTHER = hashlib.sha256(OTHER).hexdigest()


def test_fetch_good_truncated_wrong_checksum_and_500(server, tmp_path):
    dest = tmp_path / "dest"
    dest.mkdir()
    # good copies already in place must survive failed downloads untouched
    for sid in ("truncated", "wrongsum", "servererror"):
        (dest / f"{sid}.csv").write_bytes(OLD)
    mpath = _manifest(tmp_path, server, [
        ("good", "/good.csv", SHA_GOOD),
        ("truncated", "/truncated.csv", SHA_GOOD),
        ("wrongsum", "/wrongsum.csv", SHA_OTHER),
        ("servererror", "/server-error.csv", SHA_GOOD),
        ("flaky", "/flaky.csv", SHA_GOOD),
    ])
    messages = []
    results = fetch_all(read_manifest(mpath), dest, retries=3, timeout=5, backoff=0,
                        say=messages.append)
    status = {r.source_id: r.status for r in results}
    assert status == {"good": "downloaded", "truncated": "failed", "wrongsum": "failed",
                      "servererror": "failed", "flaky": "downloaded"}
    assert (dest / "good.csv").read_bytes() == GOOD
    assert (dest / "flaky.csv").read_bytes() == GOOD
    for sid in ("truncated", "wrongsum", "servererror"):
        assert (dest / f"{sid}.csv").read_bytes() == OLD
    assert not list(dest.glob("*.part")) and not list(dest.glob(".*.part"))
    assert _Handler.hits["/server-error.csv"] == 3  # retried
    assert _Handler.hits["/wrongsum.csv"] == 1  # a checksum mismatch is not retried
    assert _Handler.hits["/truncated.csv"] == 3
    assert any("truncated" in m for m in messages)
    assert any("[2/5]" in m for m in messages)  # progress
    assert (dest / "manifest.toml").is_file()


def test_up_to_date_file_is_not_downloaded_again(server, tmp_path):
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "good.csv").write_bytes(GOOD)
    mpath = _manifest(tmp_path, server, [("good", "/good.csv", SHA_GOOD)])
    results = fetch_all(read_manifest(mpath), dest, backoff=0, say=lambda m: None)
    assert results[0].status == "up-to-date"
    assert "/good.csv" not in _Handler.hits


def test_cli_fetch_exit_status(server, tmp_path, capsys):
    mpath = _manifest(tmp_path, server, [("good", "/good.csv", SHA_GOOD),
                                         ("servererror", "/server-error.csv", SHA_GOOD)])
    code = main(["data", "fetch", "--dest", str(tmp_path / "d"), "--manifest", str(mpath),
                 "--retries", "2", "--backoff", "0", "--timeout", "5"])
    assert code == 1
    assert "1 downloaded" in capsys.readouterr().out
    assert main(["data", "fetch", "--manifest", str(tmp_path / "missing.toml")]) == 2


def test_timeout_is_retried_then_reported(server, tmp_path):
    mpath = _manifest(tmp_path, server, [("slow", "/slow.csv", SHA_GOOD)])
    messages = []
    results = fetch_all(read_manifest(mpath), tmp_path / "d", retries=2, timeout=0.2,
                        backoff=0, say=messages.append)
    assert results[0].status == "failed" and "network error" in results[0].message
    assert _Handler.hits["/slow.csv"] == 2
    assert not (tmp_path / "d" / "slow.csv").exists()


def test_only_http_urls_are_fetched(tmp_path):
    mpath = _manifest(tmp_path, "file://", [("local", "/etc/passwd", SHA_GOOD)])
    results = fetch_all(read_manifest(mpath), tmp_path / "d", backoff=0, say=lambda m: None)
    assert results[0].status == "failed" and "not http(s)" in results[0].message
