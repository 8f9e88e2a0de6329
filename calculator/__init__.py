"""pricebook's pricing engine: stdlib only, runs unchanged in CPython 3.11+ and in Pyodide.

The same functions price the tables rendered at build time, the `pricebook` CLI and the browser
calculator, so the three cannot disagree.
"""
