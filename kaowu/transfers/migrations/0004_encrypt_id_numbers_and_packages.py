"""The 身份证号 of an incoming transfer and the signed transfer packages (which carry the full ID
number) are encrypted at rest; lookups use the blind index of the ID number."""

from django.db import migrations

import kaowu.core.fields
from kaowu.core.fields import encrypt_columns_operation


class Migration(migrations.Migration):

    dependencies = [
        ("transfers", "0003_incoming_transfer_void"),
    ]

    operations = [
        migrations.AddField(
            model_name="incomingtransfer",
            name="id_number_digest",
            field=kaowu.core.fields.BlindIndexField(null=True, source="id_number", verbose_name="身份证号查找摘要"),
        ),
        migrations.AlterField(
            model_name="incomingtransfer",
            name="id_number",
            field=kaowu.core.fields.EncryptedCharField(max_length=18, normalize="id_number", verbose_name="身份证号"),
        ),
        migrations.AlterField(
            model_name="incomingtransfer",
            name="package",
            field=kaowu.core.fields.EncryptedTextField(blank=True, verbose_name="电子转考数据包"),
        ),
        migrations.AlterField(
            model_name="dossierdispatch",
            name="package",
            field=kaowu.core.fields.EncryptedTextField(blank=True, help_text="电子寄档时导出的签名数据包（JSON），可再次下载",
                                                       verbose_name="电子转考数据包"),
        ),
        encrypt_columns_operation("transfers", "incomingtransfer", ["id_number", "package"]),
        encrypt_columns_operation("transfers", "dossierdispatch", ["package"]),
        migrations.AlterField(
            model_name="incomingtransfer",
            name="id_number_digest",
            field=kaowu.core.fields.BlindIndexField(db_index=True, source="id_number", verbose_name="身份证号查找摘要"),
            preserve_default=False,
        ),
    ]
