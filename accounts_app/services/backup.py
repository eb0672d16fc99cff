"""Backup into one archive and restore into an empty database (`manage.py backup_export`,
`manage.py backup_import`). The primary path for PostgreSQL is pg_dump (docs/backup.md);
this one is database-neutral and carries the stored files with it.

The archive (.tar.gz):
    manifest.json           format, time, migrations applied, models with row counts,
                            every stored file with its size and SHA-256
    data/NNN-<model>.jsonl  the rows of each model (Django's JSON Lines serializer, primary
                            keys kept, users and permissions referenced by natural key)
    media/<name>            the stored files: uploaded workbooks and published PDFs

Left out: content types and permissions (made by `migrate`, referenced by natural key),
sessions and login lock-outs (transient). The archive holds password hashes and
unpublished drafts: keep it like the database itself.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.jsonl import Serializer as JSONLSerializer
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "portal-backup"
FORMAT_VERSION = 1
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session", "axes.accessattempt", "axes.accessattemptexpiration"}
BATCH = 1000

NOT_EMPTY = "目标数据库不是空的（{found}）：只能恢复到刚执行过 migrate 的空数据库。"
NOT_AN_ARCHIVE = "不是本平台的备份文件：{reason}"
OTHER_SCHEMA = "备份时的数据库结构与目标数据库不同（{difference}）：请用备份时的版本恢复，再执行 migrate 升级。"
FILE_DAMAGED = "备份中的文件 {name} 已损坏：SHA-256 与清单不符。"
FILE_EXISTS = "存储中已有同名但内容不同的文件 {name}：请使用空的媒体存储。"


class BackupRefused(Exception):
    """The archive cannot be restored here; the message says why, in Chinese."""


@dataclass
class BackupSummary:
    rows: dict[str, int] = field(default_factory=dict)  # model label -> rows
    files: int = 0
    bytes: int = 0
    missing_files: list[str] = field(default_factory=list)  # referenced but not in storage
    pdf_mismatches: list[str] = field(default_factory=list)  # a restored PDF or stored download ≠ its recorded hash


class _Serializer(JSONLSerializer):
    """JSON Lines with times to the microsecond (Django's encoder keeps milliseconds)."""

    def _value_from_field(self, obj, field):
        value = field.value_from_object(obj)
        if isinstance(value, (datetime.datetime, datetime.time)):
            return value.isoformat()
        return super()._value_from_field(obj, field)


def backed_up_models() -> list[type[models.Model]]:
    """Every model with data of its own, in an order where natural keys resolve."""
    app_list = [
        (config, [m for m in config.get_models() if m._meta.label_lower not in SKIPPED and not m._meta.proxy])
        for config in apps.get_app_configs()
    ]
    return [model for model in serializers.sort_dependencies(app_list, allow_cycles=True) if model._meta.managed]


def _file_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _sha256(stream) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _add(archive: tarfile.TarFile, name: str, path: Path) -> None:
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    with path.open("rb") as handle:
        archive.addfile(info, handle)


# -- export ----------------------------------------------------------------------------


def backup_export(*, path: Path) -> BackupSummary:
    """Write the whole portal (rows and stored files) to `path`, from one consistent
    snapshot of the database (REPEATABLE READ on PostgreSQL)."""
    summary = BackupSummary()
    work = Path(tempfile.mkdtemp(prefix="portal-backup-"))
    try:
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":  # one snapshot for every table
                connection.cursor().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "migrations": _migrations(),
                "models": [],
                "files": [],
            }
            names: set[str] = set()
            for number, model in enumerate(backed_up_models(), start=1):
                label = model._meta.label_lower
                member = f"data/{number:03d}-{label}.jsonl"
                rows = model._base_manager.order_by("pk")
                with (work / f"{number:03d}.jsonl").open("w", encoding="utf-8") as out:
                    _Serializer().serialize(rows.iterator(chunk_size=BATCH), stream=out, use_natural_foreign_keys=True)
                count = rows.count()
                manifest["models"].append({"label": label, "file": member, "rows": count})
                summary.rows[label] = count
                for attname in _file_fields(model):
                    names.update(n for n in rows.exclude(**{attname: ""}).values_list(attname, flat=True) if n)
        with tarfile.open(path, "w:gz") as archive:
            for number, entry in enumerate(manifest["models"], start=1):
                _add(archive, entry["file"], work / f"{number:03d}.jsonl")
            for name in sorted(names):
                if not default_storage.exists(name):
                    summary.missing_files.append(name)
                    continue
                with default_storage.open(name, "rb") as stored:
                    sha256, size = _sha256(stored)
                    stored.seek(0)
                    info = tarfile.TarInfo(f"media/{name}")
                    info.size, info.mode, info.mtime = size, 0o600, int(timezone.now().timestamp())
                    archive.addfile(info, stored)
                manifest["files"].append({"name": name, "sha256": sha256, "size": size})
                summary.files += 1
                summary.bytes += size
            manifest["missing_files"] = summary.missing_files
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
        path.chmod(0o600)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summary


# -- import ----------------------------------------------------------------------------


