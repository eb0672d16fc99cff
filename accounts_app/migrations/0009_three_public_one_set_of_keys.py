"""The 三公 table of every form under one set of keys.

Versions read in the form with the items as rows and 年初预算数/全年预算数/决算数 (three_public_detail,
as Jiangxi prints it) were stored under that form's own rows and columns. They move to the stored
三公 table's keys (one row, `<part>_<item>` and the 相关统计数 by name), remembering the form so that
they are still printed as the department printed them. Findings and comments on that table follow.
The mapping is written out here, as the spec had it when this migration was made.
"""

from django.db import migrations, models

STORED, DETAIL, ROW, ROW_LABEL = "three_public", "three_public_detail", "total", "“三公”经费支出"
AMOUNT_ROWS = {
    "1": "total", "2": "abroad", "3": "car", "4": "car_purchase", "5": "car_operation", "6": "reception",
    "7": "reception_domestic", "8": "reception_foreign_affairs", "9": "reception_foreign",
}
PARTS = {"initial_budget": "initial", "budget": "budget", "final": "final"}
COUNT_ROWS = {
    "11": "abroad_groups", "12": "abroad_people", "13": "car_purchased", "14": "car_holding",
    "15": "reception_domestic_batches", "16": "reception_foreign_affairs_batches",
    "17": "reception_domestic_people", "18": "reception_foreign_affairs_people",
    "19": "reception_foreign_batches", "20": "reception_foreign_people",
}
CELLS = {(row, column): f"{PARTS[column]}_{item}" for row, item in AMOUNT_ROWS.items() for column in PARTS}
CELLS |= {(row, "final"): key for row, key in COUNT_ROWS.items()}


def to_one_set_of_keys(apps, schema_editor):
    VersionTable = apps.get_model("accounts_app", "VersionTable")
    Line = apps.get_model("accounts_app", "Line")
    Figure = apps.get_model("accounts_app", "Figure")
    Version = apps.get_model("accounts_app", "Version")
    Finding = apps.get_model("accounts_app", "Finding")
    Comment = apps.get_model("accounts_app", "Comment")
    for table in VersionTable.objects.filter(table=DETAIL):
        lines = list(Line.objects.filter(table=table))
        moved = [
            (CELLS[(line.key, figure.column)], figure.amount, figure.cell)
            for line in lines
            for figure in Figure.objects.filter(line=line)
            if (line.key, figure.column) in CELLS
        ]
        sheet_rows = [line.sheet_row for line in lines if line.sheet_row]
        Line.objects.filter(table=table).delete()
        line = Line.objects.create(table=table, key=ROW, label=ROW_LABEL, position=0, sheet_row=min(sheet_rows, default=None))
        Figure.objects.bulk_create(Figure(line=line, column=column, amount=amount, cell=cell) for column, amount, cell in moved)
        dropped = table.figure_count - len(moved)
        VersionTable.objects.filter(pk=table.pk).update(table=STORED, form=DETAIL, figure_count=len(moved))
        Version.objects.filter(pk=table.version_id).update(figure_count=models.F("figure_count") - dropped)
        for finding in Finding.objects.filter(version_id=table.version_id, table=DETAIL):
            finding.table, finding.column = STORED, CELLS.get((finding.row, finding.column), "")
            finding.row = ROW if finding.row else ""
            finding.save(update_fields=["table", "row", "column"])
        Comment.objects.filter(version_id=table.version_id, table=DETAIL).exclude(row="").update(table=STORED, row=ROW)
        Comment.objects.filter(version_id=table.version_id, table=DETAIL).update(table=STORED)


class Migration(migrations.Migration):
    dependencies = [("accounts_app", "0008_sheet_reading_and_table_layouts")]

    operations = [
        migrations.AddField(
            model_name="versiontable",
            name="form",
            field=models.CharField(
                blank=True,
                help_text="工作簿印的表式，与存储格式不同时填写（如“三公”经费表各项为行）；公开时按此表式印出。",
                max_length=40,
                verbose_name="印制格式",
            ),
        ),
        migrations.RunPython(to_one_set_of_keys, migrations.RunPython.noop, elidable=True),
    ]
