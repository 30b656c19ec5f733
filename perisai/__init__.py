"""Perisai: reporting, case management and coordination for child protection (Kota Cilegon)."""

__version__ = "0.1.0"
