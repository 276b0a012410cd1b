import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

POINT_CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class CleverKaspiPickupPoint(models.Model):
    """A pickup point of a Kaspi store (storeId PP1, PP2 ... of the feed) and the Odoo stock it
    publishes: the quantity on hand, minus reservations, of the mapped location and below."""

    _name = "clever.kaspi.pickup.point"
    _inherit = ["clever.kaspi.feed.source"]
    _description = "Kaspi pickup point"
    _order = "store_id, sequence, id"
    _check_company_auto = True

    store_id = fields.Many2one("clever.kaspi.store", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="store_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    code = fields.Char(
        string="Kaspi point id", required=True, help="The point's id in the Kaspi cabinet: PP1, PP2 ... (storeId)."
    )
    name = fields.Char(string="Description")
    warehouse_id = fields.Many2one("stock.warehouse", check_company=True)
    location_id = fields.Many2one(
        "stock.location",
        string="Stock location",
        compute="_compute_location_id",
        store=True,
        readonly=False,
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Stock of this location and of the locations inside it is published for this point.",
    )

    _code_unique = models.Constraint("UNIQUE(store_id, code)", "This Kaspi point id is already used in the store.")

    @api.depends("warehouse_id")
    def _compute_location_id(self):
        for point in self:
            point.location_id = point.warehouse_id.lot_stock_id or point.location_id

    @api.constrains("code")
    def _check_code(self):
        for point in self:
            if not POINT_CODE_PATTERN.match(point.code or ""):
                raise ValidationError(
                    self.env._(
                        "The Kaspi point id %(code)s is not valid: use the id of the cabinet, such as PP1.",
                        code=point.code,
                    )
                )
