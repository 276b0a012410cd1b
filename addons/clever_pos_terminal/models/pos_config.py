import json
import re

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

# pos.config fields never copied to another register by the settings export: its identity, its
# sessions and sequences, its devices (proxy, terminal, fiscal register) and anything secret.
CLEVER_SETTINGS_SKIP = frozenset(
    {
        "id", "name", "company_id", "create_uid", "create_date", "write_uid", "write_date",
        "uuid", "access_token", "sequence_id", "sequence_line_id", "current_session_id",
        "current_session_state", "current_user_id", "session_ids", "last_session_closing_date",
        "last_session_closing_cash", "trusted_config_ids", "clever_fiscal_register_id",
        "proxy_ip", "epson_printer_ip", "printer_ids", "iot_device_ids", "active",
        "group_pos_manager_id", "group_pos_user_id", "customer_display_bg_img_name",
        "is_posbox", "other_devices", "iface_scan_via_proxy", "iface_electronic_scale", "iface_cashdrawer",
    }
)
# module_* would install apps; sequences (*_seq_id) number this register's own orders.
CLEVER_SETTINGS_SKIP_PREFIXES = ("clever_proxy", "clever_kaspi_terminal", "iface_print_via_proxy", "last_", "module_")
SECRET_FIELD = re.compile(r"token|passw|secret|(^|_)pin($|_)|api_?key|private|_key$", re.I)


