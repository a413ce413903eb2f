"""How much work one request may make the server do: the portal's own practice, not the
Measures (those numbers live in ``core.policy``). Each limit says what it protects. Files are
checked from their headers and directories before anything is decoded or unpacked, so a small
file that would expand into gigabytes is refused while it is still small.
"""

MB = 1024 * 1024

# --- Uploads while they stream in -----------------------------------------------------------
#: A whole multipart request larger than this is refused before its body is read: it cannot hold
#: any file the portal accepts (the largest, a video, is 200 MB) plus its form. Protects the
#: worker's time and the temporary disk.
UPLOAD_REQUEST_MAX_BYTES = 210 * MB
#: A file whose name's extension names no kind the portal accepts is kept to this many bytes
#: while it streams in (it will be refused by its content anyway). Protects temporary disk.
UPLOAD_UNKNOWN_KIND_MAX_BYTES = 20 * MB

# --- Photos ---------------------------------------------------------------------------------
#: Width × height of a photo, read from its header before any pixel is decoded. Decoding needs
#: about 4 bytes a pixel (40 MP ≈ 160 MB), so a 450 KB PNG of 12000 × 12000 would otherwise take
#: over a gigabyte. 40 MP is above what ordinary cameras and phones save by default.
PHOTO_MAX_PIXELS = 40_000_000

# --- Office (zip) files ---------------------------------------------------------------------
#: Read from the zip's central directory, never by unpacking. A real Office document has tens
#: to a few thousand parts; protects anything that later lists or opens the parts.
ZIP_MAX_ENTRIES = 5000
#: Sum of the declared uncompressed sizes of all parts: protects any reader of the file (our
#: importer, or a reviewer's viewer) from a 1 MB file that unpacks to gigabytes.
ZIP_MAX_UNCOMPRESSED_BYTES = 200 * MB
#: Compression ratio of any one part larger than ``ZIP_RATIO_CHECKED_FROM_BYTES``: text and XML
#: compress 5–30 times, a bomb a thousand times. Python's zipfile never inflates a part past its
#: declared size, so the declared sizes are what readers will meet.
ZIP_MAX_RATIO = 100
ZIP_RATIO_CHECKED_FROM_BYTES = 1 * MB

# --- Ledger import (.xlsx) ------------------------------------------------------------------
#: The file as uploaded: a filled template of a few thousand rows is well under 1 MB.
IMPORT_MAX_FILE_BYTES = 5 * MB
#: Declared uncompressed size of any one part (the shared strings, each sheet): openpyxl loads
#: all shared strings into memory when it opens the book, so one 800 MB string would cost 1.2 GB.
IMPORT_MAX_PART_BYTES = 10 * MB
#: Rows read from the first sheet counting empty ones: a 28 KB sheet can declare 3 million empty
#: rows, and reading them costs 20+ seconds of CPU even though none holds data.
IMPORT_MAX_SHEET_ROWS = 5000
#: Characters in one cell: the longest ledger field is far shorter.
IMPORT_MAX_CELL_CHARS = 5000

# --- Free text that reaches PDFs and exports --------------------------------------------------
#: Text the PDFs print in a table cell (an expenditure's purpose, a reversal's reason, a
#: project's description, a studio's equipment). WeasyPrint's table layout costs grow with the
#: square of a cell's Chinese text (a 700 KB "purpose" took the statement 265 s; 500 characters in
#: its narrow column still take seconds), so such text stays a line or two.
CELL_TEXT_MAX_CHARS = 200
#: Reasons, notes, comments: a paragraph.
SHORT_TEXT_MAX_CHARS = 1000
#: Descriptions and narratives printed as paragraphs or only exported (introduction, minutes,
#: talent cultivation): a few pages; 10000 characters lay out in about a second.
LONG_TEXT_MAX_CHARS = 10000

# --- Applications ---------------------------------------------------------------------------
#: Files attached to one application (R18 materials): the call's required kinds with room for
#: several photos each. Protects storage and the reviewers' pages.
APPLICATION_MAX_MATERIALS = 40


def short_text() -> dict:
    """Arguments for a model ``TextField`` of ``SHORT_TEXT_MAX_CHARS``: the form refuses longer
    text (and the textarea stops typing there), and ``full_clean`` does too (a TextField's
    max_length alone is not enforced by the database or the model)."""
    from django.core.validators import MaxLengthValidator

    return {
        "max_length": SHORT_TEXT_MAX_CHARS,
        "validators": [MaxLengthValidator(SHORT_TEXT_MAX_CHARS)],
    }


def cell_text() -> dict:
    """As ``short_text`` for ``CELL_TEXT_MAX_CHARS``."""
    from django.core.validators import MaxLengthValidator

    return {
        "max_length": CELL_TEXT_MAX_CHARS,
        "validators": [MaxLengthValidator(CELL_TEXT_MAX_CHARS)],
    }


def long_text() -> dict:
    """As ``short_text`` for ``LONG_TEXT_MAX_CHARS``."""
    from django.core.validators import MaxLengthValidator

    return {
        "max_length": LONG_TEXT_MAX_CHARS,
        "validators": [MaxLengthValidator(LONG_TEXT_MAX_CHARS)],
    }
