"""Uploads and stored PDFs on object storage: with STORAGES["default"] as django-storages'
S3Storage (what MEDIA_S3_BUCKET switches on) against moto's S3 server over HTTP, a seed is
uploaded, published and its PDF downloaded through the public view, byte for byte."""

from __future__ import annotations

import hashlib

import boto3
import pytest
from django.test import override_settings
from moto.server import ThreadedMotoServer

from tests.processes import free_port

pytestmark = pytest.mark.django_db

BUCKET = "portal-media"


@pytest.fixture
def s3(monkeypatch):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"), ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    storages = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": endpoint, "region_name": "us-east-1",
                        "file_overwrite": False, "default_acl": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield client
    server.stop()


def test_workbooks_and_pdfs_are_stored_in_the_bucket_and_served_from_it(s3, publish_seed, client):
    from django.core.files.storage import storages

    assert type(storages["default"]).__name__ == "S3Storage"
    version = publish_seed("000")
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
    assert version.source_file.name in keys  # the uploaded workbook
    assert version.pdf.name in keys  # the PDF rendered at publication

    stored = s3.get_object(Bucket=BUCKET, Key=version.pdf.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == version.pdf_sha256
    response = client.get(f"/disclosures/{version.disclosure_id}/versions/{version.number}/disclosure.pdf")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == stored and body.startswith(b"%PDF")


def test_media_s3_bucket_switches_the_default_storage():
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "o = settings.STORAGES['default']; print(o['BACKEND'], o['OPTIONS']['bucket_name'], o['OPTIONS']['endpoint_url'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "1",
           "MEDIA_S3_BUCKET": "juesuan-media", "MEDIA_S3_ENDPOINT_URL": "http://minio:9000"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["storages.backends.s3.S3Storage", "juesuan-media", "http://minio:9000"]
    env.pop("MEDIA_S3_BUCKET")
    out = subprocess.run([sys.executable, "-c", code.replace(", o['OPTIONS']['bucket_name'], o['OPTIONS']['endpoint_url']", "")],
                         env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["django.core.files.storage.FileSystemStorage"]
