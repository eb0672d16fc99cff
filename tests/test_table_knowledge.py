"""Table knowledge lives in specs/ (and the templates): no code elsewhere names a table by its
key, its title or its number, nor a 功能分类 code. Docstrings and comments may quote a
printed title as an example; string literals that code acts on may not."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from accounts_app.narrative.drafting import BUILDERS
from accounts_app.specs import TABLE_SETS, specs_for_year
from accounts_app.specs.classification import classification_for
from accounts_app.specs.outline import OUTLINES

ROOT = Path(__file__).resolve().parent.parent
YEARS = (2019, 2021, 2023, 2024)
# 公开01表, 表3, 表七 (a table's number as a region prints it), not 表格, 表中 …
NUMBER = re.compile(r"公开\s*\d{1,2}\s*表|表[一二三四五六七八九十]{1,2}(?![\u4e00-\u9fff])|表\d{1,2}(?!\d)")


def _vocabulary():
    keys, titles, codes = set(), set(), set()
    for year in YEARS:
        for spec in specs_for_year(year).values():
            keys |= {spec.key, spec.family} - {""}
            titles |= {spec.title, *spec.aliases}
        classification = classification_for(year)
        codes |= {expense_class.code for expense_class in classification.classes}
    for table_set in TABLE_SETS.values():
        titles |= set(table_set.titles.values())
    return keys, titles, codes


def _literals(path: Path):
    """(line, text) of every string literal in a module that is not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def _modules():
    for package in ("accounts_app", "portal"):
        for path in (ROOT / package).rglob("*.py"):
            if not {"specs", "migrations"} & set(path.relative_to(ROOT).parts):
                yield path


def test_no_table_key_title_number_or_subject_code_outside_specs():
    keys, titles, codes = _vocabulary()
    subject_code = re.compile(r"\d{3}(\d{2}){0,2}")
    found = []
    for path in _modules():
        for line, text in _literals(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if text in keys:
                found.append(f"{where} table key {text!r}")
            elif subject_code.fullmatch(text) or text in codes:
                found.append(f"{where} 功能分类 code {text!r}")
            elif title := next((title for title in titles if len(title) >= 4 and title in text), None):
                found.append(f"{where} table title {title!r}")
            elif number := NUMBER.search(text):
                found.append(f"{where} table number {number.group(0)!r}")
    assert not found, "\n".join(found)


def test_the_scan_knows_the_vocabulary():
    """The scan above would see a table key, title or code (it is not looking for nothing)."""
    keys, titles, codes = _vocabulary()
    assert {"income_expense", "three_public", "gov_fund"} <= keys
    assert "收入支出决算总表" in titles and "财政拨款“三公”经费支出决算表" in titles
    assert "201" in codes
    assert NUMBER.search("公开01表") and NUMBER.search("表七") and NUMBER.search("表3")
    assert not NUMBER.search("表格") and not NUMBER.search("表中")


def test_every_outline_section_has_its_builder():
    def keys(outline):
        for entry in outline:
            yield from (member[0] for member in entry[2]) if len(entry) == 3 else (entry[0],)

    for name, outline in OUTLINES.items():
        assert set(keys(outline)) <= set(BUILDERS), name
