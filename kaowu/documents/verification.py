"""The code printed on a ticket for staff to scan: which 准考证号 and sitting, signed so that it cannot
be made up. Short and in QR alphanumeric characters (digits, capitals, "-", "/", ":", "."), so the
QR code stays small and quick to draw on every ticket of a bulk run:

    HTTP://HOST/T/010226110001-202704-K3V9QX2MA7D4PZ5T
"""

import base64
import hashlib
import hmac

from django.conf import settings

SALT = b"kaowu.documents.ticket"


def _mac(exam_number: str, sitting_code: str) -> str:
    key = hashlib.sha256(SALT + settings.SECRET_KEY.encode()).digest()
    digest = hmac.new(key, f"{exam_number}|{sitting_code}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:10]).decode()  # 80 bits, 16 characters


def ticket_token(*, exam_number: str, sitting_code: str) -> str:
    return f"{exam_number}-{sitting_code.replace('-', '')}-{_mac(exam_number, sitting_code)}"


def ticket_token_parse(token: str) -> tuple[str, str] | None:
    """(准考证号, sitting code "2027-04") of a genuine token, else None."""
    parts = (token or "").upper().split("-")
    if len(parts) != 3 or not parts[0].isdigit() or len(parts[1]) != 6 or not parts[1].isdigit():
        return None
    exam_number, sitting_code = parts[0], f"{parts[1][:4]}-{parts[1][4:]}"
    if not hmac.compare_digest(parts[2], _mac(exam_number, sitting_code)):
        return None
    return exam_number, sitting_code


def ticket_verify_url(*, base_url: str, exam_number: str, sitting_code: str) -> str:
    """The text of the QR code: the site's address, upper-cased (host names are case-insensitive and
    the /T/ path is ours), so the whole code is alphanumeric."""
    return f"{base_url.rstrip('/').upper()}/T/{ticket_token(exam_number=exam_number, sitting_code=sitting_code)}"
