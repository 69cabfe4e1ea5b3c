import os

from django.core.wsgi import get_wsgi_application

from lotse.core.datadir import use_private_umask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
use_private_umask()  # files the web application creates are for the service user only
application = get_wsgi_application()
