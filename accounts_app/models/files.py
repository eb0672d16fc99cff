"""The files a published version is downloaded as, generated once after publication by the
worker (services.publication) and then served as stored, like the PDF (Version.pdf)."""

from __future__ import annotations

from django.db import models

from .disclosure import Version


def file_path(stored: "VersionFile", filename: str) -> str:
    version = stored.version
    return f"files/{version.disclosure.year.year}/{version.disclosure_id}/v{version.number}/{stored.name}"


class VersionFile(models.Model):
    """One download of a version: the whole workbook (name "workbook.xlsx") or one table
    ("<table>.xlsx", "<table>.csv"), with the name it is downloaded under."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="files", verbose_name="版本")
    name = models.CharField("文件", max_length=80)
    file = models.FileField("文件内容", upload_to=file_path, max_length=255)
    filename = models.CharField("下载文件名", max_length=255)
    content_type = models.CharField("类型", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")

    class Meta:
        verbose_name = "下载文件"
        verbose_name_plural = "下载文件"
        constraints = [models.UniqueConstraint(fields=["version", "name"], name="version_file_unique_name")]

    def __str__(self):
        return self.filename
