"""Rendering a version's PDF and storing it with its SHA-256 (at publication, or again
by `manage.py render_pdfs`). Identical data gives identical bytes and hash."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

from .. import caching
from ..models import Version
from ..rendering.pdf import version_pdf


def version_pdf_store(version: Version) -> Version:
    data = version_pdf(version)
    if version.pdf:
        version.pdf.delete(save=False)  # the storage would otherwise keep both files
    version.pdf.save(f"v{version.number}.pdf", ContentFile(data), save=False)
    version.pdf_sha256 = hashlib.sha256(data).hexdigest()
    version.save(update_fields=["pdf", "pdf_sha256"])
    caching.forget_pdf(version.disclosure_id, version.number)
    return version


def pdf_filename(version: Version) -> str:
    d = version.disclosure
    return f"{d.year.year}年度{d.entity_name}{d.get_kind_display()}-第{version.number}版.pdf"
