"""The encryption-at-rest migrations on a database that already holds rows (issue #12, item 11):
existing ID numbers and phones are encrypted going forward and come back as plaintext going
backward, on SQLite and on PostgreSQL (where a data rewrite followed by ALTER TABLE in one
migration used to stop on "pending trigger events")."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kaowu.accounts.models import User
from kaowu.transfers.models import IncomingTransfer
from kaowu.upgrade.models import UpgradeRegistration

BEFORE = [
    ("accounts", "0001_initial"),
    ("candidates", "0002_examnumbermerge_idnumbercorrection_and_more"),
    ("transfers", "0003_incoming_transfer_void"),
    ("upgrade", "0005_admission_chain_supplementary_college_office"),
    ("identity", "0003_photo_face_box"),
]
AFTER = [
    ("accounts", "0002_encrypt_id_number_and_phone"),
    ("candidates", "0003_encrypt_id_number_corrections"),
    ("transfers", "0004_encrypt_id_numbers_and_packages"),
    ("upgrade", "0006_encrypt_phones"),
    ("identity", "0004_encrypt_photo_files"),
]
ID_NUMBER, OTHER_ID, TRANSFER_ID = "62010219900101001X", "620102199001010029", "620102199001010045"
PHONE, RECIPIENT = "13800000001", "13800000009"
PACKAGE = '{"id_number": "' + TRANSFER_ID + '"}'


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _raw(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.fixture
def old_schema():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        yield _migrate(BEFORE)
    finally:
        _migrate(latest)


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_encrypted_forward_and_restored_backward(old_schema):
    apps = old_schema
    user_model = apps.get_model("accounts", "User")
    region = apps.get_model("organization", "Region").objects.create(code="620000", name="甘肃省", level="province")
    province = apps.get_model("organization", "Province").objects.create(
        name="甘肃", authority_name="a", platform_name="b", logo_text="c", hotline="1", region=region)
    office = apps.get_model("organization", "Office").objects.create(
        code="6201", name="o", kind="province", address="x", phone="1", region=region)
    staff = user_model.objects.create(username="s1", kind="staff", password="x", real_name="职员")
    first = user_model.objects.create(username="c1", kind="candidate", exam_type="self_study", password="x",
                                      real_name="甲", id_number=ID_NUMBER, phone=PHONE)
    second = user_model.objects.create(username="c2", kind="candidate", exam_type="self_study", password="x",
                                       real_name="乙", id_number=OTHER_ID, phone=None)
    registrations = apps.get_model("upgrade", "UpgradeRegistration").objects
    registrations.create(user=first, phone=PHONE, recipient_phone=RECIPIENT, status="in_progress")
    registrations.create(user=second, phone="", recipient_phone="", status="in_progress")
    apps.get_model("transfers", "IncomingTransfer").objects.create(
        number="N1", source_number="S1", method="online", name="张三", id_number=TRANSFER_ID,
        created_by=staff, from_province=province, office=office, package=PACKAGE)

    _migrate(AFTER)

    dump = " ".join(str(row) for table in ("accounts_user", "upgrade_upgraderegistration",
                                           "transfers_incomingtransfer")
                    for row in _raw(f"SELECT * FROM {table}"))
    for secret in (ID_NUMBER, OTHER_ID, TRANSFER_ID, PHONE, RECIPIENT):
        assert secret not in dump
    assert User.objects.get(id_number=ID_NUMBER.lower()).phone == PHONE
    assert User.objects.get(phone=PHONE).username == "c1"
    assert User.objects.get(username="c2").phone is None
    assert UpgradeRegistration.objects.get(phone=PHONE).recipient_phone == RECIPIENT
    assert IncomingTransfer.objects.get(id_number=TRANSFER_ID).package == PACKAGE

    _migrate(BEFORE)

    assert sorted(_raw("SELECT username, id_number, phone FROM accounts_user")) == [
        ("c1", ID_NUMBER, PHONE), ("c2", OTHER_ID, None), ("s1", None, None)]
    assert sorted(_raw("SELECT phone, recipient_phone FROM upgrade_upgraderegistration")) == [
        ("", ""), (PHONE, RECIPIENT)]
    assert _raw("SELECT id_number FROM transfers_incomingtransfer") == [(TRANSFER_ID,)]
