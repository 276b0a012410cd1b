import contextlib
import logging
import os
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytz
from markupsafe import Markup, escape

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

from ..tools.feed_rows import KaspiOfferReader
from ..tools.feed_writer import CatalogFileWriter, OfferEncoder, price_part

_logger = logging.getLogger(__name__)

NO_CITY_PRICE = "no_city_price"
# A feed that Kaspi has not downloaded for this long is reported (it downloads every 30-60 min).
DOWNLOAD_SILENCE = timedelta(hours=2)
# Files of the feed directory that no feed refers to are removed after this long.
ORPHAN_FILE_AGE = 3600


def _remove_file(path):
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


class CleverKaspiFeed(models.Model):
    """The cached price list of one store for one city, served at /kaspi_<merchant>_<city>.xml.

    The XML lives in a file of the database's filestore (written by streaming, swapped in only
    when complete); this record holds its ETag, generation time, size and offer count, the last
    error, and is the feed check page of the managers."""

    _name = "clever.kaspi.feed"
    _description = "Kaspi feed"
    _order = "store_id, city_id"

    store_id = fields.Many2one("clever.kaspi.store", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True, index=True)
    city_id = fields.Many2one("clever.kaspi.city", required=True, ondelete="restrict", readonly=True)
    file_name = fields.Char(string="File", readonly=True, copy=False)
    etag = fields.Char(string="ETag", readonly=True, copy=False)
    generated_at = fields.Datetime(
        string="Generated at", readonly=True, copy=False, help="When the content Kaspi gets last changed."
    )
    checked_at = fields.Datetime(
        string="Last generation", readonly=True, copy=False, help="When the feed was last generated successfully."
    )
    size = fields.Integer(string="Size (bytes)", readonly=True, copy=False)
    offer_count = fields.Integer(string="Offers", readonly=True, copy=False)
    previous_offer_count = fields.Integer(string="Offers before", readonly=True, copy=False)
    skipped_counts = fields.Json(string="Offers left out", readonly=True, copy=False)
    last_error = fields.Text(string="Last error", readonly=True, copy=False)
    last_error_at = fields.Datetime(string="Last error at", readonly=True, copy=False)
    url = fields.Char(string="Address for Kaspi", compute="_compute_url")
    access_ids = fields.One2many("clever.kaspi.feed.access", "feed_id", string="Downloads", readonly=True)
    last_download_at = fields.Datetime(string="Last download", compute="_compute_last_download")
    last_download_client = fields.Char(string="Downloaded by", compute="_compute_last_download")
    size_text = fields.Char(string="Size", compute="_compute_size_text")
    problems = fields.Html(string="Problems found", compute="_compute_problems", sanitize=False)
    has_problems = fields.Boolean(string="Has problems", compute="_compute_problems")

    _store_city_unique = models.Constraint("UNIQUE(store_id, city_id)", "A store has one feed per city.")

    @api.depends("store_id.merchant_id", "store_id.feed_token", "city_id.code")
    def _compute_url(self):
        for feed in self:
            store = feed.store_id
            if not (store.merchant_id and feed.city_id):
                feed.url = False
                continue
            url = f"{store.get_base_url()}/kaspi_{store.merchant_id}_{feed.city_id.code}.xml"
            feed.url = f"{url}?token={store.feed_token}" if store.feed_token else url

    def _compute_last_download(self):
        for feed in self:
            last = self.env["clever.kaspi.feed.access"].search([("feed_id", "=", feed.id)], order="date desc", limit=1)
            feed.last_download_at = last.date
            feed.last_download_client = last and f"{last.ip or ''} {last.user_agent or ''}".strip()

    @api.depends("size")
    def _compute_size_text(self):
        for feed in self:
            feed.size_text = tools.human_size(feed.size or 0)

    def _compute_problems(self):
        labels = self.env["clever.kaspi.offer"]._reason_labels()
        labels[NO_CITY_PRICE] = self.env._("no price for this city")
        pending_stores = self.env["clever.kaspi.feed.change"].sudo()._pending_store_ids(self.store_id.ids)
        now = fields.Datetime.now()
        for feed in self:
            store = feed.store_id
            problems = []
            if not store.feed_enabled:
                problems.append(self.env._("Publishing is off for this store: Kaspi gets 404."))
            if not store.merchant_id:
                problems.append(self.env._("The store has no merchant id: the feed has no address yet."))
            if not store.pickup_point_ids.filtered("location_id"):
                problems.append(self.env._("No pickup point of the store is mapped to a stock location: no offer is ready."))
            if feed.last_error:
                problems.append(
                    self.env._(
                        "Last generation failed on %(date)s: %(error)s",
                        date=fields.Datetime.to_string(feed.last_error_at),
                        error=feed.last_error,
                    )
                )
            if not feed.generated_at:
                problems.append(self.env._("The feed has never been generated."))
            if store.id in pending_stores:
                problems.append(self.env._("Some changes are not in the feed yet: they go in at the next download or within 10 minutes."))
            for reason, count in sorted((feed.skipped_counts or {}).items()):
                problems.append(
                    self.env._(
                        "Published offers left out (%(reason)s): %(count)s",
                        reason=labels.get(reason, reason),
                        count=count,
                    )
                )
            if feed.previous_offer_count >= 10 and feed.offer_count < feed.previous_offer_count / 2:
                problems.append(
                    self.env._(
                        "The feed shrank from %(before)s to %(after)s offers: check that this is wanted.",
                        before=feed.previous_offer_count,
                        after=feed.offer_count,
                    )
                )
            if feed.generated_at:
                if not feed.last_download_at:
                    problems.append(self.env._("Kaspi has not downloaded this feed yet."))
                elif now - feed.last_download_at > DOWNLOAD_SILENCE:
                    problems.append(
                        self.env._(
                            "No download since %(date)s: Kaspi usually downloads every 30 to 60 minutes.",
                            date=fields.Datetime.to_string(feed.last_download_at),
                        )
                    )
            feed.has_problems = bool(problems)
            feed.problems = (
                Markup("<ul>%s</ul>") % Markup().join(Markup("<li>%s</li>") % escape(p) for p in problems)
                if problems
                else Markup("<p>%s</p>") % self.env._("No problem found.")
            )

    def unlink(self):
        directory = self._feed_directory()
        paths = [os.path.join(directory, name) for name in self.mapped("file_name") if name]
        result = super().unlink()
        for path in paths:
            self.env.cr.postcommit.add(lambda path=path: _remove_file(path))
        return result

    # Actions ------------------------------------------------------------------------------------

    def action_regenerate(self):
        self.store_id.action_regenerate_feeds()
        return True

    def action_open_feed(self):
        self.ensure_one()
        if not self.url:
            raise UserError(self.env._("The store has no merchant id: the feed has no address yet."))
        return {"type": "ir.actions.act_url", "url": self.url, "target": "new"}

    def action_open_not_ready(self):
        self.ensure_one()
        action = self.store_id.action_open_offers()
        action["context"] = dict(action["context"], search_default_filter_not_ready=1)
        return action

    # Generation ---------------------------------------------------------------------------------

    @api.model
    def _feed_directory(self):
        return os.path.join(tools.config.filestore(self.env.cr.dbname), "clever_pos_kaspi_feeds")

    def _full_path(self):
        self.ensure_one()
        return os.path.join(self._feed_directory(), self.file_name) if self.file_name else False

    def _has_file(self):
        self.ensure_one()
        return bool(self.file_name) and os.path.isfile(self._full_path())

    def _feed_date(self, store, now):
        tz = pytz.timezone(store.company_id.clever_tz or "Asia/Almaty")
        return pytz.utc.localize(now).astimezone(tz).strftime("%Y-%m-%d %H:%M")

    def _generate(self):
        """Write the feeds of one store (self: all its feeds) in one pass over its offers, then swap
        each complete file in. Raises on failure, leaving every previous file and record as it was."""
        store = self.store_id
        store.ensure_one()
        if not store.merchant_id:
            raise UserError(self.env._("the store has no merchant id"))
        directory = self._feed_directory()
        os.makedirs(directory, exist_ok=True)
        now = fields.Datetime.now()
        date = self._feed_date(store, now)
        company_name = store.feed_company_name or store.company_id.name
        writers = []
        try:
            for feed in self:
                path = os.path.join(directory, f".{store.id}_{feed.city_id.code}_{uuid.uuid4().hex}.tmp")
                writers.append((feed, feed.city_id.code, CatalogFileWriter(path, company_name, store.merchant_id, date)))
            reader = KaspiOfferReader(store)
            rules = reader.rules
            encoder = OfferEncoder([code for __, code, __ in reader.points])
            not_ready = Counter()
            no_city_price = Counter()
            exported_ids = []
            for row in reader.rows():
                if row.reasons:
                    not_ready.update(row.reasons)
                    continue
                head = None
                for feed, code, writer in writers:
                    price, per_city = row.price_for(code, rules)
                    if price is None:
                        no_city_price[feed.id] += 1
                        continue
                    if head is None:
                        head = encoder.head(row)
                    writer.write_offer(head, price_part(code, price, per_city))
                if head is not None:
                    exported_ids.append(row.id)
            results = [(feed, writer, *writer.close()) for feed, __, writer in writers]
        except BaseException:
            for __, __, writer in writers:
                writer.discard()
            raise
        for feed, writer, etag, size in results:
            skipped = dict(not_ready)
            if no_city_price[feed.id]:
                skipped[NO_CITY_PRICE] = no_city_price[feed.id]
            feed._publish(writer, etag, size, now, skipped)
        self._after_generation(store, exported_ids, now)

    def _publish(self, writer, etag, size, now, skipped):
        self.ensure_one()
        store = self.store_id
        if writer.count == 0 and not store.allow_empty_feed:
            writer.discard()
            self._record_failure(
                self.env._(
                    "No offer is ready for %(city)s, so the feed was not replaced by an empty one: Kaspi keeps "
                    "getting the last good feed. Allow an empty feed on the store to take everything off Kaspi.",
                    city=self.city_id.display_name,
                )
            )
            self.skipped_counts = skipped
            return
        values = {"checked_at": now, "skipped_counts": skipped, "last_error": False, "last_error_at": False}
        if etag == self.etag and self._has_file():
            # Same content as the file being served: keep it, its ETag and its Last-Modified.
            writer.discard()
        else:
            name = f"{store.id}_{self.city_id.code}_{etag}.xml"
            path = os.path.join(self._feed_directory(), name)
            os.replace(writer.path, path)
            # If this transaction rolls back, the previous file stays the one served.
            self.env.cr.postrollback.add(lambda path=path: _remove_file(path))
            values.update(
                file_name=name,
                etag=etag,
                size=size,
                generated_at=now,
                offer_count=writer.count,
                previous_offer_count=self.offer_count,
            )
        self.write(values)

    def _after_generation(self, store, exported_ids, now):
        cr = self.env.cr
        # The changes this generation saw are published (rows committed since stay pending).
        cr.execute("DELETE FROM clever_kaspi_feed_change WHERE store_id = %s", [store.id])
        # Which offers are in the feeds; an offer leaving them keeps the time it was last in them.
        # Only the offers that enter or leave are written (usually a handful).
        cr.execute("SELECT id FROM clever_kaspi_offer WHERE store_id = %s AND in_feed", [store.id])
        was_in = {row[0] for row in cr.fetchall()}
        now_in = set(exported_ids)
        if left := was_in - now_in:
            cr.execute(
                "UPDATE clever_kaspi_offer SET in_feed = FALSE, last_export_date = %s WHERE id = ANY(%s)",
                [store.last_feed_date or now, sorted(left)],
            )
        if entered := now_in - was_in:
            cr.execute("UPDATE clever_kaspi_offer SET in_feed = TRUE WHERE id = ANY(%s)", [sorted(entered)])
        self.env["clever.kaspi.offer"].invalidate_model(["in_feed", "last_export_date"])
        store.last_feed_date = now

    def _record_failure(self, message):
        newly_failing = self.filtered(lambda feed: feed.last_error != message)
        self.write({"last_error": message, "last_error_at": fields.Datetime.now()})
        for store in newly_failing.store_id:
            store._notify_feed_problem(message)

    # Serving ------------------------------------------------------------------------------------

    @api.model
    def _find_published(self, merchant_id, city_code, token):
        """The feed of a public request, or an empty recordset for anything unknown, unpublished or
        with a wrong token (the caller answers all of them with the same 404)."""
        store = self.env["clever.kaspi.store"].search(
            [("merchant_id", "=", merchant_id), ("feed_enabled", "=", True)], limit=1
        )
        if not store:
            return self.browse()
        if store.feed_token and not (token and tools.consteq(store.feed_token, token)):
            return self.browse()
        return self.search([("store_id", "=", store.id), ("city_id.code", "=", city_code)], limit=1)

    def _refresh_for_request(self):
        """Regenerate the store's feeds when something changed since the last generation (or no
        file exists yet), unless another worker is already doing it: then the last good file is
        served and the next request gets the new one."""
        self.ensure_one()
        store = self.store_id
        pending = self.env["clever.kaspi.feed.change"]._pending_store_ids(store.ids)
        if (pending or not self._has_file()) and store._try_feed_lock(store.id):
            store._generate_feeds()
            self.invalidate_recordset()

    def _log_access(self, httprequest, status, size):
        self.ensure_one()
        self.env["clever.kaspi.feed.access"].create(
            {
                "feed_id": self.id,
                "ip": httprequest.remote_addr,
                "user_agent": (httprequest.user_agent.string or "")[:255],
                "status_code": status,
                "size": size,
            }
        )

    @api.model
    def _gc_feed_files(self):
        """Remove files no feed refers to (replaced versions, files of deleted feeds, leftovers of
        an interrupted generation) once they are an hour old."""
        directory = self._feed_directory()
        if not os.path.isdir(directory):
            return
        self.env.cr.execute("SELECT file_name FROM clever_kaspi_feed WHERE file_name IS NOT NULL")
        referenced = {row[0] for row in self.env.cr.fetchall()}
        limit = time.time() - ORPHAN_FILE_AGE
        for entry in os.scandir(directory):
            if entry.is_file() and entry.name not in referenced and entry.stat().st_mtime < limit:
                _remove_file(entry.path)
