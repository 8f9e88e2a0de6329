"""Exact money: Decimal from text, never through float. How an amount is shown: calculator/display.py."""
import re
from decimal import Context, Decimal

# Enough digits that no product in this engine is ever rounded: 10^12 tokens x 10^6 requests
# x a price with a dozen digits stays far below 80 significant digits.
EXACT = Context(prec=80)
PRICE_TEXT = re.compile(r"^(0|[1-9][0-9]{0,5})(\.[0-9]{1,12})?$")


class MoneyError(ValueError):
    """A price or ratio that is not a plain non-negative decimal string."""


def parse_decimal(text):
    """A price or ratio from its text form ("3.00"); refuses floats, signs, exponents, words."""
    if isinstance(text, Decimal):
        return text
    if not isinstance(text, str) or not PRICE_TEXT.match(text):
        raise MoneyError(f"not a plain decimal string: {text!r}")
    return Decimal(text)


def per_million(tokens, price):
    """Exact cost of `tokens` at `price` USD per 1M tokens."""
    return EXACT.multiply(Decimal(tokens), price).scaleb(-6, EXACT)


def plain(amount):
    """An exact Decimal as a plain decimal string: no exponent, no trailing zeros ("0.0105")."""
    if amount == 0:
        return "0"
    return format(amount.normalize(EXACT), "f")
