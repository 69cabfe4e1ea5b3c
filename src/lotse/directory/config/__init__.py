"""The configuration toolkit (Werkzeugkoffer): one YAML file describes one Träger.

``config_load`` validates and loads a file, ``config_dump`` writes the database back in the same
format. The format is documented in docs/configuration.md and specified by ``schema.yaml``.
"""

from lotse.directory.config.dumper import config_as_data, config_dump
from lotse.directory.config.errors import ConfigError, ConfigIssue, UnknownTraeger
from lotse.directory.config.loader import LoadReport, SectionCounts, config_load, read_config

__all__ = [
    "ConfigError",
    "ConfigIssue",
    "LoadReport",
    "SectionCounts",
    "UnknownTraeger",
    "config_as_data",
    "config_dump",
    "config_load",
    "read_config",
]
