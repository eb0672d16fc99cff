"""Presentation of figures: amounts with thousands separators and two decimals,
counts as whole numbers; blank stays blank, —— stays ——."""

from decimal import Decimal

from django import template

from ..numbers import money

register = template.Library()


@register.filter
def amount(value):
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value


@register.filter
def signed(value):
    if value is None:
        return ""
    return f"{value:+,.2f}"


@register.filter
def split(value, separator=" "):
    return value.split(separator)


@register.filter
def get(mapping, key):
    return mapping.get(key, "")


@register.filter
def section_heading(section) -> str:
    """“一、收入决算情况说明” for a section, “（一）总体情况” for a subsection."""
    return section.heading
