import { _t } from "@web/core/l10n/translation";

/** Texts of the device proxy's status codes (proxy/clever_proxy/codes.py): the proxy shows none. */
const MESSAGES = {
    proxy_unreachable: () => _t("The device proxy cannot be reached: is it running on the till PC?"),
    printed: () => _t("The receipt was printed."),
    drawer_opened: () => _t("The cash drawer was opened."),
    printer_ok: () => _t("The printer is ready."),
    printer_paper_low: () => _t("The printer paper roll is nearly finished."),
    printer_not_configured: () => _t("No printer is configured on the device proxy."),
    printer_offline: () => _t("The printer cannot be reached: check that it is on and connected."),
    printer_paper_out: () => _t("The printer is out of paper."),
    printer_cover_open: () => _t("The printer cover is open."),
    printer_not_ready: () => _t("The printer reports an error and is not ready."),
    printer_access_denied: () => _t("The device proxy is not allowed to use the printer."),
    printer_driver_missing: () => _t("The device proxy lacks a library for this printer."),
    printer_timeout: () => _t("The printer stopped accepting data."),
    printer_error: () => _t("The printer failed."),
    receipt_invalid: () => _t("The receipt image could not be read."),
    drawer_not_configured: () => _t("No cash drawer is connected to the printer."),
    origin_not_paired: () => _t("This Odoo address is not paired with the device proxy."),
    key_invalid: () => _t("The device proxy does not accept this register's key: pair it again."),
    terminal_ok: () => _t("The Kaspi terminal answered."),
    terminal_not_configured: () => _t("The Kaspi terminal address is not set."),
    terminal_not_registered: () => _t("The device proxy is not registered on the Kaspi terminal."),
    terminal_unreachable: () => _t("The Kaspi terminal cannot be reached."),
    terminal_busy: () => _t("The Kaspi terminal is busy with another operation."),
    terminal_error: () => _t("The Kaspi terminal returned an error."),
    terminal_certificate_changed: () =>
        _t("The Kaspi terminal's certificate changed: register the terminal again."),
    token_invalid: () => _t("The Kaspi terminal refused the proxy: register the terminal again."),
    amount_invalid: () => _t("The Kaspi terminal takes whole tenge only."),
    payment_uuid_conflict: () => _t("This payment was already sent for another amount."),
    operation_not_found: () => _t("The device proxy knows no operation for this payment."),
    waiting: () => _t("Waiting for the customer on the Kaspi terminal."),
    paid: () => _t("Paid on the Kaspi terminal."),
    refunded: () => _t("Refunded on the Kaspi terminal."),
    declined: () => _t("The payment was declined."),
    cancelled: () => _t("The operation was cancelled on the terminal."),
    cancel_on_terminal: () =>
        _t("The Kaspi terminal cannot be cancelled from the till: press Cancel on the terminal."),
    payment_response_lost: () =>
        _t("The terminal did not answer when the amount was sent: look at the terminal screen before anything else."),
    process_not_found: () => _t("The terminal no longer knows this operation: look at the terminal screen."),
    outcome_unknown: () => _t("The terminal does not know the outcome yet: checking again, do not pay twice."),
    terminal_wait_expired: () => _t("The terminal kept waiting for too long: look at the terminal screen."),
    resolved_manually: () => _t("The outcome was confirmed by a person."),
    refund_exceeds_payment: () => _t("The refund is larger than what is left of the Kaspi payment."),
    original_payment_required: () => _t("A refund needs the original Kaspi payment of this sale."),
};

export function cleverProxyMessage(code, fallback = "") {
    const message = MESSAGES[code];
    if (message) {
        return message();
    }
    return fallback || _t("Device proxy answer: %s", code || "?");
}
