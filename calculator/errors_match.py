"""Rank troubleshooting families for a pasted error text (filled in with the error pages)."""


def rank(families, text, limit=5):
    """[{"family", "title", "url", "score"}, ...] best first."""
    return []
