"""The demo sandbox's fixed identity and sign-in details (printed by `make run`)."""

from accounts.models import SupportPlan

ACCOUNT_ID = "123456789012"
ACCOUNT_NAME = "Demo Corp"
ROOT_EMAIL = "root@demo.example.com"
ROOT_PASSWORD = "DemoRoot!2026"
SUPPORT_PLAN = SupportPlan.BUSINESS

# IAM users every sandbox account gets: (name, password, what they may do).
IAM_USERS = (
    ("admin", "DemoAdmin!2026", "AdministratorAccess"),
    ("reader", "DemoReader!2026", "ReadOnlyAccess"),
    ("support-agent", "DemoAgent!2026", "Support access, except resolving cases"),
)

# The staff site's demo support engineer (a Django staff user, not a customer).
STAFF_USERNAME = "engineer"
STAFF_PASSWORD = "DemoStaff!2026"
