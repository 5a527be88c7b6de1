"""No commenter address reaches the built site, in any form."""

from __future__ import annotations

import gzip
import hashlib
import html
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from commentfixtures import ADDRESSES, TEST_KEY
from kb_engine.comments.identity import email_hash, normalize_email
from sitebuild import Site


def forms(address: str) -> dict[str, str]:
    """Ways an address could leak; all compared in lower case."""
    normalized = normalize_email(address)
    keyed = email_hash(address, TEST_KEY).removeprefix("hmac-sha256:")
    found = {"plain": address, "normalized": normalized}
    for name, value in (("plain", address), ("normalized", normalized)):
        found[f"md5 {name}"] = hashlib.md5(value.encode()).hexdigest()  # noqa: S324 - Gravatar's hash, looked for
        found[f"sha256 {name}"] = hashlib.sha256(value.encode()).hexdigest()
    found["keyed hash"] = keyed
    found["keyed hash, first half"] = keyed[:32]
    return {k: v.lower() for k, v in found.items()}


def decoded_views(data: bytes) -> list[str]:
    """The file's text as stored, entity-decoded and percent-decoded, in lower case."""
    text = data.decode("utf-8", errors="replace")
    entities = html.unescape(text)
    views = [text, entities, unquote(text), unquote(entities), html.unescape(unquote(entities))]
    return [view.lower() for view in views]


def leaks_in(site_dir: Path) -> list[str]:
    found = []
    all_forms = {f"{who} ({kind})": value for who, address in ADDRESSES.items()
                 for kind, value in forms(address).items()}  # fmt: skip
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        views = decoded_views(data)
        for label, value in all_forms.items():
            if any(value in view for view in views):
                found.append(f"{path.relative_to(site_dir)}: {label}")
    return found


def test_the_fixture_comments_do_carry_hashes_of_the_addresses() -> None:
    from commentfixtures import THREAD

    assert {f.author for f in THREAD} >= set(ADDRESSES)


def test_no_address_in_any_built_file(engine_comments_site: Site) -> None:
    files = list(engine_comments_site.site_dir.rglob("*"))
    assert any(p.name == "search_index.json" for p in files) and any(p.name == "sitemap.xml" for p in files)
    assert leaks_in(engine_comments_site.site_dir) == []


@pytest.mark.parametrize(
    "planted",
    [
        "ann.reader@example.com",
        "ANN.READER@EXAMPLE.COM",
        "ann.reader&#64;example.com",
        "&#x61;&#x6e;&#x6e;&#x2e;&#x72;&#x65;&#x61;&#x64;&#x65;&#x72;&#x40;example&#46;com",
        "ann.reader&commat;example.com",
        quote("ann.reader@example.com", safe=""),
        "%61%6E%6E%2E%72%65%61%64%65%72%40%65%78%61%6D%70%6C%65%2E%63%6F%6D",
        hashlib.md5(b"ann.reader@example.com").hexdigest(),  # noqa: S324
        hashlib.sha256(b"ann.reader@example.com").hexdigest().upper(),
        email_hash("ann.reader@example.com", TEST_KEY),
    ],
)
def test_the_scan_finds_a_planted_address(tmp_path: Path, planted: str) -> None:
    (tmp_path / "page.html").write_text(f"<p>hello {planted} bye</p>", encoding="utf-8")
    assert leaks_in(tmp_path) != []


def test_the_scan_reads_compressed_files(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(b"<loc>mailto:ann.reader@example.com</loc>"))
    assert leaks_in(tmp_path) == [
        "sitemap.xml.gz: Ann Reader (plain)",
        "sitemap.xml.gz: Ann Reader (normalized)",
    ]
