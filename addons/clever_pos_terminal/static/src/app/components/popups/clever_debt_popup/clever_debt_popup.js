import { Component, onWillStart, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { parseFloat } from "@web/views/fields/parsers";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";
import { useService } from "@web/core/utils/hooks";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { PartnerList } from "@point_of_sale/app/screens/partner_list/partner_list";
import { handleRPCError } from "@point_of_sale/app/utils/error_handlers";
import { RPCError } from "@web/core/network/rpc";
import { CleverRepaymentReceipt } from "@clever_pos_terminal/app/components/clever_repayment_receipt/clever_repayment_receipt";

/**
 * Debt repayment at the till: pick the customer, see the balance and the open debts, take the
 * money by cash, card or Kaspi, print a repayment receipt.
 */
export class CleverDebtPopup extends Component {
    static template = "clever_pos_terminal.CleverDebtPopup";
    static components = { Dialog };
    static props = {
        partner: { type: [Object, { value: null }], optional: true },
        getPayload: { type: Function, optional: true },
        close: Function,
    };

    setup() {
        this.pos = usePos();
        this.dialog = useService("dialog");
        this.state = useState({
            partner: this.props.partner || null,
            info: null,
            amount: "",
            methodId: this.methods[0]?.id || null,
            reference: "",
            busy: false,
            done: null,
        });
        onWillStart(() => this.loadInfo());
    }

    get methods() {
        return this.pos.config.payment_method_ids
            .filter((pm) => pm.type !== "pay_later")
            .sort((a, b) => a.sequence - b.sequence);
    }

    get method() {
        return this.methods.find((pm) => pm.id === this.state.methodId);
    }

    get amount() {
        return this.env.utils.isValidFloat(this.state.amount) ? parseFloat(this.state.amount) : 0;
    }

    get canConfirm() {
        const info = this.state.info;
        return Boolean(
            !this.state.busy &&
                this.state.partner &&
                info &&
                this.amount > 0 &&
                this.amount <= info.balance + 0.0001 &&
                this.method &&
                (!this.method.clever_ask_reference || this.state.reference.trim())
        );
    }

    async loadInfo() {
        this.state.info = this.state.partner ? await this.pos.cleverDebtInfo(this.state.partner) : null;
        if (this.state.info && !this.state.amount && this.state.info.balance > 0) {
            this.state.amount = this.env.utils.formatCurrency(this.state.info.balance, false);
        }
    }

    async selectPartner() {
        const partner = await makeAwaitable(this.dialog, PartnerList, { partner: this.state.partner });
        if (partner) {
            this.state.partner = partner;
            this.state.amount = "";
            await this.loadInfo();
        }
    }

    async confirm() {
        if (!this.canConfirm) {
            return;
        }
        this.state.busy = true;
        try {
            const order = await this.pos.cleverRepayDebt(
                this.state.partner,
                this.amount,
                this.method,
                this.state.reference.trim()
            );
            this.state.done = {
                order,
                amount: this.amount,
                method: this.method.name,
                balance: order.clever_partner_balance,
            };
            await this.printReceipt();
        } catch (error) {
            if (error instanceof RPCError) {
                handleRPCError(error, this.dialog);
            } else {
                throw error;
            }
        } finally {
            this.state.busy = false;
        }
    }

    async printReceipt() {
        const done = this.state.done;
        if (!done) {
            return;
        }
        await this.pos.printer.print(
            CleverRepaymentReceipt,
            {
                order: done.order,
                amount: done.amount,
                method: done.method,
                balance: done.balance,
                formatCurrency: (amount) => this.env.utils.formatCurrency(amount),
            },
            { webPrintFallback: true }
        );
    }

    get title() {
        return _t("Debt repayment");
    }
}
