import { Component } from "@odoo/owl";

/** The customer's slip for a debt repayment taken at the till. */
export class RepaymentReceipt extends Component {
    static template = "clever_pos_finance.RepaymentReceipt";
    static props = {
        shop: String,
        number: String,
        date: String,
        customer: String,
        cashier: String,
        amount: String,
        debtBefore: String,
        debtAfter: String,
    };
}
