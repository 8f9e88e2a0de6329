"""The rules a JSON Schema cannot say, one module per kind of data file: site_yaml, models_yaml,
errors_yaml, topics_yaml; git_history compares the models files with the last commit; common holds
the RuleContext they share. Each rule names the file, line and column of the value at fault."""
