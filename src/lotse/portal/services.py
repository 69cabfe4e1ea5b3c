"""Writes of the portal: working aids and their versions, process chains edited in the UI.

Every function is atomic: a rejected upload stores neither a row nor a file.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lotse.portal.models import ProcessChain, ProcessStep, WorkingAid, WorkingAidVersion


@dataclass(frozen=True)
class FileType:
    label: str
    mime: str


#: What may be uploaded as a working aid, by file name extension.
ALLOWED_TYPES: dict[str, FileType] = {
    "pdf": FileType("PDF", "application/pdf"),
    "docx": FileType(
        "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xlsx": FileType("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": FileType("ODT", "application/vnd.oasis.opendocument.text"),
    "ods": FileType("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "txt": FileType("TXT", "text/plain"),
}


def max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024) or 20 * 1024 * 1024)


def _content_matches(extension: str, data: bytes) -> bool:
    """The content is what the name says (a renamed .exe is no PDF)."""
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if extension == "txt":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                data.decode("cp1252")
            except UnicodeDecodeError:
                return False
        return True
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if extension in {"odt", "ods"}:
                return (
                    "mimetype" in names
                    and archive.read("mimetype").decode("ascii", "replace")
                    == ALLOWED_TYPES[extension].mime
                )
            part = "word/" if extension == "docx" else "xl/"
            return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)
    except zipfile.BadZipFile:
        return False


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    name: str
    mime: str
    sha256: str


def check_file(upload: UploadedFile) -> CheckedFile:
    """Type (by name and content) and size; German messages for the field ``file``."""
    name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = ", ".join(t.label for t in ALLOWED_TYPES.values())
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            # de: Dieser Dateityp ist nicht erlaubt. Erlaubt sind: {types}.
            {
                "file": _("This file type is not allowed. Allowed are: {types}.").format(
                    types=allowed
                )
            }
        )
    limit = max_bytes()
    # de: Die Datei ist zu groß (höchstens {size}).
    too_large = _("The file is too large (at most {size}).").format(size=filesizeformat(limit))
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"file": too_large})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": too_large})
    if not data:
        # de: Die Datei ist leer.
        raise ValidationError({"file": _("The file is empty.")})
    if not _content_matches(extension, data):
        raise ValidationError(
            {
                "file": _(
                    # de: Der Inhalt der Datei passt nicht zur Endung .{extension}.
                    "The content of the file does not match its extension .{extension}."
                ).format(extension=extension)
            }
        )
    return CheckedFile(
        data=data,
        name=name[:255],
        mime=ALLOWED_TYPES[extension].mime,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _store_version(
    aid: WorkingAid, checked: CheckedFile, *, number: int, change_note: str, user: Any
) -> WorkingAidVersion:
    version = WorkingAidVersion(
        traeger=aid.traeger,
        aid=aid,
        number=number,
        file_name=checked.name,
        mime_type=checked.mime,
        size=len(checked.data),
        sha256=checked.sha256,
        change_note=change_note,
        uploaded_by=user,
    )
    version.file.save(checked.name, ContentFile(checked.data), save=False)
    try:
        version.save()
        aid.current_version = version
        aid.save(update_fields=["current_version"])
    except BaseException:
        # Nothing half-written: the file goes with the rows that were not stored.
        if version.file.name:
            version.file.storage.delete(version.file.name)
        raise
    return version


def create_aid(*, user: Any, data: dict[str, Any]) -> WorkingAid:
    checked = check_file(data["file"])
    with transaction.atomic():
        aid = WorkingAid.objects.create(
            traeger=user.traeger,
            title=data["title"],
            kind=data["kind"],
            description=data.get("description", ""),
            field_of_action=data.get("field_of_action"),
        )
        _store_version(aid, checked, number=1, change_note=data.get("change_note", ""), user=user)
    return aid


def add_version(*, user: Any, aid: WorkingAid, data: dict[str, Any]) -> WorkingAidVersion:
    note = (data.get("change_note") or "").strip()
    if not note:
        raise ValidationError(
            # de: Bitte beschreiben Sie, was sich in dieser Version geändert hat.
            {"change_note": _("Please describe what changed in this version.")}
        )
    checked = check_file(data["file"])
    with transaction.atomic():
        aid = WorkingAid.objects.select_for_update().get(pk=aid.pk)
        number = (aid.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        return _store_version(aid, checked, number=number, change_note=note, user=user)


# -- process chains ---------------------------------------------------------------------------


def save_chain(*, chain: ProcessChain, data: dict[str, Any]) -> ProcessChain:
    for name in ("title", "description", "target_group", "field_of_action"):
        setattr(chain, name, data.get(name) or ("" if name != "field_of_action" else None))
    chain.save()
    return chain


def _unique_step_key(chain: ProcessChain, title: str) -> str:
    from django.utils.text import slugify

    base = slugify(title.replace("ß", "ss"))[:80] or "schritt"
    key, n = base, 1
    while chain.steps.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def save_step(
    *, chain: ProcessChain, step: ProcessStep | None, data: dict[str, Any]
) -> ProcessStep:
    with transaction.atomic():
        if step is None:
            last = chain.steps.aggregate(n=Max("order"))["n"]
            step = ProcessStep(
                traeger=chain.traeger,
                chain=chain,
                key=_unique_step_key(chain, data["title"]),
                order=0 if last is None else last + 1,
            )
        step.title = data["title"]
        step.responsible_organisation = data.get("responsible_organisation")
        step.responsible_text = data.get("responsible_text", "")
        step.deadline = data.get("deadline", "")
        step.description = data.get("description", "")
        step.next_steps = data.get("next_steps", [])
        step.save()
    return step


def move_step(*, step: ProcessStep, direction: str) -> None:
    """Swap the step with its neighbour ("up" or "down"); orders are renumbered 0…n-1."""
    with transaction.atomic():
        steps = list(
            ProcessStep.objects.select_for_update()
            .filter(chain_id=step.chain_id)
            .order_by("order", "pk")
        )
        index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(steps):
            steps[index], steps[other] = steps[other], steps[index]
        for position, item in enumerate(steps):
            if item.order != position:
                item.order = position
                item.save(update_fields=["order"])


def delete_step(*, step: ProcessStep) -> None:
    with transaction.atomic():
        chain = step.chain
        key = step.key
        step.delete()
        for other in chain.steps.all():
            kept = [n for n in other.next_steps if n.get("step") != key]
            if kept != other.next_steps:
                other.next_steps = kept
                other.save(update_fields=["next_steps"])
