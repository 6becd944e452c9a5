"""HTTP Range responses (the reviewer's <video> seeks in the private video)."""

import io

import pytest
from django.test import RequestFactory

from kaowu.appeals.ranges import parse_range, range_file_response

CONTENT = bytes(range(256)) * 4  # 1024 bytes


@pytest.mark.parametrize("header, expected", [
    (None, None),
    ("bytes=0-99", (0, 99)),
    ("bytes=1000-", (1000, 1023)),
    ("bytes=-24", (1000, 1023)),
    ("bytes=-5000", (0, 1023)),
    ("bytes=1000-5000", (1000, 1023)),
    ("bytes=1024-", False),
    ("bytes=-0", False),
    ("bytes=5-1", None),
    ("bytes=0-1,5-6", None),  # several ranges: the whole file
    ("items=0-1", None),
    ("nonsense", None),
])
def test_parse_range(header, expected):
    assert parse_range(header, 1024) == expected


def respond(header=None):
    request = RequestFactory().get("/video", HTTP_RANGE=header) if header else RequestFactory().get("/video")
    return range_file_response(request, io.BytesIO(CONTENT), size=len(CONTENT), content_type="video/mp4")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_without_range_the_whole_file_is_sent_and_ranges_are_offered():
    response = respond()
    assert response.status_code == 200 and response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == "1024" and body(response) == CONTENT


def test_a_range_is_a_206_with_its_bytes():
    response = respond("bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 100-199/1024" and response["Content-Length"] == "100"
    assert body(response) == CONTENT[100:200]


def test_an_open_range_runs_to_the_end():
    response = respond("bytes=1000-")
    assert response.status_code == 206 and body(response) == CONTENT[1000:]


def test_a_range_past_the_end_is_a_416():
    response = respond("bytes=2000-")
    assert response.status_code == 416 and response["Content-Range"] == "bytes */1024"
