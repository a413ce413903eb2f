"""Small files that expand into huge ones, built in a blink, and a meter for what handling them
costs (issue 14).

The compressed streams are made from repeated segments: each segment is deflated once with a
full flush (which resets the compressor), so its bytes can be repeated any number of times and
still form one valid deflate stream. Sizes and checksums are the real ones, so the files are
genuine: openpyxl, zipfile and Pillow read them as they would read any other.
"""

import functools
import struct
import threading
import time
import tracemalloc
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

MB = 1024 * 1024


@functools.lru_cache(maxsize=32)
def _segment(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def deflate_repeated(parts: list[tuple[bytes, int]]):
    """Deflate ``data * count`` for each ``(data, count)`` without doing the work ``count``
    times. Returns ``(raw_deflate, crc32, adler32, size)``."""
    body, crc, adler, size = [], 0, 1, 0
    for data, count in parts:
        block = _segment(data)
        body.append(block * count)
        for _ in range(count):
            crc = zlib.crc32(data, crc)
            adler = zlib.adler32(data, adler)
        size += len(data) * count
    final = zlib.compressobj(9, zlib.DEFLATED, -15)
    body.append(final.compress(b"") + final.flush(zlib.Z_FINISH))
    return b"".join(body), crc, adler, size


def zip_bytes(entries: list[tuple[str, list[tuple[bytes, int]]]]) -> bytes:
    """A zip of deflated entries, each given as repeated parts (see ``deflate_repeated``)."""
    out, central = bytearray(), bytearray()
    for name, parts in entries:
        data, crc, _adler, size = deflate_repeated(parts)
        encoded = name.encode()
        offset = len(out)
        fields = (20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded + data
        central += (
            struct.pack("<IH", 0x02014B50, 20)
            + struct.pack("<HHHHHIIIHHHHHII", *fields[:-1], 0, 0, 0, 0, 0, offset)
            + encoded
        )
    count = len(entries)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(out), 0)
    return bytes(out + central + end)


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    b"</Types>"
)


def docx_bomb(unpacked: int = 1024 * MB) -> bytes:
    """A .docx of about 1 MB whose document part unpacks to ``unpacked`` bytes."""
    return zip_bytes(
        [
            ("[Content_Types].xml", [(CONTENT_TYPES, 1)]),
            ("word/document.xml", [(b"<w:document>", 1), (b" " * MB, unpacked // MB)]),
        ]
    )


def _xlsx(shared_strings: list[tuple[bytes, int]], sheet: list[tuple[bytes, int]]) -> bytes:
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    pkg = b"http://schemas.openxmlformats.org/package/2006/relationships"
    office = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    types = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        b'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName='
        b'"/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>'
    )
    return zip_bytes(
        [
            ("[Content_Types].xml", [(types, 1)]),
            (
                "_rels/.rels",
                [
                    (
                        b'<Relationships xmlns="' + pkg + b'"><Relationship Id="rId1" Type="'
                        b"" + office + b'/officeDocument" Target="xl/workbook.xml"/>'
                        b"</Relationships>",
                        1,
                    )
                ],
            ),
            (
                "xl/workbook.xml",
                [
                    (
                        b"<workbook " + ns + b" " + rel + b'><sheets><sheet name="S" sheetId="1" '
                        b'r:id="rId1"/></sheets></workbook>',
                        1,
                    )
                ],
            ),
            (
                "xl/_rels/workbook.xml.rels",
                [
                    (
                        b'<Relationships xmlns="' + pkg + b'"><Relationship Id="rId1" Type="'
                        b"" + office + b'/worksheet" Target="worksheets/sheet1.xml"/>'
                        b'<Relationship Id="rId2" Type="' + office + b'/sharedStrings" '
                        b'Target="sharedStrings.xml"/></Relationships>',
                        1,
                    )
                ],
            ),
            ("xl/sharedStrings.xml", shared_strings),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
    )


def xlsx_huge_shared_string(length: int = 800 * MB) -> bytes:
    """An .xlsx of about 800 KB holding one shared string of ``length`` characters."""
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    return _xlsx(
        [(b"<sst " + ns + b' count="1" uniqueCount="1"><si><t>', 1), (b"A" * MB, length // MB)]
        + [(b"</t></si></sst>", 1)],
        [(b"<worksheet " + ns + b'><sheetData><row r="2"><c r="A2" t="s"><v>0</v></c></row>', 1)]
        + [(b"</sheetData></worksheet>", 1)],
    )


def xlsx_empty_rows(rows: int = 3_000_000) -> bytes:
    """An .xlsx of a few tens of KB whose sheet holds ``rows`` empty rows (``<row/>`` elements
    carry no number: each is the row after the one before)."""
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    return _xlsx(
        [(b"<sst " + ns + b' count="0" uniqueCount="0"></sst>', 1)],
        [(b"<worksheet " + ns + b"><sheetData>", 1), (b"<row/>" * 1000, rows // 1000)]
        + [(b"</sheetData></worksheet>", 1)],
    )


def png_bomb(width: int = 12000, height: int = 12000) -> bytes:
    """An RGB PNG of ``width`` × ``height`` black pixels: a few hundred KB."""
    row = b"\0" + b"\0" * (width * 3)
    raw, _crc, adler, _size = deflate_repeated([(row, height)])
    idat = b"\x78\xda" + raw + struct.pack(">I", adler)

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- The meter --------------------------------------------------------------------------------


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


@dataclass
class Cost:
    seconds: float = 0.0  # wall clock, which a loaded test machine stretches
    cpu_seconds: float = 0.0  # what the work itself cost: the figure tests bound
    python_peak: int = 0  # tracemalloc: every Python allocation, exactly
    rss_growth: int = 0  # sampled resident memory: also what C code (Pillow, zlib) allocates

    @property
    def memory(self) -> int:
        return max(self.python_peak, self.rss_growth)

    def __str__(self):
        return (
            f"{self.cpu_seconds:.2f} s CPU ({self.seconds:.2f} s wall), "
            f"peak memory +{self.memory / MB:.1f} MB "
            f"(python {self.python_peak / MB:.1f} MB, rss {self.rss_growth / MB:.1f} MB)"
        )


@contextmanager
def measure():
    """Time (wall and CPU), and peak memory growth of the block: tracemalloc's peak for Python
    objects and the resident set sampled every 2 ms for allocations tracemalloc cannot see."""
    cost = Cost()
    baseline = _rss()
    peak = [baseline]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _rss())
            time.sleep(0.002)

    sampler = threading.Thread(target=sample, daemon=True)
    tracemalloc.start()
    sampler.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        yield cost
    finally:
        cost.seconds = time.perf_counter() - started
        cost.cpu_seconds = time.process_time() - cpu_started
        done.set()
        sampler.join()
        cost.python_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        cost.rss_growth = max(peak[0], _rss()) - baseline