def _read_manifest(root: Path) -> dict:
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupRefused(NOT_AN_ARCHIVE.format(reason="缺少 manifest.json")) from None
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupRefused(NOT_AN_ARCHIVE.format(reason=f"格式 {manifest.get('format')} 第 {manifest.get('version')} 版"))
    return manifest


def _inside(root: Path, name: str) -> Path:
    """A name from the manifest as a path under `root`; nothing may point outside it."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupRefused(NOT_AN_ARCHIVE.format(reason=f"不安全的文件名 {name}"))
    return root.joinpath(*relative.parts)


def _require_empty() -> None:
    found = [f"{model._meta.verbose_name} {n} 条" for model in backed_up_models() if (n := model._base_manager.count())]
    if found:
        raise BackupRefused(NOT_EMPTY.format(found="，".join(found[:5])))


def _require_same_schema(manifest: dict) -> None:
    here, there = _migrations(), manifest.get("migrations", {})
    missing = sorted(f"{app}.{name}" for app, names in there.items() for name in set(names) - set(here.get(app, [])))
    extra = sorted(f"{app}.{name}" for app, names in here.items() for name in set(names) - set(there.get(app, [])))
    if missing or extra:
        parts = ([f"目标库缺少 {', '.join(missing[:3])}"] if missing else []) + ([f"目标库多出 {', '.join(extra[:3])}"] if extra else [])
        raise BackupRefused(OTHER_SCHEMA.format(difference="；".join(parts)))


def _insert(model, objects: list) -> None:
    """Rows as they were: primary keys and timestamps kept (raw, as loaddata saves them)."""
    if not objects:
        return
    fields = model._meta.local_concrete_fields
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, objects)))
    for start in range(0, len(objects), size):
        model._base_manager._insert(objects[start : start + size], fields=fields, raw=True)


def _load(model, path: Path) -> int:
    """One model's rows, in batches; many-to-many links once the rows are in."""
    count, batch, links = 0, [], []
    with path.open(encoding="utf-8") as handle:
        for item in serializers.deserialize("jsonl", handle, handle_forward_references=False):
            batch.append(item.object)
            for name, values in (item.m2m_data or {}).items():
                links.append((model._meta.get_field(name), item.object.pk, values))
            if len(batch) >= BATCH:
                _insert(model, batch)
                count += len(batch)
                batch = []
    _insert(model, batch)
    count += len(batch)
    for relation, pk, values in links:
        through = relation.remote_field.through
        source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        through._base_manager.bulk_create(through(**{f"{source}_id": pk, f"{target}_id": value}) for value in values)
    return count


def _restore_file(root: Path, entry: dict) -> None:
    name = entry["name"]
    source = _inside(root / "media", name)
    with source.open("rb") as handle:
        if _sha256(handle)[0] != entry["sha256"]:
            raise BackupRefused(FILE_DAMAGED.format(name=name))
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as existing:
                if _sha256(existing)[0] != entry["sha256"]:
                    raise BackupRefused(FILE_EXISTS.format(name=name))
            return
        handle.seek(0)
        saved = default_storage.save(name, File(handle, name=name))
    if saved != name:
        raise BackupRefused(FILE_EXISTS.format(name=name))


def backup_import(*, path: Path) -> BackupSummary:
    """Restore an archive of `backup_export` into this (migrated, empty) database and its
    media storage, in one transaction; then check every published PDF against its hash."""
    summary = BackupSummary()
    root = Path(tempfile.mkdtemp(prefix="portal-restore-"))
    try:
        try:
            with tarfile.open(path, "r:gz") as archive:
                archive.extractall(root, filter="data")
        except (OSError, tarfile.TarError) as error:
            raise BackupRefused(NOT_AN_ARCHIVE.format(reason=str(error))) from None
        manifest = _read_manifest(root)
        _require_same_schema(manifest)
        by_label = {model._meta.label_lower: model for model in backed_up_models()}
        with transaction.atomic():
            _require_empty()
            for entry in manifest["models"]:
                model = by_label.get(entry["label"])
                if model is None:
                    raise BackupRefused(NOT_AN_ARCHIVE.format(reason=f"未知的数据表 {entry['label']}"))
                summary.rows[entry["label"]] = _load(model, _inside(root, entry["file"]))
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), list(by_label.values())):
                    cursor.execute(statement)
            for entry in manifest["files"]:
                _restore_file(root, entry)
                summary.files += 1
                summary.bytes += entry["size"]
        summary.missing_files = list(manifest.get("missing_files", []))
        summary.pdf_mismatches = _pdf_mismatches()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return summary


def _pdf_mismatches() -> list[str]:
    """The published files (PDFs and stored downloads) whose restored bytes are not those recorded."""
    from itertools import chain

    from ..models import Version, VersionFile

    mismatches = []
    recorded = chain(
        Version.objects.exclude(pdf="").values_list("pdf", "pdf_sha256").iterator(),
        VersionFile.objects.values_list("file", "sha256").iterator(),
    )
    for name, sha256 in recorded:
        if not default_storage.exists(name):
            mismatches.append(name)
            continue
        with default_storage.open(name, "rb") as stored:
            if _sha256(stored)[0] != sha256:
                mismatches.append(name)
    return mismatches
