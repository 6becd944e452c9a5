"""Checks for uploaded documents (proofs, stamped forms): type by content, never by name."""

from dataclasses import dataclass

from django.utils.translation import gettext

PROOF_MAX_BYTES = 5 * 1024 * 1024

_SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
}


class UploadRejected(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedDocument:
    extension: str
    content_type: str
    size: int


def document_check(upload, *, max_bytes: int = PROOF_MAX_BYTES) -> CheckedDocument:
    """A PDF, JPG or PNG of at most `max_bytes`, recognised by its first bytes."""
    if upload is None:
        raise UploadRejected(gettext("请上传证明材料"))
    size = upload.size
    if size == 0:
        raise UploadRejected(gettext("文件是空的，请重新选择"))
    if size > max_bytes:
        raise UploadRejected(gettext("文件大小为%(size).1fMB，超过%(limit)sMB的限制，请压缩后重新上传")
                             % {"size": size / 1024 / 1024, "limit": max_bytes // 1024 // 1024})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, (extension, content_type) in _SIGNATURES.items():
        if head.startswith(signature):
            return CheckedDocument(extension=extension, content_type=content_type, size=size)
    raise UploadRejected(gettext("证明材料须为PDF、JPG或PNG文件，请重新扫描或拍照后上传"))
