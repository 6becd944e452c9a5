"""The old and new 身份证号 of an ID number correction are encrypted at rest (never looked up)."""

from django.db import migrations

import kaowu.core.fields
from kaowu.core.fields import encrypt_columns_operation


class Migration(migrations.Migration):

    dependencies = [
        ("candidates", "0002_examnumbermerge_idnumbercorrection_and_more"),
    ]

    operations = [
        migrations.AlterField(
            model_name="idnumbercorrection",
            name="new_id_number",
            field=kaowu.core.fields.EncryptedCharField(max_length=18, normalize="id_number", verbose_name="新身份证号"),
        ),
        migrations.AlterField(
            model_name="idnumbercorrection",
            name="old_id_number",
            field=kaowu.core.fields.EncryptedCharField(max_length=18, normalize="id_number", verbose_name="原身份证号"),
        ),
        encrypt_columns_operation("candidates", "idnumbercorrection", ["old_id_number", "new_id_number"]),
    ]
