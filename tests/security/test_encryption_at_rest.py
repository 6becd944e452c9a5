"""Personal data at rest (issue #12, item 11): a stolen database dump or media backup reveals no ID
number, phone or face; lookups, logins and uniqueness still work; keys rotate; the province reviews
every look at personal data."""

import base64
import io
import secrets

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from openpyxl import load_workbook

from kaowu.accounts.backends import IdentifierBackend
from kaowu.accounts.models import User
from kaowu.audit.services import personal_data_access_record
from kaowu.core import crypto
from kaowu.organization.models import Office, Region, StaffMember
from kaowu.testing.factories import (
    TEST_PASSWORD,
    CandidateFactory,
    OfficeFactory,
    StaffMemberFactory,
    StaffUserFactory,
    UserFactory,
    make_id_number,
)

ID_NUMBER = "62010219950307123X"
PHONE = "13912345678"


def _key_entry(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(32)).decode()}"


@pytest.fixture
def keys(settings):
    """Known keys for this test (and the loaded keyring forgotten before and after)."""
    settings.KAOWU_DATA_KEYS = _key_entry("old")
    settings.KAOWU_LOOKUP_KEY = base64.b64encode(secrets.token_bytes(32)).decode()
    crypto.keyring_reset()
    yield settings
    crypto.keyring_reset()


def _raw_row(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} WHERE id = %s", [pk])
        return " ".join(str(value) for value in cursor.fetchone())


@pytest.fixture
def account(gansu, keys):
    candidate = CandidateFactory(user__id_number=ID_NUMBER, user__phone=PHONE)
    return candidate.user


# --- the database holds no ID number or phone -------------------------------------------------------

def test_the_raw_table_shows_no_id_number_and_no_phone(account):
    raw = _raw_row("accounts_user", account.pk)
    assert ID_NUMBER not in raw and ID_NUMBER.lower() not in raw
    assert PHONE not in raw
    assert "v1:old:" in raw  # what is there is ciphertext under the configured key
    assert User.objects.get(pk=account.pk).id_number == ID_NUMBER


def test_the_same_id_number_encrypts_differently_every_time(keys):
    first = crypto.encrypt_text(ID_NUMBER, context="accounts_user.id_number")
    second = crypto.encrypt_text(ID_NUMBER, context="accounts_user.id_number")
    assert first != second


def test_a_sql_dump_of_the_whole_database_shows_no_id_number_or_phone(account):
    # Every row of every table, on SQLite and PostgreSQL alike (sqlite3's iterdump is SQLite only).
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows.extend(str(row) for row in cursor.fetchall())
    dump = "\n".join(rows)
    assert "v1:old:" in dump  # the rows are there, as ciphertext
    assert ID_NUMBER not in dump and ID_NUMBER.lower() not in dump and PHONE not in dump


def test_a_code_sent_to_a_phone_leaves_no_phone_in_the_codes_table(account, sms_inbox):
    from kaowu.verification.models import VerificationCode
    from kaowu.verification.services import code_send, code_verify

    code_send(target=PHONE, purpose=VerificationCode.Purpose.LOGIN, ip="127.0.0.1")
    record = VerificationCode.objects.get()
    assert PHONE not in _raw_row("verification_verificationcode", record.pk)
    code_verify(target=PHONE, purpose=VerificationCode.Purpose.LOGIN, code=sms_inbox(PHONE))  # still works
    assert VerificationCode.objects.get().consumed_at is not None


def test_other_encrypted_columns_hold_no_plaintext(gansu, keys):
    from kaowu.upgrade.models import UpgradeRegistration

    user = UserFactory(exam_type=User.ExamType.UPGRADE)
    registration = UpgradeRegistration.objects.create(user=user, phone=PHONE, recipient_phone="13800000001")
    raw = _raw_row("upgrade_upgraderegistration", registration.pk)
    assert PHONE not in raw and "13800000001" not in raw
    assert UpgradeRegistration.objects.get(phone=PHONE) == registration


# --- lookups, logins, uniqueness ------------------------------------------------------------------

