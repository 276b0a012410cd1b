import { onWillStart, useState } from "@odoo/owl";
import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { parseFloat } from "@web/views/fields/parsers";
import { ClosePosPopup } from "@point_of_sale/app/components/popups/closing_popup/closing_popup";
import { CleverZReport } from "@clever_pos_terminal/app/components/clever_z_report/clever_z_report";

patch(ClosePosPopup.prototype, {
    setup() {
        super.setup(...arguments);
        this.cleverState = useState({ summary: null });
        onWillStart(async () => {
            if (this.pos.cleverTill) {
                this.cleverState.summary = await this.pos.data.call("pos.session", "clever_get_closing_summary", [
                    this.pos.session.id,
                ]);
            }
        });
    },

    get cleverCashId() {
        return this.props.default_cash_details?.id;
    },

    get cleverCounted() {
        const counted = this.cleverCashId && this.state.payments[this.cleverCashId]?.counted;
        return counted && this.env.utils.isValidFloat(counted) ? parseFloat(counted) : 0;
    },

    get cleverDifference() {
        const summary = this.cleverState.summary;
        return summary ? this.cleverCounted - summary.cash.expected : 0;
    },

    hasUserAuthority() {
        // On a Clever till every closing is approved by a manager, who sees the difference.
        return this.pos.cleverTill || super.hasUserAuthority(...arguments);
    },

    async cleverDownloadZReport() {
        return this.report.doAction("clever_pos_terminal.action_report_clever_z", [this.pos.session.id]);
    },

    async cleverPrintZReport() {
        const data = await this.pos.data.call("pos.session", "clever_get_z_report", [this.pos.session.id]);
        await this.pos.printer.print(
            CleverZReport,
            { data, formatCurrency: (amount) => this.env.utils.formatCurrency(amount) },
            { webPrintFallback: true }
        );
    },

    async closeSession() {
        if (!this.pos.cleverTill) {
            return await super.closeSession(...arguments);
        }
        const fmt = (amount) => this.env.utils.formatCurrency(amount);
        const summary = this.cleverState.summary;
        const reason = summary
            ? _t("Expected %(expected)s, counted %(counted)s, difference %(difference)s", {
                  expected: fmt(summary.cash.expected),
                  counted: fmt(this.cleverCounted),
                  difference: fmt(this.cleverDifference),
              })
            : "";
        const approved = await this.pos.cleverAskApproval("shift_close", {
            amount: this.cleverCounted,
            reason,
        });
        if (!approved) {
            return;
        }
        // Print the Z report once the session is closed, before the till leaves the screen.
        const router = this.pos.router;
        const leave = router.close;
        let left = false;
        router.close = () => {
            left = true;
        };
        try {
            await super.closeSession(...arguments);
        } finally {
            delete router.close;
            if (router.close !== leave) {
                router.close = leave;
            }
        }
        if (left) {
            if (this.pos.session.state === "closed") {
                try {
                    await this.cleverPrintZReport();
                } catch {
                    this.pos.notification.add(_t("The Z report could not be printed: print it from the session."), {
                        type: "warning",
                    });
                }
            }
            router.close();
        }
    },
});
