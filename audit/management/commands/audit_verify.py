from django.core.management.base import BaseCommand, CommandError

from audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log: every event's keyed hash, every link, the head and the signed "
        "anchors; exit 1 saying where the chain first breaks and why."
    )

    def handle(self, *args, **options):
        broken = verify_chain()
        if broken is not None:
            raise CommandError(f"audit chain broken: {broken.describe()}")
        self.stdout.write(self.style.SUCCESS("audit chain intact"))
