"""Exact money: Decimal from text, never through float; one display rule for every surface."""
import re
from decimal import ROUND_HALF_UP, Context, Decimal

# Enough digits that no product in this engine is ever rounded: 10^12 tokens x 10^6 requests
# x a price with a dozen digits stays far below 80 significant digits.
EXACT = Context(prec=80)
PRICE_TEXT = re.compile(r"^(0|[1-9][0-9]{0,5})(\.[0-9]{1,12})?$")
DISPLAY_PLACES = 4
DISPLAY_QUANTUM = Decimal(1).scaleb(-DISPLAY_PLACES)
THOUSAND = Decimal(1000)


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


def format_usd(amount):
    """The display rule: half-up to 4 decimal places with thousands separators; a non-zero
    amount that would round to $0.0000 is shown with two significant digits instead, so a real
    cost never reads as $0."""
    if not isinstance(amount, Decimal):
        amount = Decimal(amount)
    sign = ""
    if amount < 0:
        sign, amount = "-", -amount
    rounded = amount.quantize(DISPLAY_QUANTUM, rounding=ROUND_HALF_UP, context=EXACT)
    if not rounded and amount:
        exponent = amount.adjusted() - 1  # keep two significant digits
        small = amount.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP, context=EXACT)
        if small.adjusted() > amount.adjusted():  # rounding carried (0.0000099996 -> 0.0000100)
            small = small.quantize(Decimal(1).scaleb(exponent + 1), context=EXACT)
        return f"{sign}${format(small, 'f')}"
    if rounded >= THOUSAND:  # the separator costs a slower format: only where it shows
        return f"{sign}${rounded:,.{DISPLAY_PLACES}f}"
    return f"{sign}${rounded:f}"


def percent(part, whole):
    """part / whole as a percentage string with one decimal, half-up ("35.0")."""
    if whole == 0:
        return "0.0"
    value = EXACT.divide(EXACT.multiply(part, Decimal(100)), whole)
    return format(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP, context=EXACT), "f")
