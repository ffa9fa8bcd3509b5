from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from accounts.models import Account
from portal.sandbox import demo
from portal.sandbox.services import reset_account, seed_demo


class Command(BaseCommand):
    help = "Sandbox tools: `seed` creates the demo account (idempotent); `reset --account ID` re-seeds one account."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        subcommands.add_parser("seed", help="Create the demo account with its users, cases and contacts.")
        reset = subcommands.add_parser("reset", help="Wipe one account and seed it again.")
        reset.add_argument("--account", required=True, help="12-digit account ID")

    # The demo's addresses are fictitious: the notifications its cases would send only bury the sign-in details.
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    def handle(self, *args, subcommand, **options):
        if subcommand == "seed":
            account, created = seed_demo()
            verb = "Created" if created else "Already present:"
            self.stdout.write(self.style.SUCCESS(f"{verb} demo account {account.account_id} ({account.name})."))
            self._print_sign_in_details(account)
        else:
            try:
                account = reset_account(options["account"])
            except Account.DoesNotExist as error:
                raise CommandError(f"No account with ID {options['account']}.") from error
            self.stdout.write(self.style.SUCCESS(f"Reset account {account.account_id} ({account.name})."))

    def _print_sign_in_details(self, account):
        self.stdout.write(f"  Root user:  {demo.ROOT_EMAIL} / {demo.ROOT_PASSWORD}")
        self.stdout.write(f"  IAM users (account {account.account_id}):")
        for name, password, grants in demo.IAM_USERS:
            self.stdout.write(f"    {name:<14} {password:<18} {grants}")
        self.stdout.write(f"    sign in at /signin/{account.sign_in_reference}/")
        self.stdout.write(f"  Staff site (/staff/): {demo.STAFF_USERNAME} / {demo.STAFF_PASSWORD}")
