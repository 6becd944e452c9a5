"""Encrypted columns with exact-match lookup (see `kaowu.core.crypto` for the keys and the format).

    id_number = EncryptedCharField(_("身份证号"), max_length=18, null=True, blank=True, normalize="id_number")
    id_number_digest = BlindIndexField(source="id_number", null=True, unique=True)

* The Python value is the plaintext; the column holds ``v1:<keyid>:…`` (AES-256-GCM, bound to
  ``table.column``). NULL stays NULL and "" stays "" (emptiness is not a secret).
* The companion ``BlindIndexField`` holds HMAC-SHA256(lookup key, column, normalised value). It is
  always computed from the plaintext, on save, ``bulk_create``, ``bulk_update`` and — through
  ``EncryptedQuerySet`` — ``QuerySet.update``. Uniqueness is declared on it.
* ``filter(id_number=x)``, ``get(phone=x)``, ``filter(user__id_number__in=[…])`` and ``isnull`` keep
  working: the ``exact`` and ``in`` lookups compile to the digest column on the same table alias.
  Every other lookup (``icontains``, ``startswith``, ``iexact``, transforms) is a ``FieldError``: an
  encrypted value cannot be searched by part, and ordering by it is meaningless.
"""

from __future__ import annotations

from django.core import checks
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In, IsNull, Lookup
from django.db.models.signals import pre_save

from . import crypto


def _normalise_id_number(value: str) -> str:
    return value.strip().upper()


def _normalise_phone(value: str) -> str:
    return value.strip().replace(" ", "").replace("-", "")


def _normalise_text(value: str) -> str:
    return value.strip()


NORMALISERS = {"id_number": _normalise_id_number, "phone": _normalise_phone, "text": _normalise_text}


def column_context(model, field) -> str:
    return f"{model._meta.db_table}.{field.column}"


class _DigestLookup(Lookup):
    """Base of the lookups that compare the blind index instead of the ciphertext."""

    prepare_rhs = False

    def _parts(self):
        lhs = self.lhs
        field = getattr(lhs, "target", None)
        if not isinstance(lhs, Col) or not isinstance(field, EncryptedFieldMixin):
            raise FieldError("An encrypted field can only be compared as a plain column.")
        digest = field.digest_field
        if digest is None:
            raise FieldError(f"{field.model.__name__}.{field.name} is encrypted and has no blind index "
                             f"(BlindIndexField): it cannot be looked up.")
        if hasattr(self.rhs, "resolve_expression"):
            raise FieldError(f"{field.model.__name__}.{field.name} is encrypted: compare it with a value, "
                             f"not an expression.")
        return field, digest.get_col(lhs.alias)


class DigestExact(_DigestLookup):
    lookup_name = "exact"

    def as_sql(self, compiler, connection):
        field, col = self._parts()
        return compiler.compile(Exact(col, field.digest_of(self.rhs)))


class DigestIn(_DigestLookup):
    lookup_name = "in"

    def as_sql(self, compiler, connection):
        field, col = self._parts()
        values = [field.digest_of(v) for v in self.rhs if v is not None]
        return compiler.compile(In(col, values))


_LOOKUPS = {"exact": DigestExact, "in": DigestIn, "isnull": IsNull}


class EncryptedFieldMixin:
    """Shared by EncryptedCharField and EncryptedTextField (see the module docstring)."""

    description = "Encrypted text (AES-256-GCM)"

    def __init__(self, *args, normalize: str = "text", **kwargs):
        if normalize not in NORMALISERS:
            raise ValueError(f"normalize must be one of {sorted(NORMALISERS)}")
        self.normalize = normalize
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.normalize != "text":
            kwargs["normalize"] = self.normalize
        return name, path, args, kwargs

    def get_internal_type(self):
        return "TextField"

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.unique or self.db_index:
            errors.append(checks.Error(
                "An encrypted field is never unique or indexed (its ciphertext is random): declare "
                "unique=True on its BlindIndexField.", obj=self, id="kaowu.E101"))
        return errors

    # --- values ---------------------------------------------------------------------------------

    @property
    def context(self) -> str:
        return column_context(self.model, self)

    def normalised(self, value: str) -> str:
        return NORMALISERS[self.normalize](value)

    def digest_of(self, value) -> str | None:
        if value is None:
            return None
        value = self.normalised(str(value))
        return crypto.blind_index(value, context=self.context) if value else ""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt_text(value, context=self.context)

    def get_db_prep_value(self, value, connection, prepared=False):
        value = self.get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt_text(value, context=self.context)

    # --- lookups --------------------------------------------------------------------------------

    @property
    def digest_field(self) -> BlindIndexField | None:
        for field in self.model._meta.concrete_fields:
            if isinstance(field, BlindIndexField) and field.source == self.name:
                return field
        return None

    def get_lookup(self, lookup_name):
        lookup = _LOOKUPS.get(lookup_name)
        if lookup is None:
            raise FieldError(f"{self.model.__name__}.{self.name} is encrypted: only exact match (=, __in) and "
                             f"__isnull work on it, not __{lookup_name}. Search by the whole value.")
        return lookup

    def get_transform(self, lookup_name):
        raise FieldError(f"{self.model.__name__}.{self.name} is encrypted: __{lookup_name} is not possible on it.")


