"""What a real API key looks like: the one place that knows, for the data checks (every text of every
data file, hooks.data.load) and for the last gate over the built site (hooks.sitegen.secrets).

One pattern per provider the catalog lists (models/<provider>.yaml), plus OpenRouter-style router
keys and a key written after `Bearer` / `x-api-key` in place of the gateway's placeholder (the
gateway's own keys have no published shape: any long token where the examples put the placeholder
is treated as one). A masked key such as `sk-abc1***wxyz` is not a key.
"""
import re

KEY_FORMATS = {
    # sk-ant-api03-..., sk-ant-admin01-...
    "anthropic": r"\bsk-ant-[A-Za-z0-9_-]{20,}",
    "deepseek": r"\bsk-[0-9a-f]{32}\b",
    # sk-..., sk-proj-..., sk-svcacct-..., sk-admin-...; DeepSeek's sk-<32 hex>; sk-or-v1-... (routers)
    "openai": r"\bsk-(?!ant-)(?:[A-Za-z0-9]+-)*[A-Za-z0-9_]{20,}",
    # AIza + 35 characters
    "google": r"\bAIza[0-9A-Za-z_-]{30,}",
    # Z.AI / Zhipu: 32 hex, a dot, 16 letters and digits
    "zai": r"\b[0-9a-fA-F]{32}\.[A-Za-z0-9]{16}\b",
    # a token where the gateway's examples put the key placeholder
    "gateway": r"\b(?:Bearer|x-api-key:?|x-goog-api-key:?)\s+(?!YOUR_)[A-Za-z0-9._~+/=-]{24,}",
}
REAL_KEY = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in KEY_FORMATS.items()))
# what every key format above contains, found ~10x faster: a text without it holds no key. The
# literal hints are found by str.find (a built site is ~100 MB at 1,000 models; one regex alternation
# stops at every "s", "A", "B", "x" and "."); the Z.AI hint is its dot, looking back at the 32 hex
# digits (a pattern that starts with a literal is found fast; one that starts with [0-9a-fA-F] is
# tried at every hex digit of a built site's pages)
KEY_LITERALS = ("sk-", "AIza", "Bearer", "x-api-key", "x-goog-api-key")
ZAI_HINT = re.compile(r"\.(?<=[0-9a-fA-F]{32}\.)")
KEY_HINT = re.compile("|".join(map(re.escape, KEY_LITERALS)) + "|" + ZAI_HINT.pattern)   # the same hints, one pattern
_ZAI_BACK = 32


def _hints(text):
    """[(hint position, where a key would start)] in text order (no literal hint overlaps another,
    none holds a "."), as KEY_HINT.finditer gives them."""
    hints = []
    for literal in KEY_LITERALS:
        i = text.find(literal)
        while i != -1:
            hints.append((i, i))
            i = text.find(literal, i + len(literal))
    hints += [(m.start(), m.start() - _ZAI_BACK) for m in ZAI_HINT.finditer(text)]
    hints.sort()
    return hints


def iter_keys(text):
    """Every real-looking key in text (re.Match objects; lastgroup names the format), found where
    the hints point, so a long text costs a few fast scans."""
    end = 0
    for _, start in _hints(text):
        if start < end:
            continue
        found = REAL_KEY.match(text, start)
        if found:
            end = found.end()
            yield found


def find_key(text):
    """(provider, matched text) of the first real-looking key in text, or None."""
    if not isinstance(text, str):
        return None
    found = next(iter_keys(text), None)
    if not found:
        return None
    return found.lastgroup, found.group(0)


def masked(key):
    """A key shown in a message without repeating it: its first 6 and last 2 characters."""
    return f"{key[:6]}...{key[-2:]}" if len(key) > 10 else "..."


def key_message(field, text):
    """The check's message for a real-looking key in `field`, or None."""
    found = find_key(text)
    if not found:
        return None
    provider, key = found
    return (f"{field}: this looks like a real API key ({masked(key)}, the {provider} key format); a key "
            "published on the site is leaked: use a masked value such as sk-abc1***wxyz or the site's key "
            "placeholder, and revoke the key if it was real")
