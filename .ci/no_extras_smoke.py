"""Proves the portal runs on its declared dependencies alone (run with a virtualenv made by
`pip install .`, no extras): production settings pass `check --deploy`, and the production
server answers one SigV4-signed API call made with botocore.

Usage: VENV/bin/python .ci/no_extras_smoke.py   (from the repository root)
"""

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.runtime.processes import free_port  # noqa: E402 (standard library only)


def run(*command, env):
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="no-extras-"))
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}},
        "PORTAL_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "RUNTIME_DIR": str(workdir / "var"),
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "PORTAL_ADDRESS": f"127.0.0.1:{port}",
    }
    python = sys.executable
    run(python, "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=env)
    env["SECURE_SSL_REDIRECT"] = "0"  # plain HTTP on loopback from here; a proxy terminates TLS in production
    run(python, "manage.py", "migrate", "--noinput", "-v0", env=env)
    run(python, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
    run(python, "manage.py", "sandbox", "seed", env=env)
    keys = subprocess.run(
        [python, "manage.py", "shell", "-c",
         "from accounts.models import Account; from iam.models import IAMUser; from iam.services import create_access_key;"
         "a = Account.objects.get(account_id='123456789012');"
         "k, s = create_access_key(a, IAMUser.objects.get(account=a, name='admin')); print(k.access_key_id, s)"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.split()
    access_key_id, secret = keys[-2:]
    server = subprocess.Popen([python, "-m", "portal.runtime", "web"], cwd=ROOT, env=env, start_new_session=True)
    try:
        import botocore.session

        client = botocore.session.get_session().create_client(
            "sts", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}/api/sts/",
            aws_access_key_id=access_key_id, aws_secret_access_key=secret,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                identity = client.get_caller_identity()
                break
            except Exception:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(1)
        assert identity["Arn"] == "arn:aws:iam::123456789012:user/admin", identity
        print(f"no-extras install: check --deploy clean; signed GetCallerIdentity answered {identity['Arn']}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
