from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CleverReceivingCase


@tagged("post_install", "-at_install")
class TestReceivingPriceTags(CleverReceivingCase):
    def test_receiving_keeps_price_history_and_prints_tags_for_changed_prices(self):
        tea = self.make_product("Чай тест 100 г", barcode="4870009876540", cost=0, price=900)
        receiving = self.new_receiving(
            lines=[
                {"product": self.cola, "quantity": 10, "price_unit": 400, "sale_price": 620},
                {"product": tea, "quantity": 5, "price_unit": 500, "sale_price": 900},  # price unchanged
            ]
        )
        receiving.with_user(self.storekeeper).action_post()
        self.assertEqual(self.cola.lst_price, 620)

        history = self.cola.product_tmpl_id.clever_price_history_ids
        self.assertEqual((history.old_price, history.new_price, history.source), (550, 620, "receiving"))
        self.assertEqual(history.user_id, self.storekeeper)
        self.assertEqual(history.origin, receiving.display_name)
        self.assertFalse(tea.product_tmpl_id.clever_price_history_ids)

        action = receiving.with_user(self.storekeeper).action_print_price_tags()
        self.assertEqual(action["res_model"], "clever.price.tag.wizard")
        wizard = self.env["clever.price.tag.wizard"].with_user(self.storekeeper).with_context(action["context"]).create({})
        self.assertEqual(wizard.product_ids, self.cola)
        report_action = wizard.action_print()
        self.assertEqual(report_action["data"]["product_ids"], self.cola.ids)

    def test_no_tags_when_no_price_changed(self):
        receiving = self.new_receiving(lines=[{"product": self.cola, "quantity": 1, "price_unit": 390}])
        receiving.with_user(self.storekeeper).action_post()
        with self.assertRaises(UserError):
            receiving.action_print_price_tags()
