"""docs/quality.md says what specs/quality.py declares: every dimension with its weight, every
item with its points."""

from __future__ import annotations

from pathlib import Path

from accounts_app.specs import quality as spec

DOC = (Path(__file__).resolve().parents[2] / "docs" / "quality.md").read_text(encoding="utf-8")


def test_the_documented_weights_and_items_are_the_declared_ones():
    for dimension in spec.DIMENSIONS:
        assert f"### {dimension.label} — {dimension.weight}" in DOC
        for item in dimension.items:
            assert f"| {item.label} | {item.points:g} |" in DOC, item.key
    for threshold, grade, label in spec.GRADES:
        assert f"| ≥ {threshold} | {grade} {label} |" in DOC
