import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

# What is alive once the application is loaded (modules, settings, the specs and catalogues)
# lives as long as the process: out of the collector's reach, a full collection scans what the
# requests allocate, not those 130,000 objects too (its pause was 75 ms, every hundred or so
# requests of the API's lists; 14 ms frozen: bench/scale_bench.py measures through this module).
gc.freeze()
