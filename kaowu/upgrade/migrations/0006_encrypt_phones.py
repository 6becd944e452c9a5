"""专升本 手机号码 and 收件人手机号码 are encrypted at rest; 一个手机号只能填报一次 holds on the blind index."""

from django.db import migrations, models
from django.db.models import Q

import kaowu.core.fields
from kaowu.core.fields import encrypt_columns_operation


class Migration(migrations.Migration):

    dependencies = [
        ("upgrade", "0005_admission_chain_supplementary_college_office"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="upgraderegistration",
            name="upgrade_phone_registers_once",
        ),
        migrations.AddField(
            model_name="upgraderegistration",
            name="phone_digest",
            field=kaowu.core.fields.BlindIndexField(blank=True, default="", source="phone",
                                                    verbose_name="手机号码查找摘要"),
        ),
        migrations.AlterField(
            model_name="upgraderegistration",
            name="phone",
            field=kaowu.core.fields.EncryptedCharField(blank=True, max_length=11, normalize="phone",
                                                       verbose_name="手机号码"),
        ),
        migrations.AlterField(
            model_name="upgraderegistration",
            name="recipient_phone",
            field=kaowu.core.fields.EncryptedCharField(blank=True, max_length=11, normalize="phone",
                                                       verbose_name="收件人手机号码"),
        ),
        encrypt_columns_operation("upgrade", "upgraderegistration", ["phone", "recipient_phone"]),
        migrations.AddConstraint(
            model_name="upgraderegistration",
            constraint=models.UniqueConstraint(condition=~Q(phone_digest="") & Q(status="in_progress"),
                                               fields=("phone_digest",), name="upgrade_phone_registers_once"),
        ),
    ]
