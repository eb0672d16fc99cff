"""Texts cut to the length their field stores, the length read from the model itself: the
one place a value from a workbook or a form is shortened before it is saved."""

from __future__ import annotations

from django.db import models


def fit(model: type[models.Model], field: str, text: str) -> str:
    """`text` within `model.field`'s max_length (unchanged for a field without one)."""
    limit = model._meta.get_field(field).max_length
    return text[:limit] if limit and text else text
