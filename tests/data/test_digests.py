import pytest

from inequalities.data import digests

pytestmark = pytest.mark.unit


def test_package_digest_covers_every_layer_not_only_the_data_layer():
    """A change to a topic module must change the key of every cached build step."""
    root = digests.PACKAGE_ROOT
    assert (root / "topics" / "outcomes.py").is_file()
    assert (root / "data" / "digests.py").is_file()
    assert (root / "report" / "ledger.py").is_file()
