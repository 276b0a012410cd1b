from odoo import fields, models, tools
from odoo.tools import SQL

from .sale_order import KASPI_STATUSES


class CleverOrderChannelReport(models.Model):
    """Every order of the shop in one table, whatever its channel: till receipts (pos.order)
    and sale orders (Kaspi, delivery, back office). A row opens the real order."""

    _name = "clever.order.channel.report"
    _description = "Orders of all channels"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"

    name = fields.Char(string="Order", readonly=True)
    channel = fields.Selection(
        [("till", "Till"), ("kaspi", "Kaspi"), ("delivery", "Delivery"), ("backend", "Back office")],
        readonly=True,
    )
    res_model = fields.Char(string="Document model", readonly=True)
    res_id = fields.Integer(string="Document id", readonly=True)
    point_name = fields.Char(string="Store or register", readonly=True)
    pos_config_id = fields.Many2one("pos.config", string="Register", readonly=True)
    kaspi_store_id = fields.Many2one("clever.kaspi.store", string="Kaspi store", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    payment_state = fields.Selection(
        [("not_paid", "Not paid"), ("partial", "Partly paid"), ("paid", "Paid"), ("cancelled", "Cancelled")],
        readonly=True,
    )
    fulfilment_state = fields.Selection(
        [("draft", "Quotation"), ("pending", "To deliver"), ("done", "Delivered"), ("cancelled", "Cancelled")],
        string="Fulfilment",
        readonly=True,
    )
    kaspi_status = fields.Selection(KASPI_STATUSES, readonly=True)
    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT o.id * 2 AS id,
                   o.name AS name,
                   'till' AS channel,
                   'pos.order' AS res_model,
                   o.id AS res_id,
                   pc.name AS point_name,
                   o.config_id AS pos_config_id,
                   NULL::integer AS kaspi_store_id,
                   o.partner_id AS partner_id,
                   o.user_id AS user_id,
                   o.amount_total AS amount_total,
                   c.currency_id AS currency_id,
                   CASE WHEN o.state = 'cancel' THEN 'cancelled'
                        WHEN o.state IN ('paid', 'done', 'invoiced') THEN 'paid'
                        WHEN o.amount_paid > 0 THEN 'partial'
                        ELSE 'not_paid' END AS payment_state,
                   CASE WHEN o.state = 'cancel' THEN 'cancelled'
                        WHEN o.state = 'draft' THEN 'draft'
                        WHEN EXISTS (SELECT 1 FROM stock_picking p
                                      WHERE p.pos_order_id = o.id AND p.state NOT IN ('done', 'cancel'))
                             THEN 'pending'
                        ELSE 'done' END AS fulfilment_state,
                   NULL::varchar AS kaspi_status,
                   o.date_order AS date,
                   o.company_id AS company_id
              FROM pos_order o
              JOIN res_company c ON c.id = o.company_id
              LEFT JOIN pos_config pc ON pc.id = o.config_id
            UNION ALL
            SELECT s.id * 2 + 1,
                   s.name,
                   COALESCE(s.clever_channel, 'backend'),
                   'sale.order',
                   s.id,
                   COALESCE(ks.name, ks.merchant_id, w.name),
                   NULL::integer,
                   s.kaspi_store_id,
                   s.partner_id,
                   s.user_id,
                   s.amount_total,
                   c.currency_id,
                   CASE WHEN s.state = 'cancel' THEN 'cancelled'
                        WHEN s.clever_channel = 'kaspi' THEN
                            CASE WHEN s.kaspi_status = 'COMPLETED' THEN 'paid'
                                 WHEN s.kaspi_status IN ('CANCELLED', 'RETURNED') THEN 'cancelled'
                                 ELSE 'not_paid' END
                        WHEN inv.total > 0 AND inv.unpaid = 0 THEN 'paid'
                        WHEN inv.total > inv.unpaid THEN 'partial'
                        ELSE 'not_paid' END,
                   CASE WHEN s.state = 'cancel' THEN 'cancelled'
                        WHEN s.state IN ('draft', 'sent') THEN 'draft'
                        WHEN s.delivery_status = 'full' THEN 'done'
                        WHEN s.delivery_status IS NULL AND (s.kaspi_status = 'COMPLETED' OR s.clever_channel <> 'kaspi')
                             THEN 'done'
                        ELSE 'pending' END,
                   s.kaspi_status,
                   s.date_order,
                   s.company_id
              FROM sale_order s
              JOIN res_company c ON c.id = s.company_id
              LEFT JOIN clever_kaspi_store ks ON ks.id = s.kaspi_store_id
              LEFT JOIN stock_warehouse w ON w.id = s.warehouse_id
              LEFT JOIN LATERAL (
                    SELECT count(DISTINCT m.id) AS total,
                           count(DISTINCT m.id) FILTER (WHERE m.payment_state NOT IN ('paid', 'in_payment', 'reversed'))
                               AS unpaid
                      FROM sale_order_line sl
                      JOIN sale_order_line_invoice_rel r ON r.order_line_id = sl.id
                      JOIN account_move_line ml ON ml.id = r.invoice_line_id
                      JOIN account_move m ON m.id = ml.move_id
                     WHERE sl.order_id = s.id AND m.state = 'posted' AND m.move_type = 'out_invoice'
              ) inv ON TRUE
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))

    def action_open_order(self):
        """The real document: the till receipt or the sale order, with its history, payments
        and stock moves."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
