"""The site as plain data (no mkdocs import): settings, build (load + render every generated page),
figures (the engine's answers the pages show), render (the one Jinja environment), pages/ (one
module per page kind), nav and markers (placing pages, filling docs/ markers), export (api/*.json,
llms.txt), vendor + pyodide_stdlib.mjs (Pyodide, tablesort, the calculator wheel and stdlib),
precompress, publish (complete-tree swap) and secrets (the built site's key scan)."""
