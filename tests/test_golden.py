"""The rendered HTML of representative pages equals the golden sample (tests/golden/, made by
tests/golden_pages.py) apart from whitespace: how pages are rendered may change, what they say
may not. A page meant to change: rewrite the sample and review its diff."""
import difflib

import pytest

from golden_pages import GOLDEN, PAGES, normalise
from sitebuild import build_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("golden") / "site", pyodide=False)


@pytest.mark.parametrize("url", sorted(PAGES))
def test_page_equals_the_golden_sample(site, url):
    expected = (GOLDEN / PAGES[url]).read_text(encoding="utf-8")
    got = normalise(site.html(url))
    if got != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                            f"golden/{PAGES[url]}", url, n=2))
        pytest.fail(f"{url} differs from tests/golden/{PAGES[url]} (whitespace apart); if the change "
                    f"is meant, run `.venv/bin/python tests/golden_pages.py`:\n{diff[:6000]}")


def test_normalise_keeps_text_and_drops_only_whitespace():
    assert normalise("<p>a  b\n c</p>\n  <p>d</p>") == "<p>a b c</p>\n<p>d</p>\n"
    assert normalise("<p>a b</p>") != normalise("<p>ab</p>")
