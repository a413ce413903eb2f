from django.core.management.base import BaseCommand, CommandError

from audit.anchors import ChainBrokenError, write_anchor


class Command(BaseCommand):
    help = (
        "Sign the audit chain's head (sequence, hash, count, time), store it under "
        "audit-anchors/ in private storage and mail it to the auditors."
    )

    def handle(self, *args, **options):
        try:
            anchor = write_anchor()
        except ChainBrokenError as exc:
            raise CommandError(f"audit chain broken, no anchor written: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"anchored event no. {anchor.sequence} ({anchor.hash}) in {anchor.name}"
            )
        )