def test_lookups_by_id_number_and_phone_still_work(account):
    assert User.objects.get(id_number=ID_NUMBER) == account
    assert User.objects.get(id_number=ID_NUMBER.lower()) == account  # ID numbers are compared upper-cased
    assert User.objects.get(phone=PHONE) == account
    assert list(User.objects.filter(phone__in=[PHONE, "13000000000"])) == [account]
    assert account.candidate.__class__.objects.filter(user__id_number=ID_NUMBER).get() == account.candidate
    assert not User.objects.filter(id_number=make_id_number()).exists()
    assert User.objects.filter(phone__isnull=False, pk=account.pk).exists()


@pytest.mark.parametrize("identifier", [ID_NUMBER, ID_NUMBER.lower(), PHONE])
def test_login_by_id_number_or_phone_works(account, identifier, rf):
    request = rf.post("/accounts/login/")
    assert IdentifierBackend().authenticate(request, identifier=identifier, password=TEST_PASSWORD) == account


def test_an_id_number_or_phone_belongs_to_one_account_only(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(id_number=ID_NUMBER.lower())
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(phone=PHONE)


def test_a_phone_changed_through_queryset_update_is_found_by_the_new_number(account):
    User.objects.filter(pk=account.pk).update(phone="13700000000")
    assert User.objects.get(phone="13700000000") == account
    assert not User.objects.filter(phone=PHONE).exists()


def test_saving_an_encrypted_field_without_its_digest_is_refused(account):
    account.phone = "13700000000"
    with pytest.raises(FieldError, match="phone_digest"):
        account.save(update_fields=["phone"])


@pytest.mark.parametrize("lookup", ["id_number__startswith", "id_number__icontains", "phone__contains",
                                    "id_number__iexact", "phone__gt"])
def test_searching_by_part_of_an_encrypted_value_is_an_error(account, lookup):
    with pytest.raises(FieldError, match="encrypted"):
        list(User.objects.filter(**{lookup: "6201"}))


# --- keys -----------------------------------------------------------------------------------------

def test_a_ciphertext_moved_to_another_column_does_not_decrypt(account):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET phone = id_number WHERE id = %s", [account.pk])
    with pytest.raises(crypto.DecryptionError):
        User.objects.get(pk=account.pk)


def test_production_without_keys_is_a_configuration_error(settings):
    settings.DEBUG, settings.DEMO_MODE = False, False
    settings.KAOWU_DATA_KEYS, settings.KAOWU_LOOKUP_KEY = "", base64.b64encode(b"x" * 32).decode()
    crypto.keyring_reset()
    try:
        with pytest.raises(ImproperlyConfigured, match="KAOWU_DATA_KEYS"):
            crypto.keyring()
        settings.KAOWU_DATA_KEYS, settings.KAOWU_LOOKUP_KEY = _key_entry("k1"), ""
        with pytest.raises(ImproperlyConfigured, match="KAOWU_LOOKUP_KEY"):
            crypto.keyring()
    finally:
        crypto.keyring_reset()


@pytest.mark.parametrize("value", ["k1:" + base64.b64encode(b"short").decode(), "k1", "k1:!!!notbase64",
                                   "k1:{k},k1:{k}", "bad id!:{k}"])
def test_a_malformed_data_key_is_a_configuration_error(settings, value):
    settings.KAOWU_DATA_KEYS = value.format(k=base64.b64encode(b"k" * 32).decode())
    crypto.keyring_reset()
    try:
        with pytest.raises(ImproperlyConfigured):
            crypto.keyring()
    finally:
        crypto.keyring_reset()


def test_data_under_a_key_that_is_no_longer_configured_is_a_configuration_error(account, keys):
    keys.KAOWU_DATA_KEYS = _key_entry("new")  # "old" dropped too early
    crypto.keyring_reset()
    with pytest.raises(ImproperlyConfigured, match="'old'"):
        User.objects.get(pk=account.pk)


def test_rotation_re_encrypts_rows_and_files_so_the_old_key_can_be_dropped(account, keys, tmp_path):
    keys.MEDIA_ROOT = tmp_path / "media"
    old_entry = keys.KAOWU_DATA_KEYS
    name = default_storage.save("identity/face.jpg", ContentFile(b"\xff\xd8\xff\xe0 a face"))
    # a new key first: old rows are still readable, new rows use the new key
    keys.KAOWU_DATA_KEYS = f"{_key_entry('new')},{old_entry}"
    crypto.keyring_reset()
    assert User.objects.get(pk=account.pk).phone == PHONE
    assert "v1:old:" in _raw_row("accounts_user", account.pk)
    out = io.StringIO()
    call_command("data_keys_rotate", stdout=out)
    assert "accounts.User.id_number: 1 rows rewritten" in out.getvalue()
    raw = _raw_row("accounts_user", account.pk)
    assert "v1:old:" not in raw and "v1:new:" in raw
    assert default_storage.key_id(name) == "new"
    # a second run finds nothing left to do
    out = io.StringIO()
    call_command("data_keys_rotate", stdout=out)
    assert "accounts.User.id_number: 0 rows rewritten" in out.getvalue()
    # the old key is dropped: everything still reads, and lookups still work
    keys.KAOWU_DATA_KEYS = keys.KAOWU_DATA_KEYS.split(",")[0]
    crypto.keyring_reset()
    assert User.objects.get(phone=PHONE).id_number == ID_NUMBER
    with default_storage.open(name) as handle:
        assert handle.read() == b"\xff\xd8\xff\xe0 a face"


def test_a_phone_changed_while_the_rotation_runs_is_not_put_back(account, keys, monkeypatch):
    """The rotation runs on a live site: a row changed between its read and its write keeps the new value."""
    old_entry = keys.KAOWU_DATA_KEYS
    keys.KAOWU_DATA_KEYS = f"{_key_entry('new')},{old_entry}"
    crypto.keyring_reset()
    encrypt_text, changed = crypto.encrypt_text, []

    def encrypt_while_the_owner_changes_the_phone(plaintext, *, context):
        if context == "accounts_user.phone" and not changed:
            changed.append(True)  # the owner binds a new phone just as the rotation re-encrypts the old one
            User.objects.filter(pk=account.pk).update(phone="13700000000")
        return encrypt_text(plaintext, context=context)

    monkeypatch.setattr(crypto, "encrypt_text", encrypt_while_the_owner_changes_the_phone)
    call_command("data_keys_rotate", "--skip-files", stdout=io.StringIO())
    assert changed
    assert User.objects.get(pk=account.pk).phone == "13700000000"
    assert User.objects.get(phone="13700000000") == account
    assert not User.objects.filter(phone=PHONE).exists()


def test_a_new_lookup_key_is_applied_by_recomputing_the_digests(account, keys):
    keys.KAOWU_LOOKUP_KEY = base64.b64encode(secrets.token_bytes(32)).decode()
    crypto.keyring_reset()
    assert not User.objects.filter(phone=PHONE).exists()  # the digests still use the old key
    call_command("data_keys_rotate", "--lookup", stdout=io.StringIO())
    assert User.objects.get(phone=PHONE) == account


def test_data_keys_generate_prints_usable_keys():
    out = io.StringIO()
    call_command("data_keys_generate", "--key-id", "k2027", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines() if line.startswith("KAOWU_"))
    assert list(crypto.parse_data_keys(lines["KAOWU_DATA_KEYS"])) == ["k2027"]
    assert len(crypto.parse_lookup_key(lines["KAOWU_LOOKUP_KEY"])) == 32


# --- files ------------------------------------------------------------------------------------------

@pytest.fixture
def media(settings, tmp_path, keys):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_an_identity_photo_is_stored_without_an_image_signature(gansu, media):
    from kaowu.identity import services
    from kaowu.identity.tests import imagery

    candidate = CandidateFactory()
    services.consent_give(user=candidate.user)
    verification = services.verification_get(user=candidate.user, kind="three_photos")
    jpeg = imagery.jpeg(imagery.id_photo("hopper"), quality=80)
    photo = services.photo_upload(verification=verification, kind="id_photo", actor=candidate.user,
                                  upload=ContentFile(jpeg, name="p.jpg"))
    on_disk = (media / photo.file.name).read_bytes()
    assert not on_disk.startswith(b"\xff\xd8") and b"JFIF" not in on_disk[:64] and b"\x89PNG" not in on_disk
    with photo.file.open("rb") as handle:
        assert handle.read().startswith(b"\xff\xd8")  # the application still reads the JPEG


def test_an_encrypted_file_reads_back_in_pieces_and_by_range(media):
    data = secrets.token_bytes(crypto.FILE_CHUNK * 2 + 123)
    name = default_storage.save("appeals/video.mp4", ContentFile(data))
    assert default_storage.size(name) == len(data)
    with default_storage.open(name) as handle:
        handle.seek(crypto.FILE_CHUNK - 10)
        assert handle.read(30) == data[crypto.FILE_CHUNK - 10:crypto.FILE_CHUNK + 20]
        handle.seek(-5, io.SEEK_END)
        assert handle.read() == data[-5:]


def test_a_truncated_or_tampered_file_is_refused(media):
    name = default_storage.save("signatures/s.png", ContentFile(b"\x89PNG" + b"x" * 100))
    path = media / name
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(crypto.DecryptionError), default_storage.open(name) as handle:
        handle.read()
    path.write_bytes(bytes(raw[:-20]))
    with pytest.raises(crypto.DecryptionError), default_storage.open(name) as handle:
        handle.read()


# --- 敏感信息访问记录 ----------------------------------------------------------------------------------

def _staff(kind: str, code: str, username: str) -> StaffMember:
    office = OfficeFactory(kind=kind, region=Region.objects.get(code=code), name=f"{username}机构")
    return StaffMemberFactory(office=office, role=StaffMember.Role.ADMINISTRATOR,
                              user=StaffUserFactory(username=username, real_name=f"{username}姓名"))


@pytest.fixture
def access_records(account, rf):
    district = _staff(Office.Kind.DISTRICT_OFFICE, "620102", "cg_looker")
    personal_data_access_record(actor=district.user, target=account.candidate, fields=["id_number", "phone"],
                                request=rf.get("/", REMOTE_ADDR="10.1.2.3"))
    personal_data_access_record(actor=district.user, target=account.candidate, fields=["photo:id_photo"],
                                request=rf.get("/", REMOTE_ADDR="10.1.2.4"))
    return district


def test_the_province_reviews_and_exports_the_access_records(client, access_records):
    province = _staff(Office.Kind.PROVINCE_AUTHORITY, "620000", "sheng_auditor")
    client.force_login(province.user)
    page = client.get("/backoffice/audit/personal-data/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "cg_looker姓名" in html and "10.1.2.3" in html and "身份证号、手机号" in html and "照片（证件照）" in html
    assert ID_NUMBER not in html and PHONE not in html
    only_one = client.get("/backoffice/audit/personal-data/", {"office": str(access_records.office.pk),
                                                                "date_from": "2000-01-01", "actor": "999999"})
    assert "请选择列表中的工作人员" in only_one.content.decode()
    export = client.get("/backoffice/audit/personal-data/", {"export": "xlsx", "actor": str(access_records.user.pk)})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[str(c) for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    data_rows = [row for row in rows if any("cg_looker姓名" in c for c in row)]
    assert len(data_rows) == 2 and any("10.1.2.4" in row for row in data_rows)
    from kaowu.audit.models import AuditEvent

    assert AuditEvent.objects.filter(actor=province.user, action="audit.pii_access_viewed").exists()
    assert AuditEvent.objects.filter(actor=province.user, action="audit.pii_access_exported").exists()


def test_a_city_or_district_office_cannot_open_the_access_records(client, access_records):
    city = _staff(Office.Kind.CITY_OFFICE, "620100", "city_admin")
    for member in (city, access_records):
        client.force_login(member.user)
        assert client.get("/backoffice/audit/personal-data/").status_code == 403
        assert client.get("/backoffice/audit/personal-data/", {"export": "xlsx"}).status_code == 403
        assert "敏感信息访问记录" not in client.get("/backoffice/").content.decode()
