import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { PosPrinterService } from "@point_of_sale/app/services/pos_printer_service";
import { PrinterService } from "@point_of_sale/app/services/printer_service";
import { cleverProxyMessage } from "@clever_pos_terminal/app/device/clever_proxy_codes";

/**
 * Receipts of a register paired with the device proxy: printed by the proxy; when the proxy or
 * the printer cannot print, the cashier is told why and the browser's print dialog opens with the
 * same receipt (nothing is lost, the receipt screen can print it again).
 */
patch(PosPrinterService.prototype, {
    async printHtml(el, options = {}) {
        const pos = this.hardware_proxy.pos;
        const config = pos?.config;
        if (!config?.clever_proxy_key || !config.iface_print_via_proxy) {
            return super.printHtml(...arguments);
        }
        this.setPrinter(this.hardware_proxy.printer);
        let reason = cleverProxyMessage("proxy_unreachable");
        if (this.device) {
            try {
                const result = await PrinterService.prototype.printHtml.call(this, el, options);
                if (result?.warningCode) {
                    pos.notification.add(cleverProxyMessage(result.warningCode), {
                        type: "warning",
                        className: "o_clever_print_warning",
                    });
                    delete result.warningCode;
                }
                return result;
            } catch (error) {
                reason = error?.body || error?.title || reason;
            }
        }
        pos.notification.add(
            _t("The receipt was not printed: %s The browser's print dialog opens with the same receipt.", reason),
            { type: "danger", className: "o_clever_print_fallback" }
        );
        this.printWeb(el);
        return false;
    },
});
