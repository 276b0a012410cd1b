from odoo import api, fields, models


class CleverKaspiFeedAccess(models.Model):
    """One download of a Kaspi feed: the access log of the public feed route, for the feed check
    page ("when did Kaspi last download it?")."""

    _name = "clever.kaspi.feed.access"
    _description = "Kaspi feed download"
    _order = "date desc, id desc"
    _log_access = False

    feed_id = fields.Many2one("clever.kaspi.feed", required=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="feed_id.company_id", store=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    ip = fields.Char(string="IP address", readonly=True)
    user_agent = fields.Char(readonly=True)
    status_code = fields.Integer(string="HTTP status", readonly=True)
    size = fields.Integer(string="Bytes sent", readonly=True)

    _feed_date_index = models.Index("(feed_id, date DESC)")

    @api.autovacuum
    def _gc_old_accesses(self):
        """The log is for checking recent downloads: 90 days are kept."""
        self.env.cr.execute(
            "DELETE FROM clever_kaspi_feed_access WHERE date < (now() AT TIME ZONE 'UTC') - interval '90 days'"
        )
