"""Reading a store whose write-ahead log was left without its index (``-shm``), creating nothing.

SQLite reads a log only through its index, and makes the index when it is missing: a file in
the data folder that a read-only command must never create. A restored backup or a data
folder copied while the app ran has exactly that: the file, and a log holding what was not yet
copied into it. Here the log's committed frames are applied to a copy of the file in memory,
as SQLite's own recovery does (``https://www.sqlite.org/fileformat2.html#walformat``): each
frame checked by its salt and running checksum, up to the last whole commit. The folder is
only read. Core: no Textual.
"""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

WAL_MAGIC = 0x377F0682  # the low bit says the checksums are big-endian
WAL_HEADER = 32
FRAME_HEADER = 24


def _checksum(data: bytes, big_endian: bool, s0: int, s1: int) -> tuple[int, int]:
    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def committed_pages(wal: bytes, file_size: int = 0) -> tuple[dict[int, bytes], int, int]:
    """The pages the log's whole commits hold (page number to bytes), the database's size in pages
    after the last of them, and the page size; nothing when the log is empty, torn or not a log.

    A commit can only name a size the file and the log can fill (``file_size``: the file's bytes): a
    larger one ends the log there, never a copy of that size in memory."""
    if len(wal) < WAL_HEADER:
        return {}, 0, 0
    magic, _, page_size, _, salt1, salt2, c0, c1 = struct.unpack(">8I", wal[:WAL_HEADER])
    if magic & 0xFFFFFFFE != WAL_MAGIC or page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        return {}, 0, 0
    big_endian = bool(magic & 1)
    s0, s1 = _checksum(wal[:24], big_endian, 0, 0)
    if (s0, s1) != (c0, c1):
        return {}, 0, 0
    pages: dict[int, bytes] = {}
    pending: dict[int, bytes] = {}
    size = 0
    offset = WAL_HEADER
    while offset + FRAME_HEADER + page_size <= len(wal):
        number, commit, f_salt1, f_salt2, f0, f1 = struct.unpack(">6I", wal[offset : offset + FRAME_HEADER])
        page = wal[offset + FRAME_HEADER : offset + FRAME_HEADER + page_size]
        if (f_salt1, f_salt2) != (salt1, salt2) or number == 0:
            break
        s0, s1 = _checksum(wal[offset : offset + 8], big_endian, s0, s1)
        s0, s1 = _checksum(page, big_endian, s0, s1)
        if (s0, s1) != (f0, f1):
            break
        pending[number] = page
        if commit and commit * page_size > file_size + len(wal):
            break
        if commit:
            pages.update(pending)
            pending = {}
            size = commit
        offset += FRAME_HEADER + page_size
    return pages, size, page_size


def replayed(path: Path, wal_path: Path) -> sqlite3.Connection:
    """The database as the file and its log's whole commits make it, in memory; the folder is only read."""
    base = bytearray(path.read_bytes())
    pages, size, page_size = committed_pages(wal_path.read_bytes(), len(base))
    if pages:
        base = base[: size * page_size].ljust(size * page_size, b"\0")
        for number, page in pages.items():
            if number <= size:
                base[(number - 1) * page_size : number * page_size] = page
    if len(base) >= 100:
        base[18:20] = b"\x01\x01"  # a copy in memory keeps no log of its own
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        if base:
            conn.deserialize(bytes(base))
    except sqlite3.Error:
        conn.close()
        raise
    return conn
