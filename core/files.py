"""Uploaded files: checked by their content (never their name), stored privately, and served
only by views that have already checked the user may see them (DESIGN.md, "Files")."""

import io
import mimetypes
import os
import uuid
import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    max_bytes: int
    mimes: frozenset[str]
    extensions: frozenset[str]


OOXML_MIMES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OLE_MIME = "application/x-ole-storage"

KINDS = {
    "image": FileKind(
        "image",
        _("photo"),
        10 * MB,
        frozenset({"image/jpeg", "image/png", "image/webp"}),
        frozenset({".jpg", ".jpeg", ".png", ".webp"}),
    ),
    "video": FileKind(
        "video",
        _("video"),
        200 * MB,
        frozenset({"video/mp4", "video/quicktime", "video/webm", "video/x-m4v"}),
        frozenset({".mp4", ".mov", ".webm", ".m4v"}),
    ),
    "pdf": FileKind("pdf", _("PDF"), 20 * MB, frozenset({"application/pdf"}), frozenset({".pdf"})),
    "office": FileKind(
        "office",
        _("Office document"),
        20 * MB,
        frozenset({*OOXML_MIMES.values(), OLE_MIME}),
        frozenset({".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt"}),
    ),
}
DOCUMENT_KINDS = ("pdf", "office")
EVIDENCE_KINDS = ("image", "pdf", "office")
MATERIAL_KINDS = ("image", "video", "pdf", "office")


def sniff_mime(head: bytes, whole: bytes | None = None) -> str | None:
    """Return the MIME type the bytes really are; Office files need a look inside the zip."""
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE_MIME
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime in (None, "application/zip") and whole is not None and head.startswith(b"PK"):
        return _ooxml_mime(whole)
    return mime


def _ooxml_mime(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return "application/zip"
    for prefix, ext in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
        if any(name.startswith(prefix) for name in names):
            return OOXML_MIMES[ext]
    return "application/zip"


def validate_upload(upload, allowed: tuple[str, ...]) -> FileKind:
    """Refuse a file whose content is not one of the allowed kinds, or that is too large.

    The name's extension must also agree with the content, so a PDF renamed ``.jpg`` is refused
    as firmly as an executable renamed ``.pdf``.
    """
    kinds = [KINDS[code] for code in allowed]
    names = "、".join(str(k.label) for k in kinds)
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not head:
        raise ValidationError(_("The file is empty."), code="empty")
    whole = None
    if head.startswith(b"PK"):
        whole = upload.read()
        upload.seek(0)
    mime = sniff_mime(head, whole)
    ext = os.path.splitext(upload.name or "")[1].lower()
    for kind in kinds:
        if mime in kind.mimes:
            if ext not in kind.extensions:
                raise ValidationError(
                    _("The file's name (%(ext)s) does not match its content (%(kind)s)."),
                    code="mismatch",
                    params={"ext": ext or "?", "kind": kind.label},
                )
            if upload.size > kind.max_bytes:
                raise ValidationError(
                    _("The file is too large: %(kind)s files may be at most %(max)s MB."),
                    code="too_large",
                    params={"kind": kind.label, "max": kind.max_bytes // MB},
                )
            if kind.code == "image":
                _verify_image(upload)
            return kind
    raise ValidationError(
        _("This file's content is not an allowed type. Allowed: %(kinds)s."),
        code="bad_type",
        params={"kinds": names},
    )


def _verify_image(upload) -> None:
    from PIL import Image

    try:
        with Image.open(upload) as img:
            img.verify()
    except Exception as exc:  # Pillow raises many kinds; all mean "not a usable image"
        raise ValidationError(
            _("The photo is damaged or not a real image."), code="bad_image"
        ) from exc
    finally:
        upload.seek(0)


def private_upload_to(instance, filename: str) -> str:
    """Random, unguessable stored names grouped by model and month; the user's name is kept
    in the model (``original_name``) where it matters, never in the path."""
    ext = os.path.splitext(filename)[1].lower()[:10]
    label = instance._meta.label_lower.replace(".", "/")
    return f"{label}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


def serve_private_file(fieldfile, download_name: str | None = None, inline: bool = False):
    """Stream a stored file. Call only after the permission check has passed."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = download_name or os.path.basename(fieldfile.name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=not inline, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
