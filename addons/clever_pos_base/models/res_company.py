from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import ValidationError

from ..tools import kz_validation


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "clever.audit.mixin"]

    def _clever_audit_field_names(self):
        # The store settings of Clever POS (clever_* fields of every module) and the BIN/phone
        # edited on the same settings page.
        return [
            name
            for name, field in self._fields.items()
            if (name.startswith("clever_") or name in ("vat", "phone"))
            and field.store
            and field.type not in ("binary", "one2many", "html")
        ]

    # Store settings: what the receipt and the Kaspi feed say about the shop. The address, phone,
    # BIN (vat) and logo are the company's own fields; these add what Odoo has no place for.
    clever_receipt_name = fields.Char(
        string="Name on receipts", help="The shop's name as printed on receipts; the company name when empty."
    )
    clever_tz = fields.Selection(
        _tz_get,
        string="Shop time zone",
        default="Asia/Almaty",
        help="Receipts and reports show dates and times in this time zone.",
    )
    clever_receipt_width = fields.Selection(
        [("58", "58 mm"), ("80", "80 mm")], string="Receipt width", default="80", required=True
    )
    clever_receipt_show_logo = fields.Boolean(string="Logo on receipts", default=True)
    clever_receipt_show_bin = fields.Boolean(string="BIN on receipts", default=True)
    clever_receipt_show_address = fields.Boolean(string="Address on receipts", default=True)
    clever_receipt_show_phone = fields.Boolean(string="Phone on receipts", default=True)
    clever_receipt_show_cashier = fields.Boolean(string="Cashier on receipts", default=True)
    clever_receipt_show_barcode = fields.Boolean(string="Receipt number as barcode", default=True)
    clever_login_code_required = fields.Boolean(
        string="Code by e-mail at login",
        default=True,
        help="Managers, accountants and administrators confirm each login with a one-time code sent to "
        "their e-mail (unless they use an authenticator app). Cashiers, couriers and store keepers "
        "log in with their phone and password only.",
    )
    clever_lapsed_days = fields.Integer(
        string="Lapsed after (days)", default=90, help="A customer who bought nothing for this many days is lapsed."
    )
    clever_regular_purchases = fields.Integer(
        string="Regular from (purchases)", default=3, help="A customer with at least this many purchases is regular; fewer: new."
    )
    clever_top_customer_count = fields.Integer(
        string="Top customers", default=50, help="How many customers with the highest lifetime value are top customers."
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["clever.approval.rule"]._create_defaults(companies)
        return companies

    @api.constrains("vat", "country_id")
    def _check_clever_bin(self):
        for company in self.filtered(lambda c: c.vat and c.country_id.code == "KZ"):
            if not kz_validation.is_valid_bin_iin(company.vat):
                raise ValidationError(
                    self.env._(
                        "%(number)s is not a valid BIN: it must have 12 digits and a correct check digit.",
                        number=company.vat,
                    )
                )

    def _clever_receipt_name(self):
        self.ensure_one()
        return self.clever_receipt_name or self.name
