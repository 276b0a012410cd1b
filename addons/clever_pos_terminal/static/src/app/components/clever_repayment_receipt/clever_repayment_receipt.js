import { Component } from "@odoo/owl";

/** The separate receipt of a debt repayment. */
export class CleverRepaymentReceipt extends Component {
    static template = "clever_pos_terminal.CleverRepaymentReceipt";
    static props = {
        order: Object,
        amount: Number,
        method: String,
        balance: { type: Number, optional: true },
        formatCurrency: Function,
    };

    get company() {
        return this.props.order.company;
    }
}
