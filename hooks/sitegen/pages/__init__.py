"""One module per page kind: models (model, family and index pages), pricing (comparisons, cache,
tracker, price changes), errors (troubleshooting families and the topic map), calculator."""
