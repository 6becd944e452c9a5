"""A file response that honours one HTTP byte range (RFC 9110 §14), so a <video> element can seek
in a privately stored video without downloading it whole.

    range_file_response(request, handle, size=..., content_type="video/mp4")

No Range header: 200 with the whole file. `bytes=a-b`, `bytes=a-` or `bytes=-n`: 206 with
Content-Range. A range starting past the end: 416 with `Content-Range: bytes */size`. Anything
else (several ranges, other units, nonsense) is ignored and the whole file is sent, as the RFC allows.
"""

import re

from django.http import HttpResponse, StreamingHttpResponse

CHUNK = 64 * 1024
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


def parse_range(header: str | None, size: int) -> tuple[int, int] | None | bool:
    """(first, last) byte of the one range asked for; None for “send everything”; False when the range
    cannot be satisfied."""
    if not header:
        return None
    match = _RANGE.match(header)
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last n bytes
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    if start >= size:
        return False
    end = int(last) if last else size - 1
    if end < start:
        return None
    return start, min(end, size - 1)


def _stream(handle, start: int, length: int):
    try:
        handle.seek(start)
        left = length
        while left > 0:
            data = handle.read(min(CHUNK, left))
            if not data:
                break
            left -= len(data)
            yield data
    finally:
        handle.close()


def range_file_response(request, handle, *, size: int, content_type: str):
    byte_range = parse_range(request.headers.get("Range"), size)
    if byte_range is False:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif byte_range is None:
        response = StreamingHttpResponse(_stream(handle, 0, size), content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = byte_range
        response = StreamingHttpResponse(_stream(handle, start, end - start + 1), content_type=content_type,
                                         status=206)
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    response["X-Robots-Tag"] = "noindex"
    return response
