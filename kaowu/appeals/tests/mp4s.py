"""Hand-made ISO BMFF files: ftyp + moov/mvhd (+ mdat), as small as a test needs."""

import struct


def box(kind: bytes, payload: bytes = b"", *, large: bool = False) -> bytes:
    if large:
        return struct.pack(">I4sQ", 1, kind, 16 + len(payload)) + payload
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def ftyp(major: bytes = b"isom", compatible=(b"isom", b"iso2", b"avc1", b"mp41")) -> bytes:
    return box(b"ftyp", major + struct.pack(">I", 512) + b"".join(compatible))


def mvhd(*, timescale: int = 1000, duration: int = 10_000, version: int = 0) -> bytes:
    if version == 1:
        times = struct.pack(">QQIQ", 0, 0, timescale, duration)
    else:
        times = struct.pack(">IIII", 0, 0, timescale, duration)
    rest = struct.pack(">I", 0x00010000) + struct.pack(">H", 0x0100) + b"\0" * 10 + b"\0" * 36 + b"\0" * 24 + struct.pack(">I", 2)
    return box(b"mvhd", bytes([version, 0, 0, 0]) + times + rest)


def mp4_bytes(*, seconds: float = 10, timescale: int = 1000, version: int = 0, major: bytes = b"isom",
              compatible=(b"isom", b"iso2", b"avc1", b"mp41"), mdat_size: int = 2048) -> bytes:
    """A small MP4: ftyp, a free box, moov (with mvhd of `seconds`), mdat of `mdat_size` bytes."""
    moov = box(b"moov", mvhd(timescale=timescale, duration=int(seconds * timescale), version=version)
               + box(b"trak", box(b"tkhd", b"\0" * 84)))
    return ftyp(major, compatible) + box(b"free", b"\0" * 8) + moov + box(b"mdat", bytes(range(256)) * (mdat_size // 256))
