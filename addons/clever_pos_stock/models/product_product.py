from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

LOOKUP_GROUPS = (
    "clever_pos_base.group_clever_cashier",
    "clever_pos_base.group_clever_storekeeper",
    "clever_pos_base.group_clever_manager",
    "point_of_sale.group_pos_user",
    "stock.group_stock_user",
)


class ProductProduct(models.Model):
    _inherit = "product.product"

    clever_below_min = fields.Boolean(
        string="Below minimum",
        compute="_compute_clever_below_min",
        search="_search_clever_below_min",
    )

    def _compute_clever_below_min(self):
        below = self.env["stock.warehouse.orderpoint"].sudo().search(
            [("product_id", "in", self.ids), ("clever_below_min", "=", True), ("company_id", "in", self.env.companies.ids)]
        ).product_id
        for product in self:
            product.clever_below_min = product in below

    def _search_clever_below_min(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        below = Domain("orderpoint_ids", "any", [("clever_below_min", "=", True), ("company_id", "in", self.env.companies.ids)])
        return below if (operator == "=") == value else ~below

    @api.model
    def clever_stock_lookup(self, query, limit=20, warehouse_id=False):
        """Stock lookup for the till: name, codes, quantity on hand and sale price; never a cost.

        Open to every Clever POS role (cashiers included). Products are searched by name,
        barcode or SKU in the current company."""
        user = self.env.user
        if not any(user.has_group(group) for group in LOOKUP_GROUPS):
            raise AccessError(self.env._("You are not allowed to look up stock."))
        query = (query or "").strip()
        if not query:
            return []
        limit = max(1, min(int(limit or 20), 100))
        company = self.env.company
        domain = Domain.AND(
            [
                Domain("sale_ok", "=", True) | Domain("available_in_pos", "=", True),
                Domain("company_id", "in", [company.id, False]),
                Domain("barcode", "=", query) | Domain("default_code", "=ilike", query) | Domain("name", "ilike", query),
            ]
        )
        products = self.sudo().with_company(company).search(domain, limit=limit, order="name, id")
        context = {"warehouse_id": warehouse_id} if warehouse_id else {}
        products = products.with_context(**context)
        return [
            {
                "id": product.id,
                "name": product.display_name,
                "barcode": product.barcode or "",
                "default_code": product.default_code or "",
                "uom": product.uom_id.name,
                "is_storable": product.is_storable,
                "qty_available": product.qty_available if product.is_storable else None,
                "list_price": product.lst_price,
            }
            for product in products
        ]

    def action_clever_stock_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("clever_pos_stock.stock_move_action_clever_history")
        action["domain"] = [("product_id", "=", self.id)]
        action["context"] = {"search_default_done": 1}
        action["display_name"] = self.env._("Movement history: %(product)s", product=self.display_name)
        return action
