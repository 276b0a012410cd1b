from odoo.tests import TransactionCase, new_test_user


class CleverPosCase(TransactionCase):
    """One user per Clever POS role, in a Kazakh shop company of their own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.kz = cls.env.ref("base.kz")
        cls.company = cls.env.ref("base.demo_company_kz", raise_if_not_found=False) or cls.env.company
        cls.users = {}
        for role, phone in (
            ("cashier", "+7 702 900 00 01"),
            ("courier", "+7 702 900 00 02"),
            ("storekeeper", "+7 702 900 00 03"),
            ("accountant", "+7 702 900 00 04"),
            ("manager", "+7 702 900 00 05"),
            ("admin", "+7 702 900 00 06"),
        ):
            user = new_test_user(
                cls.env,
                login=f"test_{role}",
                password=f"test_{role}_pw",
                groups=f"clever_pos_base.group_clever_{role}",
                company_id=cls.company.id,
                company_ids=[cls.company.id],
                name=f"Test {role}",
            )
            user.partner_id.phone = phone
            cls.users[role] = user
        cls.product = cls.env["product.template"].with_company(cls.company).create(
            {
                "name": "Вода Tassay 1 л",
                "is_storable": True,
                "list_price": 350,
                "standard_price": 180,
                "default_code": "TST-WATER",
                "barcode": "4870204390018",
                "available_in_pos": True,
                "company_id": cls.company.id,
            }
        )
