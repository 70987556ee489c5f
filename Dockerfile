# The image the crawler and the UI services of docker-compose.yml run (one image, two commands).
FROM python:3.11-slim-bookworm
WORKDIR /app
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir --disable-pip-version-check -r requirements.txt -c constraints.txt
COPY . .
ENV CDS_DATA_DIR=/app/data PYTHONUNBUFFERED=1 CDS_UI_HOST=0.0.0.0
EXPOSE 5000
# By default the UI on the production server (gunicorn, search_ui/gunicorn_conf.py); the crawler
# service of docker-compose.yml runs `scrapy schedule` instead. Healthy while /healthz answers 200.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('CDS_UI_PORT', '5000') + '/healthz', timeout=5)"]
CMD ["gunicorn", "-c", "python:search_ui.gunicorn_conf"]
