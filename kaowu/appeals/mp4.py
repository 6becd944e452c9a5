"""The intake of an appeal video: an MP4 recognised by its content (ISO base media file format),
with its duration read from the movie header. No ffmpeg: the boxes are walked by hand.

An ISO BMFF file is a sequence of boxes: a 32-bit big-endian size (the box with its 8-byte header;
1 = a 64-bit size follows the type; 0 = the box runs to the end of the file) and a 4-character type.
An MP4 starts with `ftyp` (major brand, minor version, compatible brands); the `moov` box holds
`mvhd` (version 0: 32-bit times, version 1: 64-bit times) with the timescale (units per second)
and the duration in those units.

    info = mp4_inspect(upload, size=upload.size)   # raises VideoRejected with the reason
    info.duration_seconds
"""

import struct
from dataclasses import dataclass

from django.utils.translation import gettext

from kaowu.core.errors import UserFacingError

# Brands of MP4 files as phones and cameras write them (QuickTime 'qt  ', 3GP and the rest are refused).
MP4_BRANDS = {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"MSNV"}
# Boxes are nested at most this deep and this many are read at one level, whatever the file claims.
MAX_BOXES = 4096


class VideoRejected(UserFacingError):
    """The file is not an acceptable appeal video; the message says why (Chinese)."""


@dataclass(frozen=True)
class Mp4Info:
    brand: str
    timescale: int
    duration_units: int

    @property
    def duration_seconds(self) -> float:
        return self.duration_units / self.timescale


def _not_mp4() -> VideoRejected:
    return VideoRejected(gettext("视频格式仅限MP4，请使用手机录制MP4格式的视频后上传"))


def _truncated() -> VideoRejected:
    return VideoRejected(gettext("视频文件不完整或已损坏，请重新录制后上传"))


def _read_exact(handle, count: int) -> bytes:
    data = handle.read(count)
    if len(data) != count:
        raise _truncated()
    return data


def _boxes(handle, start: int, end: int):
    """(type, payload start, payload end) of each box between `start` and `end`."""
    position = start
    for _ in range(MAX_BOXES):
        if position >= end:
            return
        if end - position < 8:
            raise _truncated()
        handle.seek(position)
        size, kind = struct.unpack(">I4s", _read_exact(handle, 8))
        header = 8
        if size == 1:
            size = struct.unpack(">Q", _read_exact(handle, 8))[0]
            header = 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            raise _truncated()
        yield kind, position + header, position + size
        position += size
    raise _truncated()


def _movie_header(handle, start: int, end: int) -> tuple[int, int]:
    """(timescale, duration) of the `mvhd` box inside `moov`."""
    for kind, payload, box_end in _boxes(handle, start, end):
        if kind != b"mvhd":
            continue
        handle.seek(payload)
        if box_end - payload < 4:
            raise _truncated()
        version = _read_exact(handle, 4)[0]
        if version == 1:
            if box_end - payload < 4 + 28:
                raise _truncated()
            _created, _modified, timescale, duration = struct.unpack(">QQIQ", _read_exact(handle, 28))
        elif version == 0:
            if box_end - payload < 4 + 16:
                raise _truncated()
            _created, _modified, timescale, duration = struct.unpack(">IIII", _read_exact(handle, 16))
        else:
            raise _not_mp4()
        return timescale, duration
    raise VideoRejected(gettext("视频文件缺少时长信息，请使用手机重新录制后上传"))


def mp4_inspect(handle, *, size: int) -> Mp4Info:
    """Check that `handle` (a binary file, `size` bytes) is an MP4 and read its duration."""
    handle.seek(0)
    head = handle.read(12)
    if len(head) < 12 or head[4:8] != b"ftyp":
        raise _not_mp4()
    brand = None
    moov = None
    for index, (kind, payload, box_end) in enumerate(_boxes(handle, 0, size)):
        if index == 0:
            if box_end - payload < 8:
                raise _truncated()
            handle.seek(payload)
            ftyp = _read_exact(handle, box_end - payload if box_end - payload < 256 else 256)
            brands = [ftyp[0:4]] + [ftyp[i:i + 4] for i in range(8, len(ftyp) - 3, 4)]
            brand = next((b for b in brands if b in MP4_BRANDS), None)
            if brand is None:
                raise _not_mp4()
        elif kind == b"moov":
            moov = (payload, box_end)
    if moov is None:
        raise VideoRejected(gettext("视频文件缺少时长信息，请使用手机重新录制后上传"))
    timescale, duration = _movie_header(handle, *moov)
    if timescale <= 0:
        raise _truncated()
    return Mp4Info(brand=brand.decode("latin-1").strip(), timescale=timescale, duration_units=duration)


@dataclass(frozen=True)
class CheckedVideo:
    size: int
    duration_seconds: float
    brand: str


def video_check(upload, *, max_bytes: int, min_seconds: int, max_seconds: int) -> CheckedVideo:
    """An appeal video: present, not larger than `max_bytes`, an MP4 by content, between `min_seconds`
    and `max_seconds` long."""
    if upload is None:
        raise VideoRejected(gettext("请上传申诉视频"))
    size = upload.size
    if not size:
        raise VideoRejected(gettext("文件是空的，请重新选择"))
    if size > max_bytes:
        raise VideoRejected(gettext("视频大小为%(size).1fMB，超过%(limit)sMB的限制，请缩短视频后重新录制")
                            % {"size": size / 1024 / 1024, "limit": max_bytes // 1024 // 1024})
    try:
        info = mp4_inspect(upload, size=size)
    finally:
        upload.seek(0)
    seconds = info.duration_seconds
    if seconds < min_seconds:
        raise VideoRejected(gettext("视频时长为%(n).0f秒，过短（至少%(min)s秒），请完整录制申诉视频")
                            % {"n": seconds, "min": min_seconds})
    if seconds > max_seconds:
        raise VideoRejected(gettext("视频时长为%(n).0f秒，超过%(max)s秒的限制，请精简后重新录制")
                            % {"n": seconds, "max": max_seconds})
    return CheckedVideo(size=size, duration_seconds=seconds, brand=info.brand)
