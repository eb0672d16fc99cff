"""The PDF of a disclosure: the same tables and charts as the web page, laid out by
WeasyPrint with a print stylesheet in the standard 第一至第五部分 layout.

WeasyPrint may fetch only our own static files: `StaticOnlyFetcher` refuses every
other URL and every file path, so nothing a user typed can reach the network or the
disk. The output is reproducible: the same data gives the same bytes."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


BASE_URL = "https://static.portal.invalid/"
STATIC_PREFIX = BASE_URL + "static/"
CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2"}


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    """Serves files of our static folders; refuses file:, http(s): and anything else."""

    def __init__(self):
        super().__init__(allowed_protocols={"https"}, allow_redirects=False, timeout=3)

    def fetch(self, url, headers=None):
        if not url.startswith(STATIC_PREFIX) or ".." in url:
            raise RefusedURL(f"不允许在 PDF 中引用外部资源：{url[:100]}")
        relative = url[len(STATIC_PREFIX) :].split("?")[0].split("#")[0]
        found = finders.find(relative)
        if not found:
            raise RefusedURL(f"找不到静态文件：{relative}")
        path = Path(found)
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": CONTENT_TYPES.get(path.suffix, "application/octet-stream")})


def content_html(content: dict, *, draft: bool = False) -> str:
    """The PDF's HTML from a disclosure's content (services.pages.disclosure_content)."""
    return render_to_string("pdf/disclosure.html", {**content, "draft": draft, "static_base": STATIC_PREFIX})


def html_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render()
    # no creation/modification dates: identical data must give identical bytes
    document.metadata.created = None
    document.metadata.modified = None
    return document.write_pdf()

