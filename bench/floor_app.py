"""The WSGI app bench/http_floor.py serves: CreateCase's answer with none of the portal behind it.

FLOOR_WRITES=0 answers at once (the HTTP floor). FLOOR_WRITES=n first makes one query, then writes n rows in
one transaction, committed to disk, on the portal's PostgreSQL, with statements prepared as the portal's are:
what a write call needs of the database at the least. No Django: nothing else is measured.
"""

import json
import os
import uuid

WRITES = int(os.environ.get("FLOOR_WRITES", "0"))
TABLE = os.environ.get("FLOOR_TABLE", "")  # made and dropped by bench/http_floor.py
_connection = None


def _database():
    global _connection
    if _connection is None:
        import psycopg

        _connection = psycopg.connect(os.environ["DATABASE_URL"], prepare_threshold=5)
    return _connection


def _write() -> None:
    database = _database()
    database.execute("SELECT 1").fetchone()  # the access key's check
    with database.transaction():
        for _ in range(WRITES):
            database.execute(f"INSERT INTO {TABLE} (body) VALUES (%s) RETURNING id", ["x" * 200]).fetchone()


def application(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    if WRITES:
        _write()
    body = json.dumps({"caseId": f"case-123456789012-muen-2026-{uuid.uuid4().hex[:16]}"}).encode()
    start_response("200 OK", [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("Content-Length", str(len(body))),
        ("x-amzn-RequestId", str(uuid.uuid4())),
    ])
    return [body]
