# The portal's one image: the web processes (gunicorn), the one-off migrate step and the
# scheduled commands all run it (docker-compose.yml, docs/deployment.md).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The CJK fonts of the PDFs (WenQuanYi Micro Hei first, Noto CJK as fallback) and the
# libraries WeasyPrint loads at run time: Pango with its FreeType backend, HarfBuzz (with
# its subsetter, for the embedded fonts), fontconfig.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      fonts-noto-cjk fonts-wqy-microhei fontconfig \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/* \
 && fc-cache -f

# An unprivileged user of its own; it owns only the media directory.
RUN groupadd --system --gid 10001 portal \
 && useradd --system --uid 10001 --gid portal --no-create-home --home-dir /app --shell /usr/sbin/nologin portal

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image (hashed names, gzip and brotli copies) and served
# by whitenoise; collectstatic needs neither the database nor the real SECRET_KEY.
# /data/media is created owned by `portal`, so that a new named volume mounted there is too.
ENV STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media
RUN SECRET_KEY=collectstatic-only DEBUG=0 python manage.py collectstatic --noinput \
 && mkdir -p /data/media \
 && chown portal:portal /data/media

USER portal
EXPOSE 8000
VOLUME ["/data/media"]

# Workers: WEB_CONCURRENCY (gunicorn reads it; about 2 × cores). A publication renders its
# PDF inside the request, hence the 60 s timeout. More options: GUNICORN_CMD_ARGS. Whether
# X-Forwarded-Proto is believed is the portal's BEHIND_PROXY setting, not gunicorn's.
# These are sync workers, one connection each for as long as it lasts: port 8000 is for the
# nginx front only (deploy/nginx.conf, the `nginx` service), never published to clients.
ENV WEB_CONCURRENCY=4
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--timeout", "60", "--access-logfile", "-"]
