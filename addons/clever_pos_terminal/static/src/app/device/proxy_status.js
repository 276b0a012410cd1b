import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { ProxyStatus } from "@point_of_sale/app/components/navbar/proxy_status/proxy_status";
import { cleverProxyMessage } from "@clever_pos_terminal/app/device/clever_proxy_codes";

/** The navbar's device status, in the cashier's language, from the device proxy's codes. */
patch(ProxyStatus.prototype, {
    get message() {
        const config = this.pos.config;
        if (!config.clever_proxy_key || this.connectionInfo.status !== "connected") {
            return super.message;
        }
        const { drivers } = this.connectionInfo;
        const problems = [];
        const printer = drivers.printer;
        if ((config.iface_print_via_proxy || config.iface_cashdrawer) && printer?.code) {
            if (!["connected", "connecting"].includes(printer.status) || printer.code === "printer_paper_low") {
                problems.push(`${_t("Printer")}: ${cleverProxyMessage(printer.code)}`);
            }
        }
        const terminal = drivers.kaspi_terminal;
        const usesTerminal = config.payment_method_ids.some((pm) => pm.use_payment_terminal === "clever_kaspi");
        if (usesTerminal && terminal?.status === "disconnected" && terminal.code) {
            problems.push(cleverProxyMessage(terminal.code));
        }
        return problems.join(" · ");
    },
});
