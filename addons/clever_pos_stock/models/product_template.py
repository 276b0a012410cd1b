import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

PHOTO_GROUPS = ("clever_pos_base.group_clever_storekeeper", "clever_pos_base.group_clever_manager")


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def action_clever_stock_history(self):
        self.ensure_one()
        action = self.product_variant_ids[:1].action_clever_stock_history()
        action["domain"] = [("product_id", "in", self.product_variant_ids.ids)]
        action["display_name"] = self.env._("Movement history: %(product)s", product=self.display_name)
        return action

    # ------------------------------------------------------------------
    # Product photo from the store keeper's phone
    # ------------------------------------------------------------------

    @api.model
    def _clever_check_photo_rights(self):
        if not (self.env.su or any(self.env.user.has_group(group) for group in PHOTO_GROUPS)):
            raise AccessError(self.env._("Only store keepers and managers take product photos."))

    @api.model
    def clever_photo_lookup(self, query, limit=10):
        """Products of the current company by barcode (exact, also a variant's), SKU or name."""
        self._clever_check_photo_rights()
        query = (query or "").strip()
        if not query:
            return []
        company = self.env.company
        domain = Domain.AND(
            [
                Domain("company_id", "in", [company.id, False]),
                Domain("barcode", "=", query)
                | Domain("product_variant_ids.barcode", "=", query)
                | Domain("default_code", "=ilike", query)
                | Domain("name", "ilike", query),
            ]
        )
        templates = self.search(domain, limit=max(1, min(int(limit or 10), 50)), order="name, id")
        return [
            {
                "id": template.id,
                "name": template.display_name,
                "barcode": template.barcode or template.product_variant_ids[:1].barcode or "",
                "default_code": template.default_code or "",
                "has_image": bool(template.image_128),
                "write_date": fields.Datetime.to_string(template.write_date),
            }
            for template in templates
        ]

    def clever_set_photo(self, filename, data):
        """The photo becomes the product's image (Odoo resizes image_1920 and its smaller
        sizes); the original file is kept as an attachment of the product."""
        self.ensure_one()
        self._clever_check_photo_rights()
        self.check_access("write")
        try:
            raw = base64.b64decode(data or "", validate=True)
        except (binascii.Error, ValueError) as error:
            raise UserError(self.env._("The photo could not be read.")) from error
        if not raw:
            raise UserError(self.env._("The photo is empty."))
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename or self.env._("Photo of %(product)s.jpg", product=self.name),
                "res_model": self._name,
                "res_id": self.id,
                "raw": raw,
                "description": self.env._("Original product photo taken by %(user)s", user=self.env.user.name),
            }
        )
        if not (attachment.mimetype or "").startswith("image/"):
            raise UserError(self.env._("This file is not a photo."))
        self.image_1920 = base64.b64encode(raw)
        return {"id": self.id, "attachment_id": attachment.id, "write_date": fields.Datetime.to_string(self.write_date)}