class EncryptedCharField(EncryptedFieldMixin, models.CharField):
    """A short personal value (ID number, phone) stored encrypted. `max_length` limits the plaintext
    (forms, validation); the column is text, long enough for the ciphertext."""


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """A long text holding personal data (a signed transfer package with the full ID number)."""


class _DigestDescriptor:
    """The digest always follows the plaintext held by the instance (so validation, save,
    bulk_create and bulk_update all see the right value); loaded rows keep the stored one until
    the source is loaded."""

    def __init__(self, field: BlindIndexField):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        source = instance._meta.get_field(self.field.source)
        if source.attname in instance.__dict__:
            return source.digest_of(instance.__dict__[source.attname])
        return instance.__dict__.get(self.field.attname)

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class BlindIndexField(models.CharField):
    """The keyed hash (blind index) of an `EncryptedCharField`, for exact lookups and uniqueness."""

    description = "Blind index (HMAC-SHA256) of an encrypted field"

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only)
        setattr(cls, self.attname, _DigestDescriptor(self))

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        try:
            source = self.model._meta.get_field(self.source)
        except Exception:  # noqa: BLE001 - reported as a check error
            source = None
        if not isinstance(source, EncryptedFieldMixin):
            errors.append(checks.Error(f"BlindIndexField source '{self.source}' is not an EncryptedCharField "
                                       f"of {self.model.__name__}.", obj=self, id="kaowu.E102"))
        return errors


def encrypted_fields(model) -> list[EncryptedFieldMixin]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]


def digests_for(model, values: dict) -> dict:
    """`values` (field name → plaintext) plus the digest of every encrypted field that has one."""
    extra = {}
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - not a field name: Django reports it
            continue
        if isinstance(field, EncryptedFieldMixin) and field.digest_field is not None:
            if hasattr(value, "resolve_expression"):
                raise FieldError(f"{model.__name__}.{name} is encrypted: update it with a value, not an expression.")
            extra[field.digest_field.name] = field.digest_of(value)
    return {**values, **extra}


class EncryptedQuerySet(models.QuerySet):
    """The queryset of every model with an encrypted, looked-up field: `update()` and
    `bulk_update()` keep the blind index in step with the value."""

    def update(self, **kwargs):
        return super().update(**digests_for(self.model, kwargs))

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        fields = list(fields)
        for name in list(fields):
            field = self.model._meta.get_field(name)
            if isinstance(field, EncryptedFieldMixin) and field.digest_field is not None:
                if field.digest_field.name not in fields:
                    fields.append(field.digest_field.name)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    bulk_update.alters_data = True


def _update_fields_guard(sender, instance, raw=False, update_fields=None, **kwargs):
    """save(update_fields=[…]) naming an encrypted field must name its digest too."""
    if not update_fields:
        return
    for field in encrypted_fields(sender):
        digest = field.digest_field
        if field.name in update_fields and digest is not None and digest.name not in update_fields:
            raise FieldError(f"save(update_fields=…) names {field.name} but not {digest.name}: "
                             f"add it, or the lookup index goes stale.")


pre_save.connect(_update_fields_guard, dispatch_uid="kaowu.core.fields.update_fields_guard")


@checks.register(checks.Tags.models)
def check_encrypted_models(app_configs=None, **kwargs):
    """A model with a looked-up encrypted field must update through EncryptedQuerySet."""
    from django.apps import apps

    errors = []
    for model in apps.get_models():
        if not any(f.digest_field is not None for f in encrypted_fields(model)):
            continue
        queryset_class = getattr(model._default_manager, "_queryset_class", None)
        if not (queryset_class and issubclass(queryset_class, EncryptedQuerySet)):
            errors.append(checks.Error(
                f"{model._meta.label} has encrypted fields with a blind index but its default manager does not "
                f"use kaowu.core.fields.EncryptedQuerySet (QuerySet.update would leave the index stale).",
                obj=model, id="kaowu.E103"))
    return errors


