"""电子转考数据包 (issue 5 item 6): when both provinces run kaowu, a 考籍转出 completes without paper.

The source province's staff export a signed JSON document after 审核通过; the destination's staff
import it, and it becomes a 考籍转入 (电子转入, 待确认) for the candidate with that ID number.

    {"format": "kaowu.transfer-package", "version": 1,
     "payload": {source_province, destination_province, application_number, created_at,
                 profile (full ID number — the destination matches the person by it), courses,
                 candidate_signature (PNG base64, the signed text and its SHA-256), approvals},
     "signature": {"algorithm": "Ed25519", "value": base64 of the signature of canonical(payload)}}

`canonical(payload)` is its JSON with sorted keys, no spaces, UTF-8: any change of any byte of the
payload (a score, a name) makes the signature fail. The home province signs with its private key
(`KAOWU_TRANSFER_SIGNING_KEY`, a PEM file; generated there on first use in development); the
destination verifies with the public key it configured on its row of the source province
(`Province.transfer_public_key`), which the source's operator handed over
(`manage.py transfer_public_key` or the staff page 本省转考公钥).
"""

import base64
import binascii
import hashlib
import json
import os
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext

from kaowu.core.errors import UserFacingError

FORMAT = "kaowu.transfer-package"
VERSION = 1
ALGORITHM = "Ed25519"
MAX_BYTES = 5 * 1024 * 1024


class PackageError(UserFacingError):
    """A transfer package refused at import, with the reason (nothing is written)."""


def canonical(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def digest(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


# --- keys -----------------------------------------------------------------------------------------

def _key_path() -> Path:
    return Path(settings.KAOWU_TRANSFER_SIGNING_KEY)


def signing_key():
    """The home province's Ed25519 private key. In development and the demo a missing key file is
    generated; in production a missing key is a configuration error, because a new key would no
    longer match the public key the other provinces hold."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = _key_path()
    if not path.exists():
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        if not (settings.DEBUG or settings.DEMO_MODE):
            raise ImproperlyConfigured(f"KAOWU_TRANSFER_SIGNING_KEY: no key file at {path}")
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker wrote it first: use that one
            return signing_key()
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        return key
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def public_key_pem(private_key=None) -> str:
    from cryptography.hazmat.primitives import serialization

    key = private_key or signing_key()
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def load_public_key(pem: str):
    """The Ed25519 public key in `pem`, or None if it is not one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key((pem or "").strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError, TypeError):
        return None
    return key if isinstance(key, Ed25519PublicKey) else None


def key_fingerprint(pem: str) -> str:
    """SHA-256 of the PEM text, in groups of four, for operators to compare over the phone."""
    value = digest((pem or "").strip())[:32].upper()
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


# --- sign and verify ------------------------------------------------------------------------------

def package_sign(payload: dict, private_key=None) -> str:
    key = private_key or signing_key()
    signature = key.sign(canonical(payload))
    document = {"format": FORMAT, "version": VERSION, "payload": payload,
                "signature": {"algorithm": ALGORITHM, "value": base64.b64encode(signature).decode("ascii")}}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)


def package_read(raw: bytes | str) -> dict:
    """The document in a package file: JSON of the right format with a signature field. Raises
    PackageError with the reason."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            raise PackageError(gettext("文件过大，不是有效的电子转考数据包。"))
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise PackageError(gettext("文件不是有效的电子转考数据包（无法读取）。")) from None
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        raise PackageError(gettext("文件不是有效的电子转考数据包（格式错误）。")) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT or not isinstance(
            document.get("payload"), dict):
        raise PackageError(gettext("文件不是有效的电子转考数据包（格式错误）。"))
    if document.get("version") != VERSION:
        raise PackageError(gettext("不支持该版本的电子转考数据包。"))
    signature = document.get("signature")
    if not isinstance(signature, dict) or not isinstance(signature.get("value"), str) or not signature["value"]:
        raise PackageError(gettext("数据包没有签名，不能导入。"))
    if signature.get("algorithm") != ALGORITHM:
        raise PackageError(gettext("数据包的签名算法不受支持，不能导入。"))
    return document


def package_verify(document: dict, public_key_pem_text: str) -> None:
    """The signature of the payload checks out with the source province's public key."""
    from cryptography.exceptions import InvalidSignature

    key = load_public_key(public_key_pem_text)
    if key is None:
        raise PackageError(gettext("本平台配置的转出省份公钥无效，请联系管理员重新配置。"))
    try:
        signature = base64.b64decode(document["signature"]["value"], validate=True)
        key.verify(signature, canonical(document["payload"]))
    except (InvalidSignature, binascii.Error, ValueError, TypeError):
        raise PackageError(gettext("数据包签名验证失败：数据包可能被篡改，或不是由转出省份签发的，不能导入。")) from None
