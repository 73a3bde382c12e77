"""Finding 3 of issue 14: the build's fingerprint memo keys on the data files' bytes."""

from pathlib import Path

import pytest

from inequalities.data import editions
from inequalities.publishing.plan import BuildRequest, _data_state
from tests.data.test_content_keys import edit_keeping_size_and_time

pytestmark = pytest.mark.unit


def _request(data: Path) -> BuildRequest:
    return BuildRequest(editions=(editions.get("england"),), formats=("html",),
                        renderer="pandoc", data_dir=data, out_dir=data.parent / "out",
                        seed=1, jobs=1)


def test_data_state_follows_the_bytes_not_the_size_time_or_path(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("name,value\nAlpha,1.31514\n")
    before = _data_state(_request(data))
    edit_keeping_size_and_time(data / "a.csv", "1.31514", "1.56434")
    after = _data_state(_request(data))
    assert after != before
    moved = tmp_path / "elsewhere"
    data.rename(moved)
    assert _data_state(_request(moved)) == after
