from django.urls import include, path

from .views import board, narrative, public, uploads, work

work_patterns = [
    path("", work.dashboard, name="dashboard"),
    path("disclosures/<int:pk>/", work.disclosure_detail, name="disclosure"),
    path("disclosures/<int:pk>/upload/", uploads.upload, name="upload"),
    path("disclosures/<int:pk>/template.xlsx", uploads.template, name="template"),
    path("disclosures/<int:pk>/approval-date/", work.approval_date, name="approval_date"),
    path("versions/<int:pk>/", work.version_detail, name="version"),
    path("versions/<int:pk>/sheets/", uploads.sheets, name="sheets"),
    path("versions/<int:pk>/discard/", uploads.discard, name="discard"),
    path("versions/<int:pk>/submit/", work.submit, name="submit"),
    path("versions/<int:pk>/return/", work.return_version, name="return"),
    path("versions/<int:pk>/approve/", work.approve, name="approve"),
    path("versions/<int:pk>/publish/", work.publish, name="publish"),
    path("versions/<int:pk>/regenerate/", work.regenerate, name="regenerate"),
    path("versions/<int:pk>/comment/", work.comment, name="comment"),
    path("versions/<int:pk>/tables.xlsx", work.download_xlsx, name="download_xlsx"),
    path("versions/<int:pk>/disclosure.pdf", work.draft_pdf, name="draft_pdf"),
    path("versions/<int:pk>/narrative/", narrative.overview, name="narrative"),
    path("versions/<int:pk>/narrative/profile/", narrative.profile_edit, name="narrative_profile"),
    path("versions/<int:pk>/narrative/facts/", narrative.facts_edit, name="narrative_facts"),
    path("versions/<int:pk>/narrative/text/", narrative.text_edit, name="narrative_text"),
    path("versions/<int:pk>/narrative/sections/", narrative.sections_edit, name="narrative_sections"),
    path("versions/<int:pk>/narrative/evaluations/new/", narrative.evaluation_edit, name="evaluation_new"),
    path("versions/<int:pk>/narrative/evaluations/<int:evaluation_pk>/", narrative.evaluation_edit, name="evaluation"),
    path(
        "versions/<int:pk>/narrative/evaluations/<int:evaluation_pk>/delete/",
        narrative.evaluation_delete,
        name="evaluation_delete",
    ),
    path("findings/<int:pk>/explain/", work.explain, name="explain"),
    path("audit/", work.audit_log, name="audit"),
    path("notifications/", work.notifications, name="notifications"),
]

urlpatterns = [
    path("", public.home, name="home"),
    path("compare/", public.compare, name="compare"),
    path("board/", board.board, name="board"),
    path("board/board.csv", board.board_csv, name="board_csv"),
    path("departments/<int:pk>/", public.department, name="department"),
    path("disclosures/<int:pk>/", public.disclosure, name="disclosure"),
    path("disclosures/<int:pk>/versions/<int:number>/", public.disclosure, name="disclosure_version"),
    path("disclosures/<int:pk>/versions/<int:number>/tables.xlsx", public.download_workbook, name="download_workbook"),
    path("disclosures/<int:pk>/versions/<int:number>/disclosure.pdf", public.download_pdf, name="download_pdf"),
    path(
        "disclosures/<int:pk>/versions/<int:number>/tables/<slug:table>.<str:fmt>",
        public.download_table,
        name="download_table",
    ),
    path("work/", include((work_patterns, "work"))),
    path("api/", include("accounts_app.api.urls")),
]
