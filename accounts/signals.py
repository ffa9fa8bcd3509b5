from django.dispatch import Signal

# Sent inside the transaction that opens an account; receivers add what every
# new account has (e.g. IAM's service-linked roles). Argument: account.
account_opened = Signal()

# Sent inside the transaction that closes an account (e.g. the Support Center
# resolves its open cases). Argument: account.
account_closed = Signal()

# The root user of a closed account asks support to reopen it. Arguments: account, principal.
account_reopen_requested = Signal()
