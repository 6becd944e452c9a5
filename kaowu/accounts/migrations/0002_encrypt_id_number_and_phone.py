"""身份证号 and 手机号 encrypted at rest; exact lookups and uniqueness move to their blind indexes."""

from django.db import migrations

import kaowu.core.fields
from kaowu.core.fields import encrypt_columns_operation


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="id_number_digest",
            field=kaowu.core.fields.BlindIndexField(null=True, source="id_number", verbose_name="身份证号查找摘要"),
        ),
        migrations.AddField(
            model_name="user",
            name="phone_digest",
            field=kaowu.core.fields.BlindIndexField(null=True, source="phone", verbose_name="手机号查找摘要"),
        ),
        migrations.AlterField(
            model_name="user",
            name="id_number",
            field=kaowu.core.fields.EncryptedCharField(blank=True, max_length=18, normalize="id_number", null=True,
                                                       verbose_name="身份证号"),
        ),
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=kaowu.core.fields.EncryptedCharField(blank=True, max_length=11, normalize="phone", null=True,
                                                       verbose_name="手机号"),
        ),
        encrypt_columns_operation("accounts", "user", ["id_number", "phone"]),
        migrations.AlterField(
            model_name="user",
            name="id_number_digest",
            field=kaowu.core.fields.BlindIndexField(null=True, source="id_number", unique=True,
                                                    verbose_name="身份证号查找摘要"),
        ),
        migrations.AlterField(
            model_name="user",
            name="phone_digest",
            field=kaowu.core.fields.BlindIndexField(null=True, source="phone", unique=True, verbose_name="手机号查找摘要"),
        ),
    ]
