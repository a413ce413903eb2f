"""Uploaded files: checked by their content (never their name), stored privately, and served
only by views that have already checked the user may see them (DESIGN.md, "Files")."""

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

from . import limits
from .refusals import refuse

MB = limits.MB


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


def max_bytes_for_name(name: str) -> int:
    """The most bytes a file of this name can be and still be accepted: the size limit of the
    kinds its extension belongs to (the content must agree with the extension anyway). Used while
    the upload streams in (``core.uploads``), before its content can be looked at."""
    ext = os.path.splitext(name or "")[1].lower()
    sizes = [kind.max_bytes for kind in KINDS.values() if ext in kind.extensions]
    return max(sizes, default=limits.UPLOAD_UNKNOWN_KIND_MAX_BYTES)


def sniff_mime(head: bytes, upload=None) -> str | None:
    """Return the MIME type the bytes really are; Office files need a look inside the zip, which
    reads only its directory (``upload`` is a seekable file, never read whole)."""
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE_MIME
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime in (None, "application/zip") and upload is not None and head.startswith(b"PK"):
        return _ooxml_mime(upload)
    return mime


def _zip_names(upload) -> list[str] | None:
    """The part names of a zip, from its central directory only, after checking the directory
    for a bomb (``check_zip``); None when it is not a zip."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    finally:
        upload.seek(0)
    check_zip(infos)
    return [info.filename for info in infos]


def check_zip(infos, max_total: int = limits.ZIP_MAX_UNCOMPRESSED_BYTES) -> None:
    """Refuse a zip (Office file) that would unpack into far more than it weighs: too many parts,
    too many bytes in all, or one part compressed beyond any real document. Reads the sizes the
    directory declares; nothing is inflated."""
    if len(infos) > limits.ZIP_MAX_ENTRIES:
        raise ValidationError(
            _("The file holds too many parts: at most %(max)s are accepted."),
            code="zip_entries",
            params={"max": limits.ZIP_MAX_ENTRIES},
        )
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ZIP_RATIO_CHECKED_FROM_BYTES and ratio > limits.ZIP_MAX_RATIO:
            raise ValidationError(
                _(
                    "The file unpacks to far more than its size (a part compressed %(ratio)s "
                    "times; at most %(max)s times is accepted)."
                ),
                code="zip_ratio",
                params={"ratio": int(ratio), "max": limits.ZIP_MAX_RATIO},
            )
    if total > max_total:
        raise ValidationError(
            _("The file unpacks to %(size)s MB; at most %(max)s MB is accepted."),
            code="zip_size",
            params={"size": total // MB, "max": max_total // MB},
        )


def _ooxml_mime(upload) -> str | None:
    names = _zip_names(upload)
    if names is None:
        return None
    if "[Content_Types].xml" not in names:
        return "application/zip"
    for prefix, ext in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
        if any(name.startswith(prefix) for name in names):
            return OOXML_MIMES[ext]
    return "application/zip"


def _too_large(kind_label, max_bytes) -> ValidationError:
    return ValidationError(
        _("The file is too large: %(kind)s files may be at most %(max)s MB."),
        code="too_large",
        params={"kind": kind_label, "max": max_bytes // MB},
    )


def validate_upload(upload, allowed: tuple[str, ...]) -> FileKind:
    """Refuse a file whose content is not one of the allowed kinds, or that is too large.

    The name's extension must also agree with the content, so a PDF renamed ``.jpg`` is refused
    as firmly as an executable renamed ``.pdf``. Only the first bytes are read to tell the kind;
    a zip's directory and an image's header are checked before anything is unpacked or decoded.
    """
    kinds = [KINDS[code] for code in allowed]
    names = "、".join(str(k.label) for k in kinds)
    ext = os.path.splitext(upload.name or "")[1].lower()
    # Before reading a byte: the size the name's kind allows (the content must agree with the
    # name), and a file the upload handler cut off while it streamed in (core.uploads).
    largest = max([k for k in kinds if ext in k.extensions] or kinds, key=lambda k: k.max_bytes)
    if getattr(upload, "stopped_at_bytes", None) or upload.size > largest.max_bytes:
        raise _too_large(largest.label, largest.max_bytes)
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not head:
        raise ValidationError(_("The file is empty."), code="empty")
    mime = sniff_mime(head, upload if head.startswith(b"PK") else None)
    if head.startswith(b"PK") and any(k.code == "office" for k in kinds):
        _zip_names(upload)  # a zip bomb is refused whatever kind its first bytes suggest
    for kind in kinds:
        if mime in kind.mimes:
            if ext not in kind.extensions:
                raise ValidationError(
                    _("The file's name (%(ext)s) does not match its content (%(kind)s)."),
                    code="mismatch",
                    params={"ext": ext or "?", "kind": kind.label},
                )
            if upload.size > kind.max_bytes:
                raise _too_large(kind.label, kind.max_bytes)
            if kind.code == "image":
                _verify_image(upload)
            return kind
    raise ValidationError(
        _("This file's content is not an allowed type. Allowed: %(kinds)s."),
        code="bad_type",
        params={"kinds": names},
    )


#: Refusals by the portal's own limits (``core.limits``), not by an article of the Measures:
#: they keep their own code and message, which names the limit.
LIMIT_CODES = frozenset({"too_large", "too_many_pixels", "zip_entries", "zip_ratio", "zip_size"})


def validate_upload_under(rule: str, upload, allowed: tuple[str, ...]) -> FileKind:
    """``validate_upload`` for a file an article asks for (R6 documents, R18 materials, R19
    honour evidence, R22 ledger evidence): a wrong or damaged file is refused under that rule;
    a file past a limit is refused citing the limit."""
    try:
        return validate_upload(upload, allowed)
    except ValidationError as exc:
        if getattr(exc, "rule", None) or getattr(exc, "code", None) in LIMIT_CODES:
            raise
        raise refuse(rule, " ".join(exc.messages)) from exc


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _(
            "The photo has too many pixels: at most %(max)s million are accepted. "
            "Please send a smaller copy."
        ),
        code="too_many_pixels",
        params={"max": limits.PHOTO_MAX_PIXELS // 1_000_000},
    )


def check_image_pixels(img) -> None:
    """Refuse a photo with more pixels than ``PHOTO_MAX_PIXELS``, from its header alone (call
    before ``load()``, ``thumbnail()`` or anything else that decodes)."""
    width, height = img.size
    if width * height > limits.PHOTO_MAX_PIXELS:
        raise _too_many_pixels()


def _verify_image(upload) -> None:
    from PIL import Image

    upload.seek(0)
    try:
        with Image.open(upload) as img:  # reads the header only
            check_image_pixels(img)
            img.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc  # Pillow's own guard (core.apps sets its limit)
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
