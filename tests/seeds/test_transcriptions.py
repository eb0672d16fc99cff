"""Our transcriptions of the seed tables hold every figure the documents print, and no other."""

from collections import Counter
from decimal import Decimal

import pytest

from .transcriptions import SEEDS, figures, load, printed_amounts, printed_cell_rows, table_sections, transcribed_amounts

# Tokens the OCR of the published PDFs printed that are not figures of the table.
OCR_NOISE = {
    # 表3 ends with the rows 2101501, 2101502, 229, 22960 printed a second time, merged into one line.
    ("001", "expense"): Counter({Decimal("125.91"): 1, Decimal("244.69"): 2, Decimal("28.35"): 4}),
    # 表6: the two-line cell "其他交通费用 3.82" comes out as a garbled extra line "20020 其他交通 2.00";
    # 3.82 is right: 302 商品和服务支出 7.36 = 1.36 + 0.54 + 1.59 + 3.82 + 0.05.
    ("001", "gpb_basic"): Counter({Decimal("2.00"): 1}),
}

CASES = [(seed, table) for seed in SEEDS for table in load(seed)["tables"]]


@pytest.mark.parametrize(("seed", "table"), CASES, ids=[f"{s}-{t}" for s, t in CASES])
def test_every_printed_amount_is_transcribed(seed, table):
    printed = printed_amounts(table_sections(seed)[table])
    noise = OCR_NOISE.get((seed, table), Counter())
    assert noise <= printed, "the documented OCR noise is no longer in the text"
    assert transcribed_amounts(seed, table) == printed - noise


@pytest.mark.parametrize("table", ["three_public_detail", "state_assets"])
def test_seed_002_row_tables_cell_by_cell(table):
    """Counts and "——" carry no decimals: compare these two tables cell by cell."""
    columns = {"three_public_detail": ["initial_budget", "budget", "final"], "state_assets": ["amount"]}[table]
    printed = {}
    for row in printed_cell_rows("002"):
        if len(row) == len(columns) + 2 and row[1].isdigit() and row[0] and not row[0].startswith("项"):
            printed.setdefault(row[1], row)
    keys = {key for key, _ in figures("002")[table]}
    assert keys <= set(printed)
    for (key, column), value in figures("002")[table].items():
        assert printed[key][2 + columns.index(column)].replace(",", "") == value
    for key, row in printed.items():
        if key in {k for k, _ in figures("002")[table]} or table == "state_assets":
            for column, cell in zip(columns, row[2:]):
                if cell:
                    assert figures("002")[table].get((key, column)) == cell.replace(",", ""), (key, column)
