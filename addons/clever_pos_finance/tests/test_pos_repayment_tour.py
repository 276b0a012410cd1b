from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

from .common import UNGUARDED_ACTIONS


@tagged("post_install", "-at_install")
class TestRepaymentAtTheTill(TestPointOfSaleHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.main_pos_config.company_id
        cls.env["clever.approval.rule"].sudo().search([("company_id", "=", company.id), ("action", "in", UNGUARDED_ACTIONS)]).write(
            {"required": False}
        )
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.partner_test_1.id,
                "invoice_line_ids": [Command.create({"name": "Old debt", "quantity": 1, "price_unit": 100.0, "tax_ids": []})],
            }
        )
        cls.invoice.action_post()

    def test_cashier_takes_a_repayment_and_prints_the_slip(self):
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("CleverDebtRepaymentTour", login="pos_user")
        repayment = self.env["clever.finance.repayment"].sudo().search([("partner_id", "=", self.partner_test_1.id)])
        session = self.main_pos_config.current_session_id
        self.assertEqual((repayment.amount, repayment.state, repayment.pos_session_id), (60.0, "posted", session))
        self.assertEqual(repayment.user_id, self.pos_user)
        self.assertEqual(repayment.statement_line_id.pos_session_id, session, "the cash is in the shift")
        self.assertEqual(self.invoice.amount_residual, 40.0)
