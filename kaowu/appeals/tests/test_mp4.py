"""The appeal video intake: an MP4 by content (ftyp brand), its duration from moov/mvhd, the limits."""

import io
import struct
import zlib

import pytest

from kaowu.appeals.mp4 import VideoRejected, mp4_inspect, video_check

from .conftest import video_upload
from .mp4s import box, ftyp, mp4_bytes, mvhd

LIMITS = {"max_bytes": 50 * 1024 * 1024, "min_seconds": 3, "max_seconds": 120}


def inspect(data: bytes):
    return mp4_inspect(io.BytesIO(data), size=len(data))


def png_bytes() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + chunk(b"IEND", b"")


def test_a_valid_mp4_gives_its_duration():
    info = inspect(mp4_bytes(seconds=10))
    assert info.duration_seconds == 10 and info.brand == "isom"


def test_a_version_1_movie_header_and_a_64_bit_box_size_are_read():
    moov = box(b"moov", mvhd(timescale=90_000, duration=90_000 * 42, version=1))
    data = ftyp(b"mp42", (b"mp42", b"isom")) + moov + box(b"mdat", b"\0" * 64, large=True)
    info = inspect(data)
    assert info.duration_seconds == 42 and info.brand == "mp42"


def test_moov_after_mdat_is_found():
    data = ftyp() + box(b"mdat", b"\1" * 500) + box(b"moov", mvhd(duration=7_500))
    assert inspect(data).duration_seconds == 7.5


def test_a_compatible_brand_is_enough():
    assert inspect(mp4_bytes(major=b"XAVC", compatible=(b"XAVC", b"mp42"))).brand == "mp42"


@pytest.mark.parametrize("content", [
    png_bytes(),
    b"RIFF\x24\x00\x00\x00AVI LIST" + b"\0" * 64,  # AVI
    b"\x1a\x45\xdf\xa3\x93\x42\x82\x88matroska" + b"\0" * 64,  # MKV
    mp4_bytes(major=b"qt  ", compatible=(b"qt  ",)),  # QuickTime MOV
    mp4_bytes(major=b"3gp4", compatible=(b"3gp4",)),  # 3GP
    b"",
])
def test_other_types_are_refused_whatever_the_name(content):
    with pytest.raises(VideoRejected, match="MP4|空"):
        video_check(video_upload(content, name="appeal.mp4"), **LIMITS)


def test_an_mp4_without_moov_is_refused():
    with pytest.raises(VideoRejected, match="时长"):
        inspect(ftyp() + box(b"mdat", b"\0" * 100))


@pytest.mark.parametrize("data", [
    mp4_bytes()[:-10],  # mdat shorter than its header says
    ftyp() + struct.pack(">I4s", 4, b"moov"),  # a size smaller than the header
    ftyp() + b"\0\0\0",  # a header cut off
    ftyp() + box(b"moov", box(b"mvhd", b"\0\0\0\0" + b"\0" * 6)),  # mvhd too short for its version
    ftyp() + box(b"moov", struct.pack(">I4s", 200, b"mvhd")),  # a child box running past its parent
])
def test_truncated_boxes_are_refused(data):
    with pytest.raises(VideoRejected, match="不完整|损坏"):
        inspect(data)


def test_too_long_and_too_short_videos_are_refused():
    with pytest.raises(VideoRejected, match="超过120秒"):
        video_check(video_upload(mp4_bytes(seconds=121)), **LIMITS)
    with pytest.raises(VideoRejected, match="过短"):
        video_check(video_upload(mp4_bytes(seconds=2)), **LIMITS)
    assert video_check(video_upload(mp4_bytes(seconds=120)), **LIMITS).duration_seconds == 120


def test_too_big_is_refused_before_reading_it():
    limits = {**LIMITS, "max_bytes": 1024}
    with pytest.raises(VideoRejected, match="超过0MB|超过"):
        video_check(video_upload(mp4_bytes(mdat_size=4096)), **limits)


def test_the_upload_is_rewound_after_the_check():
    upload = video_upload()
    video_check(upload, **LIMITS)
    assert upload.read(8)[4:8] == b"ftyp"
