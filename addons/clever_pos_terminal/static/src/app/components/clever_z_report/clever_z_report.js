import { Component } from "@odoo/owl";

/** The Z report of a shift in receipt format (receipt printer, or the browser without one). */
export class CleverZReport extends Component {
    static template = "clever_pos_terminal.CleverZReport";
    static props = { data: Object, formatCurrency: Function };
}
