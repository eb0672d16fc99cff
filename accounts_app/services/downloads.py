"""What a version is downloaded as, built in one place for the public site and the workspace:
the regenerated workbook, one table as .xlsx or .csv, and the names of the files (the PDF's
too). Always rebuilt from the stored figures, never the uploaded file."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from ..exporting.tables_csv import table_csv
from ..exporting.template import disclosure_template, template_filename
from ..exporting.xlsx import workbook_bytes
from ..models import Disclosure, Version, VersionFile
from ..selectors import table_set, version_dataset

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
WORKBOOK = "workbook.xlsx"  # the stored name of the whole workbook; a table's: "<table>.<xlsx|csv>"


@dataclass(frozen=True)
class Download:
    data: bytes
    content_type: str
    filename: str

    def response(self) -> HttpResponse:
        """The file as an attachment, its name in UTF-8 (RFC 6266)."""
        response = HttpResponse(self.data, content_type=self.content_type)
        response["Content-Disposition"] = content_disposition_header(True, self.filename)
        return response


def file_stem(version: Version) -> str:
    """“2023年度新乡市凤泉区教育局部门决算-第2版”: every file of a version starts so."""
    d = version.disclosure
    return f"{d.year.year}年度{d.entity_name}{d.get_kind_display()}-第{version.number}版"


def version_workbook(*, version: Version) -> Download:
    """Every table of the version in one workbook, each in the form the department printed it."""
    data = workbook_bytes(version_dataset(version), table_set(version.table_set), version.disclosure.entity_name)
    return Download(data, XLSX, f"{file_stem(version)}.xlsx")


def version_table(*, version: Version, table: str, fmt: str) -> Download | None:
    """One table as .xlsx or .csv; None when the version has no such table."""
    dataset = version_dataset(version)
    data_table = dataset.get(table)
    if data_table is None:
        return None
    name = f"{file_stem(version)}-{dataset.label_of(data_table.spec.family)}{data_table.title}"
    if fmt == "csv":
        text = table_csv(data_table.printed_spec, data_table.as_printed())
        return Download(text.encode("utf-8"), CSV, f"{name}.csv")
    data = workbook_bytes(dataset, table_set(version.table_set), version.disclosure.entity_name, [data_table.spec])
    return Download(data, XLSX, f"{name}.xlsx")


def blank_template(*, disclosure: Disclosure) -> Download:
    """The blank workbook of the disclosure's table set, its year's catalog and its name."""
    return Download(disclosure_template(disclosure), XLSX, template_filename(disclosure))


def stored_file(version: Version, name: str) -> VersionFile | None:
    """A download stored at publication (services.publication); None for a version
    published before files were stored, or a name it does not have."""
    return VersionFile.objects.filter(version=version, name=name).first()
