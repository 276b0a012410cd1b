import { onMounted } from "@odoo/owl";
import { patch } from "@web/core/utils/patch";
import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";
import { CLEVER_KASPI_WAITING } from "@clever_pos_terminal/app/payment_kaspi/payment_clever_kaspi";

function isKaspi(line) {
    return line?.payment_method_id?.use_payment_terminal === "clever_kaspi";
}

patch(PaymentScreen.prototype, {
    setup() {
        super.setup(...arguments);
        onMounted(() => this.cleverResumeKaspi());
    },

    /** A Kaspi line still waiting (page reloaded, proxy restarted): ask its status, never resend. */
    async cleverResumeKaspi() {
        const lines = (this.currentOrder?.payment_ids || []).filter(
            (line) => isKaspi(line) && CLEVER_KASPI_WAITING.includes(line.getPaymentStatus())
        );
        for (const line of lines) {
            const terminal = line.payment_method_id.payment_terminal;
            this.pos.paymentTerminalInProgress = true;
            const paid = await terminal.resume(line.uuid);
            if (terminal.findLine(line.uuid)) {
                line.handlePaymentResponse(paid);
            }
            this.pos.paymentTerminalInProgress = false;
        }
    },

    /** A Kaspi line that may still be charged is never just removed: the terminal must agree. */
    deletePaymentLine(uuid) {
        const line = this.paymentLines.find((l) => l.uuid === uuid);
        if (isKaspi(line) && CLEVER_KASPI_WAITING.includes(line.getPaymentStatus())) {
            return this.sendPaymentCancel(line);
        }
        if (isKaspi(line) && line.getPaymentStatus() === "done") {
            return;
        }
        return super.deletePaymentLine(...arguments);
    },
});
