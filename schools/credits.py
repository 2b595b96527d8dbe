"""Credits from minutes of professional learning, by a district's rules: its minutes per clock
hour, the clock hours that make one credit of its unit, and its rounding.

Plain functions over anything with those attributes (a `District`, or a stand-in in a test),
so that the hours ledger and the settings page say the same thing.
"""

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Protocol

from .models import CreditRounding, CreditUnit

# Singular and plural of each unit, for sentences like "10 clock hours = 1 CEU".
UNIT_NAMES = {
    CreditUnit.CLOCK_HOURS: ("clock hour", "clock hours"),
    CreditUnit.CEU: ("CEU", "CEUs"),
    CreditUnit.PDP: ("PDP", "PDPs"),
}


class CreditRules(Protocol):
    minutes_per_clock_hour: int
    clock_hours_per_credit: Decimal
    credit_unit: str
    credit_rounding: str


def _round(credits: Decimal, rounding: str) -> Decimal:
    if rounding == CreditRounding.QUARTER_DOWN:
        return (credits * 4).to_integral_value(ROUND_FLOOR) / 4
    if rounding == CreditRounding.TENTH_NEAREST:
        return credits.quantize(Decimal("0.1"), ROUND_HALF_UP)
    if rounding == CreditRounding.WHOLE_DOWN:
        return credits.to_integral_value(ROUND_FLOOR)
    return credits.quantize(Decimal("0.01"), ROUND_HALF_UP)


def credits_from_minutes(minutes: int, rules: CreditRules) -> Decimal:
    """The credits `minutes` of learning earn: minutes → clock hours → the district's unit,
    then rounded as the district says (unrounded: to the hundredth, half up).

    One division, so that a time worth exactly a quarter or a whole credit is never taken
    for a hair less and rounded down a step. Quarters keep two decimals (1.50), tenths one,
    whole credits none."""
    if minutes < 0:
        raise ValueError(f"minutes cannot be negative ({minutes})")
    per_credit = Decimal(rules.minutes_per_clock_hour) * Decimal(rules.clock_hours_per_credit)
    if per_credit <= 0:
        raise ValueError("a credit must take more than 0 minutes")
    credits = Decimal(minutes) / per_credit
    rounded = _round(credits, rules.credit_rounding)
    if rules.credit_rounding == CreditRounding.QUARTER_DOWN:
        return rounded.quantize(Decimal("0.01"))
    return rounded


def _number(value: Decimal | int) -> str:
    """10.00 → "10", 2.50 → "2.5"."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _of(count: Decimal | int, unit: str) -> str:
    one, many = UNIT_NAMES[CreditUnit(unit)]
    return f"{_number(count)} {one if Decimal(count) == 1 else many}"


def conversion_in_words(rules: CreditRules) -> str:
    """ "60 minutes = 1 clock hour; 10 clock hours = 1 CEU" (only the first part for clock
    hours)."""
    hour = f"{rules.minutes_per_clock_hour} minutes = 1 clock hour"
    if rules.credit_unit == CreditUnit.CLOCK_HOURS:
        return hour
    clock = _of(rules.clock_hours_per_credit, CreditUnit.CLOCK_HOURS)
    return f"{hour}; {clock} = {_of(1, rules.credit_unit)}"
