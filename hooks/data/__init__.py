"""Reading data/ and every rule about it: yamlfile (YAML with line numbers), schema (the JSON
Schemas of data/schema/), load (the catalog dict and LoadResult), keys (real-looking API keys),
yamledit (text edits that keep a file's layout), and rules/, one module per kind of data file."""
