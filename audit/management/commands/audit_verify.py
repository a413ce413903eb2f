from django.core.management.base import BaseCommand, CommandError

from audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit 1 at the first tampered event."

    def handle(self, *args, **options):
        broken = verify_chain()
        if broken is not None:
            raise CommandError(f"audit chain broken at event {broken}")
        self.stdout.write(self.style.SUCCESS("audit chain intact"))
