"""What every rule shares while one data folder is checked: where problems go, the day the checks
are dated by, and the names the models files define (the site and error rules look them up)."""
import datetime
from decimal import Decimal

from calculator.money import PRICE_TEXT

from hooks.data.schema import field_label
from hooks.data.yamlfile import DATE_TEXT


class RuleContext:
    def __init__(self, problems, today, stale_days, strict):
        self.problems = problems
        self.today = today
        self.stale_days = stale_days
        self.strict = strict
        self.slugs = {}        # slug -> (doc, path)
        self.alias_of = {}     # alias -> the slug it routes to (the first model that lists it)
        self.complete = True   # every provider file parsed (else a missing slug may be in a broken file)

    def add(self, doc, path, message, level="error", at_key=False):
        self.problems.append(doc.problem(path, message, level, at_key))

    def date(self, doc, path):
        """The date at path, or None; names a date-shaped value that is not a real date."""
        value = doc.get(path)
        if not isinstance(value, str) or not DATE_TEXT.match(value):
            return None
        try:
            return datetime.date(*map(int, value.split("-")))
        except ValueError as exc:
            self.add(doc, path, f"{field_label(doc, path)}: {value} is not a real date ({exc}); write YYYY-MM-DD")
            return None


def price(value):
    """A price text as a Decimal, or None for any other shape (the schema names those)."""
    return Decimal(value) if isinstance(value, str) and PRICE_TEXT.match(value) else None
