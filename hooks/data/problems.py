"""A data mistake with its place: printed as `path:line:col: message`."""
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str       # relative to the repo (e.g. data/models/openai.yaml)
    line: int       # 1-based
    col: int        # 1-based
    message: str    # names the field and what was expected
    level: str = "error"   # "error" fails check and build; "warning" is printed (an error with --strict)

    def __str__(self):
        tag = "" if self.level == "error" else f"{self.level}: "
        return f"{self.path}:{self.line}:{self.col}: {tag}{self.message}"


class HasProblems:
    """Mixin for a result with a `problems` list: its errors and its warnings."""

    @property
    def errors(self):
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self):
        return [p for p in self.problems if p.level != "error"]
