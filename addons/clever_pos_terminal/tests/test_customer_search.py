from odoo.tests import TransactionCase, tagged

from .common import CleverTillSetup

# The fields the till's partner list searches "starts with" (point_of_sale partner_list.js).
SEARCH_FIELDS = ["name", "parent_name", "phone_mobile_search", "email", "barcode", "street", "zip", "city", "state_id", "country_id", "vat"]


@tagged("post_install", "-at_install")
class TestCleverCustomerSearch(CleverTillSetup, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_clever_till()
        cls.other = cls.env["res.partner"].create({"name": "Clever Customer Dana", "phone": "+7 702 444 12 34"})

    def search_at_till(self, query):
        """What the till's partner list asks the server when the cashier types `query`."""
        domain = [*(["|"] * (len(SEARCH_FIELDS) - 1)), *([field, "ilike", query + "%"] for field in SEARCH_FIELDS)]
        result = self.env["res.partner"].with_user(self.cashier).get_new_partner(self.config.id, domain, 0)
        return result["res.partner"]

    def test_phone_spellings_find_the_customer(self):
        self.assertEqual(self.customer.phone, "+7 701 555 01 01")
        for query in (
            "87015550101",
            "8 701 555 01 01",
            "8-701-555-01-01",
            "+7 701 555 01 01",
            "+7 (701) 555-01-01",
            "+77015550101",
            "77015550101",
            "7015550101",
            "701 555 01 01",
            "701-555-0101",
            "8 701 555",
            "555 01 01",
        ):
            with self.subTest(query=query):
                found = {p["id"] for p in self.search_at_till(query)}
                self.assertIn(self.customer.id, found)
                self.assertNotIn(self.other.id, found)

    def test_names_still_found_and_short_digits_ignored(self):
        self.assertIn(self.customer.id, {p["id"] for p in self.search_at_till("Clever Customer Arman")})
        self.assertIsNone(self.env["res.partner"]._clever_phone_digits("70"))
        self.assertIsNone(self.env["res.partner"]._clever_phone_digits("Arman 701"))
        self.assertEqual(self.env["res.partner"]._clever_phone_digits("8 (701) 555"), "701555")

    def test_partner_line_shows_debt(self):
        session = self.open_session()
        self.approve(session, "debt_sale", amount=700, record_id=self.customer.id)
        self.sync(self.order_payload(session, [(self.water, 2)], payments=[(self.debt_pm, 700)], partner=self.customer))
        found = {p["id"]: p for p in self.search_at_till("8 701 555 01 01")}
        self.assertEqual(found[self.customer.id]["clever_pos_debt"], 700)
