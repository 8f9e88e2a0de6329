"""Cross-checks of the troubleshooting families (data/errors/*.yaml) against the catalog.

Filled in with the site's error pages; the loader calls `check_errors` after schema validation.
"""


def check_errors(docs, catalog_dict):
    """docs: list of YamlDoc for data/errors/*.yaml; catalog_dict: the validated catalog dict.
    Returns a list of Problem (e.g. a fast check naming a slug that does not exist)."""
    return []
