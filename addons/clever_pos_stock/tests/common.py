import uuid

from odoo import Command, fields

from odoo.addons.clever_pos_base.tests.common import CleverPosCase


class CleverStockCase(CleverPosCase):
    """The shop of clever_pos_base's tests, with a warehouse, stock, reasons and a till."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        if not cls.warehouse:
            cls.warehouse = cls.env["stock.warehouse"].with_company(company).create({"name": "Тест дүкен", "code": "TSTW", "company_id": company.id})
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.water = cls.product.product_variant_id
        cls.reasons = {r.code: r for r in cls.env["clever.stock.adjustment.reason"].search([])}
        cls.storekeeper = cls.users["storekeeper"]
        cls.manager = cls.users["manager"]
        cls.cashier = cls.users["cashier"]
        cls.admin = cls.users["admin"]
        cls.supplier = cls.env["res.partner"].create({"name": "ТОО «Тест Поставщик»", "is_company": True, "company_id": company.id})
        cls.categ_avco = cls.env["product.category"].create({"name": "Тест AVCO"})
        cls.categ_avco.with_company(company).property_cost_method = "average"
        # The warehouse shift a store keeper must open is tested in test_warehouse_shift.py; the
        # other tests validate their documents without one.
        company.clever_warehouse_shift_required = False
        cls.put_stock(cls.water, 10)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @classmethod
    def make_product(cls, name, barcode=None, tracking="none", cost=100.0, price=150.0, **extra):
        values = {
            "name": name,
            "is_storable": True,
            "tracking": tracking,
            "standard_price": cost,
            "list_price": price,
            "available_in_pos": True,
            "categ_id": cls.categ_avco.id,
            "company_id": cls.company.id,
            "barcode": barcode,
            "taxes_id": [Command.clear()],
            "supplier_taxes_id": [Command.clear()],
            **extra,
        }
        return cls.env["product.product"].with_company(cls.company).create(values)

    @classmethod
    def put_stock(cls, product, qty, lot=None, location=None):
        """Stock for a test's starting point, as Odoo's own tests set it."""
        cls.env["stock.quant"]._update_available_quantity(product, location or cls.stock_location, qty, lot_id=lot)

    def on_hand(self, product, lot=None):
        quants = self.env["stock.quant"]._gather(product, self.stock_location, lot_id=lot, strict=bool(lot))
        return sum(quants.mapped("quantity"))

    def make_adjustment(self, user, lines, **values):
        """lines: (product, mode, qty, reason code[, lot])."""
        commands = []
        for line in lines:
            product, mode, qty, reason = line[:4]
            lot = line[4] if len(line) > 4 else self.env["stock.lot"]
            commands.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "input_mode": mode,
                        "counted_qty" if mode == "counted" else "delta_qty": qty,
                        "reason_id": self.reasons[reason].id,
                        "lot_id": lot.id,
                    }
                )
            )
        return (
            self.env["clever.stock.adjustment"]
            .with_user(user)
            .with_company(self.company)
            .create({"company_id": self.company.id, "location_id": self.stock_location.id, "line_ids": commands, **values})
        )

    def move_goods(self, product, qty, source, destination, user=None, lots=None):
        """A validated transfer (receipt or delivery) done by `user`, the normal way."""
        env = self.env(user=user or self.storekeeper)
        code = "incoming" if source.usage == "supplier" else "outgoing"
        picking_type = self.warehouse.in_type_id if code == "incoming" else self.warehouse.out_type_id
        picking = env["stock.picking"].with_company(self.company).create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "partner_id": self.supplier.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        if code == "outgoing":
            picking.action_assign()
        move = picking.move_ids
        if lots:
            move.move_line_ids.unlink()
            move.move_line_ids = [
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": lot_qty,
                        "lot_id": lot.id if not isinstance(lot, str) else False,
                        "lot_name": lot if isinstance(lot, str) else False,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                    }
                )
                for lot, lot_qty in lots
            ]
        else:
            move.quantity = qty
        move.picked = True
        picking.button_validate()
        return picking

    # ------------------------------------------------------------------
    # The till: a POS sale as Odoo's own point_of_sale tests make one
    # ------------------------------------------------------------------

    @classmethod
    def setup_till(cls):
        company = cls.company
        # A cash method needs a cash journal of its own.
        journal = cls.env["account.journal"].with_company(company).create(
            {"name": "Касса склада (тест)", "type": "cash", "code": "TSTK", "company_id": company.id}
        )
        cls.pos_cash = cls.env["pos.payment.method"].with_company(company).create(
            {"name": "Наличные (тест)", "journal_id": journal.id, "company_id": company.id}
        )
        cls.till = cls.env["pos.config"].with_company(company).create(
            {
                "name": "Касса (тест склада)",
                "company_id": company.id,
                "payment_method_ids": [Command.set(cls.pos_cash.ids)],
                "picking_type_id": cls.warehouse.pos_type_id.id,
            }
        )

    def pos_sell(self, lines, user=None):
        """Sell through the till. lines: (product, qty, [lot names]). Returns the pos.order.

        Sold by the manager: clever_pos_base's cost guard refuses a cashier the product cost that
        point_of_sale reads when it syncs an order (pos.order._compute_total_cost_in_real_time),
        reported to the lead."""
        env = self.env(user=user or self.manager)
        till = self.till.with_env(env)
        if not till.current_session_id:
            till.open_ui()
            till.current_session_id.set_opening_control(0, None)
        session = till.current_session_id
        now = fields.Datetime.to_string(fields.Datetime.now())
        order_lines = []
        total = 0.0
        for product, qty, *rest in lines:
            lot_names = rest[0] if rest else []
            price = product.lst_price
            total += price * qty
            order_lines.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "qty": qty,
                        "price_unit": price,
                        "price_subtotal": price * qty,
                        "price_subtotal_incl": price * qty,
                        "tax_ids": [Command.clear()],
                        "pack_lot_ids": [Command.create({"lot_name": name}) for name in lot_names],
                    }
                )
            )
        order_uuid = str(uuid.uuid4())
        data = {
            "amount_paid": total,
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": now,
            "fiscal_position_id": False,
            "pricelist_id": till.pricelist_id.id,
            "name": f"Order {order_uuid}",
            "lines": order_lines,
            "partner_id": False,
            "session_id": session.id,
            "payment_ids": [Command.create({"amount": total, "name": now, "payment_method_id": self.pos_cash.id})],
            "uuid": order_uuid,
            "user_id": env.uid,
            "to_invoice": False,
            "state": "paid",
        }
        result = env["pos.order"].sync_from_ui([data])
        return env["pos.order"].browse(result["pos.order"][0]["id"])
