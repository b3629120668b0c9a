"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import gc

from app import create_app

app = create_app()
# The start-up heap never becomes garbage; freezing it keeps full collections from walking
# it during requests (they cost ~85 ms each on a slot search otherwise; see bench/slots.py).
gc.collect()
gc.freeze()
