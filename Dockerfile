# One image for every role of the several-machine layout (compose.yaml); the role is the command:
#   python -m portal.runtime web | worker | beat      (README: "Running on several machines")
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY . .
# The declared run-time dependencies only (no dev extra); the code runs from /app.
RUN pip install --no-cache-dir .
# Static files are collected into the image; WhiteNoise serves them from STATIC_ROOT in production.
RUN PORTAL_ENV=production SECRET_KEY=collectstatic-only-not-a-secret-000000000000000000000000 \
    python manage.py collectstatic --noinput -v0

RUN useradd --system --home-dir /app portal && mkdir -p var media && chown -R portal var media
USER portal
EXPOSE 8000
ENV PORTAL_ADDRESS=0.0.0.0:8000
CMD ["python", "-m", "portal.runtime", "web"]
