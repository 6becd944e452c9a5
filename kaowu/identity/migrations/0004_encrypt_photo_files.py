"""Identity photos already on disk are encrypted at rest (new ones are written encrypted by the
default storage, kaowu.core.storage.EncryptedFileSystemStorage)."""

from django.db import migrations

from kaowu.core.storage import field_files_operation


class Migration(migrations.Migration):

    dependencies = [
        ("identity", "0003_photo_face_box"),
    ]

    operations = [
        field_files_operation("identity", "photo", "file"),
    ]