class PosConfig(models.Model):
    _inherit = "pos.config"

    # Stock Odoo sends every pos.config field to the browser (pos.config has no field list for
    # the POS): nothing secret may ever be added here.
    clever_till = fields.Boolean(
        string="Clever POS controls",
        help="Shift opening and closing, sales on debt, returns, big cash outs and discounts over "
        "the cashier's limit need a manager's approval, checked by the server.",
    )
    clever_max_discount = fields.Float(
        string="Cashier discount limit (%)",
        default=10.0,
        help="Line and order discounts up to this percentage need no approval; a cashier's own "
        "limit (user settings) takes precedence.",
    )
    clever_favorite_product_ids = fields.Many2many(
        "product.product",
        "clever_pos_config_favorite_product_rel",
        string="Quick-access products",
        domain=[("available_in_pos", "=", True)],
        help="Shown as buttons above the product list of this register.",
    )
    clever_free_line = fields.Boolean(
        string="Free-text lines", help="The cashier may sell a line with a typed name, VAT rate and price."
    )
    clever_free_product_ids = fields.Many2many(
        "product.product",
        "clever_pos_config_free_product_rel",
        string="Free-text line products",
        help="One product per VAT rate; its taxes give the VAT of a free-text line.",
    )

    clever_fiscal_register_id = fields.Many2one(
        "clever.fiscal.register",
        string="Fiscal cash register",
        check_company=True,
        help="Sales, returns and cash moves of this register are fiscalised on this cloud cash register.",
    )
    clever_fiscal_active = fields.Boolean(compute="_compute_clever_fiscal_active")

    @api.depends("clever_fiscal_register_id")
    def _compute_clever_fiscal_active(self):
        for config in self:
            config.clever_fiscal_active = bool(config.clever_fiscal_register_id)

    @api.model
    def _load_pos_data_read(self, records, config):
        read_records = super()._load_pos_data_read(records, config)
        if read_records and config.clever_till and self.env.user.has_group("point_of_sale.group_pos_user"):
            # Stock Odoo shows cash in/out only to the Invoicing group; a cashier does it here
            # without accounting rights (the server checks and books it, see pos.session).
            read_records[0]["_has_cash_move_perm"] = True
        return read_records

    # ------------------------------------------------------------------
    # Register settings export / import (set a second till up like the first)
    # ------------------------------------------------------------------

    def _clever_settings_field_names(self):
        """The POS settings that make sense on another register: stored, editable fields; no
        secret, no device of this till, no per-register sequence, session or token."""
        names = []
        for name, field in self._fields.items():
            if (
                not field.store
                or name in CLEVER_SETTINGS_SKIP
                or name.endswith("_seq_id")
                or name.startswith(CLEVER_SETTINGS_SKIP_PREFIXES)
                or field.type in ("one2many", "binary", "many2one_reference")
                or (field.compute and field.readonly)
                or field.related
                or field.groups
                or SECRET_FIELD.search(name)
            ):
                continue
            names.append(name)
        return sorted(names)

    def _clever_settings_ref(self, record):
        """A record as another database can find it again: xml id when it has one, else its name."""
        refs = []
        external_ids = record.sudo()._get_external_ids()
        for rec in record.sudo():
            xmlid = next((x for x in external_ids.get(rec.id, []) if not x.startswith("__")), False)
            name = rec[rec._rec_name] if rec._rec_name and rec._rec_name in rec._fields else False
            ref = {"name": name if isinstance(name, str) else rec.display_name}
            if xmlid:
                ref["xmlid"] = xmlid
            if rec._name == "pos.payment.method":
                ref["journal"] = rec.journal_id.name or False
            if rec._name == "stock.picking.type":
                ref["warehouse"] = rec.warehouse_id.name or False
            refs.append(ref)
        return refs

    def _clever_export_settings(self):
        self.ensure_one()
        values = {}
        for name in self._clever_settings_field_names():
            field = self._fields[name]
            value = self[name]
            if field.type == "many2one":
                value = (self._clever_settings_ref(value) or [None])[0]
            elif field.type == "many2many":
                value = self._clever_settings_ref(value)
            elif field.type in ("date", "datetime"):
                value = fields.Datetime.to_string(value) if value else False
            values[name] = value
        return {
            "format": "clever_pos.pos_config",
            "version": 1,
            "register": self.name,
            "company": self.company_id.name,
            "exported_at": fields.Datetime.to_string(fields.Datetime.now()),
            "settings": values,
        }

    def action_clever_export_settings(self):
        self.ensure_one()
        data = json.dumps(self._clever_export_settings(), ensure_ascii=False, indent=2, sort_keys=True)
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"register_settings_{self.name}.json",
                "raw": data.encode("utf-8"),
                "mimetype": "application/json",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    def _clever_settings_find(self, comodel, ref):
        """The record of ``comodel`` meant by an exported reference, or an empty recordset."""
        Model = self.env[comodel].with_context(active_test=False)
        if ref.get("xmlid"):
            record = self.env.ref(ref["xmlid"], raise_if_not_found=False)
            if record and record._name == comodel and (
                "company_id" not in record._fields or record.company_id in (self.company_id, record.browse())
            ):
                return record
        name = ref.get("name")
        if not name:
            return Model.browse()
        domain = []
        if "company_id" in Model._fields:
            domain = [("company_id", "in", [False, self.company_id.id])]
        rec_name = Model._rec_name or "name"
        candidates = Model.search(domain + [(rec_name, "=", name)], limit=50)
        if comodel == "pos.payment.method" and ref.get("journal"):
            candidates = candidates.filtered(lambda r: r.journal_id.name == ref["journal"]) or candidates
        if comodel == "stock.picking.type" and ref.get("warehouse"):
            candidates = candidates.filtered(lambda r: r.warehouse_id.name == ref["warehouse"])
        return candidates[:1]

    def _clever_own_cash_methods(self, method_ids):
        """A cash method (its drawer, its cash journal) belongs to one register: keep this
        register's own cash methods instead of another register's."""
        methods = self.env["pos.payment.method"].browse(method_ids)
        foreign_cash = methods.filtered(lambda m: m.is_cash_count and (m.config_ids - self))
        kept = (methods - foreign_cash) | self.payment_method_ids.filtered("is_cash_count")
        skipped = [
            self.env._("%(method)s: the cash of another register; this register keeps its own cash method", method=m.name)
            for m in foreign_cash
        ]
        return kept.ids, skipped

    def _clever_import_settings(self, payload):
        """Write the settings of an exported file on this register; returns what was not found."""
        self.ensure_one()
        if not isinstance(payload, dict) or payload.get("format") != "clever_pos.pos_config":
            raise UserError(self.env._("This is not a register settings file."))
        settings = payload.get("settings") or {}
        allowed = set(self._clever_settings_field_names())
        if not self.env.user.has_group("base.group_system"):
            # Stock Odoo lets only administrators change the receipt header and footer.
            header_footer = {"is_header_or_footer", "receipt_header", "receipt_footer"}
            if any(settings.get(name) != self[name] for name in header_footer if name in settings):
                warnings_header = [self.env._("Receipt header and footer: only an administrator may change them")]
            else:
                warnings_header = []
            allowed -= header_footer
        else:
            warnings_header = []
        vals, warnings = {}, []
        for name, value in settings.items():
            if name not in allowed:
                continue
            field = self._fields[name]
            if field.type == "many2one":
                record = self._clever_settings_find(field.comodel_name, value) if value else False
                if value and not record:
                    warnings.append(f"{field._description_string(self.env)}: {value.get('name')}")
                    continue
                vals[name] = record.id if record else False
            elif field.type == "many2many":
                ids = []
                for ref in value or []:
                    record = self._clever_settings_find(field.comodel_name, ref)
                    if record:
                        ids.append(record.id)
                    else:
                        warnings.append(f"{field._description_string(self.env)}: {ref.get('name')}")
                if name == "payment_method_ids":
                    ids, skipped = self._clever_own_cash_methods(ids)
                    warnings.extend(skipped)
                vals[name] = [Command.set(ids)]
            elif field.type == "selection" and value and value not in dict(field._description_selection(self.env)):
                warnings.append(f"{field._description_string(self.env)}: {value}")
            else:
                vals[name] = value
        self.write(vals)
        return warnings_header + warnings

    def use_coupon_code(self, code, creation_date, partner_id, pricelist_id):
        result = super().use_coupon_code(code, creation_date, partner_id, pricelist_id)
        if result.get("successful"):
            return result
        # pos_loyalty says "No reward can be claimed" for a coupon already used: say it plainly.
        coupon = self.env["loyalty.card"].search(
            [("program_id", "in", self._get_program_ids().ids), ("code", "=", code), ("program_type", "in", ("coupons", "next_order_coupons"))],
            limit=1,
        )
        if coupon and coupon.program_id.reward_ids and all(r.required_points > coupon.points for r in coupon.program_id.reward_ids):
            if coupon.sudo().history_ids.filtered("used") or coupon.sudo().use_count:
                result["payload"]["error_message"] = self.env._("This coupon has already been used (%(code)s).", code=code)
        return result

    def _clever_special_products(self):
        """Products that are no goods sold to somebody: tips, discounts, free-text lines."""
        return self.env["pos.config"]._get_special_products() | self.clever_free_product_ids | self.discount_product_id
