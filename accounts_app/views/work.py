"""The workspace (工作台) of 填报人, 审核人 and 管理员. Thin: every lookup is scoped by
the user's `access.scope_of` (the models' visible_to / workable_by), every button comes
from `access.actions_available`, every change goes through `services.workflow` (states,
audit, notices). The reviewer's actions and the audit log are in views.review, the version
page's parts in views.version_page.

What a person typed survives a refused action: the view keeps the posted texts in the
session (`keep_typed`) and the page shows them again (`typed`) with the refusal."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import access
from ..access import Action
from ..forms import ApprovalDateForm, ExplainAllForm, UploadForm
from ..models import Disclosure, Finding, Version
from ..models.disclosure import UNDER_REVIEW
from ..security import client_ip
from ..services import downloads, workflow
from ..services.deadlines import deadline_counts, deadline_rows
from ..services.pdfs import pdf_filename, version_pdf
from .version_page import version_context

Status = Version.Status
TYPED = "typed-{pk}"  # the session key of what was typed on a version's page before a refusal


def actor(request) -> workflow.Actor:
    return workflow.Actor(request.user, client_ip(request))


def _version(request, pk: int, action: Action) -> Version:
    """The version if the user may see it (else 404) and take `action` on it (else 403)."""
    version = get_object_or_404(Version.objects.visible_to(access.scope_of(request.user)), pk=pk)
    if not access.allowed(request.user, action, version.disclosure):
        raise PermissionDenied
    return version


def _disclosure(request, pk: int, action: Action) -> Disclosure:
    disclosure = get_object_or_404(Disclosure.objects.workable_by(access.scope_of(request.user)), pk=pk)
    if not access.allowed(request.user, action, disclosure):
        raise PermissionDenied
    return disclosure


def keep_typed(request, version_pk: int, names: tuple[str, ...]) -> None:
    """Keep the texts a refused POST carried (by field name) for the page that shows the refusal."""
    kept = {name: request.POST[name] for name in names if request.POST.get(name, "").strip()}
    if kept:
        request.session[TYPED.format(pk=version_pk)] = {**request.session.get(TYPED.format(pk=version_pk), {}), **kept}


def typed(request, version_pk: int) -> dict[str, str]:
    """What was typed before the last refusal on this version's page (shown once)."""
    return request.session.pop(TYPED.format(pk=version_pk), {})


def transition_view(action: Action, perform, keep: tuple[str, ...] = ()):
    """A POST view that applies `perform(request, version)` and reports its message; on a
    refusal the fields named in `keep` are shown again."""

    @login_required
    @require_POST
    def view(request, pk: int) -> HttpResponse:
        version = _version(request, pk, action)
        try:
            message = perform(request, version)
        except workflow.TransitionRefused as refused:
            messages.error(request, str(refused))
            keep_typed(request, version.pk, keep)
        else:
            messages.success(request, message)
        return redirect("work:version", pk=version.pk)

    view.__name__ = perform.__name__
    return view


# -- pages ----------------------------------------------------------------------------


@login_required
def dashboard(request):
    scope = access.scope_of(request.user)
    if not scope.is_staff_role:
        return render(request, "work/no_role.html", status=403)
    workable = Disclosure.objects.workable_by(scope)
    queue = Version.objects.visible_to(scope).filter(status__in=UNDER_REVIEW, disclosure__in=workable)
    rows = deadline_rows(workable) if scope.role != access.Role.ACCOUNTANT else []
    return render(
        request,
        "work/dashboard.html",
        {
            "scope": scope,
            "disclosures": workable.annotate(version_count=Count("versions")),
            "queue": queue.order_by("submitted_at"),
            "deadline_rows": rows,
            "deadline_counts": deadline_counts(rows),
            "notifications": request.user.notifications.filter(read_at__isnull=True)[:10],
            "can_upload": scope.may(Action.UPLOAD),
        },
    )


def status_labels(versions: list[Version], current_id: int | None) -> dict[int, str]:
    """The state each version shows in a list: a published one is 「已公开（现行）」 when the
    public reads it, 「已公开（已被第 N 版更正）」 once a later one was published."""
    published = sorted((v.number for v in versions if v.status == Status.PUBLISHED))
    labels = {}
    for version in versions:
        label = version.get_status_display()
        if version.status == Status.PUBLISHED:
            later = [n for n in published if n > version.number]
            if version.pk == current_id:
                label = "已公开（现行）"
            elif later:
                label = f"已公开（已被第 {later[0]} 版更正）"
        labels[version.pk] = label
    return labels