@checks.register(checks.Tags.security)
def check_data_keys(app_configs=None, **kwargs):
    """The data and lookup keys are present and well formed (production refuses to start without)."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        crypto.keyring()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), hint="manage.py data_keys_generate prints new keys.", id="kaowu.E104")]
    return []


# --- bulk (re-)encryption with raw SQL: migrations and key rotation ------------------------------------

def rows_rewrite(connection, model, field, *, mode: str, batch_size: int = 1000, after_pk=None,
                 progress=None) -> int:
    """Rewrite one column in primary-key batches, each in its own statement group.

    mode "encrypt": plaintext → ciphertext and digest (a data migration forward);
    mode "decrypt": ciphertext → plaintext, digest left as it is (the migration backward);
    mode "rotate":  ciphertext under an older key → the current key (and digests recomputed);
    mode "reindex": recompute digests only (a new KAOWU_LOOKUP_KEY).
    Rows already in the wanted state are skipped, so an interrupted run can simply be started again.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    column = connection.ops.quote_name(field.column)
    digest_field = next((f for f in model._meta.concrete_fields
                         if isinstance(f, BlindIndexField) and f.source == field.name), None)
    digest = connection.ops.quote_name(digest_field.column) if digest_field else None
    context = column_context(model, field)
    normalise = NORMALISERS[getattr(field, "normalize", "text")]
    current = crypto.keyring().current_id
    changed, last = 0, after_pk
    while True:
        with connection.cursor() as cursor:
            where = f"{column} IS NOT NULL" + (f" AND {pk} > %s" if last is not None else "")
            select = f"SELECT {pk}, {column}" + (f", {digest}" if digest else "") + f" FROM {table}"
            cursor.execute(f"{select} WHERE {where} ORDER BY {pk} LIMIT {int(batch_size)}",
                           [last] if last is not None else [])
            rows = cursor.fetchall()
        if not rows:
            return changed
        updates = []
        for row in rows:
            key, stored = row[0], row[1]
            old_digest = row[2] if digest else None
            encrypted = crypto.key_id_of(stored) is not None
            if mode == "encrypt":
                plain = crypto.decrypt_text(stored, context=context) if encrypted else stored
                value = stored if encrypted or stored == "" else crypto.encrypt_text(stored, context=context)
            elif mode == "decrypt":
                plain = value = crypto.decrypt_text(stored, context=context) if encrypted else stored
            elif mode == "rotate":
                plain = crypto.decrypt_text(stored, context=context) if encrypted else stored
                on_current = not encrypted and stored == "" or crypto.key_id_of(stored) == current
                value = stored if on_current else crypto.encrypt_text(plain, context=context)
            else:  # reindex
                plain = crypto.decrypt_text(stored, context=context) if encrypted else stored
                value = stored
            new_digest = old_digest  # decrypt: left as it is (the column may be NOT NULL; it is dropped next)
            if digest and mode != "decrypt":
                normalised = normalise(plain)
                new_digest = crypto.blind_index(normalised, context=context) if normalised else ""
            if value != stored or (digest and new_digest != old_digest):
                updates.append((value, new_digest, key, stored) if digest else (value, key, stored))
        if updates:
            with connection.cursor() as cursor:
                sets = f"{column} = %s" + (f", {digest} = %s" if digest else "")
                # Only if the value is still the one read: a row the site changed meanwhile (already
                # under the current key) keeps its new value instead of getting the old one back.
                cursor.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = %s AND {column} = %s", updates)
            changed += len(updates)
        last = rows[-1][0]
        if progress:
            progress(model, field, last, changed)


def encrypt_columns_operation(app_label: str, model_name: str, field_names: list[str]):
    """A migration operation that encrypts existing rows of these columns and fills their digests
    (backward: decrypts them). Use between adding the digest column and making it unique."""
    from django.db import migrations

    def run(mode):
        def apply(apps, schema_editor):
            model = apps.get_model(app_label, model_name)
            connection = schema_editor.connection
            for name in field_names:
                rows_rewrite(connection, model, model._meta.get_field(name), mode=mode)
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                # The rewritten rows queued deferred foreign-key checks; PostgreSQL refuses the next
                # ALTER TABLE of this migration ("pending trigger events") unless they run now.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return apply

    return migrations.RunPython(run("encrypt"), run("decrypt"), elidable=False)


def data_rotate(*, connection, models_list=None, reindex: bool = False, batch_size: int = 1000,
                progress=None) -> dict[str, int]:
    """Re-encrypt every encrypted column under the current key (and recompute the digests);
    with reindex=True only recompute the digests (after changing KAOWU_LOOKUP_KEY)."""
    from django.apps import apps

    counts: dict[str, int] = {}
    for model in models_list or apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in encrypted_fields(model):
            counts[f"{model._meta.label}.{field.name}"] = rows_rewrite(
                connection, model, field, mode="reindex" if reindex else "rotate", batch_size=batch_size,
                progress=progress)
    return counts
