from django.core.signals import request_finished
from django.db import close_old_connections


def close_as_server(response) -> None:
    """What a server does once a response's last byte is out, without Django's end-of-request database
    housekeeping (which would end a test's transaction), as Django's test client does too."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
