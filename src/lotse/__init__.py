"""Lotse: municipal immigration and integration management (Kommunales Integrationsmanagement)."""

__version__ = "0.1.0"
