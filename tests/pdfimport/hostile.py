"""Hostile and wrong PDFs, built here (never committed): a scan, a PDF of something else, an
encrypted PDF, a PDF of 2,000 pages, and a stream that inflates far beyond its size."""

from __future__ import annotations

import io
import zlib

from PIL import Image, ImageDraw
from pypdf import PdfWriter


def scanned() -> bytes:
    """Pages that are images only, as a scanner makes them: a ruled table, no text layer."""
    pages = []
    for n in range(3):
        image = Image.new("RGB", (1240, 1754), "white")
        draw = ImageDraw.Draw(image)
        for y in range(300, 1500, 60):
            draw.line((100, y, 1140, y), fill="black", width=2)
        for x in (100, 500, 820, 1140):
            draw.line((x, 300, x, 1440), fill="black", width=2)
        draw.rectangle((400, 150, 840, 200), fill=(60, 60, 60 + n))
        pages.append(image)
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
    return buffer.getvalue()


def something_else() -> bytes:
    """A text PDF with a ruled table that is no disclosure table (a meeting notice)."""
    import weasyprint

    rows = "".join(f"<tr><td>{n}</td><td>第{n}组</td><td>会议室 {n}0{n}</td></tr>" for n in range(1, 9))
    html = (
        "<h1>关于召开2024年度工作会议的通知</h1><p>各科室：定于下周一上午九时召开年度工作会议，请准时参加。</p>"
        f"<table border=1 style='border-collapse:collapse'><tr><th>序号</th><th>组别</th><th>地点</th></tr>{rows}</table>"
    )
    return weasyprint.HTML(string=html).write_pdf()


def encrypted(source: bytes) -> bytes:
    """`source` with an open password."""
    from pypdf import PdfReader

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def many_pages(count: int = 2000) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def stream_bomb(inflated: int = 1024 * 1024 * 1024) -> bytes:
    """One page whose content stream inflates to `inflated` bytes of spaces (~1 MB on disk)."""
    compressor = zlib.compressobj(9)
    block = b" " * (1024 * 1024)
    data = b"".join(compressor.compress(block) for _ in range(inflated // len(block))) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
