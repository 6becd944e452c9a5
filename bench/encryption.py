"""Benchmark: what encryption at rest (issue #12, item 11) costs, beside a baseline measured in the
same run without it.

    .venv/bin/python bench/encryption.py            # 20,000 candidates, a 1,000,000-row score file
    .venv/bin/python bench/encryption.py --smoke    # 300 candidates, 10,000 rows (seconds: the code path, no target)

Runs on its own SQLite database in KAOWU_VAR_DIR (default /tmp/kaowu-bench-encryption, wiped at the
start) with generated keys. Measured (best of --repeat rounds, per operation):

1. primitives: AES-256-GCM encrypt / decrypt of an ID number, the HMAC blind index;
2. login lookup: `accounts.backends.users_matching_identifier` by 身份证号 and by phone (digest
   lookups, rows decrypted) against the same query shape on plain indexed columns (username,
   e-mail) with the encrypted columns not loaded; for scale, one PBKDF2 password check (the
   production hasher), which every password login pays;
3. staff candidate search: `candidates.selectors.candidates_search` by a full 身份证号 against the
   same search by 准考证号, and one list page of 20 candidates with the ID and phone decrypted for
   masking against the page without them;
4. score import: the score file (准考证号, 课程代码, 成绩, 标记 — the only part of 成绩导入 that encryption
   touches: the import reads no encrypted column) saved through the encrypting storage and read back
   line by line, against the plain FileSystemStorage.
"""

import argparse
import csv
import io
import os
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaowu.settings")
os.environ.setdefault("KAOWU_VAR_DIR", "/tmp/kaowu-bench-encryption")
os.environ.pop("KAOWU_DATABASE_URL", None)