@login_required
def disclosure_detail(request, pk: int):
    disclosure = _disclosure(request, pk, Action.VIEW)
    all_versions = disclosure.versions.visible_to(access.scope_of(request.user))
    versions = list(
        all_versions.exclude(status=Status.DISCARDED)
        .annotate(
            errors=Count("findings", filter=Q(findings__severity=Finding.Severity.ERROR)),
            warnings=Count("findings", filter=Q(findings__severity=Finding.Severity.WARNING)),
        )
        .order_by("-number")
    )
    labels = status_labels(versions, disclosure.current_version_id)
    for version in versions:
        version.status_label = labels[version.pk]
    return render(
        request,
        "work/disclosure.html",
        {
            "disclosure": disclosure,
            "versions": versions,
            "actions": access.actions_available(user=request.user, disclosure=disclosure),
            "upload_form": UploadForm(),
            "upload_limit": settings.WORKBOOK_MAX_UPLOAD_BYTES,
            "date_form": ApprovalDateForm(initial={"approval_date": disclosure.approval_date}),
            "has_published": disclosure.has_published(),
            "discarded": all_versions.filter(status=Status.DISCARDED).count(),
        },
    )


@login_required
@require_POST
def approval_date(request, pk: int):
    disclosure = _disclosure(request, pk, Action.RECORD_APPROVAL)
    form = ApprovalDateForm(request.POST)
    if form.is_valid():
        workflow.approval_date_set(disclosure=disclosure, actor=actor(request), date=form.cleaned_data["approval_date"])
        messages.success(request, "批复日期已登记。")
    else:
        messages.error(request, "请填写正确的批复日期。")
    return redirect("work:disclosure", pk=disclosure.pk)


@login_required
def version_detail(request, pk: int):
    version = _version(request, pk, Action.VIEW)
    return render(request, "work/version.html", version_context(request, version, typed(request, version.pk)))


# -- the accountant's actions on a version ------------------------------------------------------


def _submit(request, version):
    workflow.version_submit(version=version, actor=actor(request), correction_note=request.POST.get("correction_note", ""))
    return "已提交审核。"


submit = transition_view(Action.SUBMIT, _submit, keep=("correction_note",))


@login_required
@require_POST
def explain(request, pk: int):
    visible = Version.objects.visible_to(access.scope_of(request.user))
    finding = get_object_or_404(Finding.objects.select_related("version__disclosure__department"), pk=pk, version__in=visible)
    if not access.allowed(request.user, Action.EXPLAIN, finding.version.disclosure):
        raise PermissionDenied
    try:
        workflow.warning_explain(finding=finding, actor=actor(request), text=request.POST.get("explanation", ""))
    except workflow.TransitionRefused as refused:
        messages.error(request, str(refused))
        if request.POST.get("explanation", "").strip():
            request.session[TYPED.format(pk=finding.version_id)] = {f"explanation-{finding.pk}": request.POST["explanation"]}
    return redirect(f"/work/versions/{finding.version_id}/#finding-{finding.pk}")


def _explain_all(request, version):
    form = ExplainAllForm(request.POST)
    if not form.is_valid():
        raise workflow.TransitionRefused(workflow.EXPLANATION_EMPTY)
    count = workflow.findings_explain(
        version=version, actor=actor(request), text=form.cleaned_data["explanation"], replace=form.cleaned_data["replace"]
    )
    return f"已为 {count} 条尾差提示填写说明。"


explain_all = transition_view(Action.EXPLAIN, _explain_all, keep=("explanation",))


# -- downloads, notices, the session ------------------------------------------------------------


@login_required
def download_xlsx(request, pk: int):
    """The version's figures regenerated in the official layout (never the uploaded file)."""
    return downloads.version_workbook(version=_version(request, pk, Action.VIEW)).response()


@login_required
def draft_pdf(request, pk: int):
    """A PDF of any version the user may see, rendered on demand and marked 草稿 unless published."""
    version = _version(request, pk, Action.VIEW)
    draft = version.status != Status.PUBLISHED
    response = HttpResponse(version_pdf(version, draft=draft), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, pdf_filename(version))
    return response


@login_required
def notifications(request):
    items = request.user.notifications.select_related("version__disclosure__department", "version__disclosure__year")
    if request.method == "POST":
        items.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("work:notifications")
    return render(request, "work/notifications.html", {"items": items[:200]})


@never_cache
def ping(request):
    """「继续使用」: a request that keeps the session alive (SESSION_SAVE_EVERY_REQUEST) and says
    how long it now lasts; 401 once it has ended."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    return JsonResponse({"signed_in": True, "seconds": request.session.get_expiry_age()})
