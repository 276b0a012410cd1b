"""1.1: the login code by e-mail. A demo database installed before it would have the policy on
for the demo shop, whose demo file (loaded only at install) turns it off: without a mail server
its managers could no longer log in. Real companies keep the policy on."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    module = env["ir.module.module"].search([("name", "=", "clever_pos_base")])
    demo_shop = env.ref("base.demo_company_kz", raise_if_not_found=False)
    if module.demo and demo_shop:
        demo_shop.clever_login_code_required = False
