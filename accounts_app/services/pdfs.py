"""Rendering a version's PDF and storing it with its SHA-256 (at publication, or again
by `manage.py render_pdfs`). Identical data gives identical bytes and hash."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

from .. import caching
from ..models import Version
from ..rendering.pdf import content_html, html_pdf
from .downloads import file_stem
from .pages import disclosure_content


def version_pdf(version: Version, *, draft: bool = False) -> bytes:
    """The version's PDF, marked 草稿 when `draft`."""
    return html_pdf(content_html(disclosure_content(version), draft=draft))


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
    return f"{file_stem(version)}.pdf"
