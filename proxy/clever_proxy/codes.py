"""Status codes the proxy returns to the POS screen.

The proxy never shows text to a cashier itself: every answer carries a ``code`` from this table and
an English ``message`` for logs. The Odoo side (clever_pos_terminal) translates the codes (ru, kk).
"""

MESSAGES = {
    # printing
    "printed": "The receipt was sent to the printer.",
    "drawer_opened": "The cash drawer was opened.",
    "printer_ok": "The printer is ready.",
    "printer_paper_low": "The printer paper roll is nearly finished.",
    "printer_not_configured": "No printer is configured on the proxy.",
    "printer_offline": "The printer cannot be reached (switched off, unplugged or wrong address).",
    "printer_paper_out": "The printer is out of paper.",
    "printer_cover_open": "The printer cover is open.",
    "printer_not_ready": "The printer reports an error and is not ready.",
    "printer_access_denied": "The proxy is not allowed to use the printer device.",
    "printer_driver_missing": "A library the printer connection needs is not installed.",
    "printer_timeout": "The printer stopped accepting data.",
    "printer_error": "The printer failed.",
    "receipt_invalid": "The receipt image could not be read.",
    "drawer_not_configured": "No cash drawer is connected to this printer.",
    "unknown_action": "Unknown printer action.",
    # pairing and access
    "paired": "This Odoo address is now paired with the proxy.",
    "unpaired": "The pairing was removed.",
    "origin_not_paired": "This Odoo address is not paired with the proxy.",
    "origin_invalid": "The Odoo address is not a valid http(s) origin.",
    "origin_mismatch": "The origin in the request does not match the page origin.",
    "key_invalid": "The proxy key is missing or wrong: pair the register again.",
    "admin_key_invalid": "The proxy administrator key is missing or wrong.",
    "pairing_code_invalid": "The pairing code is wrong.",
    "pairing_code_expired": "The pairing code has expired: restart the proxy to get a new one.",
    "pairing_locked": "Too many wrong pairing codes: wait a few minutes and try again.",
    "host_not_allowed": "The proxy was called under a host name it does not serve.",
    "bad_request": "The request is not valid JSON-RPC.",
    "invalid_params": "The request parameters are invalid.",
    "not_found": "Unknown route.",
    "internal_error": "Internal proxy error.",
    # Kaspi terminal
    "terminal_ok": "The terminal answered.",
    "terminal_not_configured": "The Kaspi terminal address is not configured on the proxy.",
    "terminal_not_registered": "The proxy is not registered on the Kaspi terminal.",
    "terminal_registered": "The proxy is registered on the Kaspi terminal.",
    "terminal_unreachable": "The Kaspi terminal cannot be reached.",
    "terminal_busy": "The terminal is busy with another operation.",
    "terminal_error": "The terminal returned an error.",
    "terminal_certificate_changed": "The terminal's certificate changed: register the terminal again.",
    "token_invalid": "The terminal refused the proxy's token: register the terminal again.",
    "registration_failed": "The terminal did not accept the registration.",
    "amount_invalid": "The amount must be a positive whole number of tenge.",
    "payment_uuid_conflict": "This payment id was already used for another amount or operation.",
    "operation_not_found": "No terminal operation is known for this payment.",
    "waiting": "Waiting for the customer on the terminal.",
    "paid": "Paid on the terminal.",
    "refunded": "Refunded on the terminal.",
    "declined": "The payment was declined.",
    "cancelled": "The operation was cancelled on the terminal.",
    "cancel_on_terminal": "The terminal cannot be cancelled remotely: press Cancel on the terminal.",
    "payment_response_lost": "The terminal did not answer when the amount was sent: "
    "check the terminal screen before doing anything else.",
    "process_not_found": "The terminal no longer knows this operation.",
    "outcome_unknown": "The terminal does not know the outcome yet.",
    "terminal_wait_expired": "The terminal kept waiting for too long.",
    "resolved_manually": "The outcome was confirmed by a person.",
    "refund_exceeds_payment": "The refund is larger than what is left of the payment.",
    "original_payment_required": "A refund needs the original Kaspi transaction id and method.",
    "not_unknown": "Only an operation with an unknown outcome can be resolved by hand.",
}


def message(code):
    return MESSAGES.get(code, code)
