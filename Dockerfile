# The image the crawler and the UI services of docker-compose.yml run (one image, two commands).
FROM python:3.11-slim-bookworm
WORKDIR /app
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir --disable-pip-version-check -r requirements.txt -c constraints.txt
COPY . .
ENV CDS_DATA_DIR=/app/data PYTHONUNBUFFERED=1
