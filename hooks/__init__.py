"""pricebook's build side: YAML loading and validation, page rendering, exports, the CLI.

Only `hooks/mkdocs_hooks.py` imports mkdocs; everything here is plain functions from data to pages.
"""
