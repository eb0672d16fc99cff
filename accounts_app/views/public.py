"""The public site: published versions only, through `access.versions` like every page.
(The full portal — search, filters, charts, downloads — comes with its own issue.)"""

from __future__ import annotations

from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .. import access
from ..models import Disclosure, Version
from ..rendering.tables import render_dataset
from ..selectors import version_dataset
from ..specs import get_table_set

Status = Version.Status


def _published(request):
    """Published versions: what anyone may read, whoever is signed in."""
    return access.versions(request.user).filter(status=Status.PUBLISHED)


def home(request):
    latest = (
        _published(request)
        .values("disclosure")
        .annotate(last=Max("number"))
        .values_list("disclosure", "last")
    )
    disclosures = (
        Disclosure.objects.filter(pk__in=[pk for pk, _ in latest])
        .select_related("department__region", "unit", "year")
        .annotate(published_at=Max("versions__published_at"))
        .order_by("-year__year", "department__region__code", "department__name")
    )
    return render(request, "public/home.html", {"disclosures": disclosures})


def disclosure(request, pk: int, number: int | None = None):
    history = _published(request).filter(disclosure_id=pk).order_by("-number")
    if not history:
        raise Http404("没有已公开的版本。")
    current = history[0]
    shown = current if number is None else get_object_or_404(history, number=number)
    dataset = version_dataset(shown)
    return render(
        request,
        "public/disclosure.html",
        {
            "disclosure": shown.disclosure,
            "version": shown,
            "is_current": shown.pk == current.pk,
            "current": current,
            "history": history,
            "tables": render_dataset(dataset, get_table_set(shown.table_set)),
        },
    )
