"""The `lotse` console script: Django's manage.py for this project."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
    from lotse.core.datadir import use_private_umask

    use_private_umask()  # the database, keys and uploads are for the service user only
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
