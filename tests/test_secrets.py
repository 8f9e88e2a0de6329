"""No real-looking API key is ever published (issue 12, item 2).

The key formats live in hooks/data/keys.py; the data checks scan every text of every data file (the
corpus has one mistake per file kind), and the build scans every file it wrote as a last gate, so a
key that reaches the site another way (here: a hand-written page) still stops the build.
"""
import os
import shutil

import pytest
import yaml

from datafix import REPO
from test_corpus import MKDOCS, _env, fixture_data, run

from hooks.data.keys import KEY_FORMATS, KEY_HINT, REAL_KEY, _hints, find_key, iter_keys
from hooks.sitegen.secrets import leaked_keys

KEYS = {
    "openai": "sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op",
    "anthropic": "sk-ant-api03-Zx98Yw76Vu54Ts32Rq10Po98-abcd",
    "deepseek": "sk-0123456789abcdef0123456789abcdef",
    "google": "AIzaSyA1234567890abcdefghijklmnopqrstuv",
    "zai": "0123456789abcdef0123456789abcdef.AbCdEfGh12345678",
    "gateway": "Bearer rh_live_9f8e7d6c5b4a39281706f5e4d3c2",
}
NOT_KEYS = ["sk-abc1***************wxyz", "Bearer YOUR_RELAYHUB_KEY", "x-api-key: YOUR_TESTHUB_KEY",
            "sk-short", "0123456789abcdef0123456789abcdef", "claude-sonnet-4-5-20250929", "gpt-5.4-mini"]


@pytest.mark.parametrize("provider", sorted(KEYS))
def test_each_key_format_is_recognised_and_named(provider):
    assert find_key(f"text {KEYS[provider]} text") == (provider, KEYS[provider])


@pytest.mark.parametrize("text", NOT_KEYS)
def test_masked_keys_placeholders_and_ids_are_not_keys(text):
    assert find_key(text) is None


def test_the_hinted_scan_finds_what_the_full_pattern_finds():
    """iter_keys only tries REAL_KEY where KEY_HINT points (the Z.AI hint is the dot after the hex
    digits): the same keys at the same places as REAL_KEY tried everywhere, on texts that put keys
    next to each other, inside longer hex runs and after other hints."""
    z = KEYS["zai"]
    texts = [" ".join(KEYS.values()), "".join(KEYS.values()), "ab" + z, "ab " + z + "x", "f" * 40 + ".AbCdEfGh12345678",
             "0" * 32 + "." + z, "sk-" + z, "Bearer " + z, z + "." + z, "x" * 31 + "." + z]
    for text in texts:
        assert [(m.start(), m.group(0)) for m in iter_keys(text)] == \
            [(m.start(), m.group(0)) for m in REAL_KEY.finditer(text)], text
        # the hints found by str.find are the ones the one-pattern scan finds
        assert [pos for pos, _ in _hints(text)] == [m.start() for m in KEY_HINT.finditer(text)], text


def test_every_provider_the_catalog_lists_has_a_key_format():
    providers = {yaml.safe_load(f.read_text(encoding="utf-8"))["provider"]
                 for f in (REPO / "data" / "models").glob("*.yaml")}
    assert providers and providers <= set(KEY_FORMATS), providers - set(KEY_FORMATS)


def test_the_site_scan_names_file_line_and_col(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "page.html").write_text("<p>x</p>\n<code>curl -H 'Authorization: Bearer YOUR_KEY'</code>\n")
    assert leaked_keys(site) == []
    (site / "api").mkdir()
    (site / "api" / "x.json").write_text('{\n "a": 1,\n "k": "' + KEYS["zai"] + '"\n}\n')
    found = leaked_keys(site)
    assert len(found) == 1 and found[0].startswith("api/x.json:3:8: ") and "zai key format" in found[0]
    assert KEYS["zai"] not in found[0], "the message does not repeat the key"


def _site_root(tmp_path, page_text):
    """A site root beside the repository's: its own docs/ (a copy, with text added to one page), the fixture
    data, and the repository's engine, hooks, node_modules and config (symlinked)."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copytree(REPO / "docs", root / "docs")
    page = root / "docs" / "verify.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + page_text, encoding="utf-8")
    for name in ("calculator", "hooks", "node_modules", "pyproject.toml", "mkdocs.yml"):
        os.symlink(REPO / name, root / name)
    fixture_data(tmp_path / "fixture")
    os.symlink(tmp_path / "fixture" / "data", root / "data")
    return root


def test_the_build_refuses_to_publish_a_key_from_a_hand_written_page(tmp_path):
    root = _site_root(tmp_path, "## Notes\n\nOur test key:\n\n    " + KEYS["openai"] + "\n")
    built = run([MKDOCS, "build", "--strict", "--config-file", root / "mkdocs.yml",
                 "--site-dir", tmp_path / "site"], cwd=root, env=_env())
    assert built.code != 0, built.out
    assert "Traceback" not in built.out
    assert "real-looking API key(s) in the built site" in built.out, built.out
    assert "verify/index.html:" in built.out and "openai key format" in built.out, built.out
    assert "llms-full.txt:" in built.out and "search/search_index.json:" in built.out, built.out
    assert KEYS["openai"] not in built.out


def test_the_same_build_without_the_key_passes(tmp_path):
    root = _site_root(tmp_path, "## Notes\n\nOur test key: sk-abc1***wxyz (masked).\n")
    built = run([MKDOCS, "build", "--strict", "--config-file", root / "mkdocs.yml",
                 "--site-dir", tmp_path / "site"], cwd=root, env=_env())
    assert built.code == 0, built.out
    assert "sk-abc1***wxyz (masked)" in (tmp_path / "site" / "verify" / "index.html").read_text()
