"""`python -m hooks.cli` is the `pricebook` command."""
from hooks.cli import main

raise SystemExit(main())
