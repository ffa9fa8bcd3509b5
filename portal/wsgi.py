import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()
# What loading the app made (Django, the AWS service models: over 150,000 objects) lives as long as the
# process: left out of the collector's full passes, which otherwise walk all of it every few hundred calls.
gc.freeze()
