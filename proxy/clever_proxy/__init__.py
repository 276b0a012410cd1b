"""Clever POS local device proxy: receipt printers and the Kaspi POS terminal for the Odoo POS."""

__version__ = "19.0.1.0.0"
