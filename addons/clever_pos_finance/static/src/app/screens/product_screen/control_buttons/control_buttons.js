import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { parseFloat } from "@web/views/fields/parsers";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { NumberPopup } from "@point_of_sale/app/components/popups/number_popup/number_popup";
import { RepaymentReceipt } from "@clever_pos_finance/app/components/repayment_receipt/repayment_receipt";

/**
 * "Debt repayment": the customer of the order pays back (part of) a debt in cash. The server
 * books it into the shift's cash (so the expected cash at closing includes it), settles the
 * oldest debts first and answers with the figures of the slip printed here.
 */
patch(ControlButtons.prototype, {
    setup() {
        super.setup(...arguments);
        this.cleverPrinter = useService("printer");
    },

    async clickCleverDebtRepayment() {
        const partner = this.partner;
        if (!partner) {
            this.notification.add(_t("Choose the customer first."), { type: "warning" });
            return;
        }
        const value = await makeAwaitable(this.dialog, NumberPopup, {
            title: _t("Debt repayment"),
            subtitle: partner.name,
            confirmButtonLabel: _t("Take the money"),
        });
        let amount = 0;
        try {
            amount = parseFloat(value || "0");
        } catch {
            amount = 0;
        }
        if (!amount || amount <= 0) {
            return;
        }
        const result = await this.pos.data.call("clever.finance.repayment", "clever_create_from_pos", [
            this.pos.session.id,
            partner.id,
            amount,
        ]);
        const format = (number) => this.env.utils.formatCurrency(number);
        await this.cleverPrinter.print(RepaymentReceipt, {
            shop: this.pos.company.name,
            number: result.name,
            date: new Date().toLocaleString(),
            customer: result.partner,
            cashier: this.pos.getCashier()?.name || "",
            amount: format(result.amount),
            debtBefore: format(result.debt_before),
            debtAfter: format(result.debt_after),
        });
        this.notification.add(
            _t("Repayment %(number)s: %(amount)s taken, debt left %(debt)s.", {
                number: result.name,
                amount: format(result.amount),
                debt: format(result.debt_after),
            }),
            { type: "success" }
        );
    },
});
