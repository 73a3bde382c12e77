import pytest

from inequalities.data.manifest import (
    ManifestError,
    find_manifest,
    parse_manifest,
    read_manifest,
    sha256_file,
    shipped_manifests,
)

pytestmark = pytest.mark.unit

GOOD = """
[manifest]
name = "x"
lad_vintage = 2023
[[source]]
id = "a"
kind = "coastal_lsoa"
publisher = "P"
title = "T"
vintage = "V"
url = "https://example.org/a.csv"
licence = "OGL-3.0"
sha256 = "%s"
file = "a.csv"
[source.columns]
area_code = "code"
coastal = "flag"
"""


def test_parse_fields():
    m = parse_manifest(GOOD % ("ab" * 32))
    src = m.get("a")
    assert (m.name, m.lad_vintage, m.is_demo) == ("x", 2023, False)
    assert src.columns == {"area_code": "code", "coastal": "flag"}
    assert src.sha256 == "ab" * 32 and src.required
    with pytest.raises(KeyError, match="sources: a"):
        m.get("b")


@pytest.mark.parametrize("bad, message", [
    (GOOD % "xyz", "not 64 hex digits"),
    ((GOOD % "") + GOOD.split("[manifest]")[1].replace('name = "x"\nlad_vintage = 2023', ""),
     "duplicate source id"),
    ((GOOD % "").replace('file = "a.csv"', 'file = "../etc/passwd"'), "plain relative name"),
    ((GOOD % "").replace('kind = "coastal_lsoa"', 'kind = "coastal_lsoa"\ncolour = 1'),
     "unknown keys"),
    ("[manifest]\nname='x'\n", "no \\[\\[source\\]\\]"),
    ("[manifest\n", "not valid TOML"),
])
def test_malformed_manifests_are_rejected_with_a_reason(bad, message):
    with pytest.raises(ManifestError, match=message):
        parse_manifest(bad)


def test_find_manifest_prefers_the_folders_own(tmp_path):
    (tmp_path / "manifest.toml").write_text(GOOD % "")
    assert find_manifest(tmp_path).name == "x"


def test_find_manifest_explains_what_is_missing(tmp_path):
    with pytest.raises(ManifestError, match="tried .*shared \\(missing"):
        find_manifest(tmp_path)
    with pytest.raises(ManifestError, match="does not exist"):
        find_manifest(tmp_path / "nope")


def test_shipped_manifests_parse_and_declare_every_field():
    shipped = shipped_manifests()
    assert {"shared", "official"} <= set(shipped)
    for path in shipped.values():
        m = read_manifest(path)
        for src in m.sources:
            assert src.publisher and src.title and src.vintage and src.licence, src.id
            assert src.url.startswith("https://"), src.id
    shared = read_manifest(shipped["shared"])
    assert all(len(s.sha256) == 64 for s in shared.sources)


def test_sha256_file(tmp_path):
    (tmp_path / "f").write_bytes(b"abc")
    # SHA-256("abc"), FIPS 180-2 appendix B.1
    assert sha256_file(tmp_path / "f") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")


def test_read_manifest_parses_a_changed_file_afresh(tmp_path):
    """The parse is remembered by the file's text (a warm kernel reads the manifests in
    every notebook), so an edited manifest is never taken for the old one."""
    shipped = shipped_manifests()["shared"]
    path = tmp_path / "manifest.toml"
    text = shipped.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = read_manifest(path)
    assert read_manifest(path) is first
    path.write_text(text.replace(f'name = "{first.name}"', 'name = "edited"', 1),
                    encoding="utf-8")
    assert read_manifest(path).name == "edited"
