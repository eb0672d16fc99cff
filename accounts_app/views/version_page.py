"""The parts of a version's workspace page (views.work.version_detail): the summary of what
the checks found, the findings by kind, the tables with each row's comments and its 「意见」
control, the comments named by the printed table and row, and the comparison with the
previous version (tables and text) and with last year."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .. import access
from ..checking.quality import Score
from ..forms import CommentForm, CorrectionNoteForm, ExplainAllForm, PublishForm, ReturnForm
from ..importing.reader import SheetReading
from ..importing.reader import Status as ReadStatus
from ..models import Finding, Version
from ..rendering.tables import RenderedTable, render_dataset
from ..selectors import last_year_published, previous_version, version_dataset, version_snapshot
from ..services import publication
from ..services.changes import dataset_changes, snapshot_text_changes
from ..services.findings import ROUNDING
from ..services.workflow import RowTarget, comment_targets

Status = Version.Status
Severity = Finding.Severity


def sheet_readings(version: Version) -> list[SheetReading]:
    """What each sheet of the version's workbook was read as, as stored at import."""
    return [SheetReading(**entry) for entry in version.reading or []]


@dataclass
class CommentedTable:
    """A table of the version page: the rendered table with one more cell per row, that row's
    comments and (for a reviewer) its 「意见」 control."""

    table: RenderedTable  # its key, label, title, header, numbers and note
    body_html: SafeString


def _row_cell(targets: list[RowTarget], comments: dict, can_comment: bool) -> str:
    parts = []
    for target in targets:
        for c in comments.get((target.table, target.row), []):
            parts.append(format_html_join("", '<p class="row-comment-text">{}：{}</p>', [(c.author, c.text)]))
        if can_comment:
            text = "意见" if len(targets) == 1 else f"意见（{target.number or target.name}）"
            parts.append(
                f'<a class="row-comment-link" href="?row={escape(target.value)}#comment-form" data-target="{escape(target.value)}"'
                f' data-label="{escape(target.label)}" title="对{escape(target.label)}提意见">{escape(text)}</a>'
            )
    return f'<td class="row-comments">{"".join(parts)}</td>'


def commented_tables(tables, targets, comments, can_comment) -> list[CommentedTable]:
    """The version's tables, each row followed by a cell of its comments and controls."""
    result = []
    for table in tables:
        rows = str(table.body_html).split("</tr>")[:-1]  # one per BodyRow: cell texts are escaped
        html = []
        for row, markup in zip(table.rows, rows):
            row_targets = [targets[(table.key, key)] for key in row.keys if (table.key, key) in targets]
            html.append(f"{markup}{_row_cell(row_targets, comments, can_comment)}</tr>")
        result.append(CommentedTable(table, mark_safe("".join(html))))
    return result


def _superseded_by(version: Version) -> int | None:
    """The later published version that replaced a published one, if any."""
    if version.status != Status.PUBLISHED:
        return None
    return (
        version.disclosure.versions.filter(status=Status.PUBLISHED, number__gt=version.number)
        .order_by("number").values_list("number", flat=True).first()
    )


def _last_year_dataset(last_year: Version, snapshots):
    """Last year's figures: those the version's snapshot loaded, else loaded here."""
    loaded = snapshots[1].last if snapshots else None
    return loaded.dataset if loaded is not None else version_dataset(last_year)


def version_context(request, version: Version, typed: dict[str, str]) -> dict:
    disclosure = version.disclosure
    scope = access.scope_of(request.user)
    actions = access.actions_available(user=request.user, version=version)
    previous = previous_version(version)
    visible = Version.objects.visible_to(scope)
    previous = previous if previous and visible.filter(pk=previous.pk).exists() else None
    # compared with the previous version: its text part too, each version loaded once
    snapshots = (version_snapshot(previous), version_snapshot(version)) if previous is not None else None
    dataset = snapshots[1].dataset if snapshots else version_dataset(version)
    last_year = last_year_published(disclosure)
    sheets = sheet_readings(version)
    findings = list(version.findings.order_by("severity", "id"))
    for finding in findings:
        finding.typed = typed.get(f"explanation-{finding.pk}", finding.explanation)
    errors = [f for f in findings if f.severity == Severity.ERROR]
    warnings = [f for f in findings if f.severity == Severity.WARNING]
    to_state = [f for f in findings if f.severity == Severity.MISSING]
    rounding = [f for f in warnings if f.code == ROUNDING]

    tables = render_dataset(dataset)
    targets = comment_targets(tables)
    comments = list(version.comments.select_related("author"))
    on_rows: dict[tuple[str, str], list] = {}
    for c in comments:
        target = targets.get((c.table, c.row))
        c.where = target.label if target else " ".join(part for part in (c.table, c.row) if part)
        if target is not None and c.row:
            on_rows.setdefault((c.table, c.row), []).append(c)
    chosen = typed.get("target") or request.GET.get("row", "")

    return {
        "sheets": sheets,
        "read_count": sum(1 for s in sheets if s.status == ReadStatus.READ),
        "needs_mapping": any(s.status in ReadStatus.NEEDS_CHOICE for s in sheets)
        or any(f.code == "table.missing" for f in findings),
        "errors": errors,
        "warnings": warnings,
        "error_count": len(errors),
        "warning_count": len(warnings),
        "unexplained_count": sum(not f.explanation for f in warnings),
        "rounding_count": len(rounding),
        "rounding_unexplained": sum(not f.explanation for f in rounding),
        "to_state_count": len(to_state),
        "narrative_url": reverse("work:narrative", args=[version.pk]),
        "version": version,
        "disclosure": disclosure,
        "superseded_by": _superseded_by(version),
        "tables": commented_tables(tables, targets, on_rows, "comment" in actions),
        "comments": comments,
        "changes_previous": dataset_changes(snapshots[0].dataset, dataset) if snapshots else None,
        "text_changes_previous": snapshot_text_changes(*snapshots) if snapshots else None,
        "previous": previous,
        "changes_last_year": dataset_changes(_last_year_dataset(last_year, snapshots), dataset) if last_year else None,
        "last_year": last_year,
        "actions": actions,
        "needs_correction_note": disclosure.has_published(),
        "correction_form": CorrectionNoteForm(initial={"correction_note": typed.get("correction_note", version.correction_note)}),
        "return_form": ReturnForm(initial={"reason": typed.get("reason", "")}),
        "comment_form": CommentForm(initial={"text": typed.get("text", ""), "target": chosen}, targets=targets.values()),
        "explain_all_form": ExplainAllForm(initial={"explanation": typed.get("explanation", "")}),
        "publish_form": PublishForm(initial={"at": typed.get("at")} if typed.get("at") else None),
        "files_failed": version.status == Status.PUBLISHING and version.files_attempts >= publication.MAX_ATTEMPTS
        and bool(version.files_error),
        "quality": Score.from_data(version.quality) if version.quality else None,  # stored by services.quality
    }