def _best(function, *, repeat: int, number: int) -> float:
    """Best of `repeat` rounds of `number` calls: seconds per call."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def _row(label: str, encrypted: float, baseline: float | None, unit: str = "µs") -> None:
    scale = {"µs": 1e6, "ms": 1e3, "s": 1}[unit]
    if baseline is None:
        print(f"  {label:<58} {encrypted * scale:10.1f} {unit}")
        return
    ratio = encrypted / baseline if baseline else float("inf")
    print(f"  {label:<58} {encrypted * scale:10.1f} {unit}   baseline {baseline * scale:10.1f} {unit}"
          f"   ×{ratio:4.2f}  (+{(encrypted - baseline) * scale:.1f} {unit})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--candidates", type=int, default=None)
    parser.add_argument("--score-rows", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    candidates = args.candidates or (300 if args.smoke else 20_000)
    score_rows = args.score_rows or (10_000 if args.smoke else 1_000_000)
    repeat = 1 if args.smoke else args.repeat

    var_dir = Path(os.environ["KAOWU_VAR_DIR"])
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q

    from kaowu.accounts.backends import users_matching_identifier
    from kaowu.accounts.models import User
    from kaowu.candidates.models import Candidate, ExamNumber
    from kaowu.candidates.selectors import candidates_search
    from kaowu.core import crypto
    from kaowu.core.storage import EncryptedFileSystemStorage
    from kaowu.organization.models import Office, Region

    call_command("migrate", verbosity=0, skip_checks=True)
    print(f"encryption at rest — SQLite, {candidates:,} candidates, {score_rows:,} score rows, best of {repeat}; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")

    # --- 1. primitives --------------------------------------------------------------------------------
    print("\n1. primitives (per value)")
    sample = "62010219950307123X"
    ciphertext = crypto.encrypt_text(sample, context="accounts_user.id_number")
    _row("AES-256-GCM encrypt of an ID number", _best(
        lambda: crypto.encrypt_text(sample, context="accounts_user.id_number"), repeat=repeat, number=20_000), None)
    _row("AES-256-GCM decrypt of an ID number", _best(
        lambda: crypto.decrypt_text(ciphertext, context="accounts_user.id_number"), repeat=repeat, number=20_000), None)
    _row("HMAC-SHA256 blind index", _best(
        lambda: crypto.blind_index(sample, context="accounts_user.id_number"), repeat=repeat, number=20_000), None)

    # --- data -----------------------------------------------------------------------------------------
    from kaowu.organization.services import regions_import

    regions_import(province_prefixes=["62"])
    district = Region.objects.get(code="620102")
    area = Office.objects.create(code="EA-BENCH", name="压测考区", kind=Office.Kind.EXAM_AREA, region=district,
                                 address="压测", phone="0")
    rng = random.Random(7)
    start = time.perf_counter()
    users = [User(username=f"bench{i}", kind="candidate", exam_type="self_study", real_name=f"考生{i}",
                  id_number=f"6201021990{i:07d}X", phone=f"139{i:08d}",
                  email=f"b{i}@example.com", password="!") for i in range(candidates)]
    User.objects.bulk_create(users, batch_size=2000)
    created = time.perf_counter() - start
    users = list(User.objects.filter(kind="candidate").only("id"))
    Candidate.objects.bulk_create([Candidate(user_id=u.pk, district=district) for u in users], batch_size=2000)
    people = list(Candidate.objects.select_related("user"))
    from django.utils import timezone

    ExamNumber.objects.bulk_create([ExamNumber(number=f"6201{c.pk:08d}", candidate=c, exam_area=area,
                                               issued_at=timezone.now()) for c in people], batch_size=2000)
    print(f"\n   (bulk_create of {candidates:,} accounts with two encrypted fields + digests: {created:.2f} s, "
          f"{created / candidates * 1e6:.0f} µs per account)")

    picks = [rng.choice(people) for _ in range(200)]

    # --- 2. login lookup ------------------------------------------------------------------------------
    print("\n2. login: finding the account by the typed identifier (per login)")
    index = iter(range(10**9))

    def by_id_number():
        c = picks[next(index) % len(picks)]
        assert len(list(users_matching_identifier(c.user.id_number, kind="candidate"))) == 1

    def by_phone():
        c = picks[next(index) % len(picks)]
        assert len(list(users_matching_identifier(c.user.phone, kind="candidate"))) == 1

    def plain_same_shape():
        c = picks[next(index) % len(picks)]
        x = c.user.username
        found = User.objects.filter(Q(username=x) | Q(email=x) | Q(candidate_number=x)
                                    | Q(candidate__exam_numbers__number=x), kind="candidate").distinct()
        assert len(list(found.defer("id_number", "phone"))) == 1

    baseline = _best(plain_same_shape, repeat=repeat, number=300)
    _row("by 身份证号 (digest lookup, row decrypted)", _best(by_id_number, repeat=repeat, number=300), baseline)
    _row("by phone (digest lookup, row decrypted)", _best(by_phone, repeat=repeat, number=300), baseline)
    hasher = PBKDF2PasswordHasher()
    encoded = hasher.encode("Kaowu-bench-2027!", hasher.salt())
    _row(f"for scale: one password check ({hasher.iterations:,} PBKDF2 rounds)",
         _best(lambda: hasher.verify("Kaowu-bench-2027!", encoded), repeat=2, number=3), None, unit="ms")

    # --- 3. staff candidate search ----------------------------------------------------------------------
    print("\n3. staff candidate list (per request)")
    listed = Candidate.objects.select_related("user", "district")

    def search_id():
        c = picks[next(index) % len(picks)]
        assert len(list(candidates_search(queryset=listed, query=c.user.id_number))) == 1

    def search_exam_number():
        c = picks[next(index) % len(picks)]
        found = candidates_search(queryset=listed, query=f"6201{c.pk:08d}").defer("user__id_number", "user__phone")
        assert len(list(found)) == 1

    _row("search by a full 身份证号", _best(search_id, repeat=repeat, number=200),
         _best(search_exam_number, repeat=repeat, number=200))

    def page(decrypt: bool):
        def run():
            query = listed.order_by("-pk")
            if not decrypt:
                query = query.defer("user__id_number", "user__phone")
            rows = list(query[:20])
            if decrypt:
                assert all(r.user.id_number and r.user.phone for r in rows)
        return run

    _row("one page of 20 candidates, ID + phone decrypted for masking", _best(page(True), repeat=repeat, number=200),
         _best(page(False), repeat=repeat, number=200))

    # --- 4. score file ----------------------------------------------------------------------------------
    print(f"\n4. score import file ({score_rows:,} rows; the import itself reads no encrypted column)")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["准考证号", "课程代码", "成绩", "标记"])
    for i in range(score_rows):
        writer.writerow([f"6201{i:08d}", f"{i % 97:05d}", f"{30 + (i * 7919) % 701 / 10:.1f}", ""])
    data = text.getvalue().encode("utf-8-sig")
    print(f"   file size {len(data) / 1e6:.1f} MB")
    media = var_dir / "bench-media"
    encrypted_storage = EncryptedFileSystemStorage(location=media / "enc")
    plain_storage = FileSystemStorage(location=media / "plain")

    def save(storage):
        def run():
            name = storage.save("score.csv", ContentFile(data))
            run.name = name
        return run

    def read(storage, name):
        def run():
            with storage.open(name, "rb") as handle:
                wrapper = io.TextIOWrapper(handle.file, encoding="utf-8-sig")
                count = sum(1 for _ in wrapper)
            assert count == score_rows + 1, count
        return run

    save_encrypted, save_plain = save(encrypted_storage), save(plain_storage)
    rounds = 1 if score_rows >= 500_000 and not args.smoke else repeat
    _row("save through the storage", _best(save_encrypted, repeat=rounds, number=1),
         _best(save_plain, repeat=rounds, number=1), unit="ms")
    assert not (media / "enc" / save_encrypted.name).read_bytes().startswith("\ufeff准考证号".encode())
    _row("read back line by line (as the import parses it)",
         _best(read(encrypted_storage, save_encrypted.name), repeat=rounds, number=1),
         _best(read(plain_storage, save_plain.name), repeat=rounds, number=1), unit="ms")
    print(f"\nsettings: KAOWU_DATA_KEYS {'set' if settings.KAOWU_DATA_KEYS else 'generated in ' + str(var_dir)}")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
