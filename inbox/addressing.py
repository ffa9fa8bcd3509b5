"""How a sender says which account a message is about.

Most mail goes to addresses an account owns (its root email, its alternate contacts), and the
mailbox finds the account from them. Some goes to addresses no account owns yet or ever will:
the code sent to a new root email address before the change is confirmed, a case's CC list.
The sender names the account in this header so those messages reach its mailbox too.
"""

ACCOUNT_HEADER = "X-Sandbox-Account"


def about_account(account) -> dict[str, str]:
    """Headers for a message about `account` (pass as EmailMessage(headers=...))."""
    return {ACCOUNT_HEADER: account.account_id}
