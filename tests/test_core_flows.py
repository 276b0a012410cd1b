"""Odoo's own flows still work with every clever_pos module installed: Odoo's POS order tests,
run as they are inside this project's test database (its Kazakh company, demo shop and roles)."""

from odoo.addons.point_of_sale.tests.test_pos_simple_orders import TestPosSimpleOrders  # noqa: F401
