import { rpc } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";
import { HWPrinter } from "@point_of_sale/app/utils/printer/hw_printer";
import { cleverProxyMessage } from "@clever_pos_terminal/app/device/clever_proxy_codes";

/** The receipt printer of the Clever device proxy: /hw_proxy calls with the register's key. */
export class CleverProxyPrinter extends HWPrinter {
    setup(params) {
        super.setup(...arguments);
        this.headers = params.headers || {};
    }

    sendAction(data) {
        return rpc(`${this.url}/hw_proxy/default_printer_action`, { data }, { headers: { ...this.headers } });
    }

    getActionError() {
        return {
            successful: false,
            canRetry: true,
            message: { title: _t("Receipt not printed"), body: cleverProxyMessage("proxy_unreachable") },
        };
    }

    getOfflineError() {
        return this.getActionError();
    }

    getResultWarningCode(printResult) {
        return printResult?.printer_status === "printer_paper_low" ? "printer_paper_low" : undefined;
    }

    getResultsError(printResult) {
        return {
            successful: false,
            canRetry: true,
            errorCode: printResult?.code,
            message: {
                title: _t("Receipt not printed"),
                body: cleverProxyMessage(printResult?.code || "printer_error"),
            },
        };
    }
}
