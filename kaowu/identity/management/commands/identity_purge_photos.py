"""Retention: delete verification photos of failed or abandoned attempts after
KAOWU_IDENTITY_PHOTO_RETENTION_DAYS. Run daily (cron / systemd timer); `--enqueue` hands the work
to the background workers instead of doing it in this process."""

from django.core.management.base import BaseCommand

from kaowu.identity.services import photos_purge_expired
from kaowu.identity.tasks import photos_purge_task


class Command(BaseCommand):
    help = "删除超过保存期限的未通过/已放弃身份认证照片"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="保存天数（默认取 KAOWU_IDENTITY_PHOTO_RETENTION_DAYS）")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行")

    def handle(self, *args, days=None, enqueue=False, **options):
        if enqueue:
            result = photos_purge_task.enqueue()
            self.stdout.write(f"已提交后台任务 {result.id}")
            return
        count = photos_purge_expired(older_than_days=days)
        self.stdout.write(f"已删除 {count} 张超过保存期限的照片。")
