import logging

from odoo import http
from odoo.http import Response, Stream, request

_logger = logging.getLogger(__name__)

# The same answer for an unknown merchant, city or token, or an unpublished store: it tells a
# stranger nothing about which stores exist.
NOT_FOUND_BODY = "Not found"


def _not_found():
    return Response(NOT_FOUND_BODY, status=404, content_type="text/plain; charset=utf-8")


class KaspiFeedController(http.Controller):
    @http.route(
        "/kaspi_<string:merchant_id>_<string:city_code>.xml",
        type="http",
        auth="public",
        methods=["GET", "HEAD"],
        csrf=False,
        save_session=False,
    )
    def kaspi_feed(self, merchant_id, city_code, token=None, **kwargs):
        """The price list of one Kaspi store for one city (the address the merchant gives Kaspi).

        Served from the cached file with its ETag and Last-Modified (304 when Kaspi already has
        it); regenerated first when something it shows has changed. When generation fails, the
        last good file is still served; with none at all, 503 (Kaspi then keeps its current list)."""
        Feed = request.env["clever.kaspi.feed"].sudo()
        feed = Feed._find_published(merchant_id, city_code, token)
        if not feed:
            return _not_found()
        feed._refresh_for_request()
        if not feed._has_file():
            feed._log_access(request.httprequest, 503, 0)
            response = Response("Service unavailable", status=503, content_type="text/plain; charset=utf-8")
            response.headers["Retry-After"] = "600"
            return response
        stream = Stream(
            type="path",
            path=feed._full_path(),
            mimetype="application/xml",
            download_name=f"kaspi_{feed.store_id.merchant_id}_{feed.city_id.code}.xml",
            etag=feed.etag,
            last_modified=feed.generated_at,
            size=feed.size,
            max_age=0,
        )
        response = stream.get_response()
        sent = feed.size if response.status_code == 200 and request.httprequest.method == "GET" else 0
        feed._log_access(request.httprequest, response.status_code, sent)
        return response
